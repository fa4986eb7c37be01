"""DropDuplicates: article rows -> one row per article and per text; copies are counted."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Tuple

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.coders import BooleanCoder
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.transforms.window import GlobalWindows
from apache_beam.utils.shared import Shared

from newsbeam.core.horizon import DEFAULT_HORIZON_SECONDS
from newsbeam.core.storage import partitions, runs, s3_clients
from newsbeam.core.articles.dedup import keep_best
from newsbeam.core.articles.dedup import SeenIndex
from newsbeam.schemas import ARTICLES

from . import metrics

_LOG = logging.getLogger(__name__)
_KEYS = ["article_id", "content_hash"]


class KeepBestFn(beam.DoFn):
    def __init__(self, kind: str):
        self.duplicates = metrics.counter(metrics.DUPLICATES)
        self.by_kind = metrics.counter(metrics.DUPLICATES_BY_KIND + kind)
        self.seen_before = metrics.counter(metrics.DUPLICATES_BY_KIND + "seen_before")

    def process(self, grouped):
        _, groups = grouped
        copies = list(groups["new"])
        if not copies:
            return
        if groups["seen"]:  # an earlier run wrote this article already
            self.duplicates.inc(len(copies))
            self.seen_before.inc(len(copies))
            return
        kept, dropped = keep_best(copies)
        self.duplicates.inc(dropped)
        self.by_kind.inc(dropped)
        yield kept


class _WrittenIndex:
    """A process's index of the articles written to one output, refreshed from it: the
    committed runs' and this run's own (other workers')."""

    def __init__(self, output: str, run_id: str, horizon_seconds: float, unreadable):
        self.output = output
        self.run_id = run_id
        self.unreadable = unreadable
        self.index = SeenIndex(horizon_seconds)
        self.loaded: set[str] = set()
        self.lock = threading.Lock()
        self.refreshed = 0.0
        self.refresh()

    def refresh(self) -> None:
        """Read the keys of article files written within the horizon and not read yet
        (other runs, other workers); older files are forgotten like old keys."""
        with self.lock:
            self.refreshed = time.time()
            files = runs.committed_files(self.output, ARTICLES, also_run=self.run_id)
            oldest = self.refreshed - self.index.horizon_seconds
            recent = {f.path for f in files
                      if getattr(f, "last_updated_in_seconds", None) is None
                      or f.last_updated_in_seconds >= oldest}
            for path in recent - self.loaded:
                self.index.remember(_keys(path, self.unreadable), self.refreshed)
            self.loaded = recent


class DropSeenFn(beam.DoFn):
    """Streaming: keeps an article unless its id or text was written within the horizon."""

    def __init__(self, output: str, run_id: str, horizon_seconds: float,
                 refresh_seconds: float, shared: Shared):
        self.output = output
        self.run_id = run_id
        self.horizon_seconds = horizon_seconds
        self.refresh_seconds = refresh_seconds
        self.shared = shared
        self.duplicates = metrics.counter(metrics.DUPLICATES)
        self.by_kind = metrics.counter(metrics.DUPLICATES_BY_KIND + "seen_before")
        self.unreadable = metrics.string_set(metrics.UNREADABLE_FILES)

    def setup(self):
        s3_clients.share()
        self.written = self.shared.acquire(
            lambda: _WrittenIndex(self.output, self.run_id, self.horizon_seconds,
                                  self.unreadable),
            tag=f"written:{self.output}")

    def process(self, article, timestamp=beam.DoFn.TimestampParam):
        if time.time() - self.written.refreshed > self.refresh_seconds:
            self.written.refresh()
        if self.written.index.add_if_new(article["article_id"], article["content_hash"],
                                         timestamp.micros / 1e6):
            yield article
        else:
            self.duplicates.inc()
            self.by_kind.inc()


class FirstPerKeyFn(beam.DoFn):
    """Streaming, keyed state: the first article with a key passes, the copies that
    follow within ``horizon_seconds`` of event time are counted and dropped, on
    whichever worker they arrive (the runner sends one key to one state)."""

    SEEN = ReadModifyWriteStateSpec("seen", BooleanCoder())
    FORGET = TimerSpec("forget", TimeDomain.WATERMARK)

    def __init__(self, kind: str, horizon_seconds: float):
        self.horizon_seconds = horizon_seconds
        self.duplicates = metrics.counter(metrics.DUPLICATES)
        self.by_kind = metrics.counter(metrics.DUPLICATES_BY_KIND + kind)

    def process(self, keyed, timestamp=beam.DoFn.TimestampParam,
                seen=beam.DoFn.StateParam(SEEN), forget=beam.DoFn.TimerParam(FORGET)):
        _, article = keyed
        if seen.read():
            self.duplicates.inc()
            self.by_kind.inc()
            return
        seen.write(True)
        forget.set(timestamp + self.horizon_seconds)
        yield article

    @on_timer(FORGET)
    def forget_key(self, seen=beam.DoFn.StateParam(SEEN)):
        seen.clear()


class DropDuplicates(beam.PTransform):
    """Article rows -> the same rows without repeats of an article id (same URL or input
    id) or of a text (same content hash), nor of any article earlier runs wrote to
    ``output``.

    A batch run groups copies (CoGroupByKey) and keeps the most complete one, the same
    on every runner. A streaming run keeps the first copy. It drops what the output
    holds from within ``horizon_seconds`` of event time through an index each worker
    process shares, read at start from the output and refreshed from it every
    ``refresh_seconds``. With ``keyed_state`` (distributed runners) the copies of this
    run then meet in keyed state, by article id and by text, so two workers never both
    write one article; without it (the local runners, which run nothing after a keyed
    step until the source ends) the refreshed index is exact within one process only.
    """

    def __init__(self, output: str, run_id: str,
                 horizon_seconds: float = DEFAULT_HORIZON_SECONDS,
                 refresh_seconds: float = 300.0, keyed_state: bool = False):
        super().__init__()
        self.output = output
        self.run_id = run_id
        self.horizon_seconds = horizon_seconds
        self.refresh_seconds = refresh_seconds
        self.keyed_state = keyed_state

    def expand(self, articles):
        if not articles.is_bounded:
            return self._streaming(articles)
        seen = (articles.pipeline
                | "ReadSeenArticles" >> ReadSeenArticles(self.output, self.run_id))
        for step, column, kind in (("Id", "article_id", "same_id"),
                                   ("Text", "content_hash", "same_text")):
            index = _KEYS.index(column)
            articles = (
                {"new": articles | f"KeyBy{step}" >> beam.Map(lambda a, c=column: (a[c], a)),
                 "seen": seen | f"Seen{step}" >> beam.Map(lambda k, i=index: (k[i], 1))}
                | f"GroupBy{step}" >> beam.CoGroupByKey()
                | f"KeepOnePer{step}" >> beam.ParDo(KeepBestFn(kind)))
        return articles

    def _streaming(self, articles):
        kept = articles | "DropSeen" >> beam.ParDo(DropSeenFn(
            self.output, self.run_id, self.horizon_seconds, self.refresh_seconds, Shared()))
        if not self.keyed_state:
            return kept
        # State lives per key and window: copies must meet across the run's windows.
        windowing = articles.windowing.windowfn
        kept = kept | "OneWindow" >> beam.WindowInto(GlobalWindows())
        for step, column, kind in (("Id", "article_id", "same_id"),
                                   ("Text", "content_hash", "same_text")):
            kept = (kept
                    | f"KeyBy{step}" >> beam.Map(lambda a, c=column: (a[c], a))
                    .with_output_types(Tuple[str, Any])  # a deterministic key coder
                    | f"FirstPer{step}" >> beam.ParDo(FirstPerKeyFn(kind,
                                                                   self.horizon_seconds)))
        return kept | "Rewindow" >> beam.WindowInto(windowing)


def _keys(path: str, unreadable):
    """(article_id, content_hash) of an article file; none from a file that cannot be
    read (cut short, not Parquet), which is named in the run's summary."""
    try:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) \
                as handle:
            table = pq.read_table(handle, columns=_KEYS)
    except Exception as err:  # noqa: BLE001 (one bad file must not stop every later run)
        _LOG.warning("skipped unreadable file %s: %s", path, err)
        unreadable.add(path)
        return
    yield from zip(*(table.column(c).to_pylist() for c in _KEYS))


class ReadKeysFn(beam.DoFn):
    def __init__(self):
        self.unreadable = metrics.string_set(metrics.UNREADABLE_FILES)

    def setup(self):
        s3_clients.share()

    def process(self, path):
        yield from _keys(path, self.unreadable)


class ReadSeenArticles(beam.PTransform):
    """Pipeline begin -> (article_id, content_hash) of the articles committed runs wrote
    to ``output``, so that scheduled runs into one folder write each article once.
    This run's own files are left out: they are being replaced."""

    def __init__(self, output: str, run_id: str):
        super().__init__()
        self.output = output
        self.run_id = run_id

    def expand(self, pbegin):
        output, run_id = self.output, self.run_id
        return (pbegin
                | "Output" >> beam.Create([output])
                | "ListFiles" >> beam.FlatMap(
                    lambda out: [f.path for f in runs.committed_files(out, ARTICLES)
                                 if partitions.run_of(f.path) != run_id])
                | "SpreadFiles" >> beam.Reshuffle()
                | "ReadKeys" >> beam.ParDo(ReadKeysFn()))
