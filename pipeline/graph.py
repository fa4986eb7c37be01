"""The pipeline, batch or streaming: the whole data flow on one screen."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.transforms.window import FixedWindows

from newsbeam.core.records import AnnotatedArticle
from newsbeam.transforms import (CleanArticles, CodeEvents, CommitRun, CountRejects,
                                 DropDuplicates, ExtractEntities, FetchPages, GroupStories,
                                 ReadInputs, StopWhen, WatchFeeds, WritePartitionedParquet)

from .options import RunConfig


def build(p: beam.Pipeline, config: RunConfig) -> None:
    """Inputs -> articles, entities, events and rejects tables under config.output.

    A batch run reads its inputs once and commits when every table is written; a
    streaming run polls its feeds until stopped, windows articles by the time they
    were read and commits what it writes bundle by bundle. The stages are the same.
    """
    horizon = config.dedup_horizon_seconds
    if config.streaming:
        source = WatchFeeds(config.inputs, config.fetch, config.poll_interval, horizon,
                            config.max_record_bytes, StopWhen(config.stop_after,
                                                              config.stop_file))
    else:
        source = ReadInputs(config.inputs, config.max_record_bytes, config.fetch)
    raw = p | "Read" >> source
    items = raw["items"]
    if config.streaming:
        items = items | "Window" >> beam.WindowInto(FixedWindows(config.window))
    if config.fetch_pages:
        items = items | "FetchPages" >> FetchPages(config.fetch)
    cleaned = items | "Clean" >> CleanArticles(config.cleaning)
    articles = (cleaned["articles"]
                | "Deduplicate" >> DropDuplicates(config.output, config.run_id, horizon,
                                                  keyed_state=config.keyed_state)
                | "GroupStories" >> GroupStories(horizon, keyed_state=config.keyed_state))
    annotated = articles | "ExtractEntities" >> ExtractEntities(config.spacy_model)
    coded = annotated["articles"] | "CodeEvents" >> CodeEvents(
        config.spacy_model, horizon_seconds=horizon, keyed_state=config.keyed_state)
    rejects = ((raw["rejects"], cleaned["rejects"], annotated["rejects"], coded["rejects"])
               | "CountRejects" >> CountRejects())
    rows = coded["articles"] | "TableRows" >> beam.FlatMap(AnnotatedArticle.table_rows)
    written = (rows, *rejects) | "Write" >> WritePartitionedParquet(config.output,
                                                                    config.run_id)
    if not config.streaming:
        written | "Commit" >> CommitRun(config.output, config.run_id)
