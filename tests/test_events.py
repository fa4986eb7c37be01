import datetime as dt
import json

import pytest

from newsbeam.core.events.coder import candidate_sentences

UTC = dt.timezone.utc
SATURDAY = dt.datetime(2024, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def code(annotate, coder):
    def run(text, published=SATURDAY):
        annotated = annotate(text, published)
        return annotated, coder.code([annotated])[0]
    return run


def types(events):
    return sorted(e["event_type"] for e in events)


@pytest.mark.parametrize("sentence,expected", [
    ("Police arrested 43 protesters in Nairobi on Tuesday.", ["COERCE"]),
    ("Thousands of farmers protested outside parliament in Paris on Monday.", ["PROTEST"]),
    ("The government and the teachers' union signed an agreement in Belem on Friday.",
     ["AGREE"]),
    ("Opposition leader Amina Ochieng accused the interior ministry of ordering a crackdown.",
     ["ACCUSE"]),
    ("The mayor of Bogota urged residents to stay at home.", ["REQUEST"]),
    # the participle consequence is the same attack (tests/data/events/README.md)
    ("Rebel fighters attacked an army checkpoint near Beni, killing four soldiers.",
     ["ASSAULT"]),
    ("The World Food Programme delivered 600 tonnes of food aid to families in Kassala.",
     ["AID"]),
    ("Three soldiers were killed by gunmen near Goma.", ["ASSAULT"]),
])
def test_clear_events_are_coded(code, sentence, expected):
    _, events = code(sentence)
    assert types(events) == expected


@pytest.mark.parametrize("sentence", [
    "Rebels did not attack the town of Beni.",
    "The army could attack the town of Beni next week.",
    "Did rebels attack the base near Beni?",
    "People fired shots into the air in celebration in Daraa.",
    "A flood killed twelve people in Kassala.",
    "The union plans to protest outside parliament in Nairobi.",
])
def test_what_did_not_happen_is_not_coded(code, sentence):
    assert code(sentence)[1] == []


def test_threats_are_threats_not_attacks(code):
    _, events = code("The army threatened to attack the rebel positions near Homs.")
    assert types(events) == ["THREATEN"]


def test_actor_recipient_location_and_passive_voice(code):
    _, (event,) = code("Three soldiers were killed by gunmen near Goma on Friday.")
    assert event["actor"] == "gunmen" and event["recipient"] == "Three soldiers"
    assert event["location"] == "Goma" and event["region"] == "CD"
    assert event["quad_class"] == 4 and event["cameo_code"] == "18"


def test_reported_speech_pronoun_takes_the_speaker(code):
    annotated, events = code("Syrian rebels said they seized control of the southern city "
                             "of Daraa on Saturday.")
    (event,) = events
    assert event["event_type"] == "COERCE" and event["event_mode"] == "seize"
    assert event["actor"] == "Syrian rebels" and event["actor_country"] == "SY"
    assert event["region"] == "SY" and event["geonames_id"] == 170905
    assert event["event_date"] == dt.date(2024, 12, 7) and event["date_source"] == "text"


def test_dates_come_from_the_sentence_else_the_publication(code):
    _, events = code("Rebels attacked the army in Homs late on Friday. "
                     "Rebels attacked a convoy near Hama.")
    friday, undated = sorted(events, key=lambda e: e["start_char"])
    assert (friday["event_date"], friday["date_source"]) == (dt.date(2024, 12, 6), "text")
    assert (undated["event_date"], undated["date_source"]) == (dt.date(2024, 12, 7),
                                                               "published")


def test_evidence_offsets_and_stable_ids(code):
    annotated, events = code("The committee met in Nairobi. Police arrested 12 people "
                             "in Mombasa on Monday.")
    text = annotated.article["text"]
    arrest = next(e for e in events if e["event_type"] == "COERCE")
    assert text[arrest["start_char"]:arrest["end_char"]] == arrest["sentence"]
    assert arrest["sentence"] == "Police arrested 12 people in Mombasa on Monday."
    assert arrest["trigger"] == "arrested" and 0 < arrest["confidence"] <= 1
    _, again = code("The committee met in Nairobi. Police arrested 12 people "
                    "in Mombasa on Monday.")
    assert {e["event_id"] for e in events} == {e["event_id"] for e in again}


def test_confidence_is_higher_for_attributed_specific_sentences(code):
    (vague,) = code("Two people were injured.")[1]
    (clear,) = code("Kenyan police arrested opposition leader Amina Ochieng in Nairobi.")[1]
    assert clear["confidence"] > vague["confidence"]


def test_only_sentences_with_trigger_words_are_parsed():
    text = "The weather was mild. Police arrested five men. Markets were calm."
    assert [text[s:e] for s, e in candidate_sentences(text)] == ["Police arrested five men."]


def test_a_dateline_opening_a_paragraph_after_a_standfirst_is_no_part_of_its_sentence(code):
    text = ("Drivers say the diesel rise leaves them no margin.\n\n"
            "LIMA, Peru — Truck and bus drivers blocked major roads across Lima on Monday in "
            "protest against a rise in diesel prices.")
    events = code(text)[1]
    assert events and {e["actor"] for e in events} == {"Truck and bus drivers"}
    assert all(e["sentence"].startswith("Truck and bus drivers") for e in events)


def test_an_event_its_sentence_does_not_place_is_at_the_town_not_at_a_street_before(code):
    text = ("NAIROBI, Kenya — Thousands marched in Nairobi down Kenyatta Avenue on Tuesday. "
            "Police arrested twelve protesters, a police spokesman said.")
    annotated, events = code(text)
    assert [e["text"] for e in annotated.entities if e["place_kind"] == "site"] == \
        ["Kenyatta Avenue"]
    arrests = [e for e in events if e["event_type"] == "COERCE"]
    assert arrests and {e["location"] for e in arrests} == {"Nairobi"}


@pytest.mark.parametrize("sentence", [
    "Police arrested the activist in 2019 during the fuel protests in Nairobi.",
    "Rebels attacked the town of Beni last year, killing dozens.",
    "The army shelled Homs 13 years ago, at the start of the war.",
])
def test_background_is_not_an_event_of_the_day(code, sentence):
    assert code(sentence)[1] == []


def test_recent_days_are_counted_back_from_publication(code):
    (attack,) = code("Rebels attacked an army post near Goma three days ago.")[1]
    assert attack["event_date"] == dt.date(2024, 12, 4) and attack["date_source"] == "text"
    (protest,) = code("Farmers protested in Ludhiana last week.")[1]
    assert protest["event_date"] == dt.date(2024, 11, 30)


def test_sectors_come_from_the_words(code):
    (arrest,) = code("Kenyan riot police arrested 43 striking teachers in Nairobi.")[1]
    assert (arrest["actor_sector"], arrest["recipient_sector"]) == ("police", "protesters")


def test_reports_of_one_event_share_a_cluster_and_different_events_do_not(code):
    _, first = code("Gunmen attacked a police patrol in Culiacan on Friday, killing three "
                    "officers.")
    _, again = code("On Friday gunmen attacked a police patrol in Culiacan.")
    _, elsewhere = code("Gunmen attacked a police patrol in Mazatlan on Friday.")
    attack = next(e for e in first if e["trigger"] == "attacked")
    assert attack["cluster_id"] == again[0]["cluster_id"]
    assert attack["cluster_id"] != elsewhere[0]["cluster_id"]
    assert len({e["cluster_id"] for e in first}) >= 1


@pytest.mark.parametrize("sentence,expected", [
    # phrasal verbs
    ("Burkina Faso's junta called up 50,000 reservists on Sunday.", ["MOBILIZE"]),
    ("Hamas turned down the latest Egyptian proposal on Wednesday.", ["REJECT"]),
    ("The Senate leader shot down a proposal to lower the voting age.", ["REJECT"]),
    ("Israeli troops pulled out of the Tulkarm refugee camp on Friday.", ["RETREAT"]),
    ("The head of Peru's electoral body stepped down on Thursday.", ["CONCEDE"]),
    # light verbs and event nouns
    ("The two foreign ministers held talks in Ankara on Monday.", ["CONSULT"]),
    ("Pensioners staged a sit-in outside the finance ministry in Athens.", ["PROTEST"]),
    ("Clashes erupted between police and farmers in Ludhiana on Sunday.", ["ASSAULT"]),
    ("Al-Shabaab claimed responsibility for the kidnapping of two teachers in Mandera.",
     ["ASSAULT"]),
    ("Colombian and Ecuadorian police carried out a joint raid in Sucumbios.",
     ["COOPERATE"]),
    # stances, threats and crowd control
    ("France on Saturday voiced strong backing for Morocco's autonomy plan.", ["SUPPORT"]),
    ("The union said its members would walk out unless the government paid them.",
     ["THREATEN"]),
    ("Security forces fired tear gas at protesters in Conakry on Saturday.", ["COERCE"]),
])
def test_phrasings_of_the_lexicon(code, sentence, expected):
    _, events = code(sentence)
    assert types(events) == expected


@pytest.mark.parametrize("sentence", [
    "A shark attacked a surfer off Byron Bay on Thursday.",
    "The striker attacked the near post and headed home the winner.",
    "A fuel tanker exploded on the expressway on Friday, killing nine people.",
    "The two delegations left Geneva on Tuesday without signing the accord.",
    "Hungary refrained from vetoing the EU aid package on Saturday.",
    "Argentine forces occupied the Falklands in April 1982.",
    "Wedding guests fired guns into the air in celebration in Kabul.",
    "Kyiv denied any involvement in the sabotage of the undersea cable.",
    "Opposition parties in Cameroon have called a rally for Saturday in Douala.",
])
def test_look_alikes_are_not_coded(code, sentence):
    assert code(sentence)[1] == []


def test_coordinated_places_taken_are_events_of_their_own(code):
    _, events = code("The rebels seized Aleppo and Hama in the northwest.")
    assert sorted(e["location"] for e in events) == sorted(["Aleppo", "Hama"])
    assert {e["event_type"] for e in events} == {"COERCE"}


def test_warm_cache_gives_the_same_events(annotate, coder):
    annotated = annotate("Police arrested 43 protesters in Nairobi on Tuesday. "
                         "Rebels attacked a convoy near Hama, killing four soldiers.")
    first = coder.code([annotated])[0]
    again = coder.code([annotated])[0]
    assert [(e["event_type"], e["trigger"], e["actor"]) for e in first] == \
        [(e["event_type"], e["trigger"], e["actor"]) for e in again]


@pytest.mark.parametrize("sentence,expected", [
    # headline verbs the parser reads as nouns or adjectives are parsed again
    ("UK, India seal free trade pact", ["AGREE"]),
    ("Houthis free Filipino sailors", ["RETREAT"]),
    ("China's foreign minister hosts Brazilian counterpart in Beijing", ["CONSULT"]),
    ("North Korea warns of response after US deploys bombers to Guam",
     ["MOBILIZE", "THREATEN"]),
    # event nouns the sentence takes for granted
    ("The African Union welcomed the release of the detained ministers in Niger.",
     ["RETREAT", "SUPPORT"]),
    ("Human rights groups pressed Egypt to free activist Alaa Mansour, who has been on "
     "hunger strike for 50 days.", ["PROTEST", "REQUEST"]),
    # stated refusals, votes, conditional threats
    ("Tehran said it would not accept any inspections of its military sites.", ["REJECT"]),
    ("Nurses in Auckland voted on Monday to accept the health board's pay offer.",
     ["AGREE"]),
    # not events
    ("Neither side has signed the accord, diplomats in Geneva said.", []),
    ("Shares of Siemens Energy fell after the company withdrew its profit forecast.", []),
    ("Cyclone Freddy killed hundreds of people in Malawi.", []),
])
def test_generalised_phrasings(code, sentence, expected):
    _, events = code(sentence)
    assert types(events) == expected


def test_development_sets_are_coded_as_recorded(annotate, coder):
    """Every row, every column, as benchmarks/events.py --record last wrote them: a
    change to the coder's structure codes nothing differently."""
    from benchmarks import events as bench

    recorded = [json.loads(line) for line in
                bench.RECORDED.read_text(encoding="utf-8").splitlines()]
    now = json.loads(json.dumps(bench.recorded_rows(annotate, coder), ensure_ascii=False))
    changed = [(old["id"], old["events"], new["events"]) for old, new in zip(recorded, now)
               if old != new]
    assert len(recorded) == len(now)
    assert not changed, changed[:3]


def test_each_verb_has_one_lexicon_entry():
    """A verb's rules live in one entry, in the order tried: a second entry for the same
    verb would silently replace the first."""
    import ast
    import pathlib

    from newsbeam.core.events import lexicon

    tree = ast.parse(pathlib.Path(lexicon.__file__).read_text(encoding="utf-8"))
    verbs = next(node.value for node in tree.body if isinstance(node, ast.AnnAssign)
                 and getattr(node.target, "id", None) == "VERBS")
    keys = [key.value for key in verbs.keys]
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
    assert not [name for name in vars(lexicon) if name.startswith(("_MORE", "_BEFORE"))]
