import dataclasses
import datetime as dt

import pytest

from newsbeam.core.articles.cleaning import CleaningSettings, article_id, clean
from newsbeam.core.records import RawItem, Rejected

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
PARAGRAPHS = [
    "Dock workers in Marseille walked off the job on Tuesday, halting container traffic at "
    "the port for the second time this month.",
    "The CGT union said the strike would continue until the port authority withdrew a plan "
    "to automate two terminals.",
    "Police cleared a blockade at the northern gate after three hours, a spokeswoman for the "
    "prefecture said.",
]
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Marseille dockers strike again | The Harbour Times</title>
<meta property="og:site_name" content="The Harbour Times">
<meta property="article:published_time" content="2026-11-24T07:30:00+01:00">
<link rel="canonical" href="https://harbour.example/2026/11/dockers?utm_source=rss">
</head><body><nav><a href="/">Home</a><a href="/world">World</a></nav>
<article><h1>Marseille dockers strike again</h1><p class="byline">By Claire Martin</p>
{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}
<p>Subscribe to our newsletter for daily updates.</p></article>
<footer>© 2026 The Harbour Times. All rights reserved.</footer></body></html>"""


def page_item(body=PAGE, **kw):
    return RawItem(input_ref="/d/page.html", kind="page", body=body, ingested_at=NOW,
                   url="file:///d/page.html", **kw)


def test_page_text_title_date_url_and_source():
    article = clean(page_item())
    assert article["text"] == "\n\n".join(PARAGRAPHS)
    assert article["title"] == "Marseille dockers strike again"
    assert article["published_at"] == dt.datetime(2026, 11, 24, 6, 30, tzinfo=dt.timezone.utc)
    assert article["date_source"] == "html" and article["date"] == "2026-11-24"
    assert article["url"] == "https://harbour.example/2026/11/dockers"
    assert article["source"] == "The Harbour Times"
    assert article["language"] == "en"
    assert article["word_count"] == sum(len(p.split()) for p in PARAGRAPHS)


def test_a_control_character_in_the_page_does_not_lose_its_article():
    # a bell character in a paragraph, as some editors leave them
    article = clean(page_item(PAGE.replace("cleared a blockade", "cleared\x07 a blockade")))
    assert article["text"] == "\n\n".join(PARAGRAPHS)


def test_article_id_is_stable_and_follows_the_url():
    first, second = clean(page_item()), clean(page_item())
    assert first["article_id"] == second["article_id"]
    assert first["article_id"] == article_id("https://harbour.example/2026/11/dockers", "x",
                                             None, "ignored")


def test_text_without_url_or_id_is_identified_by_its_content():
    body = "Headline about a port strike\n\n" + "\n\n".join(PARAGRAPHS)
    make = lambda ref: RawItem(input_ref=ref, kind="text", body=body, ingested_at=NOW)  # noqa
    a, b = clean(make("/one/a.txt")), clean(make("/two/b.txt"))
    assert a["title"] == "Headline about a port strike"
    assert a["text"] == "\n\n".join(PARAGRAPHS)
    assert a["article_id"] == b["article_id"] and a["content_hash"] == b["content_hash"]
    assert a["date_source"] == "ingested" and a["published_at"] is None


def test_dateline_gives_a_text_date():
    body = "LIMA, Peru, Nov 21 (Wire) - " + " ".join(PARAGRAPHS)
    article = clean(RawItem(input_ref="/d/x.txt", kind="text", body=body, ingested_at=NOW))
    assert article["date_source"] == "text" and article["date"] == "2026-11-21"


def test_future_dates_fall_back_to_ingestion():
    future = NOW + dt.timedelta(days=3)
    item = RawItem(input_ref="/d/x.txt", kind="text", body=" ".join(PARAGRAPHS),
                   ingested_at=NOW, published_at=future, date_source="input")
    article = clean(item)
    assert article["published_at"] is None and article["date_source"] == "ingested"


def test_language_is_detected_from_the_text():
    french = ("Les dockers de Marseille ont cessé le travail mardi, bloquant le trafic des "
              "conteneurs pour la deuxième fois ce mois-ci, a indiqué le syndicat.")
    item = RawItem(input_ref="/d/fr.txt", kind="text", body=french, ingested_at=NOW,
                   language="en")
    assert clean(item, CleaningSettings(min_words=5))["language"] == "fr"


@pytest.mark.parametrize("body,reason", [
    ("<html><body><nav></nav><div> </div></body></html>", "empty_text"),
    ("just some words without markup " * 3, "not_html"),
])
def test_pages_without_article_text_are_rejected(body, reason):
    with pytest.raises(Rejected) as err:
        clean(page_item(body))
    assert err.value.reason == reason


def test_short_texts_are_rejected_as_too_short():
    item = RawItem(input_ref="/d/s.txt", kind="text", body="Too short.", ingested_at=NOW)
    with pytest.raises(Rejected) as err:
        clean(item)
    assert err.value.reason == "too_short"


def test_markup_beyond_the_limit_is_rejected_before_extraction():
    huge = PAGE.replace("</article>", "<div><span>x</span></div>" * 200_000 + "</article>")
    with pytest.raises(Rejected) as err:
        clean(page_item(huge), CleaningSettings(max_markup_chars=1_000_000))
    assert err.value.reason == "too_large"


def test_scripts_do_not_count_towards_the_markup_limit():
    padded = PAGE.replace("<nav>", "<script>" + "x" * 3_000_000 + "</script><nav>")
    article = clean(page_item(padded), CleaningSettings(max_markup_chars=1_000_000))
    assert article["text"] == "\n\n".join(PARAGRAPHS)


# ---- hostile inputs: each is cleaned or rejected in seconds (timeouts are hang guards)

@pytest.mark.timeout(120)
def test_a_page_of_330000_short_paragraphs_is_too_large_before_extraction():
    body = PAGE.replace("</article>", "".join(f"<p>{n:X}</p>" for n in range(330_000))
                        + "</article>")
    assert len(body) < CleaningSettings().max_markup_chars
    with pytest.raises(Rejected) as err:
        clean(page_item(body))
    assert err.value.reason == "too_large" and "elements" in err.value.detail


@pytest.mark.timeout(120)
def test_sixty_thousand_short_lines_are_each_kept_once():
    lines = [f"Reading {n} taken at the harbour gauge." for n in range(60_000)]
    body = PAGE.replace("</article>", "<pre>" + "\n".join(lines + lines[:500]) + "</pre>"
                        "</article>")
    article = clean(page_item(body), CleaningSettings(max_text_chars=10_000_000))
    assert article["text"].split("\n\n") == PARAGRAPHS + lines


@pytest.mark.timeout(120)
def test_unclosed_scripts_do_not_make_cleaning_rescan_the_page():
    body = PAGE.replace("<nav>", '<script type="application/ld+json">{"a": 1} ' * 20_000
                        + "<nav>")
    with pytest.raises(Rejected) as err:
        clean(page_item(body))
    assert err.value.reason == "empty_text"  # the unclosed script holds the rest


def test_thousands_of_inline_elements_in_one_block_are_too_large():
    spans = " ".join(f"<span>tide {n}</span>" for n in range(3_000))
    with pytest.raises(Rejected) as err:
        clean(page_item(PAGE.replace("</article>", f"<p>{spans}</p></article>")))
    assert err.value.reason == "too_large" and "3,000 inline elements" in err.value.detail


def test_a_pull_quote_is_removed_and_its_paragraph_kept():
    quoted = ("“We will not go back to work while the plan stands,” said Nadia Benali, who "
              "has worked the cranes at the eastern terminal for eleven years.")
    pull_quote = "We will not go back to work while the plan stands"
    body = PAGE.replace("</article>", f"<p>{quoted}</p><p>{pull_quote}</p>"
                        "<p>港湾労働者が再びストライキ</p><p>港湾労働者が再びストライキに入り、"
                        "コンテナ輸送が止まった。</p></article>")
    paragraphs = clean(page_item(body))["text"].split("\n\n")
    assert quoted in paragraphs and pull_quote not in paragraphs
    assert "港湾労働者が再びストライキ" not in paragraphs  # a pull quote needs no spaces
    assert paragraphs[:3] == PARAGRAPHS



def with_paragraphs_before_the_second(lines: list) -> str:
    """The cleaned text of the page with these paragraphs put before its second one."""
    body = PAGE.replace(f"<p>{PARAGRAPHS[1]}</p>", "".join(
        f"<p>{line}</p>" for line in lines) + f"<p>{PARAGRAPHS[1]}</p>")
    return clean(page_item(body))["text"]

def test_prompts_to_sign_up_or_follow_are_left_out_but_not_a_story_of_signing_up():
    prompts = ["Harbour Times Newsletter", "Sign up to our daily newsletter for the latest "
               "port news", "Follow us: Facebook | Twitter", "HAZTE MIEMBRO HOY"]
    told = "New members get a free crane tour when they sign up for an account at the port."
    assert with_paragraphs_before_the_second(prompts + [told]) == "\n\n".join(
        [PARAGRAPHS[0], told, *PARAGRAPHS[1:]])


def test_links_to_other_stories_in_the_text_are_left_out():
    teasers = ["Read more: Port of Genoa braces for a strike", "VEA TAMBIÉN: Huelga en el "
               "puerto de Valencia", "Lesen Sie auch:", "Related stories"]
    assert with_paragraphs_before_the_second(teasers) == "\n\n".join(PARAGRAPHS)
    # a sentence of the story starting with such words stays
    told = ("Related stories of strikes in Genoa and Valencia spread through the port on "
            "Tuesday, union officials said.")
    body = PAGE.replace(f"<p>{PARAGRAPHS[1]}</p>", f"<p>{told}</p><p>{PARAGRAPHS[1]}</p>")
    assert told in clean(page_item(body))["text"].split("\n\n")


def test_advertising_labels_affiliate_and_copyright_notices_are_left_out():
    notices = ["ANZEIGE - Heute schon an den Hafen gedacht?", "*Werbung. Dieser Beitrag enthält "
               "Werbung für eine Reederei.", "This article contains affiliate links to shops.",
               "We test ferries ourselves. We may receive compensation if you book through "
               "our links.", "© 2026, The Harbour Times. This article may not be reprinted "
               "without written permission."]
    told = ("Anzeige gegen Unbekannt erstattete die Hafenbehörde am Mittwoch, nachdem zwei "
            "Kräne beschädigt worden waren.")
    assert with_paragraphs_before_the_second(notices + [told]) == "\n\n".join(
        [PARAGRAPHS[0], told, *PARAGRAPHS[1:]])


def test_headings_of_lists_of_stories_and_prompts_to_subscribe_are_left_out():
    lines = ["Weitere Artikel zum Thema", "Lesen Sie auch die folgenden Beiträge:",
             "Dowiedz się więcej: Strajk w porcie w Gdańsku", "Vorschau auf den nächsten Artikel",
             "Write to us at desk@harbour.example or subscribe here to our newsletter.",
             "Get the Harbour Times daily edition by email and never miss a story Free Sign Up",
             "Follow The Harbour Times on Twitter and Instagram and on Facebook, or send us a "
             "message on WhatsApp at any time of the day or night for tips."]
    assert with_paragraphs_before_the_second(lines) == "\n\n".join(PARAGRAPHS)


def test_photo_credits_and_what_a_page_says_of_itself_are_left_out():
    lines = ["Titelbild: Hafen von Marseille / Agentur", "Image illustrative : cranes at dusk by "
             "a reader, under a Creative Commons licence", "The eastern terminal at dawn. © "
             "Harbour Photo Agency", "Keine Kommentare (Kommentare erscheinen nach Freigabe)",
             "Sie sind aktuell nicht eingeloggt.", "Aktualisiert am 24.11.2026."]
    assert with_paragraphs_before_the_second(lines) == "\n\n".join(PARAGRAPHS)


def test_lines_pointing_to_a_link_are_left_out_but_not_one_announcing_the_text():
    lines = ["Hier geht es zur neuen Hafenordnung", '... weiter zu "Die Kräne"',
             "Weitere Infos unter www.harbour.example.", "Alles über den Streik findest Du hier."]
    announcing = "Die Forderungen der Gewerkschaft finden Sie hier:"
    assert with_paragraphs_before_the_second(lines + [announcing]) == "\n\n".join(
        [PARAGRAPHS[0], announcing, *PARAGRAPHS[1:]])


STANDFIRST = ("Container ships are queueing off the coast as the port's two main terminals "
              "stay shut.")
HEADLINE_AND_BYLINE = ('<article><h1>Marseille dockers strike again</h1>'
                       '<p class="byline">By Claire Martin</p>')


def with_header(header: str) -> str:
    """The page with this in place of its headline and byline."""
    return PAGE.replace(HEADLINE_AND_BYLINE, f"<article><header>{header}</header>")


def test_a_standfirst_the_extractor_drops_is_put_back_before_the_body():
    body = with_header('<h1>Marseille dockers strike again</h1>'
                       f'<p class="article-standfirst">{STANDFIRST}</p>'
                       '<p class="byline">By Claire Martin</p>')
    assert clean(page_item(body))["text"] == "\n\n".join([STANDFIRST, *PARAGRAPHS])


def test_a_standfirst_is_put_back_on_a_page_without_h1_before_a_drop_cap():
    body = with_header(f'<p class="intro">{STANDFIRST}</p>').replace(
        f"<p>{PARAGRAPHS[0]}</p>", f'<p><span class="dropcap">D</span>{PARAGRAPHS[0][1:]}</p>')
    assert clean(page_item(body))["text"] == "\n\n".join([STANDFIRST, *PARAGRAPHS])


def test_a_standfirst_giving_the_page_description_stays_and_the_byline_after_it_goes():
    body = PAGE.replace("</head>", f'<meta name="description" content="{STANDFIRST}"></head>'
                        ).replace('<p class="byline">By Claire Martin</p>',
                                  f"<p>{STANDFIRST}</p><p>By Claire Martin</p>")
    assert clean(page_item(body))["text"] == "\n\n".join([STANDFIRST, *PARAGRAPHS])


def test_a_paragraph_above_the_headline_stays_and_a_kicker_there_goes():
    lead = ("For the second time in a month the port of Marseille stands still, and the "
            "shipping lines are already sending their vessels on to Genoa and Barcelona.")
    body = PAGE.replace("<article><h1>", f"<article><p>Ports</p><p>{lead}</p><h1>")
    assert clean(page_item(body))["text"] == "\n\n".join([lead, *PARAGRAPHS])


def test_a_bio_a_caption_or_teasers_under_the_headline_are_no_standfirst():
    bio = "Claire Martin covers shipping and the ports of the Mediterranean for the paper."
    caption = "Cranes stand idle at the eastern terminal of the port on Tuesday morning."
    body = with_header('<h1>Marseille dockers strike again</h1>'
                       f'<div class="author-description">{bio}</div>'
                       f'<div class="image"><img src="/cranes.jpg" alt="">'
                       f'<div class="summary">{caption}</div></div>')
    assert clean(page_item(body))["text"] == "\n\n".join(PARAGRAPHS)
    teasers = "".join(f'<div class="teaser">Strike news {n}: the unions of the northern ports '
                      "meet again this week</div>" for n in range(3))
    body = with_header(f"<h1>Marseille dockers strike again</h1>{teasers}")
    assert clean(page_item(body))["text"] == "\n\n".join(PARAGRAPHS)


@pytest.mark.timeout(60)
def test_texts_longer_than_the_limit_are_too_long_before_normalising_them():
    paragraph = ("Ferry crews in Piraeus extended their strike on Thursday, and the ministry "
                 "said talks would resume next week. ")
    body = "\n\n".join([paragraph] * (50_000_000 // len(paragraph)))
    item = RawItem(input_ref="/d/huge.txt", kind="text", body=body, ingested_at=NOW)
    with pytest.raises(Rejected) as err:
        clean(item)
    assert err.value.reason == "too_long"
    detail = err.value.detail
    assert "100,000" in detail and f"{len(body):,}" in detail and "--max-text-chars" in detail


def test_a_text_just_under_the_limit_passes_and_one_just_over_does_not():
    settings = CleaningSettings()
    first = " ".join(PARAGRAPHS)
    filler = "\n\n".join(f"Update {n}: the port stayed closed." for n in range(5_000))
    text = (first + "\n\n" + filler)[:settings.max_text_chars - 1].rstrip(" .:\n") + "."
    article = clean(RawItem(input_ref="/d/long.txt", kind="text", body=text, ingested_at=NOW))
    assert len(article["text"]) <= settings.max_text_chars
    longer = RawItem(input_ref="/d/longer.txt", kind="text", body=text + " And more.",
                     ingested_at=NOW)
    with pytest.raises(Rejected) as err:
        clean(longer, dataclasses.replace(settings, max_text_chars=len(text)))
    assert err.value.reason == "too_long"


def test_headlines_and_cards_of_other_stories_given_as_links_are_left_out():
    teasers = ('<h2><a href="/2026/11/genoa">Genoa dockers vote to join the strike</a></h2>'
               '<a href="/2026/11/valencia"><div><p>Valencia reopens its container terminal '
               'after a week of stoppages</p></div></a>')
    body = PAGE.replace("<p>Subscribe", f"{teasers}<p>Subscribe")
    assert clean(page_item(body))["text"] == "\n\n".join(PARAGRAPHS)


def test_labels_standing_alone_are_left_out_but_not_a_sentence_opening_with_them():
    labels = ["cm/AFP", "Escucha esta nota aquí", "Listen to this article", "Bild anzeigen",
              "HARBOURTIMES.COM", "(hbt)", "Ansprechpartnerin zum Thema:", "Quellenangaben:"]
    told = "Sources at the port said the cranes would stay idle until Friday."
    assert with_paragraphs_before_the_second(labels + [told]) == "\n\n".join(
        [PARAGRAPHS[0], told, *PARAGRAPHS[1:]])


def test_prompts_to_send_letters_or_watch_a_channel_and_more_list_headings_are_left_out():
    lines = ["Submit a letter to the Harbour Times editor using our online form.",
             "¡No te pierdas nuestro canal de YouTube!", "Seguir leyendo:", "Lue myös:"]
    told = "The union asked its members to send a letter to the port authority by Friday."
    assert with_paragraphs_before_the_second(lines + [told]) == "\n\n".join(
        [PARAGRAPHS[0], told, *PARAGRAPHS[1:]])


def test_an_article_written_in_noscript_for_readers_without_scripts_is_read():
    body = PAGE.replace("".join(f"<p>{p}</p>" for p in PARAGRAPHS), '<div id="post"></div>'
                        "<script>renderPost()</script><noscript>" + "".join(
                            f"<p>{p}</p>" for p in PARAGRAPHS) + "</noscript>").replace(
        "<footer>", "<noscript><p>Turn on JavaScript to comment.</p></noscript><footer>")
    assert clean(page_item(body))["text"] == "\n\n".join(PARAGRAPHS)


def test_a_short_article_the_precise_extractor_cuts_is_read_with_the_balanced_setting():
    # the precise setting drops every <header>, here each holding a paragraph of the story
    more = ["Shipping lines have begun sending their vessels on to Genoa and Barcelona, a "
            "spokesman for the largest carrier said on Wednesday.",
            "Truck drivers waiting at the southern entrance said they had been told to expect "
            "delays of at least two days."]
    closing = ("The prefecture said it would meet the union and the port authority on "
               "Thursday morning, and that the northern gate would stay under guard until then.")
    body = PAGE.replace("".join(f"<p>{p}</p>" for p in PARAGRAPHS), "".join(
        f"<header><p>{p}</p></header>" for p in PARAGRAPHS + more) + f"<p>{closing}</p>")
    assert clean(page_item(body))["text"] == "\n\n".join([*PARAGRAPHS, *more, closing])


def test_text_in_blocks_with_a_bottom_spacing_class_is_kept():
    more = ["Shipping lines have begun sending their vessels on to Genoa and Barcelona, a "
            "spokesman for the largest carrier said on Wednesday.",
            "Truck drivers waiting at the southern entrance said they had been told to expect "
            "delays of at least two days."]
    body = PAGE.replace("".join(f"<p>{p}</p>" for p in PARAGRAPHS), '<div class="text">'
                        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
                        + '</div><div class="text text--space-bottom">'
                        + "".join(f"<p>{p}</p>" for p in more) + "</div>")
    assert clean(page_item(body))["text"] == "\n\n".join([*PARAGRAPHS, *more])
