"""Notebook 04, parts 2 and 3: sentences placed in time, the tension index, and their outputs on the seed."""
from __future__ import annotations

import datetime as dt
import re

import nbformat
import pandas as pd
import pytest

import helpers
import newslab.articles
import newslab.nlp
import newslab.tension
import newslab.timeline
from conftest import SEED_SLUG, copy_project, run_collection

DCT = dt.date(2018, 3, 22)
TIMEX_COLUMNS = ["paragraph", "sentence", "start", "end", "text", "type", "value", "mod", "rule"]


def test_sentence_tense_from_spacy():
    nlp = newslab.nlp.load_nlp()
    tenses = [newslab.timeline.sentence_tense(next(nlp(text).sents)) for text in (
        "The general warned the envoy.", "Tempers continue to run high.", "The military has warned them.",
        "Such statements were made last year.", "The talk might be a sign of calm.")]
    assert tenses == ["past", "present", "present", "past", "none"]


def test_sentence_of_offsets(seed_article):
    paragraph = next(p for p in seed_article.body if "Gerasimov personally" in p.text)
    assert newslab.articles.sentence_of(paragraph, paragraph.text.index("March 13")) == 0
    assert newslab.articles.sentence_of(paragraph, paragraph.text.index("He also warned")) == 1


def test_timex_table_places_any_resolvers_offsets(seed_article, monkeypatch):
    def fake_find(text, dct, doc=None):
        return [{"start": m.start(), "end": m.end(), "text": m.group(), "type": "DATE", "value": "2018-03-13",
                 "mod": "", "rule": "fake"} for m in re.finditer("March 13", text)]
    monkeypatch.setattr(newslab.timeline, "find_timexes", fake_find)
    table = helpers.timex_table(seed_article)
    assert list(table.columns) == TIMEX_COLUMNS
    assert table[["paragraph", "sentence"]].values.tolist() == [[7, 0], [10, 0]]  # body and the embedded tweet
    for row in table.itertuples():  # offsets are into the paragraph's own text
        assert seed_article.paragraphs[row.paragraph].text[row.start:row.end] == "March 13"


def test_timex_table_resolves_anaphora_across_paragraphs(seed_article):
    table = helpers.timex_table(seed_article)
    evening = table[table["text"] == "the evening of that same day"]
    assert evening[["paragraph", "value", "type"]].values.tolist() == [[9, "2018-03-13TEV", "TIME"]]
    days = table[table["text"] == "days"]
    assert days[["paragraph", "value"]].values.tolist() == [[5, "2017-04"]]
    for row in table.itertuples():
        assert seed_article.paragraphs[row.paragraph].text[row.start:row.end] == row.text


# ----------------------------------------------------------------------------------------------- cues


@pytest.fixture(scope="module")
def cues():
    return helpers.load_tension_cues()


def fired(text: str, cues) -> list[tuple]:
    """(cue, matched words, negated_by, contribution) for every cue in a one-sentence text."""
    span = newslab.nlp.load_nlp()(text)[:]
    matches = newslab.tension.match_cues(span, cues)
    return [(m["cue"], m["matched"], m["negated_by"], m["contribution"]) for m in matches]


def test_cue_table_cites_cameo_and_goldstein(cues):
    assert list(cues.columns[:7]) == ["cue", "direction", "cameo_code", "cameo_event", "goldstein", "weight", "source"]
    assert (cues["weight"] - (-cues["goldstein"] / 10)).abs().max() < 1e-9
    assert cues["cameo_code"].str.fullmatch(r"\d{2,4}").all() and not cues["cue"].duplicated().any()
    assert set(cues["direction"]) == {"escalation", "de-escalation"}
    assert ((cues["direction"] == "escalation") == (cues["weight"] > 0)).all()
    row = cues.set_index("cue").loc["phone call"]
    assert (row["cameo_code"], row["goldstein"], row["weight"]) == ("041", 1.0, -0.1)


def test_cues_match_on_lemmas_and_multiword(cues):
    assert fired("Moscow warned them, and it warns them again.", cues) == [
        ("warn", "warned", "", 0.44), ("warn", "warns", "", 0.44)]
    assert fired("The chemical attack led to an armed conflict.", cues) == [
        ("chemical attack", "chemical attack", "", 1.0), ("armed conflict", "armed conflict", "", 1.0)]
    assert fired("They held phone calls and exchanged views.", cues) == [
        ("phone call", "phone calls", "", -0.1), ("exchange views", "exchanged views", "", -0.1)]
    assert fired("The de-escalation was welcome.", cues) == [("de-escalation", "de-escalation", "", -0.9)]
    assert fired("Warships sailed past the harbour.", cues) == []


def test_negation_flips_at_half_weight(cues):
    assert fired("There have been no meetings since 2014.", cues) == [("meeting", "meetings", "no", 0.125)]
    assert fired("Russia did not attack the base.", cues) == [("attack", "attack", "not", -0.5)]
    assert fired("The calls averted the danger of a confrontation.", cues)[-2:] == [
        ("danger", "danger", "averted", -0.3), ("confrontation", "confrontation", "averted", -0.36)]
    assert fired("Russia attacked the base.", cues) == [("attack", "attacked", "", 1.0)]


def test_sentence_tension_sums_cues_and_a_share_of_polarity(cues):
    span = newslab.nlp.load_nlp()("Moscow is ready to retaliate after the attack.")[:]
    matches = newslab.tension.match_cues(span, cues)
    assert newslab.tension.sentence_tension(matches) == pytest.approx(1.7)
    assert newslab.tension.sentence_tension(matches, polarity=-0.5) == pytest.approx(1.8)
    assert newslab.tension.sentence_tension([], polarity=0.5) == pytest.approx(-0.1)
    assert newslab.tension.format_cues(matches) == "retaliate +0.70; attack +1.00"
    assert newslab.tension.event_label("Moscow is ready.", matches) == "retaliate, attack"


def test_sentence_actors_keep_canonical_names_but_not_numbers():
    rows = [(2, 0, "PERSON", "Valery Gerasimov"), (2, 0, "PERSON", "Joseph Dunford"),
            (2, 0, "PERSON", "Valery Gerasimov"), (2, 0, "DATE", "Wednesday"), (3, 1, "GPE", "Syria")]
    entities = pd.DataFrame([{"paragraph": p, "sentence": s, "label": label, "canonical": name,
                              "canonical_label": label} for p, s, label, name in rows])
    assert newslab.timeline.sentence_actors(entities) == {(2, 0): "Joseph Dunford;Valery Gerasimov", (3, 1): "Syria"}


# ----------------------------------------------------------------------------------------------- aggregation


def test_tension_by_date_aggregates_dated_sentences_only():
    timeline = pd.DataFrame({
        "value": ["2018-03-21", "2018-03-13", "2018-03-21", "", "2014"],
        "sort_key": ["2018-03-21", "2018-03-13", "2018-03-21", "", "2014-01-01"],
        "dated_by": ["own", "own", "paragraph", "undated", "own"],
        "tension": [-0.2, 2.5, -0.6, 9.0, 0.1]})
    table = helpers.tension_by_date(timeline)
    assert list(table.columns) == ["value", "sort_key", "tension_max", "tension_mean", "n_sentences"]
    assert table["value"].tolist() == ["2014", "2018-03-13", "2018-03-21"]
    assert table["tension_max"].tolist() == [0.1, 2.5, -0.2]
    assert table["tension_mean"].tolist() == [0.1, 2.5, -0.4] and table["n_sentences"].tolist() == [1, 1, 2]


def test_broken_time_axis_panels():
    moments = [newslab.timeline.timeline_moment(v, k) for v, k in
               [("2018-03-21", "2018-03-21"), ("2014", "2014-01-01"), ("2018-03-13TEV", "2018-03-13"),
                ("2017-04", "2017-04-01")]]
    assert moments[2] == dt.datetime(2018, 3, 13, 19)
    panels = newslab.timeline.time_panels(moments)
    assert [[m.date().isoformat() for m in p] for p in panels] == [
        ["2014-01-01"], ["2017-04-01"], ["2018-03-13", "2018-03-21"]]


# ----------------------------------------------------------------------------------------------- the seed


def test_seed_outputs(seed_project):
    data = seed_project / "data" / SEED_SLUG
    timexes_csv = pd.read_csv(data / "timexes.csv", keep_default_na=False)
    assert list(timexes_csv.columns) == TIMEX_COLUMNS
    timeline = pd.read_csv(data / "timeline.csv", keep_default_na=False)
    assert list(timeline.columns) == helpers.TIMELINE_COLUMNS
    assert len(timeline) == 30 and set(timeline["dated_by"]) <= set(helpers.DATED_BY)
    assert timeline.groupby("kind").size().to_dict() == {"body": 27, "embed": 1, "standfirst": 2}
    by_date = pd.read_csv(data / "tension_by_date.csv", dtype={"value": str})
    assert list(by_date.columns) == ["value", "sort_key", "tension_max", "tension_mean", "n_sentences"]
    assert by_date["n_sentences"].sum() == (timeline["dated_by"] != "undated").sum()
    for name in ("narrative_vs_chronological", "tension_timeline"):
        for suffix in ("png", "svg"):
            assert (seed_project / "figures" / SEED_SLUG / f"{name}.{suffix}").stat().st_size > 1000


def test_seed_tension_peaks_on_march_13(seed_project):
    by_date = pd.read_csv(seed_project / "data" / SEED_SLUG / "tension_by_date.csv", dtype={"value": str})
    by_date = by_date.set_index("value")
    assert by_date["tension_max"].idxmax() == "2018-03-13"
    assert by_date.loc["2018-03-21", "tension_max"] < by_date.loc["2018-03-13", "tension_max"]
    assert by_date.loc["2018-03-21", "tension_mean"] < by_date.loc["2018-03-13", "tension_mean"]


def test_seed_sentences_and_cues(seed_project):
    timeline = pd.read_csv(seed_project / "data" / SEED_SLUG / "timeline.csv", keep_default_na=False)
    row = timeline.set_index(["paragraph", "sentence"])
    assert row.loc[(2, 0), ["value", "dated_by"]].tolist() == ["2018-03-21", "own"]
    assert row.loc[(4, 0), ["value", "dated_by"]].tolist() == ["2018-03", "own"]  # "In mid-March, … stated"
    assert row.loc[(4, 1), ["value", "dated_by"]].tolist() == ["2018-03", "narrative"]  # "She also recalled"
    assert row.loc[(7, 0), ["value", "dated_by"]].tolist() == ["2018-03-13", "own"]
    assert row.loc[(7, 1), ["value", "dated_by"]].tolist() == ["2018-03-13", "narrative"]  # "He also warned"
    assert row.loc[(8, 0), ["value", "dated_by"]].tolist() == ["2018-03-13", "narrative"]
    assert row.loc[(1, 0), ["kind", "value", "dated_by"]].tolist() == ["standfirst", "2018-03-22", "present"]
    assert row.loc[(10, 0), ["kind", "value", "dated_by"]].tolist() == ["embed", "2018-03-13", "own"]
    assert row.loc[(3, 0), ["value", "dated_by"]].tolist() == ["2018-03-22", "present"]
    assert row.loc[(7, 0), "cues"] == "tensions +0.40; retaliate +0.70; danger +0.60; attack +1.00"
    assert "meetings (negated by no) +0.12" in row.loc[(13, 0), "cues"]
    assert row.loc[(7, 0), "actors"] == "Moscow;Syria;US;Valery Gerasimov"  # "Gerasimov" under his full name


# ----------------------------------------------------------------------------------------------- no dates at all

UNDATED = """Council members argue over the Riverside bridge

Members of the Springfield town council argued about the Riverside bridge plan.

Councillor Maria Lopez warned that the cost was far too high. Mayor John Smith agreed to meet the critics.

Residents were not consulted, the Green Party said. There was no attack on the engineers of Acme Construction.
"""


def test_article_without_dates_runs_and_says_so(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "undated.txt").write_text(UNDATED, encoding="utf-8")
    run_collection(project, "undated.txt", "--published", "2024-05-01")
    slug = "council-members-argue-over-the-riverside-bridge"
    executed = nbformat.read(project / "reports" / slug / "04_timeline_tension.ipynb", as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "No date expressions found in this article" in text
    timeline = pd.read_csv(project / "data" / slug / "timeline.csv", keep_default_na=False)
    # no date of its own anywhere: acts of saying ("argued", "said") are put at publication, past events stay
    # undated (there is no earlier date for them to continue)
    assert timeline[["paragraph", "dated_by", "value"]].values.tolist() == [
        [1, "saying", "2024-05-01"], [2, "undated", ""], [2, "undated", ""], [3, "saying", "2024-05-01"],
        [3, "undated", ""]]
    by_date = pd.read_csv(project / "data" / slug / "tension_by_date.csv", dtype={"value": str})
    assert by_date["value"].tolist() == ["2024-05-01"] and by_date["n_sentences"].tolist() == [2]
    page = (project / "reports" / slug / "04_timeline_tension.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 2


def test_timeline_reuses_notebook_03_polarity(seed_article, cues):
    entities = helpers.entity_table(seed_article)
    timexes = helpers.timex_table(seed_article)
    scored_here = helpers.timeline_table(seed_article, timexes, entities, cues)
    sentiment = helpers.sentiment_table(seed_article)
    reused = helpers.timeline_table(seed_article, timexes, entities, cues, sentiment=sentiment)
    pd.testing.assert_frame_equal(scored_here.drop(columns="matches"), reused.drop(columns="matches"))
    # the reused polarity really comes from the table given: change one score and the tension follows it
    row = sentiment.index[(sentiment["level"] == "sentence") & (sentiment["paragraph"] == reused["paragraph"][0])
                          & (sentiment["sentence"] == reused["sentence"][0])][0]
    sentiment.loc[row, "polarity"] = 1.0
    changed = helpers.timeline_table(seed_article, timexes, entities, cues, sentiment=sentiment)
    assert changed["polarity"][0] == 1.0
    shift = helpers.POLARITY_SHARE * (reused["polarity"][0] - 1.0)
    assert changed["tension"][0] == round(reused["tension"][0] + shift, 3)


def test_timex_table_reads_the_article_through_its_paragraph_docs(seed_article):
    from spacy.tokens import Doc

    text = " ".join(p.text for p in seed_article.paragraphs)
    docs = [p.doc for p in seed_article.paragraphs]
    whole = Doc.from_docs(docs, ensure_whitespace=True)  # the same parses joined into one Doc
    assert whole.text == text
    assert helpers.find_timexes(text, seed_article.published, doc=docs) == helpers.find_timexes(
        text, seed_article.published, doc=whole)
    with pytest.raises(ValueError):
        helpers.find_timexes(text, seed_article.published, doc=docs[1:])
