"""The batch pipeline: the whole data flow on one screen."""
from __future__ import annotations

import operator

import apache_beam as beam

from newsbeam.schemas import ARTICLES, ENTITIES, EVENTS, REJECTS
from newsbeam.transforms import (CleanArticles, CodeEvents, CollectRejects, DropDuplicates,
                                 ExtractEntities, FetchPages, ReadInputs, ReadSeenArticles,
                                 RemoveStaleFiles, WritePartitionedParquet)

from .options import RunConfig


def build(p: beam.Pipeline, config: RunConfig) -> None:
    """Input files, URLs and feeds -> articles, entities, events and rejects tables."""
    sources = p | "ListInputs" >> beam.Create(config.inputs)
    raw = sources | "Read" >> ReadInputs(config.max_file_bytes, config.fetch)
    items = raw["items"]
    if config.fetch_pages:
        items = items | "FetchPages" >> FetchPages(config.fetch)
    cleaned = items | "Clean" >> CleanArticles(config.cleaning)
    seen = p | "ReadSeenArticles" >> ReadSeenArticles(config.output, config.run_id)
    articles = cleaned["articles"] | "Deduplicate" >> DropDuplicates(seen)
    annotated = articles | "ExtractEntities" >> ExtractEntities(config.spacy_model)
    tables = [
        (ARTICLES, annotated | "ArticleRows" >> beam.Map(operator.attrgetter("article"))),
        (ENTITIES, annotated | "EntityRows" >> beam.FlatMap(operator.attrgetter("entities"))),
        (EVENTS, annotated | "CodeEvents" >> CodeEvents(config.spacy_model)),
        (REJECTS, (raw["rejects"], cleaned["rejects"]) | "CollectRejects" >> CollectRejects()),
    ]
    written = [rows | f"Write{table.name.title()}" >> WritePartitionedParquet(
        table, config.output, config.run_id) for table, rows in tables]
    (written
     | "AllWritten" >> beam.Flatten()
     | "RemoveStaleFiles" >> RemoveStaleFiles(config.output, config.run_id))
