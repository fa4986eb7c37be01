"""ExtractEntities: article rows -> annotated articles (article with its main country and
region, plus its entity rows)."""
from __future__ import annotations

import logging

import apache_beam as beam
from apache_beam.utils.shared import Shared

from newsbeam.core import nlp
from newsbeam.core.entities import annotate
from newsbeam.core.gazetteer import Gazetteer

from .names import METRICS

_LOG = logging.getLogger(__name__)


class _Resources:
    """One NER model and gazetteer per worker process, shared by its threads."""

    def __init__(self, model: str):
        self.nlp = nlp.load(model, "ner")
        self.gazetteer = Gazetteer()


class AnnotateFn(beam.DoFn):
    def __init__(self, model: str, shared: Shared):
        self.model = model
        self.shared = shared
        self.entities = beam.metrics.Metrics.counter(METRICS, "entities")
        self.failures = beam.metrics.Metrics.counter(METRICS, "entity_failures")

    def setup(self):
        self.resources = self.shared.acquire(lambda: _Resources(self.model),
                                             tag=f"ner:{self.model}")

    def process(self, batch):
        texts = [a["text"] for a in batch]
        try:
            spans = list(nlp.entity_spans(self.resources.nlp, texts, batch_size=len(texts)))
        except Exception:  # keep the articles; they are written without entities
            _LOG.exception("NER failed on a batch of %d articles", len(batch))
            self.failures.inc(len(batch))
            spans = [[] for _ in batch]
        for article, article_spans in zip(batch, spans):
            annotated = annotate(article, article_spans, self.resources.gazetteer)
            self.entities.inc(len(annotated.entities))
            yield annotated


class ExtractEntities(beam.PTransform):
    """Article rows -> AnnotatedArticles: country_code and region set, entity rows attached."""

    def __init__(self, model: str, max_batch_size: int = 64):
        super().__init__()
        self.model = model
        self.max_batch_size = max_batch_size

    def expand(self, articles):
        return (articles
                | "Batch" >> beam.BatchElements(min_batch_size=1,
                                                max_batch_size=self.max_batch_size)
                | "Annotate" >> beam.ParDo(AnnotateFn(self.model, Shared())))
