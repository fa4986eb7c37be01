"""Beam composite transforms, one module per stage; each adapts a ``newsbeam.core`` stage."""
from .clean import CleanArticles
from .dedup import DropDuplicates
from .entities import ExtractEntities
from .events import CodeEvents
from .fetch import FetchPages
from .read import ReadInputs
from .rejects import CountRejects
from .stories import GroupStories
from .watch import StopWhen, WatchFeeds
from .write import CommitRun, WritePartitionedParquet

__all__ = ["CleanArticles", "CodeEvents", "CommitRun", "CountRejects", "DropDuplicates",
           "ExtractEntities", "FetchPages", "GroupStories", "ReadInputs", "StopWhen",
           "WatchFeeds", "WritePartitionedParquet"]
