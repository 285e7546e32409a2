"""Notebook 02's machinery (entity table, canonical entities, cues, displaCy) and its outputs on the seed."""
from __future__ import annotations

import pandas as pd
import pytest

import helpers
import newslab.entities
from conftest import SEED_SLUG, read_and_parse

REQUIRED = ["paragraph", "sentence", "start", "end", "text", "label", "canonical", "canonical_label"]


@pytest.fixture(scope="module")
def seed_entities(seed_article):
    return helpers.entity_table(seed_article)


def mentions(*pairs):
    """A minimal entity table from (text, label) pairs, one paragraph each."""
    return pd.DataFrame([{"paragraph": i, "text": t, "label": l} for i, (t, l) in enumerate(pairs)])


# --------------------------------------------------------------------------- the seed


def test_entity_table_columns_offsets_and_sentences(seed_article, seed_entities):
    assert list(seed_entities.columns) == REQUIRED + ["kind", "excluded"]
    assert len(seed_entities) == 88
    for row in seed_entities.itertuples():
        paragraph = seed_article.paragraphs[row.paragraph]
        assert paragraph.text[row.start:row.end] == row.text
        assert row.text in paragraph.sentences[row.sentence]
        assert row.kind == paragraph.kind
    assert seed_entities[["paragraph", "start"]].equals(
        seed_entities[["paragraph", "start"]].sort_values(["paragraph", "start"]))
    assert set(seed_entities.loc[seed_entities["kind"] == "embed", "text"]) == {
        "Russian General Staff", "Syria", "US Joint Chiefs of Staff", "March 13, 2018"}


def test_no_url_or_handle_is_an_entity(seed_article, seed_entities):
    raw = [row["text"] for p in seed_article.paragraphs for row in newslab.entities.raw_entities(p)]
    assert "https://t.co/TYKzzR5DDXpic.twitter.com/RTlUKIqGVt" in raw  # the model does tag it (as PERSON)
    assert not seed_entities["text"].str.contains(r"https?://|@\w|\.com/", regex=True).any()
    assert newslab.entities.is_url_or_handle("see @RT_com now", 4, 8)
    assert newslab.entities.is_url_or_handle("go to pic.twitter.com/abc today", 6, 12)
    assert not newslab.entities.is_url_or_handle("Joe met @someone", 0, 3)


def test_seed_canonical_entities(seed_entities):
    canonical = helpers.canonical_entities(seed_entities)
    assert list(canonical.columns) == ["canonical", "label", "mentions", "paragraphs"]
    people = canonical[canonical["label"] == "PERSON"]
    top = people.iloc[0]
    assert (top["canonical"], top["mentions"], top["paragraphs"]) == ("Valery Gerasimov", 4, 4)
    assert people["mentions"].iloc[1] < 4
    gpes = canonical[canonical["label"] == "GPE"].head(2)
    assert gpes[["canonical", "mentions"]].values.tolist() == [["US", 11], ["Syria", 10]]
    trump = canonical.set_index("canonical").loc["Donald Trump"]
    assert (trump["label"], trump["mentions"]) == ("PERSON", 3)
    assert "Trump" not in set(canonical["canonical"]) and "the US" not in set(canonical["canonical"])
    assert set(seed_entities.loc[seed_entities["text"] == "Dunford", "canonical"]) == {"Joseph Dunford"}
    assert canonical[["mentions", "canonical"]].equals(
        canonical[["mentions", "canonical"]].sort_values(["mentions", "canonical"], ascending=[False, True]))


def test_seed_label_disagreements_and_cue_conflicts(seed_article, seed_entities):
    disagree = seed_entities[seed_entities["label"] != seed_entities["canonical_label"]]
    assert disagree[["paragraph", "text", "label"]].values.tolist() == [
        [0, "Trump", "ORG"], [12, "Gerasimov", "ORG"], [15, "Trump", "ORG"]]
    conflicts = helpers.cue_conflicts(seed_article, seed_entities)
    assert conflicts[["paragraph", "text", "label", "expected"]].values.tolist() == [
        [4, "Nikki Haley", "ORG", "PERSON"], [4, "Khan Sheikhoun", "PERSON", "GPE or LOC or FAC"]]


def test_seed_places_acting_as_governments(seed_article, seed_entities):
    actors = helpers.places_as_actors(seed_article, seed_entities)
    assert actors[["paragraph", "text"]].values.tolist() == [
        [3, "US"], [4, "Washington"], [7, "Moscow"], [8, "Russia"], [14, "US"]]


# --------------------------------------------------------------------------- canonicalisation on made-up mentions


def test_entity_key_strips_the_possessive_and_initial_dots():
    assert helpers.entity_key("the US") == "US"
    assert helpers.entity_key("The  United Nations") == "United Nations"
    assert helpers.entity_key("Trump’s") == "Trump"
    assert helpers.entity_key("NATO's") == "NATO"
    assert helpers.entity_key("U.S.") == "US"
    assert helpers.entity_key("Theresa May") == "Theresa May"


def test_surname_merges_into_the_only_full_name():
    table = helpers.canonicalise(mentions(("Joseph Dunford", "PERSON"), ("Dunford", "PERSON"), ("Dunford", "ORG"),
                                          ("the US", "GPE"), ("US", "GPE"), ("U.S.", "GPE")))
    assert table["canonical"].tolist() == ["Joseph Dunford"] * 3 + ["US"] * 3
    assert table["canonical_label"].tolist() == ["PERSON"] * 3 + ["GPE"] * 3


def test_two_people_sharing_a_surname_are_not_merged():
    table = helpers.canonicalise(mentions(("John Smith", "PERSON"), ("Mary Smith", "PERSON"), ("Smith", "PERSON")))
    assert table["canonical"].tolist() == ["John Smith", "Mary Smith", "Smith"]


def test_a_place_or_a_non_person_full_name_is_not_a_surname():
    table = helpers.canonicalise(mentions(("George Washington", "PERSON"), ("Washington", "GPE"),
                                          ("Eastern Ghouta", "LOC"), ("Ghouta", "ORG")))
    assert table["canonical"].tolist() == ["George Washington", "Washington", "Eastern Ghouta", "Ghouta"]


def test_canonical_label_is_the_word_weighted_majority():
    # 'Donald Trump' (2 words, PERSON) against two bare 'Trump' tagged ORG: a 2-2 tie, the longest mention wins
    table = helpers.canonicalise(mentions(("Trump", "ORG"), ("Donald Trump", "PERSON"), ("Trump", "ORG")))
    assert set(table["canonical"]) == {"Donald Trump"} and set(table["canonical_label"]) == {"PERSON"}
    # three single-word ORG votes outweigh one two-word PERSON
    table = helpers.canonicalise(mentions(("Apple Inc", "PERSON"), ("Apple Inc", "ORG"), ("Apple Inc", "ORG")))
    assert set(table["canonical_label"]) == {"ORG"}
    assert newslab.entities.label_vote(["GPE", "GPE", "ORG"], ["US", "US", "US"]) == "GPE"


def test_made_up_article_end_to_end(tmp_path):
    path = tmp_path / "smiths.txt"
    path.write_text("Talks in Paris\n\nA summary of the talks.\n\n"
                    "John Smith met Mary Smith in Paris on Monday. Smith said the talks went well.\n\n"
                    "President Emmanuel Macron welcomed them. Macron said the US would help.\n", encoding="utf-8")
    article = read_and_parse(path, published="2024-01-01")
    table = helpers.entity_table(article)
    by_text = table.groupby("text")["canonical"].agg(set).to_dict()
    assert by_text["Smith"] == {"Smith"}
    assert by_text["Macron"] == {"Emmanuel Macron"}
    smith = table[table["text"] == "Smith"].iloc[0]
    assert (smith["paragraph"], smith["sentence"]) == (2, 1)
    canonical = helpers.canonical_entities(table)
    assert canonical.set_index("canonical").loc["Paris", "mentions"] == 2
    assert canonical.iloc[0]["canonical"] in {"Paris", "Emmanuel Macron"}


def test_empty_entity_table_has_the_columns(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("nothing here\n\nit is quiet.\n\nwe sat and waited.\n", encoding="utf-8")
    table = helpers.entity_table(read_and_parse(path, published="2024-01-01"))
    assert len(table) == 0 and list(table.columns) == REQUIRED + ["kind", "excluded"]
    assert list(helpers.canonical_entities(table).columns) == ["canonical", "label", "mentions", "paragraphs"]


# --------------------------------------------------------------------------- displaCy rendering is escaped


def test_entities_html_escapes_markup_in_text_entities_and_labels():
    text = "Joe said <script>alert(1)</script> and then <img src=x onerror=alert(1)> in Paris."
    start = text.index("<img")
    rows = pd.DataFrame([{"start": 0, "end": 3, "label": "PERSON"},
                         {"start": start, "end": text.index(">", start) + 1, "label": "<b>ORG</b>"},
                         {"start": text.index("Paris"), "end": len(text) - 1, "label": "GPE"}])
    page = helpers.entities_html(text, rows)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;ORG&lt;/b&gt;" in page
    assert page.count("<mark") == 3


# --------------------------------------------------------------------------- notebook 02 outputs


def test_notebook_02_outputs(seed_project):
    data = seed_project / "data" / SEED_SLUG
    table = pd.read_csv(data / "entities.csv", keep_default_na=False)
    assert list(table.columns) == REQUIRED + ["kind", "excluded"]
    assert len(table) == 88
    assert not table["text"].str.contains("http|@", regex=True).any()
    assert set(table.loc[table["text"] == "Trump", "canonical"]) == {"Donald Trump"}
    canonical = pd.read_csv(data / "canonical_entities.csv", keep_default_na=False)
    assert canonical.iloc[:2][["canonical", "label", "mentions"]].values.tolist() == [
        ["US", "GPE", 11], ["Syria", "GPE", 10]]
    people = canonical[canonical["label"] == "PERSON"]
    assert people.iloc[0][["canonical", "mentions", "paragraphs"]].tolist() == ["Valery Gerasimov", 4, 4]
    for name in ("entities_top", "entities_by_paragraph", "entity_cooccurrence"):
        for suffix in ("png", "svg"):
            assert (seed_project / "figures" / SEED_SLUG / f"{name}.{suffix}").stat().st_size > 1000
    page = (seed_project / "reports" / SEED_SLUG / "02_named_entities.html").read_text(encoding="utf-8")
    assert 'class="entities"' in page  # the displaCy rendering made it into the report
