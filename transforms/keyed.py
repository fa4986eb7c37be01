"""AskKeyedState: rows -> the same rows completed by what keyed state answers about them.

Streaming on the distributed runners, what copies share is known only where they meet:
a row asks questions keyed by what it may share with others (an LSH band, an event), the
runner sends every question with one key to one state whichever worker asked it, and the
answers meet the row again, keyed by its id. State lives per key and window, so the
questions are asked in the global window; the rows go back to their own windows after.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Tuple

import apache_beam as beam
from apache_beam.coders import PickleCoder
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import (BagStateSpec, ReadModifyWriteStateSpec,
                                              TimerSpec, on_timer)
from apache_beam.transforms.window import GlobalWindows
from apache_beam.utils.timestamp import Timestamp


class AnswerFn(beam.DoFn):
    """Keyed by what rows may share: each question answered from what the key's state
    keeps, which a watermark timer forgets when ``answer`` says."""

    KEPT = ReadModifyWriteStateSpec("kept", PickleCoder())
    FORGET = TimerSpec("forget", TimeDomain.WATERMARK)

    def answer(self, key: str, question, kept, at: float) -> tuple[Any, float, tuple]:
        """(what to keep, when to forget it, (row id, answer)) for a question asked at
        ``at`` (seconds of event time); ``kept`` is None at first."""
        raise NotImplementedError

    def process(self, keyed, timestamp=beam.DoFn.TimestampParam,
                kept=beam.DoFn.StateParam(KEPT), forget=beam.DoFn.TimerParam(FORGET)):
        key, question = keyed
        keep, forget_at, answer = self.answer(key, question, kept.read(),
                                              timestamp.micros / 1e6)
        kept.write(keep)
        forget.set(Timestamp(forget_at))
        yield answer

    @on_timer(FORGET)
    def forget_key(self, kept=beam.DoFn.StateParam(KEPT)):
        kept.clear()


class MeetAnswersFn(beam.DoFn):
    """Keyed by row id: the row, once every answer it asked for has come, completed by
    ``complete(row, answers)``; ``expected(row)`` says how many answers it waits for."""

    ROW = ReadModifyWriteStateSpec("row", PickleCoder())
    ANSWERS = BagStateSpec("answers", PickleCoder())

    def expected(self, row) -> int:
        raise NotImplementedError

    def complete(self, row, answers: list):
        raise NotImplementedError

    def process(self, keyed, row=beam.DoFn.StateParam(ROW),
                answers=beam.DoFn.StateParam(ANSWERS)):
        _, (kind, value) = keyed
        if kind == "row":
            row.write(value)
        else:
            answers.add(value)
        waiting, found = row.read(), list(answers.read())
        if waiting is None or len(found) < self.expected(waiting):
            return
        row.clear()
        answers.clear()
        yield self.complete(waiting, found)


class AskKeyedState(beam.PTransform):
    """Rows -> the same rows, each completed by the answers keyed state gave its
    questions, in their own windows.

    ``questions(row)`` gives (key, question) pairs; ``answer`` gives (row id, answer)
    for each; ``meet`` completes each row with its answers.
    """

    def __init__(self, row_id: Callable[[Any], str],
                 questions: Callable[[Any], Iterable[Tuple[str, Any]]], answer: AnswerFn,
                 meet: MeetAnswersFn):
        super().__init__()
        self.row_id = row_id
        self.questions = questions
        self.answer = answer
        self.meet = meet

    def expand(self, rows):
        windowing = rows.windowing.windowfn
        rows = rows | "OneWindow" >> beam.WindowInto(GlobalWindows())
        row_id = self.row_id
        answers = (rows
                   | "Questions" >> beam.FlatMap(self.questions)
                   .with_output_types(Tuple[str, Any])  # a deterministic key coder
                   | "Answer" >> beam.ParDo(self.answer)
                   | "AsAnswers" >> beam.Map(lambda kv: (kv[0], ("answer", kv[1])))
                   .with_output_types(Tuple[str, Any]))
        keyed_rows = (rows
                      | "ById" >> beam.Map(lambda row: (row_id(row), ("row", row)))
                      .with_output_types(Tuple[str, Any]))
        return ((keyed_rows, answers)
                | "Together" >> beam.Flatten()
                | "Meet" >> beam.ParDo(self.meet)
                | "Rewindow" >> beam.WindowInto(windowing))
