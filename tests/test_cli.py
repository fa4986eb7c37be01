"""The real ``newsbeam`` command, end to end, read back with DuckDB."""
import datetime as dt
import importlib.util
import os
import pty
import re
import signal
import subprocess

import duckdb
import pytest

from newsbeam.schemas import TABLES
from tests.helpers import NEWSBEAM, newsbeam, newsbeam_here, scalar, table

pytestmark = pytest.mark.xdist_group("timed")  # see pytest.ini


def test_samples_give_the_four_tables_duckdb_reads(samples_run):
    output, _, _ = samples_run
    assert scalar(f"SELECT count(*) FROM {table(output, 'articles')}") >= 12
    assert scalar(f"SELECT count(*) FROM {table(output, 'entities')}") >= 50
    assert scalar(f"SELECT count(*) FROM {table(output, 'events')}") >= 5
    assert scalar(f"SELECT count(DISTINCT region) FROM {table(output, 'articles')}") >= 3
    assert scalar(f"SELECT count(DISTINCT date) FROM {table(output, 'articles')}") >= 3
    assert scalar(f"SELECT count(DISTINCT region) FROM {table(output, 'events')}") >= 3
    assert scalar(f"SELECT typeof(date) FROM {table(output, 'articles')} LIMIT 1") == "DATE"


def test_files_match_the_contract_layout_and_schemas(samples_run):
    output, _, _ = samples_run
    files = sorted(output.rglob("*.parquet"))
    assert files
    for path in files:
        parts = path.relative_to(output).parts
        name = parts[0]
        assert name in TABLES
        assert parts[1].startswith("date=") and len(parts[1]) == len("date=2026-11-20")
        if name != "rejects":
            assert parts[2].startswith("region=") and len(parts[2]) == len("region=SY")
        assert path.name.startswith("part-samples_all_0_")
    for name in ("articles", "entities", "events"):
        columns = [r[0] for r in duckdb.connect().execute(
            f"DESCRIBE SELECT * FROM {table(output, name)}").fetchall()]
        assert columns == TABLES[name].columns + ["date", "region"]


def test_entity_and_event_offsets_point_into_article_text(samples_run):
    output, _, _ = samples_run
    mismatched = scalar(f"""
        SELECT count(*) FROM {table(output, 'entities')} e
        JOIN {table(output, 'articles')} a USING (article_id)
        WHERE substring(a.text, e.start_char + 1, e.end_char - e.start_char) <> e.text""")
    assert mismatched == 0
    mismatched = scalar(f"""
        SELECT count(*) FROM {table(output, 'events')} v
        JOIN {table(output, 'articles')} a USING (article_id)
        WHERE substring(a.text, v.start_char + 1, v.end_char - v.start_char) <> v.sentence""")
    assert mismatched == 0


def test_the_summary_adds_up_and_names_a_query(samples_run):
    output, stdout, _ = samples_run
    articles = scalar(f"SELECT count(*) FROM {table(output, 'articles')}")
    assert f"articles {articles} + duplicates 1 + rejects 0 = items read {articles + 1}" \
        in stdout
    assert "hive_partitioning=true" in stdout and str(output) in stdout


def test_rerunning_a_run_id_replaces_its_files(samples_run, tmp_path):
    output = samples_run.copy(tmp_path)
    before = sorted(p.relative_to(output) for p in output.rglob("*.parquet"))
    newsbeam("run", "--output", str(output), "--run-id", "samples")
    assert sorted(p.relative_to(output) for p in output.rglob("*.parquet")) == before
    # a rerun over fewer inputs leaves none of the run's earlier files behind
    small = tmp_path / "one.txt"
    small.write_text("KANO, Nigeria, Nov 21 (Wire) - Police arrested six men in Kano after a "
                     "fire destroyed hundreds of shops, a police spokesman said on Saturday.")
    newsbeam("run", "--input", str(small), "--output", str(output), "--run-id", "samples")
    assert scalar(f"SELECT count(*) FROM {table(output, 'articles')}") == 1
    # a scheduled run (another run id) into the same output writes no article twice
    later = newsbeam("run", "--input", str(small), "--output", str(output), "--run-id", "r2")
    assert scalar(f"SELECT count(*) FROM {table(output, 'articles')}") == 1
    assert "duplicates        1  (seen_before 1)" in later.stdout
    assert "seen_before 1: articles earlier runs already wrote" in later.stdout
    assert "use a new --output" in later.stdout


@pytest.mark.parametrize("args,message", [
    (["--input", "/no/such/path"], "no such file or directory"),
    (["--output", "/proc/version"], "--output"),
    (["--run-id", "../x"], "--run-id"),
    (["--runnr=DirectRunner"], "unknown option"),
    (["--runner=NoSuchRunner"], "NoSuchRunner"),
    (["--direct_running_mode=sideways"], "direct_running_mode"),
    (["--poll-interval", "soon"], "poll-interval"),
    (["--spacy-model", "xx_no_such_model"], "not installed"),
    (["--input", "htps://example.org/a.html"], "unknown scheme htps:// (did you mean https://?)"),
    (["--feeds", "ftp://example.org/a.rss"], "unknown scheme ftp://; use http://, https://"),
    (["--output", "https://example.org/out"], "a web address cannot be written to"),
    pytest.param(["--output", "s3://bucket/news"],
                 "pip install 'apache-beam[aws]==2.77.0'" if importlib.util.find_spec("boto3")
                 is None else "not writable (Unable to locate credentials); set up credentials",
                 marks=pytest.mark.skipif(
                     bool({"AWS_ACCESS_KEY_ID", "AWS_PROFILE"} & set(os.environ))
                     or os.path.exists(os.path.expanduser("~/.aws")),
                     reason="AWS credentials are set up here")),
])
def test_configuration_errors_are_one_line_and_non_zero(args, message, tmp_path, capfd):
    done = newsbeam_here(capfd, "run", "--output", str(tmp_path / "o"), *args)
    assert done.returncode != 0
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_published_on_dates_undated_text_and_anchors_its_relative_dates(tmp_path):
    story = tmp_path / "undated.txt"
    story.write_text(
        "Rebels take border town\n\n"
        "Rebel fighters seized the border town of Nasib on Saturday after government "
        "troops withdrew overnight, residents and a rebel commander said. The fighters "
        "detained dozens of soldiers who had stayed behind, the commander told reporters "
        "in the town, which lies on the main highway between Damascus and Amman.\n",
        encoding="utf-8")
    output = tmp_path / "out"
    newsbeam("run", "--input", str(story), "--output", str(output),
             "--published-on", "2024-12-07")
    assert duckdb.connect().execute(
        f"SELECT CAST(published_at AS DATE), date_source, date FROM {table(output, 'articles')}"
    ).fetchall() == [(dt.date(2024, 12, 7), "assumed", dt.date(2024, 12, 7))]
    seized = duckdb.connect().execute(
        f"SELECT event_date, date_source FROM {table(output, 'events')} "
        "WHERE trigger = 'seized'").fetchall()
    assert seized == [(dt.date(2024, 12, 7), "text")]  # Saturday = the publication day


def test_a_pdf_a_url_and_a_feed_are_named_and_the_rejects_explained(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
    output = tmp_path / "out"
    # nothing listens on port 9, and a private address is refused before connecting
    done = newsbeam("run", "--input", str(pdf), "http://127.0.0.1:9/story.html",
                    "--feeds", "http://127.0.0.1:9/world.rss", "--output", str(output),
                    "--quiet")
    assert done.stderr == ""  # --quiet: no progress
    first = done.stdout.splitlines()[0]
    assert ": 1 feed, 1 URL and 1 file, " in first
    assert "not_html" not in done.stdout
    assert re.search(r"^  unsupported_type +1  a document newsbeam does not read \(PDF",
                     done.stdout, re.M)
    assert re.search(r"^  blocked_private_address +2  a loopback, private", done.stdout, re.M)
    # no article was written: no query over the articles, which DuckDB would refuse
    assert "articles/*/*/*.parquet" not in done.stdout
    query = next(line.strip() for line in done.stdout.splitlines()
                 if line.strip().startswith("SELECT reason, input_ref, detail"))
    rows = duckdb.connect().execute(query).fetchall()
    assert [(reason, ref) for reason, ref, _ in rows] == [
        ("blocked_private_address", "http://127.0.0.1:9/story.html"),
        ("blocked_private_address", "http://127.0.0.1:9/world.rss"),
        ("unsupported_type", str(pdf))]
    assert "pdftotext" in rows[2][2]


def test_compact_on_a_file_or_with_a_mistyped_store_option_says_so(tmp_path, capfd):
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    done = newsbeam_here(capfd, "compact", str(afile))
    assert done.returncode == 2
    assert "a file; give the folder a run wrote to" in done.stderr
    done = newsbeam_here(capfd, "compact", "s3://bucket/news", "--no_such_beam_option")
    assert done.returncode == 2 and "unknown option '--no_such_beam_option'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_version_and_bare_command():
    done = newsbeam("--version")
    assert re.fullmatch(r"newsbeam \d+\.\d+\.\d+ \(Apache Beam 2\.\d+\.\d+\)\n", done.stdout)
    bare = newsbeam(check=False)
    assert bare.returncode == 2
    assert "usage: newsbeam COMMAND" in bare.stderr
    for command in ("newsbeam run", "newsbeam report OUTPUT", "newsbeam ddl", "newsbeam compact"):
        assert command in bare.stderr
    assert "Traceback" not in bare.stderr


def test_a_batch_run_shows_progress_as_plain_lines_when_not_on_a_terminal(samples_run):
    _, stdout, stderr = samples_run
    lines = stderr.splitlines()
    assert re.match(r"newsbeam: 0 s: read 0 · ", lines[0])  # as soon as the run starts
    progress = [line for line in lines if re.match(r"newsbeam: \d+ s: read \d+ · articles "
                                                   r"\d+ · duplicates \d+ · rejects \d+", line)]
    assert progress, stderr
    assert "\r" not in stderr and "\x1b" not in stderr


def test_on_a_terminal_the_progress_line_is_redrawn_and_gives_way_to_the_summary(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for day in range(1, 4):
        (pages / f"story{day}.txt").write_text(
            f"Flood waters rise in Dhaka\n\nDHAKA, Bangladesh, June {day} (Wire) - Flood "
            f"waters rose for a {day} day in Dhaka as rivers burst their banks, officials "
            "said, and thousands of families left their homes for shelters in schools.")
    leader, follower = pty.openpty()
    process = subprocess.Popen([NEWSBEAM, "run", "--input", str(pages), "--output",
                                str(tmp_path / "out")], stdout=subprocess.PIPE,
                               stderr=follower, text=True)
    os.close(follower)
    stdout, _ = process.communicate(timeout=600)
    terminal = _read_all(leader)
    assert process.returncode == 0
    # a first line before Beam and spaCy are loaded, replaced by the progress line
    assert terminal.startswith("newsbeam run: starting (loading Apache Beam and spaCy)\r")
    assert re.search(r"\rnewsbeam: \d+ s: read \d+ · articles \d+ .* · \d+/3 items",
                     terminal), terminal
    assert terminal.endswith("\r\x1b[K")  # the live line is cleared for the summary
    assert stdout.startswith("newsbeam run ") and ": 3 files, " in stdout.splitlines()[0]


def _read_all(descriptor: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(descriptor, 65536)
        except OSError:  # EIO: the writer closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(descriptor)
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize("runner_args", [
    [], ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]],
    ids=["in-process", "worker-processes"])
def test_ctrl_c_stops_a_batch_run_with_one_line_and_status_130(tmp_path, runner_args):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(400):  # long enough to be running when the first progress line shows
        (folder / f"story{n}.txt").write_text(
            f"Port strike enters day {n}\n\nROTTERDAM, Netherlands (Wire) - Dock workers in "
            f"Rotterdam kept up their strike for a {n}th day on Monday, union leaders said, "
            "as ships waited outside the harbour and the port authority warned of delays.")
    # In its own process group, as a terminal's foreground job: Ctrl-C reaches the
    # command and every worker process it started.
    process = subprocess.Popen([NEWSBEAM, "run", "--input", str(folder), "--output",
                                str(tmp_path / "out"), *runner_args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    seen = []
    for line in process.stderr:  # wait until the pipeline works, then press Ctrl-C
        seen.append(line)
        if re.match(r"newsbeam: \d+ s: read [1-9]", line):
            break
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, "".join(seen) + stderr
    assert stdout == ""
    assert stderr.splitlines()[-1].startswith("newsbeam: error: interrupted: run ")
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert not list((tmp_path / "out").glob("_newsbeam/commits/*.json"))


def test_a_streaming_run_tells_each_poll_round_each_window_and_a_blocked_feed_at_once(
        tmp_path):
    feed = tmp_path / "desk.rss"
    items = "".join(
        f"<item><title>Bridge reopens in {city}</title><link>https://example.org/{n}</link>"
        f"<guid>story-{n}</guid><pubDate>Mon, 0{n + 1} Dec 2025 10:00:00 GMT</pubDate>"
        f"<description>{city.upper()} (Wire) - Engineers reopened the main bridge in {city} "
        "on Monday after a month of repairs, the city council said, and traffic returned "
        "to normal by the evening as buses resumed their routes across the river.</description>"
        "</item>" for n, city in enumerate(["Porto", "Lyon", "Gdansk"]))
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
                    f"<link>https://example.org/</link>{items}</channel></rss>")
    done = newsbeam("run", "--streaming", "--no-fetch", "--feeds", str(feed),
                    "http://127.0.0.1:9/blocked.rss", "--stop-after", "8", "--window", "5",
                    "--output", str(tmp_path / "out"))
    lines = done.stderr.splitlines()
    blocked = next(i for i, line in enumerate(lines) if line.startswith(
        "newsbeam: feed http://127.0.0.1:9/blocked.rss: blocked_private_address: "))
    rounds = [(i, *map(int, found.groups())) for i, line in enumerate(lines) for found in
              [re.match(r"newsbeam: poll: (\d+) feed\(s\) fetched: (\d+) read, (\d+) "
                        r"unchanged, (\d+) failed; (\d+) new entries", line)] if found]
    assert sum(r[2] for r in rounds) >= 1 and sum(r[5] for r in rounds) == 3, done.stderr
    first_failed = next(i for i, _, _, _, failed, _ in rounds if failed)
    assert blocked <= first_failed  # told as it happens, not at the end of the round
    assert re.search(r"^newsbeam: window from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC written: "
                     r"articles 3, entities \d+", done.stderr, re.M), done.stderr
