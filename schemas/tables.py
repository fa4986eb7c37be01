"""The four output tables: the only place a column is named.

Each table is an Arrow schema of the columns stored in its Parquet files, plus the
Hive partition columns that live in the path (``date=YYYY-MM-DD/region=CC``) and the
order rows are sorted in inside a file. Rows travel through the pipeline as plain
dicts keyed by these names; ``Table.row`` builds one and refuses unknown names.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Mapping

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")
UNKNOWN_REGION = "ZZ"  # region of rows whose country is unknown
MANIFEST_DIR = "_manifest"  # beside a table's partitions; readers of its folders skip "_"


def _col(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


@dataclasses.dataclass(frozen=True)
class Table:
    """One output table: file columns, partition columns, sort order."""

    name: str
    schema: pa.Schema
    partitions: tuple[pa.Field, ...]
    sort_by: tuple[str, ...]
    description: str

    @property
    def columns(self) -> list[str]:
        return self.schema.names

    @property
    def partition_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.partitions)

    def files_glob(self, output: str, name: str = "*.parquet") -> str:
        """The glob of this table's files under an output: OUTPUT/<table>/*/*/<name>."""
        return "/".join([output.rstrip("/"), self.name, *["*"] * len(self.partitions), name])

    def manifest_path(self, output: str, partition: str) -> str:
        """A partition's manifest, the URIs of its data files one per line (object
        stores): OUTPUT/<table>/_manifest/<partition>/manifest."""
        return "/".join([output.rstrip("/"), self.name, MANIFEST_DIR, partition, "manifest"])

    def manifests_glob(self, output: str) -> str:
        return self.manifest_path(output, "/".join(["*"] * len(self.partitions)))

    def row(self, **values: Any) -> dict:
        """A complete row: every column present (nulls and empty lists by default)."""
        unknown = set(values) - set(self.columns) - set(self.partition_names)
        if unknown:
            raise KeyError(f"{self.name}: unknown column(s) {sorted(unknown)}")
        out = {}
        for f in self.schema:
            default = [] if pa.types.is_list(f.type) else None
            out[f.name] = values.get(f.name, default)
        for name in self.partition_names:
            out[name] = values.get(name)
        return out

    def to_arrow(self, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
        """Rows (partition keys ignored) as an Arrow table of exactly this schema."""
        return pa.Table.from_pylist(
            [{c: r[c] for c in self.columns} for r in rows], schema=self.schema)

    def doc(self, column: str) -> str:
        for f in (*self.schema, *self.partitions):
            if f.name == column:
                return (f.metadata or {}).get(b"doc", b"").decode()
        raise KeyError(column)


DATE = _col("date", pa.date32(), "partition: articles and entities, the UTC day of the "
            "article's published_at, else the UTC ingestion day; "
            "events, the event date; rejects, the UTC ingestion day", nullable=False)
REGION = _col("region", pa.string(), "partition: ISO 3166-1 alpha-2 country, ZZ when unknown",
              nullable=False)

ARTICLES = Table(
    name="articles",
    schema=pa.schema([
        _col("article_id", pa.string(), "stable id: the same article gets the same id in every run",
             nullable=False),
        _col("url", pa.string(), "canonical URL; file:// URI for a local file without one",
             nullable=False),
        _col("external_id", pa.string(), "id given by the input: JSONL id, feed entry GUID, "
             "WARC-Record-ID"),
        _col("input_ref", pa.string(), "where the row was read from: file path (+ line), "
             "feed + entry GUID", nullable=False),
        _col("source", pa.string(), "publisher or site name, else the domain", nullable=False),
        _col("feed_url", pa.string(), "the feed the article came from"),
        _col("title", pa.string(), "headline"),
        _col("authors", pa.list_(pa.string()), "author names", nullable=False),
        _col("published_at", TIMESTAMP, "publication time, UTC (midnight UTC of "
             "published_date when the source gives only a day)"),
        _col("published_date", pa.date32(), "publication day as the publisher states it, in "
             "its own time zone (a page's, feed's or export's 2020-05-04T04:25:13+07:00 is "
             "2020-05-04); for a time written in UTC or with no zone, and crawl dates, its "
             "UTC day; never after the ingestion day anywhere on earth"),
        _col("date_source", pa.string(), "where published_at and published_date came from: "
             "html (page metadata and its dates), url (only the page's address), feed, input, "
             "text (a dateline), captured (crawl date), assumed (--published-on) or ingested "
             "(none: both null, the partition is the ingestion day)",
             nullable=False),
        _col("ingested_at", TIMESTAMP, "when this run read the article", nullable=False),
        _col("language", pa.string(), "ISO 639-1 language of the text"),
        _col("content_source", pa.string(), "what the text was taken from: page (an HTML "
             "page: file, fetched or archived), feed_entry (the feed entry's own content, "
             "when there is no page or it held no article), text, fragment (HTML snippet)",
             nullable=False),
        _col("categories", pa.list_(pa.string()), "the input's categories or tags (feeds)",
             nullable=False),
        _col("text", pa.string(), "cleaned main text, paragraphs separated by blank lines",
             nullable=False),
        _col("word_count", pa.int32(), "words in text", nullable=False),
        _col("content_hash", pa.string(), "hash of the normalised text (exact duplicates share it)",
             nullable=False),
        _col("story_id", pa.string(), "story: syndicated copies of one story (other sites, "
             "light edits) share it; in batch the smallest article_id among them, in "
             "streaming the first copy's seen within the horizon", nullable=False),
        _col("country_code", pa.string(), "the article's main country, ISO 3166-1 alpha-2"),
    ]),
    partitions=(DATE, REGION),
    sort_by=("published_at", "ingested_at", "article_id"),
    description="One row per distinct article. The `date` partition is the UTC day of "
                "`published_at` (else the UTC ingestion day), as the users' contract fixes "
                "it; `published_date` keeps the day the publisher states beside it: a page "
                "saying 2020-05-04T04:25:13+07:00 is in date=2020-05-03 with published_date "
                "2020-05-04. Filter on published_date for the publisher's day.",
)

ENTITIES = Table(
    name="entities",
    schema=pa.schema([
        _col("article_id", pa.string(), "the article the mention is in", nullable=False),
        _col("entity_id", pa.string(), "the same real-world entity gets the same id across "
             "articles, e.g. geonames:170654", nullable=False),
        _col("text", pa.string(), "the mention as written", nullable=False),
        _col("label", pa.string(), "PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...", nullable=False),
        _col("canonical_name", pa.string(), "the entity's full name: a place's English name "
             "(Daraa, Haryana, Zurich; the text's own spelling stays in text), a nationality's "
             "adjective (Syrian), a person's fullest name in the article (Bashar al-Assad for "
             "the mention Assad)", nullable=False),
        _col("start_char", pa.int32(), "offset of the mention in articles.text (code points)",
             nullable=False),
        _col("end_char", pa.int32(), "end offset (exclusive) in articles.text", nullable=False),
        _col("geonames_id", pa.int64(), "GeoNames id of a resolved place: a city, a "
             "first-level region, a second-level one (English and US counties, French "
             "departments, districts), a country or a continent; for a site, the town it is "
             "placed in; none for a larger region (newsbeam's own table)"),
        _col("place_kind", pa.string(), "what a resolved place is: city, admin2, admin1 "
             "(first-level region), country, region (a well-known larger region, sea, river "
             "or range: Middle East, Atlantic Ocean, Midwest, Nile), continent, or site (a "
             "street, building, venue or local lake, river or island: Royal Street, Alder "
             "Hey Children's Hospital, Lake Manassas, which no gazetteer holds, placed at "
             "the town the text names nearest to it); how finely it places a mention"),
        _col("country_code", pa.string(), "ISO 3166-1 alpha-2: a place's country (none for a "
             "continent or a region across countries), a nationality's country"),
        _col("admin1_code", pa.string(), "ISO 3166-2 first-level subdivision, e.g. SY-DR"),
        _col("latitude", pa.float64(), "every resolved place: a city's GeoNames point; a "
             "country's, region's or continent's representative point (for large "
             "countries it can lie hundreds of km from GeoNames' own); a county's or "
             "district's without an ISO 3166-2 code the mean point of its towns; a larger "
             "region's approximate centre, a river's mouth; a site's town's point; none for "
             "a nationality (NORP), "
             "which keeps its country_code only"),
        _col("longitude", pa.float64(), "as latitude"),
    ]),
    partitions=(DATE, REGION),
    sort_by=("article_id", "start_char", "end_char"),
    description="One row per entity mention; in its article's partition.",
)

EVENTS = Table(
    name="events",
    schema=pa.schema([
        _col("event_id", pa.string(), "stable id", nullable=False),
        _col("article_id", pa.string(), "the article the event was found in", nullable=False),
        _col("event_type", pa.string(), "PLOVER event type, upper case (ASSAULT, PROTEST, ...)",
             nullable=False),
        _col("event_mode", pa.string(), "PLOVER mode where the text shows it (arrest, firearms, "
             "demo, ...)"),
        _col("cameo_code", pa.string(), "CAMEO root code, two digits"),
        _col("quad_class", pa.int8(), "1 verbal cooperation, 2 material cooperation, "
             "3 verbal conflict, 4 material conflict", nullable=False),
        _col("actor", pa.string(), "who acted"),
        _col("actor_country", pa.string(), "the actor's ISO alpha-2 country"),
        _col("actor_sector", pa.string(), "government, military, police, rebels, protesters, "
             "civilians, ... where the text says so"),
        _col("recipient", pa.string(), "to whom or against whom"),
        _col("recipient_country", pa.string(), "the recipient's ISO alpha-2 country"),
        _col("recipient_sector", pa.string(), "the recipient's sector, as for the actor"),
        _col("location", pa.string(), "where: the place's English name (its entities "
             "canonical_name, e.g. Daraa), as written in the text when the place is not "
             "resolved"),
        _col("geonames_id", pa.int64(), "GeoNames id of the location (a site's town)"),
        _col("location_kind", pa.string(), "the location's place_kind: site, city, admin2, "
             "admin1, country, region or continent (an event placed only by its country is "
             "as fine as that)"),
        _col("admin1_code", pa.string(), "ISO 3166-2 subdivision of the location"),
        _col("latitude", pa.float64(), "of the location"),
        _col("longitude", pa.float64(), "of the location"),
        _col("event_date", pa.date32(), "when it happened: a day the text names for it (never "
             "one of a future clause or a deadline), else the publication day", nullable=False),
        _col("date_source", pa.string(), "text, published or ingested", nullable=False),
        _col("trigger", pa.string(), "the word that expresses the event", nullable=False),
        _col("sentence", pa.string(), "the evidence sentence", nullable=False),
        _col("start_char", pa.int32(), "offset of the sentence in articles.text", nullable=False),
        _col("end_char", pa.int32(), "end offset (exclusive) of the sentence", nullable=False),
        _col("confidence", pa.float32(), "0..1: higher for clear, attributed, specific sentences",
             nullable=False),
        _col("cluster_id", pa.string(), "one real event: its reports share it, across "
             "sentences (same type; same day, or none named; same city, or only its country; "
             "no conflicting actor), articles and outlets (same type, day, city and actor "
             "country or sector); count events once with count(DISTINCT cluster_id)",
             nullable=False),
        _col("cluster_articles", pa.int32(), "how many articles report the event: in batch "
             "the run's, in streaming those seen so far within the horizon", nullable=False),
        _col("cluster_sources", pa.int32(), "how many distinct sources (outlets) report it",
             nullable=False),
    ]),
    partitions=(DATE, REGION),
    sort_by=("event_date", "event_id"),
    description="One row per coded event; partitioned by the day it happened and its "
                "place's country.",
)

REJECTS = Table(
    name="rejects",
    schema=pa.schema([
        _col("input_ref", pa.string(), "where the item came from: path, URL, path + line, "
             "feed + GUID", nullable=False),
        _col("stage", pa.string(), "read, parse, extract, ...", nullable=False),
        _col("reason", pa.string(), "short code: malformed_feed, empty_text, too_large, ...",
             nullable=False),
        _col("detail", pa.string(), "the human-readable message", nullable=False),
        _col("ingested_at", TIMESTAMP, "when this run read the item", nullable=False),
    ]),
    partitions=(DATE,),
    sort_by=("ingested_at", "input_ref"),
    description="One row per input item that did not become an article, with the reason.",
)

TABLES = {t.name: t for t in (ARTICLES, ENTITIES, EVENTS, REJECTS)}
