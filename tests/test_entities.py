import datetime as dt

from newsbeam.core.language.gazetteer import name_key

UTC = dt.timezone.utc

# Written for this test in the shape of a wire story about a rebel advance: the small
# English model labels several of these cities ORG or PERSON.
ADVANCE = (
    "Syrian rebels said they seized control of the southern city of Daraa on Saturday, "
    "the cradle of the 2011 uprising against President Bashar al-Assad.\n\n"
    "Rebel commanders said the army agreed to withdraw from Daraa and move north to "
    "Damascus.\n\n"
    "Capturing Homs would cut Damascus off from the coast, where Russian forces keep a "
    "naval base. Assad's government has lost Aleppo and Hama in a week.\n\n"
    "Thousands of residents fled Homs towards Latakia and Tartus, witnesses said."
)


def test_name_keys_unify_accents_apostrophes_and_arabic_articles():
    assert name_key("Dar‘ā") == name_key("Dara")
    assert name_key("Deir el-Zor") == name_key("Deir ez-Zor") == "deir al zor"
    assert name_key("The Gambia") == "gambia"


def test_resolution_uses_the_article_countries(gazetteer):
    assert gazetteer.resolve("Tripoli").country_code == "LY"
    assert gazetteer.resolve("Tripoli", {"LB": 1.0}).country_code == "LB"
    assert gazetteer.resolve("Paris").country_code == "FR"
    paris_texas = gazetteer.resolve("Paris", {"US": 1.0})
    assert (paris_texas.country_code, paris_texas.geonames_id) == ("US", 4717560)
    assert gazetteer.resolve("U.S.").name == "United States"
    assert gazetteer.country_of_demonym("Syrian Kurdish") == "SY"


def test_places_the_model_mislabels_are_recovered(annotate):
    annotated = annotate(ADVANCE)
    places = {e["text"]: e for e in annotated.entities if e["geonames_id"]}
    for city in ("Daraa", "Damascus", "Homs", "Aleppo", "Hama", "Latakia"):
        assert places[city]["country_code"] == "SY", city
        assert places[city]["label"] in ("GPE", "LOC", "FAC")
        assert places[city]["entity_id"] == f"geonames:{places[city]['geonames_id']}"
    assert places["Damascus"]["geonames_id"] == 170654
    assert not any(e["text"] == "Capturing Homs" for e in annotated.entities)


def test_people_are_canonicalised_within_the_article(annotate):
    annotated = annotate(ADVANCE)
    assad = [e for e in annotated.entities if e["text"] in ("Assad", "Bashar al-Assad")]
    assert len(assad) == 2
    assert {e["canonical_name"] for e in assad} == {"Bashar al-Assad"}
    assert len({e["entity_id"] for e in assad}) == 1


def test_offsets_point_into_the_article_text(annotate):
    annotated = annotate(ADVANCE)
    text = annotated.article["text"]
    for e in annotated.entities:
        assert text[e["start_char"]:e["end_char"]] == e["text"]


def test_nationalities_carry_a_country(annotate):
    annotated = annotate(ADVANCE)
    norp = {e["text"]: (e["country_code"], e["canonical_name"], e["entity_id"])
            for e in annotated.entities if e["label"] == "NORP"}
    assert norp["Syrian"] == ("SY", "Syrian", "norp:sy")
    assert norp["Russian"] == ("RU", "Russian", "norp:ru")


def test_main_country_is_where_the_story_happens(annotate):
    annotated = annotate(ADVANCE)
    assert annotated.article["country_code"] == "SY"
    assert annotated.article["region"] == "SY"
    assert {e["region"] for e in annotated.entities} == {"SY"}
    kenya = annotate("NAIROBI, Kenya, Nov 18 (Wire) - Police arrested 43 protesters in "
                     "Nairobi. A British tourist and an American diplomat watched.")
    assert kenya.article["country_code"] == "KE"


def test_dateline_agency_is_not_a_place(annotate):
    annotated = annotate("PORT-AU-PRINCE, Haiti, Nov 24 (Meridian) - Gangs attacked a "
                         "police station in Croix-des-Bouquets, police in Haiti said.")
    assert all(e["text"] != "Meridian" or e["geonames_id"] is None
               for e in annotated.entities)
    assert annotated.article["country_code"] == "HT"


def test_articles_without_places_are_region_zz(annotate):
    annotated = annotate("The committee met for three hours and approved the budget.")
    assert annotated.article["country_code"] is None
    assert annotated.article["region"] == "ZZ"


def test_groups_the_model_takes_for_people(annotate):
    annotated = annotate("IDLIB, Syria - Fighters of Hayat Tahrir al-Sham entered two "
                         "villages on Tuesday, residents said. HTS commanders told Alawite "
                         "families near Jableh to leave.")
    labels = {e["text"]: e["label"] for e in annotated.entities}
    assert labels.get("Hayat Tahrir al-Sham") == "ORG"
    assert labels.get("Alawite") == "NORP"
    assert "PERSON" not in labels.values()


def test_a_name_followed_by_its_state_is_a_place_whatever_the_model_said(gazetteer):
    from newsbeam.core.language.entities import entity_rows

    text = "A brewery in the hills above Klamath Falls, Oregon, heats its tanks with hot water."
    start = text.index("Klamath")
    oregon = text.index("Oregon")
    rows, country = entity_rows("a1", text, [(start, start + len("Klamath Falls"), "PERSON"),
                                             (oregon, oregon + 6, "GPE")], gazetteer)
    klamath = next(r for r in rows if r["text"] == "Klamath Falls")
    assert (klamath["label"], klamath["admin1_code"]) == ("GPE", "US-OR")
    assert klamath["latitude"] is not None and country == "US"
