"""A run is committed or invisible: kill -9 at any point, then a plain rerun, gives the
tables of an uninterrupted run; one run writes to an output at a time; files that
cannot be read, stray temporary files and bad run ids do not break later runs."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsbeam import samples
from newsbeam.core.storage import runs
from newsbeam.schemas import ARTICLES, TABLES
from tests.helpers import NEWSBEAM, newsbeam, newsbeam_here, table

pytestmark = pytest.mark.xdist_group("timed")  # see pytest.ini


def contents(output):
    """Every table's rows, as a user's query sees them, without what differs between
    runs (when the rows were read)."""
    found = {}
    for name in TABLES:
        if not list(output.glob(f"{name}/**/*.parquet")):
            found[name] = []
            continue
        exclude = " EXCLUDE (ingested_at)" if "ingested_at" in TABLES[name].columns else ""
        found[name] = duckdb.connect().execute(
            f"SELECT *{exclude} FROM {table(output, name)} ORDER BY ALL").fetchall()
    return found


def data_files(output):
    return sorted(p for p in output.rglob("part-*.parquet"))


@pytest.fixture(scope="module")
def uninterrupted(samples_run):
    return contents(samples_run.output), len(data_files(samples_run.output))


def kill_when(output, condition, *args, timeout=300):
    """Start a run (of the samples, without ``args``) and kill -9 it once
    ``condition(output)`` holds."""
    process = subprocess.Popen([NEWSBEAM, "run", "--output", str(output), *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while not condition(output):
            assert process.poll() is None, "the run ended before the kill point"
            assert time.monotonic() < deadline
            time.sleep(0.005)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# (a kill half way through the files leaves what one after the first file does: some of
# the run's files, no commit)
@pytest.mark.parametrize("point", ["first file", "all files", "after the commit"])
def test_kill_9_at_any_point_then_a_plain_rerun_gives_the_uninterrupted_tables(
        point, uninterrupted, tmp_path):
    expected, total = uninterrupted
    committed = lambda out: list(out.glob("_newsbeam/commits/*.json"))  # noqa: E731
    conditions = {
        "first file": lambda out: len(data_files(out)) >= 1,
        "all files": lambda out: len(data_files(out)) >= total or committed(out),
        "after the commit": committed,
    }
    output = tmp_path / "out"
    kill_when(output, conditions[point])
    rerun = newsbeam("run", "--output", str(output))
    assert contents(output) == expected
    assert not list(output.rglob(".*.tmp"))
    if point != "after the commit" and "removed" in rerun.stderr:
        assert "of interrupted run" in rerun.stderr
    # the killed run, if it committed, counts its articles as written: nothing twice
    assert len(list(output.glob("_newsbeam/commits/*.json"))) in (1, 2)


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    """A feed file of full articles, polled by streaming runs."""
    path = tmp_path_factory.mktemp("feed") / "world-desk.rss"
    shutil.copy(os.path.join(samples.path(), "feeds", "world-desk.rss"), path)
    return path


def one_article():
    """The smallest input: where a test asserts what a run does to its output folder, not
    what it makes of its inputs."""
    return ["--input", os.path.join(samples.path(), "articles", "kano-market-fire.txt")]


def streaming(feed, *args):
    return ["--streaming", "--feeds", str(feed), "--no-fetch", "--poll-interval", "1",
            *args]


@pytest.fixture(scope="module")
def streamed(feed, tmp_path_factory):
    """The tables of an uninterrupted streaming run over the feed."""
    reference = tmp_path_factory.mktemp("streamed") / "out"
    newsbeam("run", "--output", str(reference), *streaming(feed, "--stop-after", "5"))
    return contents(reference)


@pytest.mark.parametrize("point", ["first file", "first committed bundle"])
def test_kill_9_in_a_streaming_run_then_a_rerun_gives_the_uninterrupted_tables(
        point, feed, streamed, tmp_path):
    expected = streamed
    assert len(expected["articles"]) == 4
    conditions = {"first file": lambda out: data_files(out),
                  "first committed bundle": lambda out: list(
                      out.glob("_newsbeam/commits/*/*.json"))}
    output = tmp_path / "out"
    kill_when(output, conditions[point], *streaming(feed))
    newsbeam("run", "--output", str(output), *streaming(feed, "--stop-after", "5"))
    assert contents(output) == expected
    assert not list(output.glob("_newsbeam/commits/*/*.json"))  # all committed


def test_a_second_run_into_a_busy_output_is_refused_with_who_holds_it(tmp_path):
    with runs.OutputLock(str(tmp_path), "holder-run"):
        busy = newsbeam("run", "--output", str(tmp_path), check=False)
    assert busy.returncode == 2
    assert busy.stderr.count("\n") == 1
    assert "being written by run holder-run" in busy.stderr
    assert not data_files(tmp_path)
    newsbeam("run", "--output", str(tmp_path), *one_article())  # free once the holder is gone


def test_the_lease_of_an_object_store_output_refuses_a_second_holder(tmp_path):
    output = str(tmp_path)
    with runs.OutputLock(output, "first", lease=True):
        with pytest.raises(runs.OutputBusy, match="run first"):
            with runs.OutputLock(output, "second", lease=True):
                pass
        lease = json.loads((tmp_path / "_newsbeam/lease.json").read_text())
        assert lease["run_id"] == "first" and lease["renewed"] > time.time() - 60
    assert not (tmp_path / "_newsbeam/lease.json").exists()
    with runs.OutputLock(output, "second", lease=True):  # released: taken at once
        pass


def test_a_lease_not_renewed_is_taken_over(tmp_path, monkeypatch):
    (tmp_path / "_newsbeam").mkdir()
    (tmp_path / "_newsbeam/lease.json").write_text(json.dumps(
        {"run_id": "died", "pid": 1, "host": "elsewhere", "since": "2026-12-01",
         "renewed": time.time() - runs.LEASE_EXPIRY_SECONDS - 1}))
    with runs.OutputLock(str(tmp_path), "next", lease=True):
        assert json.loads((tmp_path / "_newsbeam/lease.json").read_text())["run_id"] == "next"


def test_a_lease_held_by_a_killed_process_of_this_machine_is_taken_at_once(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from newsbeam.core.storage import runs\n"
        f"with runs.OutputLock({str(tmp_path)!r}, 'killed', lease=True):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(600)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(runs.OutputBusy, match="run killed"):  # alive: refused
            with runs.OutputLock(str(tmp_path), "next", lease=True):
                pass
    finally:
        holder.kill()  # SIGKILL: the lease stays behind, fresh
        holder.wait()
    with runs.OutputLock(str(tmp_path), "next", lease=True):  # not three minutes later
        assert json.loads((tmp_path / "_newsbeam/lease.json").read_text())["run_id"] == "next"


def write_file(path, rows=1):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"n": list(range(rows))}), path)


def test_recover_keeps_committed_work_and_removes_the_rest(tmp_path):
    out = tmp_path
    part = out / "articles/date=2026-11-20/region=KE"
    runs.recover(str(out), "first")  # a new output follows the protocol from now on
    write_file(part / "part-done_all_0_0.parquet")
    runs.commit(str(out), "done")
    write_file(part / "part-crashed_all_0_0.parquet")
    write_file(out / "entities/date=2026-11-20/region=KE/part-crashed_all_0_0.parquet")
    kept = part / "part-stream_20261120T100000Z_1_0.parquet"
    lost = part / "part-stream_20261120T100100Z_2_0.parquet"
    write_file(kept)
    write_file(lost)
    runs.commit_bundle(str(out), "stream", [str(kept)])
    (part / ".part-crashed_all_0_1.parquet.0123.tmp").write_bytes(b"half")
    done = runs.recover(str(out), "next")
    assert sorted(p.name for p in data_files(out)) == [
        "part-done_all_0_0.parquet", "part-stream_20261120T100000Z_1_0.parquet"]
    assert done.redone == {"crashed": 2} and done.kept == {"stream": 1}
    assert done.temporary_removed == 1
    assert runs.committed_runs(str(out)) == {"done", "stream"}
    assert not runs.bundle_manifests(str(out))


def test_an_output_from_before_commit_markers_keeps_its_runs(tmp_path):
    write_file(tmp_path / "articles/date=2026-11-20/region=KE/part-old_all_0_0.parquet")
    done = runs.recover(str(tmp_path), "new")
    assert done.adopted == 1 and not done.redone
    assert runs.committed_runs(str(tmp_path)) == {"old"}


def test_a_rerun_of_a_run_id_is_uncommitted_until_it_commits_again(tmp_path):
    write_file(tmp_path / "articles/date=2026-11-20/region=KE/part-daily_all_0_0.parquet")
    runs.recover(str(tmp_path), "x")
    assert runs.committed_runs(str(tmp_path)) == {"daily"}
    runs.recover(str(tmp_path), "daily")
    assert runs.committed_runs(str(tmp_path)) == set()
    assert data_files(tmp_path)  # replaced file by file as the rerun writes


def test_an_unreadable_file_is_skipped_and_named_and_the_run_goes_on(samples_run, tmp_path):
    output = samples_run.copy(tmp_path)
    victim = sorted(output.glob("articles/*/*/part-samples_*.parquet"))[0]
    lost = pq.ParquetFile(victim).metadata.num_rows
    victim.write_bytes(victim.read_bytes()[:100])  # cut short: no Parquet footer
    rerun = newsbeam("run", "--output", str(output), "--run-id", "second")
    assert "skipped 1 unreadable file(s)" in rerun.stdout and str(victim) in rerun.stdout
    assert "Traceback" not in rerun.stderr
    # the cut file's articles are written again; the others are recognised
    assert f"articles    {lost:>7}" in rerun.stdout and f"(seen_before {18 - lost})" in rerun.stdout


def test_stray_temporary_files_of_killed_writers_are_removed(tmp_path):
    stray = tmp_path / "events/date=2026-11-20/region=KE/.part-x_all_0_0.parquet.ab12.tmp"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"half a file")
    done = newsbeam("run", "--output", str(tmp_path), *one_article())
    assert not stray.exists()
    assert "removed 1 temporary file(s)" in done.stderr


@pytest.mark.parametrize("run_id", ["abc\n", "abc\nrm", "a/b", "", ".hidden"])
def test_run_ids_must_match_in_full(tmp_path, run_id, capfd):
    refused = newsbeam_here(capfd, "run", "--output", str(tmp_path), "--run-id", run_id)
    assert refused.returncode == 2 and "--run-id" in refused.stderr
    assert not data_files(tmp_path)


def test_articles_of_a_run_that_never_committed_are_not_seen(samples_run, tmp_path):
    """The unfinished run's files are removed and their articles written again."""
    output = samples_run.copy(tmp_path)
    (output / "_newsbeam/commits/samples.json").unlink()  # as if killed before it
    rerun = newsbeam("run", "--output", str(output))
    assert "seen_before" not in rerun.stdout
    assert f"removed {len(data_files(output))} file(s) of interrupted run samples" \
        in rerun.stderr
    ids = duckdb.connect().execute(
        f"SELECT count(*), count(DISTINCT article_id) FROM {table(output, 'articles')}"
    ).fetchone()
    assert ids[0] == ids[1] == 17


def test_committed_files_are_what_deduplication_reads(tmp_path):
    part = tmp_path / "articles/date=2026-11-20/region=KE"
    write_file(part / "part-a_all_0_0.parquet")
    write_file(part / "part-b_all_0_0.parquet")
    runs.commit(str(tmp_path), "a")
    assert [os.path.basename(f.path) for f in runs.committed_files(str(tmp_path), ARTICLES)] \
        == ["part-a_all_0_0.parquet"]
    assert len(runs.committed_files(str(tmp_path), ARTICLES, also_run="b")) == 2


def test_a_failed_run_says_in_one_line_why_and_what_it_left(tmp_path, monkeypatch, capfd):
    """A full disk half way: no Beam traceback, a summary of what was written, and the
    next run removes it and writes everything."""
    from newsbeam.pipeline import cli
    from newsbeam.transforms import write

    written = []

    def disk_fills_up(path, arrow_table, attempts=3):
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(path)
        return real_write(path, arrow_table, attempts)

    real_write = write.write_table_file
    monkeypatch.setattr(write, "write_table_file", disk_fills_up)
    output = tmp_path / "out"
    assert cli.main(["run", "--output", str(output), "--run-id", "full-disk", "--quiet"]) == 1
    out, err = capfd.readouterr()
    assert err.splitlines() == [
        "newsbeam: error: the run failed: RuntimeError: OSError: [Errno 28] No space left "
        "on device [while running 'Write/WriteFiles'] (--verbose shows Beam's log)"]
    assert "newsbeam run full-disk: did not finish" in out
    assert sum(int(n) for n in re.findall(r"(\d+) file\(s\)", out)) == 5
    assert "not committed: the next run" in out
    monkeypatch.setattr(write, "write_table_file", real_write)
    rerun = newsbeam("run", "--output", str(output))
    assert "removed 5 file(s) of interrupted run full-disk" in rerun.stderr
    assert len(data_files(output)) == len([p for p in data_files(output)
                                           if "full-disk" not in p.name])
