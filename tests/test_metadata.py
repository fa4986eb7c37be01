"""Page metadata as a reader judges it: the day the page states, the headline it shows, the
people who wrote it. Each page here is written for the rule it checks."""
import datetime as dt

from newsbeam.core import dates
from newsbeam.core.articles import metadata
from newsbeam.core.articles.cleaning import clean
from newsbeam.core.records import RawItem

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
STORY = "".join(
    f"<p>Ferry crews on the northern route stopped work on {day} over a dispute about rest "
    "hours, leaving island residents without a crossing, the operator said.</p>"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday"))


def page(head: str = "", body: str = "", url: str = "https://ferries.example/news/strike"):
    html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>{head}</head>"
            f"<body><article>{body}{STORY}</article></body></html>")
    return clean(RawItem(input_ref="/d/p.html", kind="page", body=html, ingested_at=NOW,
                         url=url))


def meta_of(head: str = "", body: str = "", url: str = "https://ferries.example/news/strike",
            json_ld=()):
    html = (f"<html><head>{head}</head><body><article>{body}{STORY}</article></body></html>")
    return metadata.page_metadata(metadata.parse(html), url, json_ld, NOW.date())


# ---- the day the page states --------------------------------------------------------

def test_the_day_is_the_publishers_own_and_the_partition_the_utc_day():
    article = page('<meta property="article:published_time" content="2026-05-04T04:25:13+07:00">'
                   "<title>Ferry strike</title>")
    assert article["published_date"] == dt.date(2026, 5, 4)
    assert article["published_at"] == dt.datetime(2026, 5, 3, 21, 25, 13, tzinfo=UTC)
    # the partition stays the UTC day, as the contract with users fixes it
    assert article["date"] == "2026-05-03" and article["date_source"] == "html"


def _read_and_clean(name: str, data: bytes) -> list[dict]:
    from newsbeam.core.records import ITEM
    from newsbeam.core.sources.readers import read_document
    return [clean(found.value) for found in read_document(name, data, NOW)
            if found.kind == ITEM]


FERRY_TEXT = ("Ferry crews on the northern route stopped work over a dispute about rest hours, "
              "leaving island residents without a crossing, the operator said. ") * 3


def test_feeds_and_exports_state_the_day_in_their_own_zone():
    """The same instant written in UTC+7: the day the feed or the export states is
    4 May, the UTC instant 3 May; one written in UTC stays its UTC day."""
    export = "\n".join(
        '{"url": "https://ferries.example/%s", "text": "%s", "published": "%s"}'
        % (n, FERRY_TEXT + str(n), when) for n, when in
        enumerate(["2026-05-04T04:25:13+07:00", "2026-05-03T21:25:13Z"])).encode()
    feed = ("<rss version='2.0'><channel><title>Ferry News</title>"
            "<item><title>Ferry strike</title><link>https://ferries.example/feed-1</link>"
            "<guid>feed-1</guid><pubDate>Mon, 04 May 2026 04:25:13 +0700</pubDate>"
            f"<description>{FERRY_TEXT}</description></item></channel></rss>").encode()
    articles = _read_and_clean("export.jsonl", export) + _read_and_clean("desk.rss", feed)
    assert [(a["published_date"], a["published_at"], a["date"]) for a in articles] == [
        (dt.date(2026, 5, 4), dt.datetime(2026, 5, 3, 21, 25, 13, tzinfo=UTC), "2026-05-03"),
        (dt.date(2026, 5, 3), dt.datetime(2026, 5, 3, 21, 25, 13, tzinfo=UTC), "2026-05-03"),
        (dt.date(2026, 5, 4), dt.datetime(2026, 5, 3, 21, 25, 13, tzinfo=UTC), "2026-05-03"),
    ]


def test_a_publisher_ahead_of_utc_may_state_a_day_utc_has_not_reached():
    # 01:00 on the 28th at UTC+14 is 11:00 UTC on the 27th: already past at ingestion
    article = page('<meta property="article:published_time" content="2026-11-28T01:00:00+14:00">')
    assert article["published_date"] == dt.date(2026, 11, 28)
    assert article["published_at"] == dt.datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


def test_a_stated_time_after_ingestion_is_not_believed_even_on_a_plausible_day():
    article = page('<meta property="article:published_time" content="2026-11-27T18:00:00+00:00">')
    assert article["published_date"] is None and article["date_source"] == "ingested"
    assert article["date"] == "2026-11-27"


def test_a_zoned_time_outweighs_a_day_that_is_its_conversion():
    # the meta tag writes the UTC day; the JSON-LD states the time in the publisher's zone
    meta = meta_of('<meta name="dc.date" content="2026-11-23">', json_ld=[
        '{"@type": "NewsArticle", "datePublished": "2026-11-24T03:15:00+09:00"}'])
    assert meta.published_date == dt.date(2026, 11, 24)
    assert meta.published_at == dt.datetime(2026, 11, 23, 18, 15, tzinfo=UTC)


def test_a_month_without_a_day_is_no_publication_day():
    # only an image folder names a month: the 1st would be a guess
    article = page(body='<img src="https://ferries.example/media/2026/10/ferry.jpg">'
                        "<h1>Ferry crews stop work on the northern route</h1>")
    assert article["published_date"] is None and article["date_source"] == "ingested"


def test_the_first_of_a_month_counts_when_the_page_writes_it():
    article = page(body="<h1>Ferry crews stop work on the northern route</h1>"
                        "<p class='date'>Posted 01.10.2026</p>")
    assert article["published_date"] == dt.date(2026, 10, 1)


def test_a_date_written_in_words_in_the_byline():
    article = page(body="<h1>Ferry crews stop work on the northern route</h1><p class='byline'>"
                        "By Ana Lima | 19 de noviembre de 2026 - 14:05</p>")
    assert article["published_date"] == dt.date(2026, 11, 19)


def test_the_day_shown_under_the_headline_outweighs_dates_elsewhere_on_the_page():
    comments = "".join(
        f'<div class="comment"><abbr class="date" title="2026-11-{day}T10:57:27Z">'
        f"Le {day} novembre 2026</abbr><p>Merci pour cet article.</p></div>"
        for day in (20, 21, 22))
    article = page('<meta property="article:modified_time" content="2026-11-22T09:00:00Z">',
                   "<h1>Ferry crews stop work on the northern route</h1>"
                   "<p class='info'>Written: 2026-11-07 15:03 / Updated: 2026-11-22 09:00</p>"
                   + comments)
    assert article["published_date"] == dt.date(2026, 11, 7)


def test_an_update_or_a_members_joining_day_by_the_headline_is_not_the_stories():
    article = page(body="<h1>Ferry crews stop work on the northern route</h1>"
                        "<p>Updated 22 November 2026</p><dl><dt>Joined</dt>"
                        "<dd>May 11, 2017</dd></dl>", head='<meta name="date" '
                        'content="2026-11-09">')
    assert article["published_date"] == dt.date(2026, 11, 9)


def test_a_day_shown_far_from_the_headline_counts_where_the_metadata_name_it_too():
    # "11/01/2026" is read either way; the page writes 1 November out in full
    filler = "".join(f"<p>{line}</p>" for line in STORY.split("</p>")[:-1]) * 2
    article = page('<meta name="date" content="11/01/2026 12:43:42">',
                   "<h1>Ferry crews stop work on the northern route</h1>" + filler
                   + "<p>Erstellt am: 01.11.2026</p>")
    assert article["published_date"] == dt.date(2026, 11, 1)


def test_an_update_time_marked_as_such_by_the_headline_is_passed_over():
    article = page(body="<h1>Ferry crews stop work on the northern route</h1>"
                        '<time itemprop="dateModified">2026-11-20 14:15</time>'
                        '<time itemprop="datePublished" datetime="2026-11-09 10:20">'
                        "09.11.2026 10:20</time>")
    assert article["published_date"] == dt.date(2026, 11, 9)


def test_the_date_line_under_a_headline_the_title_words_differently():
    comments = "".join(f'<div class="comment"><time datetime="2026-11-2{n}">2{n}.11.2026'
                       "</time><p>Danke.</p></div>" for n in range(3))
    article = page("<title>Ferry News: crews down tools again over rest hours</title>",
                   "<h1>Ferry strike</h1><p>Posted 09.11.2026</p>" + comments)
    assert article["published_date"] == dt.date(2026, 11, 9)


def test_a_day_the_text_labels_as_published_outweighs_a_last_change():
    article = page('<meta property="og:updated_time" content="2026-11-10T18:34:20+0100">',
                   "<h1>Ferry crews stop work on the northern route</h1>"
                   + STORY + "<p>Letzte Änderung: 10.11.2026 - 14:49</p>"
                   "<p>Erschienen am: 09.11.2026</p>")
    assert article["published_date"] == dt.date(2026, 11, 9)


def test_days_labelled_as_published_in_a_list_of_stories_are_no_days_of_this_one():
    related = "".join(f"<li>Ferry timetable {n} · Published {n}. November 2026</li>"
                      for n in (2, 3))
    article = page('<meta name="date" content="2026-11-09">',
                   f"<h1>Ferry crews stop work on the northern route</h1>{STORY}"
                   f"<ul>{related}</ul>")
    assert article["published_date"] == dt.date(2026, 11, 9)


def test_the_first_full_day_a_date_line_writes():
    assert dates.first_day_written("Written: 2026-11-07 15:03") == dt.date(2026, 11, 7)
    assert dates.first_day_written("Par Claire Dubois | 30 septembre 2026") == \
        dt.date(2026, 9, 30)
    assert dates.first_day_written("13/01/2026") == dt.date(2026, 1, 13)
    assert dates.first_day_written("01/13/2026") == dt.date(2026, 1, 13)
    assert dates.first_day_written("11/01/2026") is None  # either way round
    assert dates.first_day_written("2026-11-07T10:10:52+01:00") is None  # a machine's stamp
    assert dates.first_day_written("Aktualisiert am 21.11.2026") is None
    assert dates.first_day_written("May 11, 2017", before="Joined") is None


def test_stated_times_keep_their_zone():
    stated = dates.parse_stated("2020-05-04T04:25:13+07:00")
    assert stated.date() == dt.date(2020, 5, 4) and dates.states_own_offset(stated)
    assert not dates.states_own_offset(dates.parse_stated("2020-05-04T04:25:13Z"))
    assert dates.parse_stated("2020-05-04").tzinfo is None
    assert dates.parse_datetime("2020-05-04T04:25:13+07:00") == dt.datetime(
        2020, 5, 3, 21, 25, 13, tzinfo=UTC)


def test_days_are_plausible_until_the_last_time_zone_reaches_tomorrow():
    assert dates.plausible_day(dt.date(2026, 11, 28), NOW) == dt.date(2026, 11, 28)
    assert dates.plausible_day(dt.date(2026, 11, 29), NOW) is None
    assert dates.plausible_day(dt.date(1989, 12, 31), NOW) is None


def test_a_day_written_out_in_any_common_form():
    first = dt.date(2026, 10, 1)
    for text in ("on 2026-10-01", "01.10.2026", "1/10/2026", "10/1/2026", "1 October 2026",
                 "October 1st, 2026", "1. Oktober 2026", "1 de octubre de 2026"):
        assert dates.day_written_in(text, first), text
    assert not dates.day_written_in("October 2026", first)
    assert not dates.day_written_in("11.10.2026", first)


# ---- headlines ----------------------------------------------------------------------

def test_the_visible_headline_when_the_metadata_shorten_it():
    meta = meta_of('<meta property="og:title" content="Ferry crews stop work - Island Post">'
                   '<meta property="og:site_name" content="Island Post">',
                   "<h1>Ferry crews stop work in Oban</h1>")
    assert meta.title == "Ferry crews stop work in Oban"


def test_the_pages_one_headline_wins_over_a_title_written_for_search_and_sharing():
    teaser = "Ferry strike: what islanders need to know"
    head = (f'<meta property="og:title" content="{teaser}"><title>{teaser} | Island '
            f'Post</title><meta property="og:site_name" content="Island Post">')
    meta = meta_of(head, "<h1>Crews walk out over rest hours on the northern route</h1>")
    assert meta.title == "Crews walk out over rest hours on the northern route"
    # among several headlines (teasers, widgets) the metadata's choice stands
    meta = meta_of(head, "<h1>Crews walk out over rest hours on the northern route</h1>"
                         "<h1>Most read stories this week</h1>")
    assert meta.title == teaser


def test_the_articles_one_headline_wins_beside_headlines_of_widgets_outside_it():
    teaser = "Ferry strike: what islanders need to know"
    html = (f'<html><head><meta property="og:title" content="{teaser}"><title>{teaser} | '
            "Island Post</title><meta property='og:site_name' content='Island Post'></head><body>"
            "<main><article><h1>Crews walk out over rest hours on the northern route</h1>"
            f"{STORY}</article><div class='newsletter'><h1>Our newsletter: the week's news"
            "</h1></div></main><footer><h1>Our newsletter: the week's news</h1></footer>"
            "</body></html>")
    meta = metadata.page_metadata(metadata.parse(html), "https://ferries.example/n", [],
                                  NOW.date())
    assert meta.title == "Crews walk out over rest hours on the northern route"


def test_a_kicker_in_the_headline_element_is_left_out():
    meta = meta_of('<meta property="og:title" content="Ferry crews stop work on the northern '
                   'route">', "<h1>Strike: Ferry crews stop work on the northern route</h1>")
    assert meta.title == "Ferry crews stop work on the northern route"


def test_a_kicker_in_an_element_of_its_own_at_the_headlines_start_is_left_out():
    og = '<meta property="og:title" content="Rest hours: Ferry crews stop work for a week">'
    for h1 in ('<h1><span class="overline">Rest hours</span> Ferry crews stop work for a '
               'week</h1>',
               '<h1><a href="/news/strike"><span>Rest hours row</span><span>: </span>'
               '<span>Ferry crews stop work for a week</span></a></h1>'):
        assert meta_of(og, h1).title == "Ferry crews stop work for a week", h1
    # a date above the headline, in the headline element
    assert meta_of(og, '<h1><span class="topline">21.11.2026</span>Ferry crews stop work '
                       'for a week</h1>').title == "Ferry crews stop work for a week"
    # emphasis is part of the headline; so are first words set apart for style
    assert meta_of(og, "<h1><b>Rest hours:</b> Ferry crews stop work for a week</h1>"
                   ).title == "Rest hours: Ferry crews stop work for a week"
    assert meta_of('<meta property="og:title" content="Ferry strike crews stop work">',
                   "<h1><span>Ferry strike</span> crews stop work</h1>").title == \
        "Ferry strike crews stop work"


def test_a_heading_marked_as_a_kicker_is_no_headline_nor_part_of_one():
    title = "Ferry crews stop work for a week - Rest hours row"
    meta = meta_of(f"<title>{title}</title><meta property='og:title' content='{title}'>",
                   "<h1 class='strapline'>Rest hours row</h1><h2 class='title'>Ferry crews stop "
                   "work for a week</h2>")
    assert meta.title == "Ferry crews stop work for a week"


def test_a_heading_for_screen_readers_only_is_no_headline():
    head = '<title>Harbour office - Ferry crews stop work for a week over rest hours</title>'
    for hidden in ('<h1 class="aural">Navigation and services</h1>',
                   '<h1 aria-hidden="true">Navigation and services</h1>'):
        meta = meta_of(head, hidden + "<h1><span>Ferry crews stop work for a week</span></h1>")
        assert meta.title == "Ferry crews stop work for a week", hidden


def test_the_sites_name_and_tagline_in_a_headline_element_is_no_headline():
    site = "<meta property='og:site_name' content='Island Post'>"
    meta = meta_of(f"{site}<title>Ferry crews stop work » Island Post</title>",
                   "<h1>Island Post – news of the northern isles since 1905</h1>")
    assert meta.title == "Ferry crews stop work"
    # a headline naming the site first, which the metadata give too, stays
    award = "Island Post wins an award for its ferry reporting"
    meta = meta_of(f"{site}<title>{award} » Island Post</title>", f"<h1>{award}</h1>")
    assert meta.title == award


def test_a_logo_in_a_headline_element_is_no_headline():
    meta = meta_of('<meta property="og:title" content="Ferry crews stop work">',
                   "<h1><a href='https://islandpost.example/'>Island Post, news of the "
                   "isles</a></h1>")
    assert meta.title == "Ferry crews stop work"


def test_a_kicker_the_other_metadata_give_with_the_headline_stays():
    whole = "Rest hours: Ferry crews stop work on the northern route"
    meta = meta_of(f'<meta property="og:title" content="{whole}"><title>{whole}</title>',
                   f"<h1>{whole}</h1>", json_ld=[
                       '{"@type": "NewsArticle", "headline": "Ferry crews stop work on the '
                       'northern route"}'])
    assert meta.title == whole


def test_a_site_name_after_a_spaced_colon_or_before_a_breadcrumb_goes():
    site = "<meta property='og:site_name' content='Isle Notes'>"
    meta = meta_of(f"{site}<title>Ferry crews stop work : Isle Notes | Notes from the "
                   "islands | Since 2005</title>")
    assert meta.title == "Ferry crews stop work"
    meta = meta_of(f"{site}<title>Isle Notes » Blog Archive » Ferry crews stop work</title>")
    assert meta.title == "Ferry crews stop work"
    # a spaced colon inside a headline stays ("Tramway T10 : le prolongement")
    meta = meta_of(f"{site}<title>Ferry strike : crews stop work | Isle Notes</title>")
    assert meta.title == "Ferry strike : crews stop work"


def test_after_the_sites_name_a_trail_of_sections_leaves_the_headline():
    site = "<meta property='og:site_name' content='Island Post'>"
    for title in ("Island Post - Harbour news - Ferry crews stop work for a week",
                  "Island Post - Ferry crews stop work for a week - Harbour - News"):
        assert meta_of(f"{site}<title>{title}</title>").title == \
            "Ferry crews stop work for a week", title
    # a headline's own clause after a dash is no section
    meta = meta_of(f"{site}<title>Island Post - Ferry crews stop work - talks fail</title>")
    assert meta.title == "Ferry crews stop work - talks fail"


def test_a_site_name_after_a_mark_without_spaces_in_a_chinese_title_goes():
    meta = meta_of("<title>渡轮船员今天停工一周抗议休息时间-岛报</title>")
    assert meta.title == "渡轮船员今天停工一周抗议休息时间"
    meta = meta_of("<title>渡轮船员今天停工一周抗议休息时间_岛报网</title>")
    assert meta.title == "渡轮船员今天停工一周抗议休息时间"
    # a dash in the headline stays, and so does a short title's mark
    for title in ("渡轮船员停工——岛上居民无船可乘", "渡轮-停工"):
        assert meta_of(f"<title>{title}</title>").title == title


def test_the_site_name_goes_with_its_tagline_and_separators_stay_as_written():
    meta = meta_of("<title>Crews stop work – talks fail | Island Post - News from the "
                   "islands</title><meta property='og:site_name' content='Island Post'>")
    assert meta.title == "Crews stop work – talks fail"


def test_the_headline_keeps_the_dashes_and_quotes_the_page_shows():
    title = 'Ferry crews stop work - "We need rest"'
    meta = meta_of(f"<meta property='og:title' content='{title}'><title>{title}</title>",
                   "<div><h2>Ferry crews stop work – „We need rest“</h2></div>")
    assert meta.title == "Ferry crews stop work – „We need rest“"
    # a heading of other words or other signs than dashes and quotes is another text
    meta = meta_of(f"<meta property='og:title' content='{title}'><title>{title}</title>",
                   "<h2>[Ferry crews stop work – „We need rest“]</h2>")
    assert meta.title == title


def test_soft_hyphens_and_encoded_characters_are_undone():
    meta = meta_of("<title>x</title>", "<h1>Fer\u00adry crews stop work</h1>", json_ld=[
        '{"@type": "NewsArticle", "headline": "Ferry crews stop work &#8211; again"}'])
    assert meta.title == "Ferry crews stop work"
    assert metadata._clean("Ferry crews &#8211; again") == "Ferry crews – again"


def test_a_two_word_headline_and_a_title_of_it_and_the_sites_name():
    meta = meta_of("<title>Ferry strike - Island Post of the Northern Isles (IPN)</title>",
                   "<h1>Ferry strike</h1>")
    assert meta.title == "Ferry strike"
    meta = meta_of("<title>FERRY NEWS: Ferry strike</title>", "<h1>Ferry strike</h1>")
    assert meta.title == "Ferry strike"
    tagline = "Ferry strike – read all about the risks of a crossing in winter"
    meta = meta_of(f"<title>{tagline}</title><meta property='og:title' content='{tagline}'>",
                   "<h1>Ferry strike</h1>")
    assert meta.title == "Ferry strike"


def test_a_headline_spelling_the_domain_given_for_sharing_is_not_the_site_name():
    meta = meta_of("<title>Island notes: Isleblog turns ten</title>"
                   "<meta property='og:title' content='Isleblog turns ten'>",
                   url="https://isleblog.example/2026/11/ten.html")
    assert meta.title == "Isleblog turns ten"


def test_a_headline_naming_the_site_is_not_taken_for_the_site_name():
    meta = meta_of("<title>Ten years of islandpost.example — islandpost.example</title>",
                   "<h1>Ten years of islandpost.example</h1>",
                   url="https://islandpost.example/ten-years")
    assert meta.title == "Ten years of islandpost.example"


# ---- authors ------------------------------------------------------------------------

def test_a_pseudonym_in_structured_data_is_an_author():
    meta = meta_of(json_ld=['{"@type": "BlogPosting", "author": {"@type": "Person", '
                            '"name": "kelpwatcher"}}'])
    assert meta.authors == ["kelpwatcher"]


def test_a_byline_adds_the_co_authors_structured_data_leaves_out():
    meta = meta_of(body='<p class="byline">By Ana Lima and Tomás Reyes</p>', json_ld=[
        '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ana Lima"}}'])
    assert meta.authors == ["Ana Lima", "Tomás Reyes"]


def test_bylines_of_other_stories_on_the_page_are_not_authors():
    related = '<aside><div class="author">By Peter Holm</div></aside>'
    meta = meta_of(body=related, json_ld=[
        '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ana Lima"}}'])
    assert meta.authors == ["Ana Lima"]
    meta = meta_of(body='<p class="byline">By Ana Lima</p>' + related)
    assert meta.authors == ["Ana Lima"]


def test_the_site_labels_and_links_are_not_authors():
    meta = meta_of('<meta property="og:site_name" content="Island Post">'
                   '<meta name="author" content="Island Post">',
                   '<div class="author">Veröffentlicht von Ana Lima Twitter</div>')
    assert meta.authors == ["Ana Lima"]
    assert metadata.clean_authors(["islandpost.example", "No Author", "PhD"], structured=True,
                                  sites={"islandpost"}) == []


def test_a_sites_own_name_is_no_author_but_a_blogger_it_is_named_after_is():
    # author lists name people: a newsroom signing as the paper is no author
    meta = meta_of('<meta property="og:site_name" content="Harbour Notes">',
                   '<p class="byline">By Harbour Notes</p>')
    assert meta.authors == []
    meta = meta_of(body='<span class="author">Ana Lima</span>',
                   url="https://analima.example/2026/11/ferries", json_ld=[
                       '{"@type": "BlogPosting", "author": {"@type": "Person", '
                       '"name": "Ana Lima"}}'])
    assert meta.authors == ["Ana Lima"]
    # a blog on a host's subdomain declares its owner's pseudonym as its name
    meta = meta_of('<meta property="og:site_name" content="kelpwatcher">',
                   '<span class="author">kelpwatcher</span>',
                   url="https://kelpwatcher.wordpress.com/2026/11/21/low-tide/")
    assert meta.authors == ["kelpwatcher"]


def test_a_personal_site_uncredited_elsewhere_is_by_the_person_its_address_names():
    title = "<title>Tide tables and other worries | Dr. Ana Lima</title>"
    assert meta_of(title, url="https://www.ana-lima.example/2026/11/tides").authors == [
        "Ana Lima"]
    assert meta_of("<title>Ana Lima's Notebook | Tide tables</title>",
                   url="https://analima.example/tides").authors == ["Ana Lima"]
    assert meta_of('<meta property="og:site_name" content="A.Limareva">',
                   url="https://alimar.blog.example/tides").authors == ["A.Limareva"]
    assert meta_of('<meta property="og:site_name" content="Ana Lima">',
                   url="https://analima.example/tides", json_ld=[
                       '{"@type": "BlogPosting", "author": "Ana Lima"}']).authors == ["Ana Lima"]
    # the site's name alone says nothing of its author; nor a name the address spells that
    # nothing marks as a person's
    assert meta_of(title, url="https://tides.example/2026/11/tides").authors == []
    for name in ("HARBOUR Magazine", "Twin Harbours", "Harbour Deutschland"):
        assert meta_of(f'<meta property="og:site_name" content="{name}">',
                       url="https://twinharbours.example/tides").authors == []
        assert meta_of(f'<meta property="og:site_name" content="{name}">',
                       url="https://harbour.example/tides").authors == []
    # a byline names the author wherever it does
    assert meta_of(title, '<p class="byline">By Rui Costa</p>',
                   url="https://www.ana-lima.example/2026/11/tides").authors == ["Rui Costa"]


def test_the_authors_own_answer_in_the_comments_names_a_post_that_credits_no_one():
    comments = ('<ol class="comment-list"><li class="comment byuser comment-author-tidewatch '
                'even depth-1"><div class="comment-author vcard"><b class="fn">Rui Costa</b> '
                '<span class="says">says:</span></div><p>Which ferry?</p>'
                '<ol class="children"><li class="comment byuser comment-author-kelpwatcher '
                'bypostauthor odd depth-2"><div class="comment-author vcard">'
                '<b class="fn">KelpWatcher</b> <span class="says">says:</span></div>'
                '<p>The morning one.</p></li></ol></li></ol>')
    assert meta_of(body=comments).authors == ["KelpWatcher"]
    assert meta_of(body='<p class="byline">By Ana Lima</p>' + comments).authors == ["Ana Lima"]
    assert meta_of(body=comments.replace(" bypostauthor", "")).authors == []


def test_a_submitted_by_line_names_its_user_and_a_published_label_ends_a_name():
    # Drupal's line under a post; a user name there is a pseudonym
    assert meta_of(body='<div class="submitted">Gespeichert von <span class="username">'
                        'kelpwatcher</span> am 24. Juli 2026 - 18:55</div>'
                   ).authors == ["kelpwatcher"]
    assert meta_of(body='<div class="submitted">Submitted by Ana Lima on 24 July 2026</div>'
                   ).authors == ["Ana Lima"]
    assert meta_of(body='<p class="byline">von Ana Lima Veröffentlicht am 11. Juni 2026</p>'
                   ).authors == ["Ana Lima"]


def test_a_forum_thread_is_by_the_author_of_its_first_post():
    posts = "".join(f'<article class="message" data-author="{name}"><p>{text}</p></article>'
                    for name, text in (("kelpwatcher", "Timetable out."),
                                       ("Rui Costa", "Thanks!")))
    assert meta_of(body=posts).authors == ["kelpwatcher"]


def test_a_json_ld_author_written_as_a_string_of_json_or_as_an_address():
    assert meta_of(json_ld=['{"@type": "NewsArticle", "author": '
                            '"{ \\"@type\\": \\"Person\\", \\"name\\": \\"Ana Lima\\" }"}']
                   ).authors == ["Ana Lima"]
    assert meta_of(json_ld=['{"@type": "NewsArticle", '
                            '"author": "https://ferries.example/author/alima/#author"}']
                   ).authors == []


def test_roles_firms_papers_and_pieces_of_an_organisations_name_are_no_pseudonyms():
    for marked in ("Court Reporter", "Harbour Ferries GmbH", "Letters to the Editor",
                   "Kolumnist", ",", "Theme: Harbour von kelpwatcher"):
        assert meta_of(body=f'<span class="author">{marked}</span>').authors == [], marked
    assert meta_of('<meta name="author" content="Ministerium für Häfen und Fähren">'
                   ).authors == []
    assert meta_of(body='<p class="byline">By Ana Lima | The Harbour Post</p>'
                   ).authors == ["Ana Lima"]
    assert meta_of(body='<span class="author">Ana Lima Ana Lima</span>').authors == [
        "Ana Lima"]


def test_an_element_whose_id_marks_the_author_names_the_author():
    sidebar = '<div class="sidebar"><span class="author">Rui Costa</span></div>'
    assert meta_of(body='<div id="author_header">Ana Lima</div>' + sidebar).authors == [
        "Ana Lima"]
    assert meta_of(body='<div id="author-bio">Ana Lima writes on ferries.</div>' + sidebar
                   ).authors == ["Rui Costa"]


def test_a_user_name_made_of_a_persons_names_is_the_name_as_the_page_writes_it():
    def by(user, body=""):
        return meta_of(body=body, json_ld=['{"@type": "NewsArticle", "author": {"@type": '
                                           f'"Person", "name": "{user}"}}}}']).authors
    assert by("ana.lima", "<p>Ferries ran late again. (Ana M. Lima)</p>") == ["Ana M. Lima"]
    assert by("ana_lima") == ["Ana Lima"]
    assert by("Kelp_Watcher") == ["Kelp_Watcher"]
    assert by("www.harbourpost.example") == []


def test_a_newsroom_or_organisation_is_no_author_and_a_pseudonym_in_author_markup_is():
    meta = meta_of(json_ld=['{"@type": "NewsArticle", "author": {"@type": "Organization", '
                            '"name": "Harbour Radio"}}'])
    assert meta.authors == []
    meta = meta_of(body='<span class="author">Por Redacción Diario del Puerto</span>')
    assert meta.authors == []
    meta = meta_of(json_ld=['{"@type": "NewsArticle", "author": {"@type": "Person", '
                            '"name": "Staff and wire reports"}}'])
    assert meta.authors == []
    # a person named elsewhere on the page is the author; a web designer's meta tag is not
    meta = meta_of(body='<span class="author">Staff and wire services</span>'
                        '<p class="byline">By Ana Lima</p>')
    assert meta.authors == ["Ana Lima"]
    assert meta_of('<meta name="author" content="Webworks Design Agency">').authors == []
    assert meta_of(body='<span class="author">Roving Reporter 7</span>').authors == []
    assert meta_of(body='<span class="author">Der Tiefseetaucher</span>'
                   ).authors == ["Der Tiefseetaucher"]


def test_a_comment_forms_author_field_is_no_byline():
    form = ('<form class="comment-form"><label class="form-author">Your name here</label>'
            '<input name="author"></form>')
    assert meta_of(body=form).authors == []


def test_a_blogs_posted_by_label_is_no_part_of_the_name():
    assert meta_of(body='<span class="author">Gepostet von kelpwatcher</span>'
                   ).authors == ["kelpwatcher"]
    assert meta_of(body='<span class="post-author vcard">Eingestellt von der Michel</span>'
                   ).authors == ["der Michel"]


def test_a_byline_names_its_authors_after_a_kicker_a_date_or_a_label():
    for byline, names in (
            ('<div class="post-meta">Explainer | By Ana Lima | 13 April 2026</div>',
             ["Ana Lima"]),
            ('<div class="entry-meta">Posted on November 21, 2026 by Tomás Reyes</div>',
             ["Tomás Reyes"]),
            ('<div class="metaInfo">Ein Artikel von Jana Weber | 21.11.2026 - 12:45</div>',
             ["Jana Weber"]),
            ('<p class="info">21.11.2026 - Redaktion: Jana Weber (Pressesprecherin)</p>',
             ["Jana Weber"]),
            ('<div class="col"><h5>Datum:</h5> 21.11.2026<br>\n<h5>Autor:</h5> Jana Weber</div>',
             ["Jana Weber"]),
            ('<span class="signature">Par\u00a0<a href="/n/1">Claire Dubois</a></span>',
             ["Claire Dubois"]),
            ('<div class="autor"><h6>LUCÍA HERNÁNDEZ | Publicado hace 3 horas</h6></div>',
             ["Lucía Hernández"])):
        assert meta_of(body=byline).authors == names, byline


def test_a_byline_whose_parts_stand_in_elements_of_their_own():
    meta = meta_of(body='<div class="entry-meta"><span>am 21. November 2026</span>'
                        '<span class="byline">von <a href="/u/1">Jana Weber</a></span>'
                        '<span class="cat-links">in <a href="/c/1">Allgemeines</a></span></div>')
    assert meta.authors == ["Jana Weber"]


def test_an_authors_page_link_names_the_author_but_not_a_menu_of_all_authors():
    menu = ('<nav><ul class="menu"><li><a href="/author/peter-holm/">Peter Holm</a></li>'
            '</ul></nav>')
    meta = meta_of(body=menu + '<dl><dd><a href="/staff/ana-lima/">Ana Lima</a></dd></dl>')
    assert meta.authors == ["Ana Lima"]


def test_structured_data_naming_its_author_by_reference_to_a_person_in_its_graph():
    graph = ('{"@context": "https://schema.org", "@graph": ['
             '{"@type": "Article", "@id": "https://ferries.example/news/strike#article", '
             '"author": {"@id": "https://ferries.example/#/person/1"}, '
             '"publisher": {"@id": "https://ferries.example/#/person/1"}}, '
             '{"@type": "Person", "@id": "https://ferries.example/#/person/1", '
             '"name": "Ana Lima"}]}')
    meta = meta_of(json_ld=[graph])
    # the person publishing her own blog is its author, not a site name to leave out
    assert meta.authors == ["Ana Lima"]


def test_the_structured_source_a_byline_confirms_wins_over_one_naming_someone_else():
    meta = meta_of('<meta name="author" content="Ana Lima">',
                   '<p class="byline">By Ana Lima and Tomás Reyes</p>', json_ld=[
                       '{"@type": "NewsArticle", "author": {"@type": "Person", '
                       '"name": "Peter Holm"}}'])
    assert meta.authors == ["Ana Lima", "Tomás Reyes"]
    # unconfirmed, the JSON-LD goes first as before
    assert meta_of('<meta name="author" content="Ana Lima">', json_ld=[
        '{"@type": "NewsArticle", "author": {"@type": "Person", '
        '"name": "Peter Holm"}}']).authors == ["Peter Holm"]


def test_a_byline_naming_a_person_wins_over_a_meta_tag_no_byline_confirms():
    meta = meta_of('<meta name="author" content="Peter Holm">',
                   '<p class="post-info">Autor: <span class="author">Tomás Reyes</span></p>')
    assert meta.authors == ["Tomás Reyes"]
    # so does a byline line naming a person, and a credit for the text and photos
    assert meta_of('<meta name="author" content="Peter Holm">',
                   '<p>By Ana Lima</p>').authors == ["Ana Lima"]
    assert meta_of('<meta name="author" content="Peter Holm">',
                   '<p>Text &amp; Fotos: Jana Weber</p>').authors == ["Jana Weber"]
    # with no such element the meta tag names the author
    assert meta_of('<meta name="author" content="Ana Lima">').authors == ["Ana Lima"]


def test_a_bylines_name_wins_over_initials_in_a_byline_before_it():
    meta = meta_of(body='<span class="author">JL</span><div class="author">Ana Lima</div>')
    assert meta.authors == ["Ana Lima"]
    assert meta_of(body='<span class="author">JL</span>').authors == ["JL"]


def test_days_months_and_organisations_in_a_byline_are_not_authors():
    meta = meta_of(body='<div class="author">Donnerstag, 4. November 2026 von Jana Weber</div>')
    assert meta.authors == ["Jana Weber"]
    assert metadata.clean_authors(["Thursday", "Mai"], structured=True) == []
    meta = meta_of(body='<p class="byline">Ana Lima, Staff Attorney, Island Rights Program '
                        '&amp; Tomás Reyes, Director, Island Rights Foundation</p>', json_ld=[
        '{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ana Lima"}, '
        '{"@type": "Person", "name": "Tomás Reyes"}]}'])
    assert meta.authors == ["Ana Lima", "Tomás Reyes"]


def test_a_byline_element_and_a_handle_after_the_name():
    assert meta_of(body="<byline>Von Jana Weber, dpa</byline>").authors == ["Jana Weber"]
    meta = meta_of(body='<div class="td-post-author-name">Por <a href="/a/1">Tomás Reyes '
                        '@treyes</a> - mayo 11, 2026</div>')
    assert meta.authors == ["Tomás Reyes"]


def test_credit_words_initials_and_quotes_around_names():
    assert metadata.clean_authors(["Artikel von", "Von"], structured=True) == []
    assert metadata.clean_authors(["V", "mh"], structured=True) == ["mh"]
    assert metadata.clean_authors(["Ana Lima'", "Tomás Reyes C."]) == [
        "Ana Lima", "Tomás Reyes C."]



def test_a_label_before_von_and_the_section_after_a_name_are_no_part_of_it():
    assert metadata.clean_authors(["Pressemitteilung von Ana Lima"]) == ["Ana Lima"]
    assert metadata.clean_authors(["Von Ana Lima in Politik", "Rui Costa for the Post"]) == [
        "Ana Lima", "Rui Costa"]
    assert metadata.clean_authors(["Ana Lima Seguir", "Folgen"], structured=True) == [
        "Ana Lima"]
    assert metadata.clean_authors(["Ana Lima And Rui Costa For The Harbour Post"]) == [
        "Ana Lima", "Rui Costa"]
    assert metadata.clean_authors(["Ursula von der Leyen", "Otto von Bismarck"]) == [
        "Ursula von der Leyen", "Otto von Bismarck"]


# ---- plain texts --------------------------------------------------------------------

def text_article(body: str):
    return clean(RawItem(input_ref="/d/a.txt", kind="text", body=body, ingested_at=NOW))


def test_a_text_headline_on_the_first_line_is_its_title():
    body = ("Ferry crews stop work on the northern route\n"
            "Ferry crews on the northern route stopped work on Monday over a dispute about "
            "rest hours, leaving island residents without a crossing, the operator said.\n"
            "Talks resume on Friday.\n")
    article = text_article(body)
    assert article["title"] == "Ferry crews stop work on the northern route"
    assert article["text"].startswith("Ferry crews on the northern route stopped")


def test_a_hard_wrapped_first_line_is_not_a_title():
    body = ("Ferry crews on the northern route stopped work on Monday over a dispute\n"
            "Over rest hours, leaving island residents without a crossing, the operator\n"
            "said on Tuesday, adding that talks would resume on Friday morning.\n")
    article = text_article(body)
    assert article["title"] is None and article["text"].startswith("Ferry crews on")


def test_a_utc_stamp_gives_way_to_the_same_moment_stated_in_the_publishers_zone():
    meta = meta_of(body='<time datetime="2026-11-23T21:40:00-05:00">Nov. 23</time>', json_ld=[
        '{"@type": "NewsArticle", "datePublished": "2026-11-24T02:40:00+00:00"}'])
    assert meta.published_date == dt.date(2026, 11, 23)


def test_another_moment_on_the_day_found_is_a_second_date_not_a_conversion():
    meta = meta_of(body='<time datetime="2026-11-24T23:45:00-07:00">Nov. 24</time>', json_ld=[
        '{"@type": "NewsArticle", "datePublished": "2026-11-23T14:20:00+00:00"}'])
    assert meta.published_date == dt.date(2026, 11, 23)


def test_an_hcard_names_the_author_and_its_one_word_name_is_a_pseudonym():
    meta = meta_of(body='<p>Posted by <span class="author vcard"><a rel="author" '
                        'href="/u/kelpwatcher">kelpwatcher</a></span></p>'
                        '<div class="comment-author vcard">Peter Holm</div>')
    assert meta.authors == ["kelpwatcher"]
    meta = meta_of(body='<span class="author vcard">Ana Lima</span>')
    assert meta.authors == ["Ana Lima"]


def test_an_unnamed_site_after_a_bar_goes_and_a_short_domain_is_recognised():
    meta = meta_of("<title>Ferry crews stop work on the northern route | Isle Notes</title>")
    assert meta.title == "Ferry crews stop work on the northern route"
    meta = meta_of("<title>Ferry crews stop work - IPN.EXAMPLE</title>",
                   url="https://www.ipn.example/a")
    assert meta.title == "Ferry crews stop work" and meta.site_name == "IPN.EXAMPLE"


# ---- text the precise extractor drops -----------------------------------------------

def test_a_story_the_precise_extraction_drops_is_taken_with_the_recall_setting():
    sentences = ["Ferry crews on the northern route stopped work on Monday over rest hours.",
                 "Island residents were left without a crossing for the day, the operator said.",
                 "Talks resume on Friday, the union said in a statement to its members."]
    html = ("<html><body><div class='teaser'>"
            + "".join(f"<div class='teaser-text'>{s}</div>" for s in sentences)
            + "</div></body></html>")
    article = clean(RawItem(input_ref="/d/p.html", kind="page", body=html, ingested_at=NOW,
                            url="https://ferries.example/news/strike"))
    assert article["text"] == "\n\n".join(sentences)
