import argparse
import gzip

import pytest

from newsbeam.core.sources.readers import InputFile
from newsbeam.pipeline import options


def test_directories_expand_to_supported_files_skipping_hidden_ones(tmp_path):
    for name in ("a.html", "b.txt", "c.jsonl", "d.rss", "notes.md", "image.png",
                 ".hidden.txt", "sub/e.htm", ".git/f.txt", "sub/g.txt.gz"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    found = [f.path[len(str(tmp_path)) + 1:] for f in options.expand_inputs([str(tmp_path)], [])]
    assert found == ["a.html", "b.txt", "c.jsonl", "d.rss", "sub/e.htm", "sub/g.txt.gz"]


def test_globs_and_explicit_files(tmp_path):
    for name in ("one.txt", "two.txt", "three.html"):
        (tmp_path / name).write_text("x")
    found = options.expand_inputs([str(tmp_path / "*.txt"), str(tmp_path / "three.html")], [])
    assert [f.path.rsplit("/", 1)[1] for f in found] == ["one.txt", "two.txt", "three.html"]


def test_feeds_are_read_as_feeds_whatever_their_name(tmp_path):
    saved = tmp_path / "saved-feed.txt"
    saved.write_text("<rss/>")
    assert options.expand_inputs([], [str(saved)]) == [InputFile(str(saved), "feed")]
    # given both ways, it is read once, as a feed
    assert options.expand_inputs([str(saved)], [str(saved)]) == [InputFile(str(saved), "feed")]


@pytest.mark.parametrize("inputs,feeds,message", [
    (["/no/such/file.txt"], [], "no such file or directory"),
    (["/no/such/*.txt"], [], "no supported files match"),
])
def test_missing_inputs_are_configuration_errors(inputs, feeds, message):
    with pytest.raises(options.ConfigError, match=message):
        options.expand_inputs(inputs, feeds)


def test_empty_directories_are_configuration_errors(tmp_path):
    (tmp_path / "readme.md").write_text("x")
    with pytest.raises(options.ConfigError, match="no supported files"):
        options.expand_inputs([str(tmp_path)], [])


def test_output_is_created_and_checked(tmp_path):
    assert options.check_output(str(tmp_path / "new" / "out")) == str(tmp_path / "new" / "out")
    (tmp_path / "file").write_text("x")
    with pytest.raises(options.ConfigError, match="not a directory"):
        options.check_output(str(tmp_path / "file"))


def test_beam_options_are_checked_strictly():
    assert options.beam_options(["--runner=DirectRunner", "--direct_num_workers=2"])
    with pytest.raises(options.ConfigError, match="unknown option"):
        options.beam_options(["--direct_num_wokers=2"])
    with pytest.raises(options.ConfigError):
        options.beam_options(["--direct_running_mode=sideways"])


def test_gzip_inputs_keep_their_name(tmp_path):
    packed = tmp_path / "story.txt.gz"
    packed.write_bytes(gzip.compress(b"x"))
    assert options.expand_inputs([str(packed)], []) == [InputFile(str(packed))]


def test_urls_are_kept_for_the_workers_to_fetch():
    assert options.expand_inputs(["https://news.example/page.html"],
                                 ["https://news.example/feed", "https://news.example/list.opml"]
                                 ) == [InputFile("https://news.example/page.html"),
                                       InputFile("https://news.example/feed", "feed"),
                                       InputFile("https://news.example/list.opml", "opml")]


def test_streaming_needs_feeds(tmp_path):
    parser = argparse.ArgumentParser()
    options.add_run_arguments(parser)
    for argv in (["--streaming"], ["--streaming", "--input", str(tmp_path)]):
        with pytest.raises(options.ConfigError, match="--feeds"):
            options.resolve(parser.parse_args(argv + ["--output", str(tmp_path / "o")]), [],
                            str(tmp_path))


def test_the_text_cap_reaches_cleaning(tmp_path):
    parser = argparse.ArgumentParser()
    options.add_run_arguments(parser)
    (tmp_path / "story.txt").write_text("A story.")
    config = options.resolve(parser.parse_args(
        ["--max-text-chars", "5000", "--output", str(tmp_path / "o")]), [], str(tmp_path))
    assert config.cleaning.max_text_chars == 5000


def test_the_record_cap_keeps_its_old_name_for_existing_scripts():
    parser = argparse.ArgumentParser()
    options.add_run_arguments(parser)
    assert parser.parse_args([]).max_record_mb == 64
    assert parser.parse_args(["--max-record-mb", "5"]).max_record_mb == 5
    assert parser.parse_args(["--max-file-mb", "3"]).max_record_mb == 3


@pytest.mark.parametrize("argv, beam_args, keyed", [
    ([], [], False),  # the DirectRunner: per-process index, written while the run goes on
    ([], ["--runner=FlinkRunner"], True),
    ([], ["--runner=DataflowRunner"], True),
    (["--keyed-state", "off"], ["--runner=SparkRunner"], False),
    (["--keyed-dedup", "on"], [], True),
])
def test_streaming_dedups_through_keyed_state_on_distributed_runners(tmp_path, argv,
                                                                      beam_args, keyed):
    parser = argparse.ArgumentParser()
    options.add_run_arguments(parser)
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss version='2.0'><channel><title>t</title></channel></rss>")
    config = options.resolve(parser.parse_args(
        ["--streaming", "--feeds", str(feed), "--output", str(tmp_path / "o"), *argv]),
        beam_args, str(tmp_path))
    assert config.keyed_state is keyed
    batch = options.resolve(parser.parse_args(
        ["--input", str(feed), "--output", str(tmp_path / "o"), *argv]), beam_args,
        str(tmp_path))
    assert batch.keyed_state is False  # a batch run's shuffle is exact on every runner
