"""A day of streaming at scale, simulated: what many workers write with each deduplication,
and how many files land per partition.

    python -m benchmarks.scale [--articles-per-day 1000000] [--workers 1 4 16]

A stream of articles over one day, with a known share of syndicated copies (other sites'
copies of one text, arriving seconds to hours after the first) and repeated URLs (a feed
polled again), is spread over simulated workers as a runner spreads elements. Two
deduplications are compared, with the project's own index (``SeenIndex``):

- per process: each worker's index, refreshed from what all workers wrote every five
  minutes (``DropSeenFn``, the local runners' path);
- keyed state: every copy of a key meets the same state, whichever worker it reached
  (``FirstPerKeyFn``, ``--keyed-state``), which one shared index models exactly.

Printed per day and number of workers: articles kept, duplicates written (copies that got
through), files written (the streaming writer writes one file per table, partition and
window for every bundle that holds rows of it) and files per partition per hour, the S3
requests they take (Beam uploads every file as a multipart upload: 3 requests, plus one
manifest per bundle), the files a writer grouping each window's rows would write (one per
table, partition and window: a shuffle the distributed runners can run), the files a daily
compaction leaves (one per table and partition),
and the dedup index's own throughput on one core. The stream is simulated for
``--hours`` and scaled to a day.
"""
from __future__ import annotations

import argparse
import collections
import random
import statistics
import time

from newsbeam.core.articles.dedup import SeenIndex

REFRESH_SECONDS = 300.0  # DropSeenFn's refresh from the output
HORIZON_SECONDS = 72 * 3600.0
TABLES = 3  # articles, entities, events: an article's rows land in all three
REQUESTS_PER_FILE = 3  # multipart upload: create, one part, complete


def stream(per_day: int, hours: float, syndicated: float, repolled: float, regions: int,
           seed: int = 1):
    """(arrival second, article id, text hash, region) in arrival order."""
    rng = random.Random(seed)
    seconds = hours * 3600
    originals = int(per_day * hours / 24 / (1 + syndicated + repolled))
    weights = [1 / (rank + 1) for rank in range(regions)]  # a few countries dominate
    arrivals = []
    for story in range(originals):
        at = rng.uniform(0, seconds)
        region = rng.choices(range(regions), weights)[0]
        arrivals.append((at, f"a{story}", f"t{story}", region))
        for copy in range(_copies(rng, syndicated)):
            arrivals.append((at + _delay(rng), f"a{story}-{copy}", f"t{story}", region))
        for _ in range(_copies(rng, repolled)):
            arrivals.append((at + _delay(rng), f"a{story}", f"t{story}", region))
    return sorted(a for a in arrivals if a[0] < seconds)


def _copies(rng, share: float) -> int:
    """A whole number of copies with ``share`` copies per story on average."""
    return int(share) + (rng.random() < share - int(share))


def _delay(rng) -> float:
    """Copies come soon after the first: half within five minutes, most within hours."""
    return rng.choice([rng.uniform(1, 300), rng.uniform(300, 3600),
                       rng.uniform(3600, 6 * 3600)])


def per_process(arrivals, workers: int, rng) -> list:
    """What per-process indexes, refreshed from the output, let through."""
    indexes = [SeenIndex(HORIZON_SECONDS) for _ in range(workers)]
    written, pending, last_refresh = [], [], 0.0
    for at, article_id, text, region in arrivals:
        if at - last_refresh >= REFRESH_SECONDS:  # every worker reads what all wrote
            for index in indexes:
                index.remember([(a, t) for _, a, t, _ in pending], at)
            pending, last_refresh = [], at
        worker = rng.randrange(workers)
        if indexes[worker].add_if_new(article_id, text, at):
            written.append((at, article_id, text, region, worker))
            pending.append((at, article_id, text, region))
    return written


def keyed(arrivals, workers: int, rng) -> list:
    """What keyed state lets through: one state per key, wherever the copy arrived."""
    index = SeenIndex(HORIZON_SECONDS)
    return [(at, article_id, text, region, rng.randrange(workers))
            for at, article_id, text, region in arrivals
            if index.add_if_new(article_id, text, at)]


def files(written, bundle_seconds: float, window_seconds: float) -> tuple[int, list, int]:
    """Files written (one per table, partition and window per bundle), the files of each
    partition-hour, and the bundles that wrote (one manifest each)."""
    bundles = collections.defaultdict(set)  # (worker, bundle) -> partitions and windows
    for at, _, _, region, worker in written:
        bundles[(worker, int(at // bundle_seconds))].add((region, int(at // window_seconds)))
    per_hour = collections.Counter()
    for (_, bundle), parts in bundles.items():
        hour = int(bundle * bundle_seconds // 3600)
        for region, _ in parts:
            per_hour[(region, hour)] += TABLES
    return sum(per_hour.values()), list(per_hour.values()), len(bundles)


def _per_window(written, window_seconds: float) -> int:
    """Files of a writer that groups each window's rows: one per table, partition, window."""
    return TABLES * len({(region, int(at // window_seconds))
                         for at, _, _, region, _ in written})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles-per-day", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--hours", type=float, default=2.0)
    parser.add_argument("--syndicated", type=float, default=0.5,
                        help="syndicated copies per story (0.5)")
    parser.add_argument("--repolled", type=float, default=0.3,
                        help="repeats of a URL per story (0.3)")
    parser.add_argument("--regions", type=int, default=150)
    parser.add_argument("--bundle-seconds", type=float, default=10.0)
    parser.add_argument("--window-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    scale = 24 / args.hours
    print(f"simulated {args.hours:g} h scaled to a day; {args.syndicated:g} syndicated "
          f"copies and {args.repolled:g} repeated URLs per story; bundles every "
          f"{args.bundle_seconds:g} s per worker, {args.window_seconds:g} s windows, "
          f"{args.regions} regions")
    print(f"{'articles/day':>12} {'workers':>7} {'dedup':>11} {'kept/day':>9} "
          f"{'dup written/day':>15} {'files/day':>10} {'files/part-h mean':>17} "
          f"{'max':>5} {'S3 requests/day':>15} {'per window':>10} {'compacted':>9}")
    for per_day in args.articles_per_day:
        arrivals = stream(per_day, args.hours, args.syndicated, args.repolled, args.regions)
        distinct = len({text for _, _, text, _ in arrivals})
        for workers in args.workers:
            for name, dedup in (("per process", per_process), ("keyed state", keyed)):
                written = dedup(arrivals, workers, random.Random(workers))
                n_files, per_hour, n_bundles = files(written, args.bundle_seconds,
                                                     args.window_seconds)
                requests = (n_files + n_bundles) * REQUESTS_PER_FILE
                print(f"{per_day:>12,} {workers:>7} {name:>11} {len(written) * scale:>9,.0f} "
                      f"{(len(written) - distinct) * scale:>15,.0f} {n_files * scale:>10,.0f} "
                      f"{statistics.mean(per_hour):>17.1f} {max(per_hour):>5} "
                      f"{requests * scale:>15,.0f} "
                      f"{_per_window(written, args.window_seconds) * scale:>10,.0f} "
                      f"{TABLES * len({w[3] for w in written}):>9}")
    index, arrivals = SeenIndex(HORIZON_SECONDS), stream(100_000, args.hours, args.syndicated,
                                                         args.repolled, args.regions)
    started = time.perf_counter()
    for at, article_id, text, _ in arrivals:
        index.add_if_new(article_id, text, at)
    print(f"the dedup index alone: {len(arrivals) / (time.perf_counter() - started):,.0f} "
          "articles/s on one core")


if __name__ == "__main__":
    main()
