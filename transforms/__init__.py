"""Beam composite transforms, one module per stage; each adapts a ``newsbeam.core`` stage."""
from .clean import CleanArticles
from .dedup import DropDuplicates
from .entities import ExtractEntities
from .events import CodeEvents
from .fetch import FetchPages
from .read import ReadInputs
from .rejects import CollectRejects
from .stories import GroupStories
from .watch import StopWhen, WatchFeeds
from .write import RemoveStaleFiles, WritePartitionedParquet

__all__ = ["CleanArticles", "CodeEvents", "CollectRejects", "DropDuplicates",
           "ExtractEntities", "FetchPages", "GroupStories", "ReadInputs",
           "RemoveStaleFiles", "StopWhen", "WatchFeeds", "WritePartitionedParquet"]
