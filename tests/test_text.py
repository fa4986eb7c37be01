from newsbeam.core import text


def test_normalise_drops_credit_and_promo_lines_and_keeps_paragraphs():
    raw = ("Photo: AFP\n\nRebels entered the city on Saturday.\r\n\r\n"
           "Stay up to date with the latest news. Follow KT on WhatsApp Channels.\n\n"
           "Residents   celebrated\nin the main square.\n\nRead more: Rebels advance on Homs")
    assert text.normalise(raw) == ("Rebels entered the city on Saturday.\n\n"
                                   "Residents celebrated in the main square.")


def test_normalise_keeps_ordinary_sentences_that_mention_photos_or_following():
    raw = "Police followed the suspects to Mombasa.\n\nThe photo exhibition opened on Monday."
    assert text.normalise(raw) == raw


def test_fragment_to_text_makes_paragraphs_and_skips_scripts():
    html = "<p>First <b>bold</b> para.</p><script>var x;</script><p>Second &amp; last.</p>"
    assert text.normalise(text.fragment_to_text(html)) == "First bold para.\n\nSecond & last."


def test_sentences_respect_abbreviations_initials_and_quotes():
    body = ('Gen. Smith met U.S. officials in Washington on Jan. 5. They agreed. '
            '"We won," he said. J. R. Doe left.')
    found = [body[s:e] for s, e in text.sentences(body)]
    assert found == ["Gen. Smith met U.S. officials in Washington on Jan. 5.", "They agreed.",
                     '"We won," he said.', "J. R. Doe left."]


def test_sentences_never_cross_paragraphs():
    body = "No full stop here\n\nNext paragraph. Second sentence."
    assert [body[s:e] for s, e in text.sentences(body)] == [
        "No full stop here", "Next paragraph.", "Second sentence."]


def test_content_hash_ignores_case_punctuation_and_spacing():
    assert text.content_hash("Police arrested 43 people.") == \
        text.content_hash("police  arrested 43 people")
    assert text.content_hash("Police arrested 43 people.") != \
        text.content_hash("Police arrested 44 people.")


def test_dateline_finds_story_start_place_and_agency():
    story = "BENI, Democratic Republic of Congo, Nov 20 (Meridian) - Rebel fighters attacked"
    found = text.dateline(story)
    assert story[found.body_start:].startswith("Rebel fighters")
    assert story[slice(*found.place)] == "BENI"
    assert story[slice(*found.agency)] == "Meridian"
    bogota = text.dateline("BOGOTÁ, Colombia — Truck drivers")
    assert bogota.body_start == len("BOGOTÁ, Colombia — ") and bogota.agency is None
    assert text.dateline("PORT-AU-PRINCE, Haiti (AP) — Gangs").place == (0, 14)
    california = "SAN JOSE, Calif. — A chip maker"
    assert california[slice(*text.dateline(california).region)] == "Calif."
    assert text.dateline("KANO, Nov 21 (Wire) - A fire").region is None
    assert text.dateline("Syrian rebels said - they advanced") == text.Dateline(0)


def test_datelines_inside_a_text_are_found():
    roundup = ("WARDEN, Ore. (Wire) - The council voted on Monday. Farmers welcomed it. "
               "BOISE, Idaho — A new bridge opened.\n\nTULSA — Rain fell. It said so. "
               "NATO - the alliance - met. Photo by A. Writer. DENVER (Wire) — Snow fell.")
    found = [roundup[slice(*line.place)] for line in text.datelines(roundup)]
    assert found == ["WARDEN", "BOISE", "TULSA", "DENVER"]
    assert roundup[slice(*text.datelines(roundup)[1].region)] == "Idaho"
    assert text.datelines("Syrian rebels said - they advanced. Nothing more.") == []
