"""The run's metrics: one namespace, the names the command's summary reads back, and
the progress every worker process reports while the run goes on.

Beam's metrics reach the command only once a local run ends (the DirectRunner returns
from ``run()`` when the pipeline is done), so counters also go to a per-process tally
that a thread writes, twice a second, to a file in the folder ``newsbeam run`` names
in NEWSBEAM_PROGRESS_DIR (``pipeline/progress.py`` reads them). That folder is named
when the DoFns are built and travels pickled with them, so worker processes of
multi-processing and portable runners on this machine report too; remote workers
(Dataflow, a Flink cluster) find no such folder and report nothing.
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from typing import Optional

import apache_beam as beam

NAMESPACE = "newsbeam"
ITEMS_READ = "items_read"  # every input item: it ends as an article, a duplicate or a reject
DUPLICATES = "duplicates"
DUPLICATES_BY_KIND = "duplicates."  # + same_id, same_text, seen_before
REJECTS_BY_REASON = "reject."  # + the reason
ROWS = "rows."  # + the table: rows written
FILES = "files."  # + the table: files written
WARC_SKIPPED = "warc_skipped."  # + why a WARC record is not an item
FETCH_FAILURES = "fetch."  # + the reason a page was not fetched
UNREADABLE_FILES = "unreadable_files"  # a string set: output files that could not be read
ARTICLES_CODED = "articles_coded"  # articles through the last language stage
NEW_ENTRIES = "new_entries"  # streaming: feed entries the run had not seen

PROGRESS_DIR = "NEWSBEAM_PROGRESS_DIR"
_FLUSH_SECONDS = 0.5
_KEPT_EVENTS = 200  # per process; the reader keeps up at its own pace


def counter(name: str):
    return Counter(name)


class Counter:
    """A Beam counter that also counts in this process's progress tally."""

    def __init__(self, name: str, progress: Optional[Progress] = None):
        self.name = name
        self.beam_counter = beam.metrics.Metrics.counter(NAMESPACE, name)
        self.progress = progress or Progress()

    def inc(self, n: int = 1) -> None:
        self.beam_counter.inc(n)
        self.progress.add(self.name, n)


class Progress:
    """Where this pipeline's DoFns report progress: the folder named when they were
    built, if any (picklable: only the folder travels)."""

    def __init__(self):
        self.folder = os.environ.get(PROGRESS_DIR) or None

    def add(self, name: str, n: int = 1) -> None:
        if self.folder:
            _tally(self.folder).add(name, n)

    def event(self, **event) -> None:
        """Something to tell at once (a feed polled, a feed failing)."""
        if self.folder:
            _tally(self.folder).event(event)


class _Tally:
    """This process's counts and recent events, written to one file of the folder."""

    def __init__(self, folder: str):
        self.path = os.path.join(folder, f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json")
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.events: list = []
        self.sequence = 0
        self.dirty = threading.Event()
        threading.Thread(target=self._flush_forever, daemon=True,
                         name="newsbeam-progress").start()

    def add(self, name: str, n: int) -> None:
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + n
        self.dirty.set()

    def event(self, event: dict) -> None:
        with self.lock:
            self.sequence += 1
            self.events = [*self.events[-_KEPT_EVENTS + 1:], {**event, "seq": self.sequence}]
        self.dirty.set()

    def _flush_forever(self) -> None:
        while True:
            self.dirty.wait()
            self.dirty.clear()
            with self.lock:
                snapshot = json.dumps({"counts": self.counts, "events": self.events})
            try:
                temporary = f"{self.path}.tmp"
                with open(temporary, "w", encoding="utf-8") as out:
                    out.write(snapshot)
                os.replace(temporary, self.path)
            except OSError:  # the folder is gone (the run ended) or not on this machine
                return
            threading.Event().wait(_FLUSH_SECONDS)


_TALLIES: dict[str, _Tally] = {}
_TALLIES_LOCK = threading.Lock()


def _tally(folder: str) -> Optional[_Tally]:
    tally = _TALLIES.get(folder)
    if tally is None:
        with _TALLIES_LOCK:
            tally = _TALLIES.get(folder)
            if tally is None:
                tally = _TALLIES[folder] = _Tally(folder)
    return tally


def read_progress(folder: str) -> tuple[dict, list]:
    """Every process's counts summed, and every process's events (each with its
    ``source`` file and ``seq``, so a reader can tell the new ones)."""
    counts: dict[str, int] = {}
    events: list = []
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    except OSError:
        return counts, events
    for name in names:
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                snapshot = json.load(handle)
        except (OSError, ValueError):
            continue
        for key, n in snapshot["counts"].items():
            counts[key] = counts.get(key, 0) + n
        events += [{**event, "source": name} for event in snapshot["events"]]
    return counts, events


def string_set(name: str):
    return beam.metrics.Metrics.string_set(NAMESPACE, name)


class CounterFamily:
    """Counters named prefix + key, made as keys come (reject reasons, ...)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.progress = Progress()
        self._counters: dict = {}

    def inc(self, key: str, n: int = 1) -> None:
        if key not in self._counters:
            self._counters[key] = Counter(self.prefix + key, self.progress)
        self._counters[key].inc(n)
