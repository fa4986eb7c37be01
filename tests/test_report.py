"""``newsbeam report``: one HTML file, opened in a real browser (headless Chromium) with
every host name unresolvable, renders all its plots without a script error."""
import re
import shutil
import subprocess

import pytest

from tests import servers
from tests.helpers import newsbeam, newsbeam_here

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(samples_run, tmp_path_factory):
    """The report of two runs: the samples', and one of an empty file."""
    folder = tmp_path_factory.mktemp("report")
    empty = folder / "empty.txt"
    empty.write_text("   \n")
    output = samples_run.copy(folder)
    newsbeam("run", "--input", str(empty), "--output", str(output), "--run-id", "first",
             "--quiet")
    page = folder / "report.html"
    done = newsbeam("report", str(output), "--out", str(page))
    return page, done.stdout


def test_the_report_is_one_file_that_needs_no_network(report):
    page, stdout = report
    assert re.fullmatch(rf"newsbeam report .*: {re.escape(str(page))} \(\d+\.\d MB, "
                        r"\d+\.\d s\); open it in a browser, no network needed\n", stdout)
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", text)
    for heading in ("Articles and events per day", "Per country", "Where the events are",
                    "Event types by quad class", "Top sources", "Duplicates and rejects",
                    "What the rejects mean", "Runs"):
        assert f"<h2>{heading}</h2>" in text
    assert "empty_file" in text and "the input was empty or only whitespace" in text
    assert "<td>first</td>" in text and "<td>samples</td>" in text  # the runs, with
    assert "same_text" in text  # their summaries' figures: the samples' duplicate


def test_the_report_renders_in_chromium_without_script_errors(report, tmp_path):
    if CHROMIUM is None:
        servers.missing("chromium", "chromium")
    page, _ = report
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--host-resolver-rules=MAP * ~NOTFOUND",  # any download would fail
               "--virtual-time-budget=15000", "--window-size=1280,4200"]
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=180, check=True).stdout
    plots = int(re.search(r'<meta name="plots" content="(\d+)">', dom).group(1))
    assert plots >= 7  # per day, two per country, map, types, sources, duplicates, rejects
    root = re.search(r"<html[^>]*>", dom).group(0)
    assert "data-script-errors" not in root, root
    assert f'data-plots-rendered="{plots}"' in root, root
    screenshot = tmp_path / "report.png"
    subprocess.run([*browser, f"--screenshot={screenshot}", page.as_uri()],
                   capture_output=True, timeout=180, check=True)
    assert screenshot.stat().st_size > 50_000


def test_a_report_needs_tables_and_a_local_folder(tmp_path, capfd):
    done = newsbeam_here(capfd, "report", str(tmp_path))
    assert done.returncode == 2 and "no table has a file yet" in done.stderr
    done = newsbeam_here(capfd, "report", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "no such folder" in done.stderr
    done = newsbeam_here(capfd, "report", "gs://bucket/news")
    assert done.returncode == 2 and "copy it first" in done.stderr
