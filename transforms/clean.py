"""CleanArticles: raw items -> article rows, plus a reject row for each that has no article."""
from __future__ import annotations

import apache_beam as beam

from newsbeam.core.articles.cleaning import CleaningSettings, clean
from newsbeam.core.records import RawItem, Rejected, reject_row

from . import metrics
from .rejects import REJECTS, internal_error


class CleanFn(beam.DoFn):
    def __init__(self, settings: CleaningSettings):
        self.settings = settings
        self.cleaned = metrics.counter("cleaned")
        self.words = beam.metrics.Metrics.distribution(metrics.NAMESPACE, "words_per_article")

    def process(self, item: RawItem):
        try:
            article = clean(item, self.settings)
        except Rejected as err:
            # an entry without a page nor enough text of its own failed at fetching
            failed_fetch = item.fetch_failure and err.reason == item.fetch_failure[0]
            yield beam.pvalue.TaggedOutput(REJECTS, reject_row(
                item.input_ref, "fetch" if failed_fetch else "extract", err.reason,
                err.detail, item.ingested_at))
            return
        except Exception as err:  # noqa: BLE001 (one page must not stop the run)
            yield internal_error(item.input_ref, "extract", err, item.ingested_at)
            return
        self.cleaned.inc()
        self.words.update(article["word_count"])
        yield article


class CleanArticles(beam.PTransform):
    """RawItems -> article rows (``articles``) and reject rows (``rejects``)."""

    def __init__(self, settings: CleaningSettings):
        super().__init__()
        self.settings = settings

    def expand(self, items):
        return items | "Clean" >> beam.ParDo(CleanFn(self.settings)).with_outputs(
            REJECTS, main="articles")
