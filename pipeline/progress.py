"""What a run shows while it works: a live line on a terminal (batch), plain lines at
intervals otherwise, and in streaming a line per poll round, per failing feed and per
window written.

The counts come from the worker processes' progress files (``transforms/metrics.py``),
which every runner with workers on this machine writes; the windows written come from
the run's bundle manifests in its output, which any runner writes.
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from typing import Optional, TextIO

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from newsbeam.core.storage import runs
from newsbeam.transforms import metrics

TERMINAL_REFRESH_SECONDS = 0.25
LOG_INTERVAL_SECONDS = 5.0
RATE_WINDOW_SECONDS = 15.0
POLL_ROUND_QUIET_SECONDS = 1.5  # a round's feeds are polled within a tick or two


def rejects(counts: dict) -> int:
    return sum(n for name, n in counts.items() if name.startswith(metrics.REJECTS_BY_REASON))


def done(counts: dict) -> int:
    """Items that reached their outcome: through the language stages, duplicates,
    rejects."""
    return counts.get(metrics.ARTICLES_CODED, 0) + counts.get(metrics.DUPLICATES, 0) + \
        rejects(counts)


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds // 60 % 60:02d} min"


def batch_line(counts: dict, elapsed: float, rate: Optional[float],
               total: Optional[int], eta: Optional[float]) -> str:
    """One line of a batch run's progress."""
    parts = [f"read {counts.get(metrics.ITEMS_READ, 0)}",
             f"articles {counts.get(metrics.ARTICLES_CODED, 0)}",
             f"duplicates {counts.get(metrics.DUPLICATES, 0)}",
             f"rejects {rejects(counts)}"]
    if rate:
        parts.append(f"{rate:.1f} articles/s")
    if total:
        parts.append(f"{min(done(counts), total)}/{total} items"
                     + (f", ETA {_duration(eta)}" if eta is not None else ""))
    return f"newsbeam: {_duration(elapsed)}: " + " · ".join(parts)


def poll_round_line(polls: list, new_entries: int, entries_in_all: int) -> str:
    outcomes = collections.Counter(p["outcome"] for p in polls)
    return (f"newsbeam: poll: {len(polls)} feed(s) fetched: {outcomes['read']} read, "
            f"{outcomes['unchanged']} unchanged, {outcomes['failed']} failed; "
            f"{new_entries} new entries ({entries_in_all} in all)")


def failed_feed_line(poll: dict) -> str:
    return f"newsbeam: feed {poll['feed']}: {poll['reason']}: {poll['detail']}"


def window_line(window: str, rows: dict) -> str:
    """"window from 2026-12-07 15:40:00 UTC written: articles 3, entities 20 row(s)"
    (rows of no window: rejects the feeds gave)."""
    written = ", ".join(f"{table} {n}" for table, n in rows.items())
    if window == "all":
        return f"newsbeam: written: {written} row(s)"
    try:
        start = dt.datetime.strptime(window, "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%d %H:%M:%S UTC")
    except ValueError:
        start = window
    return f"newsbeam: window from {start} written: {written} row(s)"


class Rate:
    """A count per second over the last seconds, and the time left for a total."""

    def __init__(self, window: float = RATE_WINDOW_SECONDS):
        self.window = window
        self.samples: collections.deque = collections.deque()

    def add(self, when: float, value: int) -> None:
        self.samples.append((when, value))
        while len(self.samples) > 2 and self.samples[0][0] < when - self.window:
            self.samples.popleft()

    def per_second(self) -> Optional[float]:
        (t0, v0), (t1, v1) = self.samples[0], self.samples[-1]
        if t1 - t0 < 1.0 or v1 == v0:
            return None
        return (v1 - v0) / (t1 - t0)

    def eta(self, total: int) -> Optional[float]:
        rate = self.per_second()
        return None if not rate else max(total - self.samples[-1][1], 0) / rate


class RunProgress:
    """The progress of one run, shown on ``stream`` by a thread between ``start`` and
    ``stop``. Built before the pipeline is, so its DoFns report to its folder."""

    def __init__(self, run_id: str, output: str, streaming: bool, total: Optional[int],
                 stream: Optional[TextIO] = None):
        self.run_id = run_id
        self.output = output
        self.streaming = streaming
        self.total = total
        self.stream = stream or sys.stderr  # the stderr of now, not of the import
        self.terminal = self.stream.isatty()
        self.folder = tempfile.mkdtemp(prefix="newsbeam-progress-")
        os.environ[metrics.PROGRESS_DIR] = self.folder
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._show, daemon=True,
                                        name="newsbeam-progress-display")
        self._seen_events: set = set()
        self._pending_polls: list = []
        self._last_poll_at = 0.0
        self._entries_at_last_round = 0
        self._manifests_seen: set = set()
        self._started = 0.0
        self._drawn = ""

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread.start()

    def stop(self) -> None:
        """Stops showing; a terminal's live line is cleared for the summary."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        os.environ.pop(metrics.PROGRESS_DIR, None)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _show(self) -> None:
        items, articles = Rate(), Rate()
        last_line = -LOG_INTERVAL_SECONDS
        interval = TERMINAL_REFRESH_SECONDS if self.terminal else 0.5
        while True:
            now = time.monotonic()
            counts, events = metrics.read_progress(self.folder)
            if self.streaming:
                self._tell_events(events, counts, now)
                self._tell_windows()
            else:
                items.add(now, done(counts))
                articles.add(now, counts.get(metrics.ARTICLES_CODED, 0))
                line = batch_line(counts, now - self._started, articles.per_second(),
                                  self.total, items.eta(self.total) if self.total else None)
                if self.terminal:
                    self._redraw(line)
                elif now - last_line >= LOG_INTERVAL_SECONDS:
                    self._print(line)
                    last_line = now
            if self._stop.wait(interval):
                break
        if self.streaming:  # what the last round and the drain wrote
            counts, events = metrics.read_progress(self.folder)
            self._tell_events(events, counts, time.monotonic(), final=True)
            self._tell_windows()
        elif self.terminal:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _redraw(self, line: str) -> None:
        if line == self._drawn:
            return
        self._drawn = line
        width = shutil.get_terminal_size((100, 20)).columns
        self.stream.write("\r" + line[:max(width - 1, 10)] + "\x1b[K")
        self.stream.flush()

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def _tell_events(self, events: list, counts: dict, now: float,
                     final: bool = False) -> None:
        """A failed feed at once; a poll round's line once its polls have come in."""
        for event in events:
            key = (event["source"], event["seq"])
            if key in self._seen_events or event.get("kind") != "poll":
                continue
            self._seen_events.add(key)
            self._pending_polls.append(event)
            self._last_poll_at = now
            if event["outcome"] == "failed":
                self._print(failed_feed_line(event))
        quiet = now - self._last_poll_at >= POLL_ROUND_QUIET_SECONDS
        if self._pending_polls and (quiet or final):
            entries = counts.get(metrics.NEW_ENTRIES, 0)
            self._print(poll_round_line(self._pending_polls,
                                        entries - self._entries_at_last_round, entries))
            self._entries_at_last_round = entries
            self._pending_polls = []

    def _tell_windows(self) -> None:
        """A line per window of each bundle the run committed since the last look."""
        try:
            found = FileSystems.match([runs.manifest_path(self.output, self.run_id, "*")])
            manifests = sorted(m.path for r in found for m in r.metadata_list)
        except Exception:  # noqa: BLE001 (a store that cannot be listed now: next time)
            return
        for path in manifests:
            if path in self._manifests_seen:
                continue
            self._manifests_seen.add(path)
            for window, rows in rows_by_window(self.output, path).items():
                self._print(window_line(window, rows))


def rows_by_window(output: str, manifest: str) -> dict:
    """Window -> table -> rows, of the files a bundle manifest commits."""
    with FileSystems.open(manifest) as handle:
        files = json.load(handle)["files"]
    windows: dict = collections.defaultdict(dict)
    for path in files:
        table = path[len(output.rstrip("/")) + 1:].split("/", 1)[0]
        window = path.rsplit("/", 1)[-1].split("_")[-3]
        with FileSystems.open(path) as handle:
            rows = pq.ParquetFile(handle).metadata.num_rows
        windows[window][table] = windows[window].get(table, 0) + rows
    return windows
