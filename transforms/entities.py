"""ExtractEntities: article rows -> annotated articles (article with its main country and
region, plus its entity rows), and a reject row for each article it fails on."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.utils.shared import Shared

from newsbeam.core.language import nlp
from newsbeam.core.language.entities import annotate
from newsbeam.core.language.gazetteer import Gazetteer

from . import metrics
from .rejects import REJECTS, internal_error


class _Resources:
    """One NER model and gazetteer per worker process, shared by its threads."""

    def __init__(self, model: str):
        self.nlp = nlp.load(model, "ner")
        self.gazetteer = Gazetteer()


class AnnotateFn(beam.DoFn):
    def __init__(self, model: str, shared: Shared):
        self.model = model
        self.shared = shared
        self.entities = metrics.counter("entities")

    def setup(self):
        self.resources = self.shared.acquire(lambda: _Resources(self.model),
                                             tag=f"ner:{self.model}")

    def process(self, batch):
        try:
            spans = self._spans(batch)
        except Exception:  # noqa: BLE001 (find the article that fails; keep the others)
            spans = None
        for index, article in enumerate(batch):
            try:
                article_spans = spans[index] if spans else self._spans([article])[0]
                annotated = annotate(article, article_spans, self.resources.gazetteer)
            except Exception as err:  # noqa: BLE001 (one article must not stop the run)
                yield internal_error(article["input_ref"], "entities", err,
                                     article["ingested_at"])
                continue
            self.entities.inc(len(annotated.entities))
            yield annotated

    def _spans(self, articles: list[dict]) -> list:
        texts = [a["text"] for a in articles]
        return list(nlp.entity_spans(self.resources.nlp, texts, batch_size=len(texts)))


class ExtractEntities(beam.PTransform):
    """Article rows -> AnnotatedArticles (``articles``: country_code and region set,
    entity rows attached) and reject rows (``rejects``) of articles it failed on."""

    def __init__(self, model: str, max_batch_size: int = 64):
        super().__init__()
        self.model = model
        self.max_batch_size = max_batch_size

    def expand(self, articles):
        return (articles
                | "Batch" >> beam.BatchElements(min_batch_size=1,
                                                max_batch_size=self.max_batch_size)
                | "Annotate" >> beam.ParDo(AnnotateFn(self.model, Shared())).with_outputs(
                    REJECTS, main="articles"))
