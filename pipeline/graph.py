"""The pipeline, batch or streaming: the whole data flow on one screen."""
from __future__ import annotations

import operator

import apache_beam as beam
from apache_beam.transforms.window import FixedWindows

from newsbeam.schemas import ARTICLES, ENTITIES, EVENTS, REJECTS
from newsbeam.transforms import (CleanArticles, CodeEvents, CollectRejects, DropDuplicates,
                                 ExtractEntities, FetchPages, GroupStories, ReadInputs,
                                 RemoveStaleFiles,
                                 StopWhen, WatchFeeds, WritePartitionedParquet)

from .options import RunConfig


def build(p: beam.Pipeline, config: RunConfig) -> None:
    """Inputs -> articles, entities, events and rejects tables under config.output.

    A batch run reads its inputs once; a streaming run polls its feeds until stopped
    and windows articles by the time they were read. The stages are the same.
    """
    if config.streaming:
        source = WatchFeeds(config.inputs, config.fetch, config.poll_interval,
                            config.dedup_horizon, config.max_file_bytes,
                            StopWhen(config.stop_after, config.stop_file))
    else:
        source = ReadInputs(config.inputs, config.max_file_bytes, config.fetch)
    raw = p | "Read" >> source
    items = raw["items"]
    if config.streaming:
        items = items | "Window" >> beam.WindowInto(FixedWindows(config.window))
    if config.fetch_pages:
        items = items | "FetchPages" >> FetchPages(config.fetch)
    cleaned = items | "Clean" >> CleanArticles(config.cleaning)
    articles = (cleaned["articles"]
                | "Deduplicate" >> DropDuplicates(config.output, config.run_id,
                                                  config.dedup_horizon)
                | "GroupStories" >> GroupStories(config.dedup_horizon))
    annotated = articles | "ExtractEntities" >> ExtractEntities(config.spacy_model)
    tables = [
        (ARTICLES, annotated | "ArticleRows" >> beam.Map(operator.attrgetter("article"))),
        (ENTITIES, annotated | "EntityRows" >> beam.FlatMap(operator.attrgetter("entities"))),
        (EVENTS, annotated | "CodeEvents" >> CodeEvents(config.spacy_model,
                                                          horizon=config.dedup_horizon)),
        (REJECTS, (raw["rejects"], cleaned["rejects"]) | "CollectRejects" >> CollectRejects()),
    ]
    written = [rows | f"Write{table.name.title()}" >> WritePartitionedParquet(
        table, config.output, config.run_id) for table, rows in tables]
    if not config.streaming:
        (written
         | "AllWritten" >> beam.Flatten()
         | "RemoveStaleFiles" >> RemoveStaleFiles(config.output, config.run_id))
