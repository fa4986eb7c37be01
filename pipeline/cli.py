"""The ``newsbeam`` command."""
from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import logging
import os
import signal
import sys
import threading
import time


def _announce_run(argv: list[str]) -> None:
    """On a terminal, ``newsbeam run`` says it started before Beam and spaCy load, which
    takes seconds, so a run is never silent; the next line it writes replaces this one
    (``say``), and the progress line follows."""
    if (os.path.basename(argv[0]) == "newsbeam" and argv[1:2] == ["run"]
            and sys.stderr.isatty() and not {"--quiet", "--quiet=true"} & set(argv)):
        sys.stderr.write("newsbeam run: starting (loading Apache Beam and spaCy)")
        sys.stderr.flush()


def say(line: str) -> None:
    """A line for the user on stderr, in place of a live line there may be."""
    print(("\r\x1b[K" if sys.stderr.isatty() else "") + line, file=sys.stderr, flush=True)


_announce_run(sys.argv)

# Beam logs warnings while it is imported (optional cloud clients missing): keep
# them off the user's terminal unless --verbose asks for Beam's log.
logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")

import apache_beam as beam  # noqa: E402
from apache_beam.io.filesystems import FileSystems  # noqa: E402
from apache_beam.metrics.metric import MetricsFilter  # noqa: E402
from apache_beam.options.pipeline_options import (  # noqa: E402
    GoogleCloudOptions, StandardOptions)

from newsbeam import samples  # noqa: E402
from newsbeam.core import reasons  # noqa: E402
from newsbeam.core.language.gazetteer import country_codes  # noqa: E402
from newsbeam.core.urls import is_web_url  # noqa: E402
from newsbeam.core.storage import compaction, runs, store_compaction  # noqa: E402
from newsbeam.schemas import ARTICLES, REJECTS, TABLES, ddl  # noqa: E402
from newsbeam.transforms import metrics  # noqa: E402

from . import graph, options, progress, runner_fixes  # noqa: E402


USAGE = """\
usage: newsbeam COMMAND [options]   (newsbeam COMMAND --help for its options)

  newsbeam run [--input PATH_OR_URL ...] [--feeds URL_OR_FILE ...] [--output DIR]
               read articles and feeds, write the articles, entities, events and
               rejects tables (no --input: the bundled samples)
  newsbeam report OUTPUT [--out report.html]
               one HTML file with charts and a map of what the runs wrote
  newsbeam ddl --dialect {duckdb,bigquery,athena,trino,spark} --output-uri URI
               the statements that expose the tables to a warehouse
  newsbeam compact OUTPUT
               merge each partition's small files (on gs:// and s3:// also
               bring the manifests that warehouses read up to date)
"""


def version() -> str:
    try:
        from importlib.metadata import version as installed
        return f"newsbeam {installed('newsbeam')} (Apache Beam {beam.__version__})"
    except Exception:  # noqa: BLE001 (run from a source tree, not installed)
        return f"newsbeam (not installed; Apache Beam {beam.__version__})"


class _OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line, like every other fatal configuration error."""

    def error(self, message):
        self.exit(2, f"newsbeam: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _OneLineParser(
        prog="newsbeam", allow_abbrev=False,
        description="News ingestion on Apache Beam: articles, entities and events as "
                    "Hive-partitioned Parquet tables.")
    parser.add_argument("--version", action="version", version=version())
    commands = parser.add_subparsers(dest="command", parser_class=_OneLineParser)
    run_parser = commands.add_parser(
        "run", allow_abbrev=False, help="run the pipeline",
        description="Read feeds and files, write the articles, entities, events and rejects "
                    "tables. Any other --flag is passed to Beam (e.g. --runner).")
    options.add_run_arguments(run_parser)
    ddl_parser = commands.add_parser(
        "ddl", allow_abbrev=False, help="print the DDL that exposes the tables to a warehouse",
        description="Print the statements that expose the four tables over an output "
                    "location, generated from the newsbeam schemas.")
    ddl_parser.add_argument("--dialect", required=True, choices=ddl.DIALECTS)
    ddl_parser.add_argument("--output-uri", required=True, metavar="URI",
                            help="the runs' --output: a local folder, gs://... or s3://...")
    ddl_parser.add_argument("--database", default="", metavar="NAME",
                            help="dataset, database or catalog.schema (default: "
                                 + ", ".join(f"{d} {n}" for d, n in
                                             ddl.DEFAULT_DATABASE.items() if n) + ")")
    ddl_parser.add_argument("--read", choices=("manifests", "files"), default=None,
                            help="read each partition's manifest (default on gs:// and s3://, "
                                 "where `newsbeam compact` replaces files; duckdb, bigquery "
                                 "and athena) or list its files (default elsewhere)")
    ddl_parser.add_argument("--first-date", type=_iso_date, default=ddl.Target.first_date,
                            metavar="YYYY-MM-DD",
                            help="Athena/Trino: the first date partition projection lists")
    compact_parser = commands.add_parser(
        "compact", allow_abbrev=False, help="merge each partition's small files",
        description="Merge the small files of each partition into few large ones, one run "
                    "id at a time; safe next to a running writer and against a crash.")
    compact_parser.add_argument("output", metavar="OUTPUT",
                                help="a run's --output: a local folder, gs://... or s3://... "
                                     "(Beam's options for the store may follow, e.g. "
                                     "--s3_endpoint_url)")
    compact_parser.add_argument("--target-mb", type=options.positive,
                                default=compaction.DEFAULT_TARGET_BYTES / 2**20, metavar="MB",
                                help="largest merged file (256)")
    compact_parser.add_argument("--since", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                                help="only the partitions of this day and later; older "
                                     "ones are left untouched (scheduled compactions of a "
                                     "large output)")
    report_parser = commands.add_parser(
        "report", allow_abbrev=False, help="one HTML file about what the runs wrote",
        description="Write one self-contained HTML file (charts and a map, no network "
                    "needed to view it) about the tables in an output.")
    report_parser.add_argument("output", metavar="OUTPUT",
                               help="a local output folder (a run's --output)")
    report_parser.add_argument("--out", default="report.html", metavar="FILE",
                               help="the HTML file to write (report.html)")
    args, extra = parser.parse_known_args(argv)
    runner_fixes.apply()
    if args.command is None:
        print(USAGE, end="", file=sys.stderr)
        return 2
    if args.command not in ("run", "compact") and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return {"run": run, "ddl": print_ddl, "compact": compact,
            "report": write_report}[args.command](args, extra)


def print_ddl(args: argparse.Namespace, _: list[str]) -> int:
    uri = args.output_uri if "://" in args.output_uri else os.path.abspath(args.output_uri)
    schemes = ddl.required_scheme(args.dialect)
    if schemes and not uri.startswith(schemes):
        return _fail(f"--dialect {args.dialect} reads tables from {' or '.join(schemes)} "
                     f"locations, not {uri}", 2)
    manifests = (args.read or ("manifests" if uri.startswith(("gs://", "s3://"))
                               else "files")) == "manifests"
    if manifests and args.dialect not in ddl.MANIFEST_DIALECTS:
        if args.read:
            return _fail(f"--dialect {args.dialect} cannot read manifests; give --read files "
                         "(see docs/architecture.md, compaction on object stores)", 2)
        manifests = False
    empty = frozenset()
    if args.dialect in ("duckdb", "spark"):  # both fail on a table without a file
        empty = frozenset(t.name for t in TABLES.values() if not _has_files(
            t.manifests_glob(uri) if manifests else t.files_glob(uri)))
    print(ddl.render(ddl.Target(args.dialect, uri, args.database, tuple(country_codes()),
                                args.first_date, empty, manifests)), end="")
    return 0


def _has_files(pattern: str) -> bool:
    try:
        return any(m.metadata_list for m in FileSystems.match([pattern]))
    except Exception:  # a location Beam cannot list here (s3a://, no credentials)
        return True


def _iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value}") from None


def write_report(args: argparse.Namespace, _: list[str]) -> int:
    from . import report  # plotly and DuckDB load only for reports
    started = time.monotonic()
    if "://" in args.output:
        return _fail(f"report {args.output}: reports read local outputs; copy it first "
                     "(gsutil -m rsync -r / aws s3 sync) and give the copy", 2)
    if not os.path.isdir(args.output):
        return _fail(f"report {args.output}: no such folder; give a run's --output "
                     f"(e.g. {options.DEFAULT_OUTPUT})", 2)
    try:
        page = report.build(os.path.abspath(args.output))
    except report.NoTables:
        return _fail(f"report {args.output}: no table has a file yet; run newsbeam run "
                     f"--output {args.output} first", 2)
    try:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(page)
    except OSError as err:
        return _fail(f"report --out {args.out}: cannot write it ({err.strerror})", 2)
    print(f"newsbeam report {args.output}: {args.out} ({len(page.encode()) / 2**20:.1f} MB, "
          f"{time.monotonic() - started:.1f} s); open it in a browser, no network needed")
    return 0


def compact(args: argparse.Namespace, beam_args: list[str]) -> int:
    started = time.monotonic()
    for name in ("", "apache_beam"):  # Beam logs warnings on loading its filesystems
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    local = _is_local(args.output)
    if local and os.path.isfile(args.output):
        return _fail(f"compact {args.output}: a file; give the folder a run wrote to "
                     f"(its --output, e.g. {options.DEFAULT_OUTPUT})", 2)
    try:
        if local:
            done = compaction.compact(args.output, int(args.target_mb * 2**20),
                                      since=args.since)
        else:
            # Beam's filesystems take their settings (--s3_endpoint_url, ...) from here.
            FileSystems.set_options(options.beam_options(beam_args))
            options.check_output(args.output, "compact")
            done = store_compaction.compact(args.output, int(args.target_mb * 2**20),
                                            since=args.since)
    except (compaction.CompactionError, options.ConfigError) as err:
        return _fail(str(err), 2)
    print(f"newsbeam compact {args.output}: {done.partitions} partition(s) rewritten, "
          f"{done.files_before} files -> {done.files_after}, {done.rows} rows merged, "
          f"{time.monotonic() - started:.1f} s")
    if done.recovered:
        print(f"  finished or undone first: {done.recovered} interrupted compaction(s)")
    if done.skipped:
        print(f"  left for next time (a write in progress): {', '.join(done.skipped)}")
    for partition in done.unreadable:
        print(f"  WARNING: left as it is, a file cannot be read: {partition}")
    return 0


def run(args: argparse.Namespace, beam_args: list[str]) -> int:
    if args.verbose:
        logging.getLogger().setLevel(logging.INFO)
    else:  # a failure is told in one line and a summary, not in Beam's log or traceback
        # (Beam also logs errors on the root logger, e.g. a failed S3 upload)
        for name in ("", "apache_beam"):
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    try:
        config = options.resolve(args, beam_args, samples.path())
        pipeline = beam.Pipeline(options=config.beam_options)
    except options.ConfigError as err:
        return _fail(str(err), 2)
    except ValueError as err:  # Beam refusing a runner name or option value
        return _fail(str(err).splitlines()[0], 2)
    runner = config.beam_options.view_as(StandardOptions).runner or "DirectRunner"
    submit_only = _submit_only(config.beam_options)
    shown = None if args.quiet or submit_only else progress.RunProgress(
        config.run_id, config.output, config.streaming, options.items_up_front(config))
    graph.build(pipeline, config)  # its DoFns report to the progress folder named now
    started = time.monotonic()
    if submit_only:
        # The job outlives this command, which therefore cannot hold the output's lock
        # nor know which runs are dead: see docs/architecture.md, "Committed runs".
        pipeline.run()
        print(f"newsbeam run {config.run_id}: submitted, not waiting for it to end")
        return 0
    stop = _Stop()
    try:
        with runs.OutputLock(config.output, config.run_id):
            with _recovery_paused(config.output):
                recovery = runs.recover(config.output, config.run_id, config.streaming)
            for line in recovery.lines():
                say(f"newsbeam: {line}")
            with _on_signals(config, stop), _showing(shown):
                result = pipeline.run()
                result.wait_until_finish()
            if config.streaming:  # drained: every bundle is written and committed
                runs.commit(config.output, config.run_id, streaming=True)
            if not _is_local(config.output):  # tables over the manifests show the run
                store_compaction.publish(config.output, config.run_id)
    except runs.OutputBusy as err:
        return _fail(str(err), 2)
    except (Exception, KeyboardInterrupt) as err:
        if stop.interrupted or isinstance(err, KeyboardInterrupt):
            # Beam wraps the KeyboardInterrupt a DoFn met in a RuntimeError: the flag,
            # not the exception, says the user stopped the run.
            return _fail(interrupted_line(config, time.monotonic() - started), 130)
        print(failed_summary(config, time.monotonic() - started, runner))
        message = str(err).strip().splitlines()
        return _fail(f"the run failed: {type(err).__name__}: {message[-1] if message else ''}"
                     + ("" if args.verbose else " (--verbose shows Beam's log)"), 1)
    seconds = time.monotonic() - started
    count, sets = run_metrics(result)
    print(summary(config, count, sets, seconds, runner))
    try:
        runs.save_summary(config.output, config.run_id, summary_record(config, count,
                                                                       seconds, runner))
    except Exception as err:  # noqa: BLE001 (the run is committed: only reports miss it)
        print(f"newsbeam: warning: the run's summary was not saved for reports: {err}",
              file=sys.stderr)
    return 0


def summary_record(config: options.RunConfig, count: collections.Counter, seconds: float,
                   runner: str) -> dict:
    """The summary's figures, for ``newsbeam report``."""
    def family(prefix):
        return {name[len(prefix):]: n for name, n in count.items()
                if name.startswith(prefix) and n}
    return {"inputs": inputs_phrase(config), "seconds": round(seconds, 1), "runner": runner,
            "streaming": config.streaming, "items_read": count[metrics.ITEMS_READ],
            **{table: count[metrics.ROWS + table] for table in TABLES},
            "duplicates": family(metrics.DUPLICATES_BY_KIND),
            "rejects_by_reason": family(metrics.REJECTS_BY_REASON)}


@contextlib.contextmanager
def _showing(shown: "progress.RunProgress | None"):
    if shown is None:
        yield
        return
    shown.start()
    try:
        yield
    finally:
        shown.stop()


def _recovery_paused(output: str):
    """No compaction runs while the output is recovered: locally it would link files
    recovery removes; on object stores one that died must be finished first."""
    return (compaction.held_off if _is_local(output) else store_compaction.held_off)(output)


def _is_local(output: str) -> bool:
    return "://" not in output or output.startswith("file://")


class _Stop:
    interrupted = False  # the user interrupted the run (Ctrl-C in batch, twice in streaming)


@contextlib.contextmanager
def _on_signals(config: options.RunConfig, stop: _Stop):
    """Ctrl-C in a batch run interrupts it. In a streaming run, Ctrl-C and SIGTERM stop
    the polling: open windows are written and the run ends with its summary; a second
    Ctrl-C interrupts."""

    def interrupt(signum, frame):
        stop.interrupted = True
        raise KeyboardInterrupt

    def quiet_when_interrupted(args):
        # the runner's threads (gRPC, worker handlers) die with the interrupted run
        if not stop.interrupted:
            thread_hook(args)

    thread_hook, threading.excepthook = threading.excepthook, quiet_when_interrupted
    if not config.streaming:
        previous = signal.signal(signal.SIGINT, interrupt)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
            threading.excepthook = thread_hook
        return
    stop_file = config.stop_file

    def drain(signum, frame):
        if os.path.exists(stop_file):
            interrupt(signum, frame)
            return
        open(stop_file, "w").close()
        say("newsbeam: draining: writing what was read, then stopping "
            "(Ctrl-C again to interrupt)")

    until = f" for {config.stop_after:g} s" if config.stop_after else ""
    say(f"newsbeam: polling {len(config.inputs)} feed(s) every {config.poll_interval:g} s"
        f"{until}, files per {config.window:g} s window; Ctrl-C drains and stops")
    previous = {sig: signal.signal(sig, drain) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        threading.excepthook = thread_hook
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if os.path.exists(stop_file):
            os.remove(stop_file)


def _submit_only(beam_options) -> bool:
    """The job runs on without this command: a Dataflow Flex Template launch (the
    launcher sets --template_location and creates the job itself from the file Beam
    writes there; there is no job to wait for) or --no_wait_until_finish."""
    return bool(beam_options.view_as(GoogleCloudOptions).template_location
                or beam_options.view_as(StandardOptions).no_wait_until_finish)


def _fail(message: str, status: int) -> int:
    say(f"newsbeam: error: {message}")
    return status


def run_metrics(result) -> tuple[collections.Counter, dict]:
    """The run's counters by name, summed over steps, and its string sets (committed
    values where the runner has them)."""
    totals: collections.Counter = collections.Counter()
    sets: dict = collections.defaultdict(set)
    try:
        found = result.metrics().query(MetricsFilter().with_namespace(metrics.NAMESPACE))
    except Exception:  # noqa: BLE001 (runners without metrics support)
        return totals, sets
    for metric in found["counters"]:
        value = metric.committed if metric.committed is not None else metric.attempted
        totals[metric.key.metric.name] += value or 0
    for metric in found.get("string_sets", []):
        value = metric.committed if metric.committed is not None else metric.attempted
        sets[metric.key.metric.name] |= set(value or ())
    return totals, sets


def _breakdown(count: collections.Counter, prefix: str) -> str:
    """"  (a 2, b 1)" from the counters named prefix + a, prefix + b."""
    parts = sorted((name[len(prefix):], n) for name, n in count.items()
                   if name.startswith(prefix) and n)
    return f"  ({', '.join(f'{part} {n}' for part, n in parts)})" if parts else ""


def inputs_phrase(config: options.RunConfig) -> str:
    """What the run read: "the bundled samples", "1 URL", "2 feeds and 3 files"."""
    if config.samples:
        return "the bundled samples"
    kinds = collections.Counter(
        "feed" if source.format in ("feed", "opml") else
        "URL" if is_web_url(source.path) else "file" for source in config.inputs)
    parts = [f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in
             sorted(kinds.items(), key=lambda kind_n: ("feed", "URL", "file").index(kind_n[0]))]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def summary(config: options.RunConfig, count: collections.Counter, sets: dict,
            seconds: float, runner: str) -> str:
    rows = {name: count[metrics.ROWS + name] for name in TABLES}
    read, articles, rejects = count[metrics.ITEMS_READ], rows["articles"], rows["rejects"]
    duplicates = count[metrics.DUPLICATES]
    by_reason = _breakdown(count, metrics.REJECTS_BY_REASON)
    by_kind = _breakdown(count, metrics.DUPLICATES_BY_KIND)
    by_record = _breakdown(count, metrics.WARC_SKIPPED)
    skipped = sum(n for name, n in count.items() if name.startswith(metrics.WARC_SKIPPED))
    unreadable = sorted(sets[metrics.UNREADABLE_FILES])
    seen_before = count[metrics.DUPLICATES_BY_KIND + "seen_before"]
    balance = articles + duplicates + rejects
    check = (f"articles {articles} + duplicates {duplicates} + rejects {rejects} = items read "
             f"{read}" if balance == read else
             f"WARNING: articles {articles} + duplicates {duplicates} + rejects {rejects} = "
             f"{balance}, but {read} items were read")
    return "\n".join([
        f"newsbeam run {config.run_id}: {inputs_phrase(config)}, {seconds:.1f} s on {runner}",
        f"  items read  {read:>7}",
        f"  articles    {articles:>7}",
        f"  duplicates  {duplicates:>7}{by_kind}",
        f"  rejects     {rejects:>7}{by_reason}",
        f"  entities    {rows['entities']:>7}",
        f"  events      {rows['events']:>7}",
        *([f"  skipped {skipped} WARC records that are not article pages{by_record}"]
          if skipped else []),
        *([f"  WARNING: skipped {len(unreadable)} unreadable file(s) of earlier runs (their "
           f"articles may be written again): {', '.join(unreadable)}"] if unreadable else []),
        f"  {check}",
        *([f"seen_before {seen_before}: articles earlier runs already wrote to "
           f"{config.output}, not written twice. To process them anew, use a new --output "
           "(or rerun the earlier run's --run-id, which replaces that run)."]
          if seen_before else []),
        *reject_lines(config, count),
        *table_lines(config),
    ])


def reject_lines(config: options.RunConfig, count: collections.Counter,
                 top: int = 5) -> list[str]:
    """The most frequent reject reasons, what each means, and the query that shows
    this run's reject rows."""
    by_reason = collections.Counter({name[len(metrics.REJECTS_BY_REASON):]: n
                                     for name, n in count.items()
                                     if name.startswith(metrics.REJECTS_BY_REASON) and n})
    if not by_reason:
        return []
    width = max(len(reason) for reason, _ in by_reason.most_common(top))
    more = len(by_reason) - top
    return [
        "Rejects by reason" + (f" (top {top} of {len(by_reason)})" if more > 0 else "") + ":",
        *(f"  {reason:<{width}} {n:>6}  {reasons.meaning(reason)}"
          for reason, n in by_reason.most_common(top)),
        "  the rows, with each item's input_ref and detail:",
        f"  SELECT reason, input_ref, detail FROM read_parquet('{REJECTS.files_glob(config.output)}'"
        f", hive_partitioning=true, filename=true) WHERE filename LIKE "
        f"'%/part-{config.run_id}_%' ORDER BY reason, input_ref;",
    ]


def table_lines(config: options.RunConfig) -> list[str]:
    """Where the tables are, and a query over one that has files (a glob that matches
    nothing is an error in DuckDB)."""
    lines = [f"Tables: {config.output}/{{articles,entities,events}}/date=YYYY-MM-DD/region=CC/ "
             "and rejects/date=YYYY-MM-DD/"]
    if _has_files(ARTICLES.files_glob(config.output)):
        lines += ["Query them with DuckDB, for example:",
                  f"  SELECT date, region, count(*) AS articles FROM "
                  f"read_parquet('{ARTICLES.files_glob(config.output)}', "
                  "hive_partitioning=true) GROUP BY ALL ORDER BY ALL;",
                  f"Or look at them: newsbeam report {config.output}" if _is_local(config.output)
                  else "Or copy them (aws s3 sync / gsutil -m rsync -r) and run newsbeam "
                       "report on the copy"]
    elif not _has_files(REJECTS.files_glob(config.output)):
        lines = [f"No table has a file yet in {config.output}."]
    return lines


def interrupted_line(config: options.RunConfig, seconds: float) -> str:
    left = (f"the bundles it committed stay, the next run into {config.output} removes the "
            "rest" if config.streaming else
            f"nothing is committed, the next run into {config.output} removes what it wrote")
    return f"interrupted: run {config.run_id} stopped after {seconds:.1f} s; {left}"


def failed_summary(config: options.RunConfig, seconds: float, runner: str) -> str:
    """What a run that did not finish leaves behind."""
    written = runs.rows_written(config.output, config.run_id)
    files = ", ".join(f"{table} {n} file(s) with {rows} row(s)"
                      for table, (n, rows) in written.items())
    undo = (f"the bundles it committed stay; the next run into {config.output} removes the "
            "other files and writes their articles again" if config.streaming else
            f"not committed: the next run into {config.output} removes these files and "
            "writes their articles again")
    return "\n".join([
        f"newsbeam run {config.run_id}: did not finish, {seconds:.1f} s on {runner}",
        *([f"  written before it stopped: {files}", f"  {undo}"] if written else
          ["  nothing written: the next run starts afresh"]),
    ])


if __name__ == "__main__":
    sys.exit(main())
