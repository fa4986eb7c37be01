"""Article extraction quality and speed on the development set, against trafilatura alone.

    python -m benchmarks.extraction

For the 42 pages of tests/data/extraction: body text precision, recall and F1 (4-word
shingles, averaged per page, as the article-extraction benchmark measures), headlines,
publication dates (UTC day) and authors exactly right, and the median and 90th
percentile time per page; newsbeam's cleaning next to trafilatura 2.3.1 with default
settings and with favor_precision. Then the syndication set: pairs of pages grouped
right, and the time to group them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import statistics
import time

import trafilatura

from newsbeam.core.articles import cleaning, stories
from newsbeam.core.records import RawItem
from newsbeam.core.sources import decoding
from tests import devsets

NOW = dt.datetime.now(dt.timezone.utc)


def newsbeam(truth, page: str) -> dict:
    article = cleaning.clean(RawItem(input_ref=truth["file"], kind="page", body=page,
                                     ingested_at=NOW, url=truth["url"]))
    published = article["published_at"]
    return dict(text=article["text"], title=article["title"], authors=article["authors"],
                date=published.date().isoformat() if published else None)


def bare_trafilatura(**options):
    def extract(truth, page: str) -> dict:
        document = trafilatura.bare_extraction(page, url=truth["url"], with_metadata=True,
                                               **options)
        if document is None:
            return dict(text="", title=None, authors=[], date=None)
        return dict(text=document.text or "", title=document.title, date=document.date,
                    authors=[a.strip() for a in (document.author or "").split(";") if a])
    return extract


def score(name: str, extract, pages) -> None:
    results, seconds = [], []
    for truth, page in pages:
        started = time.perf_counter()
        results.append((truth, extract(truth, page)))
        seconds.append(time.perf_counter() - started)
    pr = [devsets.text_precision_recall(r["text"], t["text"]) for t, r in results]
    precision = statistics.mean(p for p, _ in pr)
    recall = statistics.mean(r for _, r in pr)

    def right(field, truth_field):
        return sum(r[field] == t[truth_field] for t, r in results) / len(results)

    print(f"{name:<34} {precision:>6.3f} {recall:>6.3f} {devsets.f1(precision, recall):>6.3f} "
          f"{right('title', 'title'):>7.1%} {right('date', 'date'):>7.1%} "
          f"{right('authors', 'authors'):>8.1%} {statistics.median(seconds) * 1000:>7.1f} "
          f"{sorted(seconds)[int(0.9 * len(seconds))] * 1000:>7.1f}")


def main() -> None:
    pages = [(t, decoding.decode(data)) for t, data in devsets.extraction_pages()]
    print(f"{len(pages)} pages; ms per page includes metadata")
    print(f"{'extractor':<34} {'prec':>6} {'recall':>6} {'F1':>6} {'title':>7} {'date':>7} "
          f"{'authors':>8} {'ms p50':>7} {'ms p90':>7}")
    score("newsbeam", newsbeam, pages)
    score("trafilatura (defaults)", bare_trafilatura(), pages)
    score("trafilatura (favor_precision)",
          bare_trafilatura(favor_precision=True, include_comments=False), pages)

    syndicated = [(g, newsbeam(g, decoding.decode(data))["text"])
                  for g, data in devsets.syndication_pages()]
    truth = {g["file"]: g["story"] for g, _ in syndicated}
    texts = {g["file"]: text for g, text in syndicated}
    print(f"\nsyndication: {len(texts)} pages, {len(set(truth.values()))} stories")
    started = time.perf_counter()
    batch = stories.stories_of({name: stories.signature(text) for name, text in texts.items()})
    report_stories("batch (connected groups)", batch, truth, started)
    # Streaming, in an arrival order unrelated to the file names.
    arrivals = sorted(texts, key=lambda name: hashlib.sha256(name.encode()).digest())
    started = time.perf_counter()
    index = stories.StoryIndex(horizon_seconds=3600)
    streamed = {name: index.story_of(name, stories.signature(texts[name]), at)
                for at, name in enumerate(arrivals)}
    report_stories("streaming (band by band)", streamed, truth, started)


def report_stories(label: str, story: dict, truth: dict, started: float) -> None:
    seconds = time.perf_counter() - started
    pairs = [(truth[a] == truth[b], story[a] == story[b])
             for a, b in itertools.combinations(story, 2)]
    both = sum(t and p for t, p in pairs)
    print(f"  {label:<30} copy pairs found {both} of {sum(t for t, _ in pairs)}, pairs "
          f"wrongly joined {sum(p and not t for t, p in pairs)}; "
          f"{seconds * 1000 / len(story):.2f} ms per page")

if __name__ == "__main__":
    main()
