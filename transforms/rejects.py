"""CountRejects: the reject outputs of every stage, counted by reason; internal_error: the
reject of an item a stage failed on."""
from __future__ import annotations

import datetime as dt

import apache_beam as beam

from newsbeam.core.records import ITEM, Found, reject_row
from newsbeam.schemas import REJECTS as REJECTS_TABLE

from . import metrics

REJECTS = "rejects"  # the tag of every stage's reject output


def item_or_reject(found: Found):
    """An item found reading an input, for the main output; a reject, for the rejects."""
    return found.value if found.kind == ITEM else beam.pvalue.TaggedOutput(REJECTS, found.value)


def internal_error(input_ref: str, stage: str, error: Exception,
                   ingested_at: dt.datetime) -> beam.pvalue.TaggedOutput:
    """The reject of one item a stage failed on for a reason of ours (a bug, an input no
    rule foresaw): the run goes on, and the row says what broke where."""
    message = " ".join(str(error).split())[:1000]
    return beam.pvalue.TaggedOutput(REJECTS, reject_row(
        input_ref, stage, "internal_error", f"{type(error).__name__}: {message}", ingested_at))


class CountRejectFn(beam.DoFn):
    def __init__(self):
        self.by_reason = metrics.CounterFamily(metrics.REJECTS_BY_REASON)

    def process(self, row):
        self.by_reason.inc(row["reason"])
        yield REJECTS_TABLE.name, row


class CountRejects(beam.PTransform):
    """Reject PCollections of the stages -> the same, each row counted by reason and
    tagged with its table for the writer: (``rejects``, row).

    They stay apart, not flattened: on the local runners a Flatten in a streaming run
    holds its output until the run ends.
    """

    def expand(self, reject_pcollections):
        return tuple(rejects | f"Count{index}" >> beam.ParDo(CountRejectFn())
                     for index, rejects in enumerate(reject_pcollections))
