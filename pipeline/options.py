"""The ``newsbeam run`` options: parsed, checked and resolved into a RunConfig.

Everything that can be wrong with a command line is found here, before a pipeline
is built, and reported as one ConfigError line.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.util
import os
import secrets
import tempfile
import uuid
from typing import Optional

from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import (PipelineOptions, StandardOptions,
                                                  _BeamArgumentParser)

from newsbeam.core.language import nlp
from newsbeam.core.storage import partitions
from newsbeam.core.articles.cleaning import CleaningSettings
from newsbeam.core.sources.fetch import FetchSettings, Fetcher
from newsbeam.core.sources.readers import InputFile, SourceReader, format_of
from newsbeam.core.horizon import DEFAULT_HORIZON_SECONDS
from newsbeam.core.records import REJECT
from newsbeam.core.urls import is_web_url

DEFAULT_OUTPUT = "newsbeam-output"
_GLOB_CHARS = set("*?[")
# Object stores Beam reads through an optional extra: the module the extra brings, and
# how to install it.
_STORE_EXTRAS = {
    "gs": ("google.cloud.storage", "gcp"),
    "s3": ("boto3", "aws"),
}


class ConfigError(Exception):
    """A fatal configuration error, reported as one line."""


@dataclasses.dataclass
class RunConfig:
    inputs: list  # InputFiles
    output: str
    run_id: str
    spacy_model: str
    cleaning: CleaningSettings
    max_record_bytes: int
    fetch: FetchSettings
    fetch_pages: bool  # fetch the article page behind each feed entry
    beam_options: PipelineOptions
    samples: bool  # running on the bundled samples
    streaming: bool = False
    poll_interval: float = 300.0
    window: float = 60.0
    stop_after: Optional[float] = None
    stop_file: Optional[str] = None  # a streaming run drains once this file exists
    dedup_horizon_seconds: float = DEFAULT_HORIZON_SECONDS
    keyed_state: bool = False  # streaming copies meet in keyed state (distributed runners)
    verbose: bool = False


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    _add(parser, "--input", nargs="+", action="extend", default=[], metavar="PATH",
         help="files, directories or globs (local or any Beam filesystem)")
    _add(parser, "--feeds", nargs="+", action="extend", default=[], metavar="URL_OR_FILE",
         help="RSS/Atom/RDF feeds")
    _add(parser, "--output", default=DEFAULT_OUTPUT, metavar="DIR",
         help="where the tables go (default: ./newsbeam-output)")
    _switch(parser, "--no-fetch",
            help="use feed entries' own content; do not fetch their pages")
    _switch(parser, "--streaming",
            help="poll the --feeds until stopped, writing as articles arrive")
    _add(parser, "--poll-interval", type=positive, default=300.0, metavar="SECONDS",
         help="how often each feed is fetched in a streaming run (300)")
    _add(parser, "--window", type=positive, default=60.0, metavar="SECONDS",
         help="window of a streaming run's files (60)")
    _add(parser, "--stop-after", type=positive, default=None, metavar="SECONDS",
         help="a streaming run drains and exits after this long")
    _add(parser, "--dedup-horizon", type=positive, default=DEFAULT_HORIZON_SECONDS / 3600,
         metavar="HOURS", help="a streaming run remembers what it wrote for this long (72)")
    _add(parser, "--keyed-state", choices=("auto", "on", "off"), default="auto",
         help="streaming: duplicates, stories and event reports meet in keyed state, exact "
              "across workers; auto is on for the Dataflow, Flink and Spark runners (auto)")
    _add(parser, "--keyed-dedup", choices=("auto", "on", "off"), dest="keyed_state",
         help=argparse.SUPPRESS)
    _add(parser, "--run-id", default=None, metavar="ID",
         help="names this run's files; rerunning with the same id replaces "
              "them (default: time-based and unique)")
    _switch(parser, "--allow-private-networks",
            help="allow fetching from loopback, private and link-local addresses")
    _add(parser, "--connect-timeout", type=positive,
         default=FetchSettings.connect_timeout, metavar="SECONDS")
    _add(parser, "--read-timeout", type=positive, default=FetchSettings.read_timeout,
         metavar="SECONDS", help="for a whole response once connected")
    _add(parser, "--max-download-mb", type=positive,
         default=FetchSettings.max_bytes / 2**20, metavar="MB",
         help="larger pages and feeds are rejected as too_large")
    _add(parser, "--fetch-concurrency", type=int, default=FetchSettings.concurrency,
         metavar="N", help="requests in flight per worker")
    _add(parser, "--per-host", type=int, default=FetchSettings.per_host, metavar="N",
         help="requests in flight per host and worker")
    _add(parser, "--contact", default="", metavar="URL_OR_EMAIL",
         help="how site owners can reach you, sent in the User-Agent")
    _switch(parser, "--ignore-robots",
            help="fetch pages that robots.txt disallows")
    _add(parser, "--spacy-model", default=nlp.DEFAULT_MODEL, metavar="NAME",
         help=f"installed spaCy pipeline (default: {nlp.DEFAULT_MODEL})")
    _add(parser, "--min-words", type=int, default=CleaningSettings.min_words,
         metavar="N", help="shorter texts are rejected as too_short")
    _add(parser, "--min-entry-words", type=int, default=CleaningSettings.min_entry_words,
         metavar="N", help="a feed entry's own text stands in for its page "
         "(unfetchable, or without an article) only from this length")
    _add(parser, "--max-text-chars", type=int, default=CleaningSettings.max_text_chars,
         metavar="N", help="longer article texts are rejected as too_long before entity "
                           "extraction and event coding")
    _add(parser, "--published-on", type=_day, default=None, metavar="YYYY-MM-DD",
         help="publication day of articles whose input, page and text give none "
              "(e.g. a folder of one day's .txt files); date_source is then assumed")
    _add(parser, "--max-record-mb", type=positive, default=64.0, metavar="MB",
         help="a record larger than this (a JSONL line, a feed entry, a WARC record's "
              "HTML, a page, text or OPML file, after decompression) is rejected as "
              "too_large; the rest of its file is still read")
    # its name until records, not files, were capped: kept for users' scripts
    _add(parser, "--max-file-mb", type=positive, dest="max_record_mb", help=argparse.SUPPRESS)
    _switch(parser, "--verbose", help="show Beam's log")
    _switch(parser, "--quiet", help="no progress while the run works, only its summary")


def _add(parser: argparse.ArgumentParser, flag: str, **kwargs) -> None:
    """An option, also accepted with underscores (``--poll_interval``): Dataflow Flex
    Template parameters reach the command as ``--name=value`` with snake_case names."""
    parser.add_argument(flag, **kwargs)
    alias = "--" + flag[2:].replace("-", "_")
    if alias != flag:
        parser.add_argument(alias, **{**kwargs, "help": argparse.SUPPRESS})


def _switch(parser: argparse.ArgumentParser, flag: str, help: str) -> None:
    """A switch: ``--streaming``, or with a value, ``--streaming=true`` or ``=false``
    (a Flex Template parameter always has a value)."""
    _add(parser, flag, nargs="?", const=True, default=False, type=_boolean,
         metavar="true|false", help=help)


def _boolean(value: str) -> bool:
    if value.lower() in ("true", "yes", "1"):
        return True
    if value.lower() in ("false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false: {value}")


def _day(value: str) -> dt.datetime:
    """A day, as noon UTC: the time of day is unknown."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value}") from None
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc)


def positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value}")
    return number


def resolve(args: argparse.Namespace, beam_args: list[str], samples_dir: str) -> RunConfig:
    """Check every option and resolve inputs and output; raises ConfigError."""
    options = beam_options(beam_args)
    if not args.verbose and _local_workers(options) and not any(
            arg.startswith(("--default_sdk_harness_log_level", "--default-sdk-harness-log-level"))
            for arg in beam_args):
        # local worker processes write their log on this terminal: errors only
        options = beam_options([*beam_args, "--default_sdk_harness_log_level=ERROR"])
    # Beam's filesystems read their settings (--s3_endpoint_url, credentials, ...) from
    # here: inputs are listed and the output probed in this process, before the run.
    FileSystems.set_options(options)
    samples = not args.input and not args.feeds
    if args.streaming and (args.input or not args.feeds):
        raise ConfigError("--streaming polls feeds: give them with --feeds (and no --input)")
    inputs = expand_inputs([samples_dir] if samples else args.input, args.feeds)
    run_id = default_run_id() if args.run_id is None else args.run_id
    if not partitions.valid_run_id(run_id):
        raise ConfigError(f"--run-id {run_id!r}: use letters, digits, '.' and '-' only "
                          "(at most 80)")
    if not nlp.model_available(args.spacy_model):
        raise ConfigError(f"--spacy-model {args.spacy_model!r} is not installed")
    fetch = FetchSettings(
        connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
        max_bytes=int(args.max_download_mb * 2**20), concurrency=args.fetch_concurrency,
        per_host=args.per_host, contact=args.contact, obey_robots=not args.ignore_robots,
        allow_private=args.allow_private_networks)
    if args.streaming:
        inputs = feeds_of_lists(inputs, fetch)
        options.view_as(StandardOptions).streaming = True
    return RunConfig(
        inputs=inputs,
        output=check_output(args.output),
        run_id=run_id,
        spacy_model=args.spacy_model,
        cleaning=CleaningSettings(min_words=args.min_words,
                                  min_entry_words=args.min_entry_words,
                                  max_text_chars=args.max_text_chars,
                                  assumed_published=args.published_on),
        max_record_bytes=int(args.max_record_mb * 2**20),
        fetch=fetch,
        fetch_pages=not (args.no_fetch or samples),  # the sample feeds carry full articles
        beam_options=options,
        samples=samples,
        streaming=args.streaming,
        poll_interval=args.poll_interval,
        window=args.window,
        stop_after=args.stop_after,
        stop_file=os.path.join(tempfile.gettempdir(),
                               f"newsbeam-stop-{run_id}-{uuid.uuid4().hex[:8]}")
        if args.streaming else None,
        dedup_horizon_seconds=args.dedup_horizon * 3600,  # the option is in hours
        keyed_state=args.streaming and keyed_state(args.keyed_state, options),
        verbose=args.verbose,
    )


def _local_workers(options: PipelineOptions) -> bool:
    runner = str(options.view_as(StandardOptions).runner or "DirectRunner")
    return "Direct" in runner or "FnApi" in runner


def items_up_front(config: RunConfig) -> Optional[int]:
    """How many items the inputs hold, when each is one article (pages, texts)."""
    if config.streaming or not all(source.format is None and
                                   format_of(source.path) in ("page", "text")
                                   for source in config.inputs):
        return None
    return len(config.inputs)


# Runners that keep streaming state across workers. The local ones (DirectRunner and the
# Python job service, both the FnApiRunner) run nothing after a keyed step until an
# unbounded source ends, so there a run deduplicates, groups stories and counts reports per
# process (docs/architecture.md).
DISTRIBUTED_RUNNERS = {"DataflowRunner", "FlinkRunner", "SparkRunner", "TestDataflowRunner"}


def keyed_state(choice: str, options: PipelineOptions) -> bool:
    """Whether a streaming run deduplicates and groups stories through keyed state."""
    if choice != "auto":
        return choice == "on"
    runner = options.view_as(StandardOptions).runner or ""
    return getattr(runner, "__name__", str(runner)).split(".")[-1] in DISTRIBUTED_RUNNERS


def feeds_of_lists(inputs: list, fetch: FetchSettings) -> list:
    """The feeds to poll: OPML lists are read now and replaced by the feeds they list."""
    reader = SourceReader(Fetcher(fetch))
    feeds: dict[str, InputFile] = {}
    for source in inputs:
        if source.format != "opml":
            feeds.setdefault(source.path, source)
            continue
        for found in reader.read(source, follow_lists=False):
            if found.kind == REJECT:
                raise ConfigError(f"--feeds {source.path}: cannot read the list: "
                                  f"{found.value['detail']}")
            feeds.setdefault(found.value.path, found.value)
    return list(feeds.values())


def default_run_id() -> str:
    """Time first, so file names sort by run; a random suffix so runs never collide."""
    now = dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


class _StrictBeamParser(_BeamArgumentParser):
    def error(self, message):
        raise ConfigError(message)


def beam_options(args: list[str]) -> PipelineOptions:
    """Beam's own options, refusing any flag no Beam options class knows.

    (Beam itself drops unknown flags with a warning; a mistyped ``--runner`` must
    not silently run somewhere else.)
    """
    parser = _StrictBeamParser(allow_abbrev=False)
    for cls in {str(c): c for c in PipelineOptions.__subclasses__()}.values():
        cls._add_argparse_args(parser)  # pylint: disable=protected-access
    _, unknown = parser.parse_known_args(args)
    if unknown:
        raise ConfigError(f"unknown option {unknown[0]!r}")
    return PipelineOptions(args)


def expand_inputs(inputs: list[str], feeds: list[str]) -> list[InputFile]:
    """The files to read, each once, in a stable order."""
    files: dict[str, InputFile] = {}
    for pattern in inputs:
        for path in [pattern] if is_web_url(pattern) else _expand(pattern, "--input"):
            files.setdefault(path, InputFile(path))
    for feed in feeds:
        for path in [feed] if is_web_url(feed) else _expand(feed, "--feeds"):
            files[path] = InputFile(path, "opml" if format_of(path) == "opml" else "feed")
    return list(files.values())


def check_scheme(location: str, option: str) -> None:
    """A location is a local path, an http(s) URL or on an object store whose Beam
    filesystem is installed; anything else is one line saying what to use instead."""
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    if not scheme or is_web_url(location):
        return
    if scheme in _STORE_EXTRAS:
        module, extra = _STORE_EXTRAS[scheme]
        if not _installed(module):
            raise ConfigError(
                f"{option} {location}: {scheme}:// needs Beam's {extra} filesystem: "
                f"pip install 'apache-beam[{extra}]==2.77.0' (or '.[{extra}]' in newsbeam's "
                "folder)")
        return
    try:
        FileSystems.get_filesystem(location)
    except Exception:  # noqa: BLE001 (Beam's message suggests the gcp extra for anything)
        known = "http://, https://, gs://, s3:// or a local path"
        guess = " (did you mean https://?)" if scheme.startswith("ht") else ""
        raise ConfigError(f"{option} {location}: unknown scheme {scheme}://{guess}; use "
                          f"{known}") from None


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False


def _expand(pattern: str, option: str) -> list[str]:
    remote = "://" in pattern
    check_scheme(pattern, option)
    if _GLOB_CHARS & set(pattern):
        found = _match(pattern)
        found = [p for p in found if format_of(p) and not _hidden(p)]
        if not found:
            raise ConfigError(f"{option} {pattern}: no supported files match")
        return sorted(found)
    if not remote:
        path = os.path.abspath(pattern)
        if os.path.isdir(path):
            found = sorted(os.path.join(d, f) for d, dirs, names in os.walk(path)
                           for f in names if format_of(f) and not f.startswith("."))
            found = [p for p in found if not _hidden(os.path.relpath(p, path))]
            if not found:
                raise ConfigError(f"{option} {pattern}: no supported files in the directory")
            return found
        if not os.path.exists(path):
            raise ConfigError(f"{option} {pattern}: no such file or directory")
        if not os.access(path, os.R_OK):
            raise ConfigError(f"{option} {pattern}: permission denied")
        return [path]
    if FileSystems.exists(pattern):
        return [pattern]
    found = [p for p in _match(pattern.rstrip("/") + "/**") if format_of(p) and not _hidden(p)]
    if not found:
        raise ConfigError(f"{option} {pattern}: no such file, or no supported files under it")
    return sorted(found)


def _match(pattern: str) -> list[str]:
    try:
        results = FileSystems.match([pattern])
    except Exception as err:  # missing bucket, no credentials, unknown scheme
        raise ConfigError(f"cannot list {pattern}: {err}") from None
    return [m.path for r in results for m in r.metadata_list]


def _hidden(path: str) -> bool:
    return any(part.startswith(".") or part == "__pycache__"
               for part in path.replace("\\", "/").split("/")[-4:] if part)


def check_output(output: str, what: str = "--output") -> str:
    """The output location, made absolute if local, after a test write; errors name it
    as ``what``."""
    check_scheme(output, what)
    if is_web_url(output):
        raise ConfigError(f"{what} {output}: a web address cannot be written to; give a "
                          "folder, gs://... or s3://...")
    if "://" not in output:
        output = os.path.abspath(output)
        if os.path.exists(output) and not os.path.isdir(output):
            raise ConfigError(f"{what} {output}: exists and is not a directory")
        try:
            os.makedirs(output, exist_ok=True)
        except OSError as err:
            raise ConfigError(f"{what} {output}: cannot create it ({err.strerror})") from None
    probe = f"{output.rstrip('/')}/.newsbeam-write-check-{uuid.uuid4().hex}"
    try:
        with FileSystems.create(probe) as handle:
            handle.write(b"ok")
        FileSystems.delete([probe])
    except Exception as err:
        # Beam's S3 errors carry (message, code): the message alone
        cause = err.args[0] if len(err.args) > 1 and isinstance(err.args[0], str) else err
        hint = ("; set up credentials for the store (aws configure, AWS_PROFILE, gcloud auth "
                "application-default login)" if "credential" in str(cause).lower() else "")
        raise ConfigError(f"{what} {output}: not writable ({cause}){hint}") from None
    return output
