"""Notebook 04, parts 2 and 3: sentences placed in time, the tension index, and their outputs on the seed."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import helpers
import newslab.articles
import newslab.cameo
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


def fired(text: str, cues, *more: str) -> list[tuple]:
    """(lemma, CAMEO code, negated_by, tension) of every cued event of a made-up text (more: further paragraphs)."""
    paragraphs = [newslab.articles.Paragraph(0, "title", "Made-up")] + [
        newslab.articles.Paragraph(i + 1, "body", paragraph) for i, paragraph in enumerate([text, *more])]
    article = newslab.articles.parse_article(newslab.articles.Article(
        path=Path("made-up.txt"), title="Made-up", standfirst="", source="", published=DCT, published_inferred=False,
        slug="made-up", paragraphs=paragraphs))
    events = helpers.event_table(article, helpers.timex_table(article))
    scored = helpers.score_events(article, events, cues)
    cued = scored[scored["cameo_code"] != ""]
    return [(r.lemma, r.cameo_code, r.negated, r.tension) for r in cued.itertuples() if r.tension != 0]


def test_events_take_the_code_and_weight_of_cameo(cues):
    assert fired("Rebels attacked the village.", cues) == [("attack", "190", "", 1.0)]
    assert fired("Moscow warned Washington.", cues) == [("warn", "130", "", 0.44)]
    row = newslab.cameo.match_cue(cues, "warn")
    assert (row["cameo_event"], row["goldstein"], row["weight"]) == ("THREATEN", -4.4, 0.44)
    # the weight is always -Goldstein/10, for the dictionary's codes and for the supplement
    supplement = helpers.read_supplement()
    assert ((supplement["weight"] + supplement["goldstein"] / 10).abs() < 1e-9).all()
    assert (supplement["source"].str.len() > 10).all()


def test_harm_outside_politics_comes_from_the_supplement(cues):
    assert fired("Three people were killed in the crash.", cues) == [("kill", "18", "", 0.9), ("crash", "13", "", 0.6)]
    assert fired("Doctors reported an outbreak of cholera.", cues) == [("outbreak", "13", "", 0.6)]


def test_cues_count_only_in_their_event_sense(cues):
    assert fired("The company met with angry demands from regulators.", cues) == []  # no one to meet
    (meet,) = fired("The minister met with rebel leaders.", cues)
    assert meet[0] == "meet" and meet[1].startswith("0") and meet[3] < 0  # a cooperative CAMEO code
    assert fired("Executives reached an agreement to hide the losses.", cues) == []
    assert fired("Lawyers began plea talks.", cues) == []
    assert "talk" in [c[0] for c in fired("Both sides began peace talks.", cues)]
    assert fired("The airlines fought a price war.", cues) == []
    assert fired("Prices hit a record.", cues) == []  # a generic verb with no pattern and no one acting
    assert fired("Rebels blew up an old bridge.", cues)[0][0] == "blow"  # someone acts, on no one
    assert fired("The wind blew up a storm of dust.", cues) == []
    assert "blow" in [c[0] for c in fired("Two Libyans suspected of blowing up a jet were named.", cues)]
    assert "break" not in [c[0] for c in fired("Officials said as dawn broke that the rebels had fled.", cues)]


@pytest.mark.parametrize("text", ["She died peacefully at home.", "He died of cancer at 84.", "He died in 2001.",
                                  "He died of a heart attack on Monday.",
                                  "Her husband's death in 2001 left her alone."])
def test_a_natural_death_is_no_harm(text, cues):
    assert fired(text, cues) == []  # an obituary describes no conflict, threat, violence or danger


@pytest.mark.parametrize("text", ["Three people died in the crash.", "At least 247 people died.",
                                  "He died of his wounds.", "She died trying to cross the border.",
                                  "A man died after being stabbed."])
def test_a_death_with_a_cause_or_many_dead_is_harm(text, cues):
    assert ("die", "18") in [c[:2] for c in fired(text, cues)]


def test_a_game_and_a_dismissal_are_no_fighting(cues):
    assert fired("United beat City 2-1 on Saturday to reach the cup final.", cues) == []
    assert fired('"We attacked them from the first whistle," the manager said.', cues) == []
    assert fired("The company fired its chief executive in March.", cues) == []
    assert [c[0] for c in fired("Rebels beat the prisoners on Saturday.", cues)] == ["beat"]  # no game: a beating
    assert "fire" in [c[0] for c in fired("Troops fired rockets at the rebels.", cues)]  # troops act


def test_races_finals_bouts_and_elections_are_contests_not_fighting(cues):
    for text in ("Massa started from pole position and dominated the race, leading every lap.",
                 "She crushed Venus in the Wimbledon final, winning nine straight games.",
                 "Hayes grabbed 11 rebounds as Tennessee held on.",
                 "Lesnar knocked out Hunt at UFC 200 after taking him down in the first round.",
                 "Bloomberg won a second term on Tuesday, easily defeating Fernando Ferrer.",
                 "Voters punished the mayor in the election for endorsing the president."):
        assert [c for c in fired(text, cues) if c[3] >= newslab.tension.CONFLICT_MIN] == [], text
    assert "clash" in [c[0] for c in fired("Police clashed with fans after the match.", cues)]  # police: no play
    assert "fight" in [c[0] for c in fired("Troops fought rebels near the polling stations after the vote.", cues)]
    assert "attack" in [c[0] for c in fired("He is charged in three attacks, including the Olympic bombing.", cues)]


def test_a_market_crash_a_purchase_and_a_bout_are_no_conflict(cues):
    for text in ("Defensive measures were adopted after the 1987 crash, when investors fled the market.",
                 "All across Hong Kong, the property market has crashed.",
                 "She ordered a pizza.", "You would be wise to pre-order it here.",
                 "Mayweather dominated late, rocking Cotto in the 12th round to win a unanimous decision."):
        assert [c for c in fired(text, cues) if c[3] >= newslab.tension.CONFLICT_MIN] == [], text
    for text, lemma in (("A plane crashed near the airport, killing 10.", "crash"),
                        ("The roof of the stock exchange collapsed, injuring 20 traders.", "collapse"),
                        ("Police ordered the crowd to disperse.", "order"),
                        ("The general ordered troops into the city.", "order"),
                        ("The president ordered the strikes after receiving evidence.", "order")):
        assert lemma in [c[0] for c in fired(text, cues)], text


def test_a_game_told_by_its_result_or_minute_is_play_but_a_bombing_at_a_match_is_not(cues):
    assert fired("Alvarez fired the hosts into a 17th-minute lead.", cues) == []
    assert fired("City had beaten Bournemouth by an aggregate score of 10-0.", cues) == []
    assert fired("Haaland missed two matches through injury.", cues) == []  # a noun in a game is play too
    assert [c[0] for c in fired("The bombing during the cup final killed 20 fans.", cues)] == ["bombing", "kill"]


def test_in_a_match_report_every_fighting_word_is_play_but_not_beside_police_or_a_killing(cues):
    report = ["England drew 1-1 with Ukraine in their World Cup qualifier.", "Lampard scored a 86th-minute penalty.",
              "Khacherdi blocked the flick with his arm.", "Gerrard was sent off."]
    assert fired(*report[:1], cues, *report[1:]) == []  # "blocked" has no game word of its own
    assert [c[0] for c in fired(*report[:1], cues, *report[1:], "Police clashed with fans outside.")] == ["clash"]
    assert [c[0] for c in fired(*report[:1], cues, *report[1:], "A fan was killed outside.")] == ["kill"]
    # One sentence about a match does not make a war report play.
    war = ["Troops shelled the town on Monday.", "Rebels blocked the road.", "Aid was delayed.", "The cup was put off."]
    assert "block" in [c[0] for c in fired(war[0], cues, *war[1:])]


def test_company_is_no_siege_and_electioneering_no_demand(cues):
    assert fired("He died at home, surrounded by his family.", cues) == []
    assert fired("She was surrounded by loved ones.", cues) == []
    assert [c[0] for c in fired("The village was surrounded by troops.", cues)] == ["surround"]
    assert fired("Only recently he was campaigning in Wales during the election.", cues) == []
    assert fired("She campaigned for Obama in Ohio.", cues) == []
    assert [c[0] for c in fired("They campaigned for his release.", cues)] == ["campaign"]
    assert "campaign" in [c[0] for c in fired("Students campaigned against the war.", cues)]


def test_an_injury_with_no_cause_to_one_person_is_no_harm_done(cues):
    assert fired("I have been injured for a week.", cues) == []
    for text in ("Two soldiers were injured.", "He was among hundreds injured.", "The bombings injured nearly 5,000.",
                 "A policeman was injured when protesters threw stones."):
        assert "injure" in [c[0] for c in fired(text, cues)], text


def test_a_market_fight_is_competition_not_conflict(cues):
    assert fired("Last year, the group fought off a hostile takeover bid.", cues) == []
    assert fired("The chain has been battling to win back shoppers.", cues) == []
    assert [c[0] for c in fired("Troops fought rebels for control of the town.", cues)] == ["fight"]


def test_filming_holding_an_amount_needed_and_market_pressure_are_no_conflict(cues):
    for text in ("The crime film Under the City, which was shot in Chicago, opens tonight.",
                 "The movie was shot in Morocco last year.", "They shot the video in one take.",
                 "The shooting of the series began in March.",
                 "The sauropodomorphs were a group containing the largest animals.",
                 "The bill contains provisions on pensions.",
                 "The buyer said it will need about $215 million to complete the deal.",
                 "Men need 3.7 liters of fluid a day.",
                 "The oil company was pressured by recent brokerage recommendations.",
                 "Shares fell on heavy selling pressure."):
        assert [c for c in fired(text, cues) if c[3] >= newslab.tension.CONFLICT_MIN] == [], text
    for text, lemma in (("Police shot the gunman outside the bank.", "shoot"),
                        ("Troops fired tear gas to contain the protests.", "contain"),
                        ("The minister was pressured by party leaders to resign.", "pressure")):
        assert lemma in [c[0] for c in fired(text, cues)], text


def test_showing_claiming_and_winning_a_contest_are_no_conflict(cues):
    for text in ("The novel demonstrates her immense emotional range.",
                 "On Saturday, she insisted she was not focused on the record.",
                 "Atwood won the prize for her tenth novel, beating five other shortlisted authors.",
                 "After nabbing the number 1 spot on the charts, the singer returns to headline the festival.",
                 "The party captured 20 seats in the election."):
        assert [c for c in fired(text, cues) if c[3] >= newslab.tension.CONFLICT_MIN] == [], text
    for text, lemma in (("Protesters demonstrated outside parliament on Friday.", "demonstrate"),
                        ("Iran insisted that Washington must lift the sanctions.", "insist"),
                        ("Rebels seized the town's airport.", "seize"),
                        ("A ferry capsized on the river, and dozens of passengers were feared dead.", "capsize")):
        assert lemma in [c[0] for c in fired(text, cues)], text


def test_results_that_beat_expectations_are_no_fighting(cues):
    assert fired("The company reported results that beat analysts' expectations.", cues) == []
    assert fired("Its earnings per share were $2.45, beating the consensus estimate.", cues) == []
    assert [c[0] for c in fired("Police beat the protesters outside the office.", cues)] == ["beat"]


def test_material_cooperation_needs_someone_who_receives_it(cues):
    assert fired("The court ruled that the law was valid.", cues) == []
    assert fired("The ministry issued a statement on Tuesday.", cues) == []
    assert fired("The plant will provide power to the region's factories.", cues) == []
    assert [c[:2] for c in fired("Russia supplied the rebels.", cues)] == [("supply", "060")]
    assert [c[:2] for c in fired("The rebels were aided by Britain.", cues)] == [("aid", "060")]


def test_according_to_names_a_source_not_an_accord(cues):
    assert [c[0] for c in fired("Ten people were killed, according to police.", cues)] == ["kill"]
    assert fired("According to the ministry, the plant will open in May.", cues) == []


def test_an_attack_on_a_record_is_criticism(cues):
    assert fired("The senator attacked her rival's record on schools.", cues) == [("attack", "111", "", 0.2)]
    assert fired("Rebels attacked the convoy.", cues) == [("attack", "190", "", 1.0)]


def test_a_death_told_in_an_obituary_is_natural_but_a_shooting_death_is_not(cues):
    body = ["It is with deepest regret that I must announce the death of Stan Tracey today, at the age of 86.",
            "Born in London in 1926, he played the piano during the war."]
    assert not reviewed("Stan Tracey, godfather of British jazz, dies aged 86", "", body, cues)["peak"].any()
    assert reviewed("Stan Tracey, godfather of British jazz, dies aged 86", "",
                    ["He died on Monday after gunmen shot him outside his home."], cues)["peak"].any()
    assert "death" in [c[0] for c in fired("Police are investigating last month's shooting death of a doctor.",
                                           cues)]
    assert fired("Analysts said the company will need more time.", cues) == []  # a need is no demand


def test_an_obituary_has_no_peak(cues):
    body = ["Jane Doe, the actress whose films charmed a generation, died on Monday at her home in Sussex. She was 84.",
            "Her family said she died peacefully after a short illness.",
            "Born in Leeds in 1940, she married the director John Smith in 1965; he died in 2001."]
    paragraphs = [newslab.articles.Paragraph(0, "title", "Jane Doe dies at 84")] + [
        newslab.articles.Paragraph(i + 1, "body", text) for i, text in enumerate(body)]
    article = newslab.articles.parse_article(newslab.articles.Article(
        path=Path("obituary.txt"), title="Jane Doe dies at 84", standfirst="", source="", published=DCT,
        published_inferred=False, slug="obituary", paragraphs=paragraphs))
    timexes = helpers.timex_table(article)
    by_date = helpers.tension_by_date(helpers.timeline_table(article, timexes, helpers.entity_table(article), cues))
    assert len(by_date) >= 3 and not by_date["peak"].any()


def reviewed(title: str, source: str, body: list[str], cues) -> pd.DataFrame:
    """tension_by_date of a made-up article with this title, source and body."""
    paragraphs = [newslab.articles.Paragraph(0, "title", title)] + [
        newslab.articles.Paragraph(i + 1, "body", text) for i, text in enumerate(body)]
    article = newslab.articles.parse_article(newslab.articles.Article(
        path=Path("review.txt"), title=title, standfirst="", source=source, published=DCT, published_inferred=False,
        slug="review", paragraphs=paragraphs))
    timexes = helpers.timex_table(article)
    return helpers.tension_by_date(helpers.timeline_table(article, timexes, helpers.entity_table(article), cues))


def test_the_plot_of_a_reviewed_novel_film_or_play_is_no_conflict(cues):
    plot = ["A convoluted thriller brings closure to a wounded spirit.",
            "Her husband was murdered in front of her in 2019, and one of his killers was shot dead last year."]
    assert not reviewed("The Nature of Secrets", "Kirkus Reviews", plot, cues)["peak"].any()
    assert not reviewed("Macbeth review: a bloody triumph", "The Stage",
                        ["This play ends with murder on murder.", "Macbeth kills the king in his sleep."],
                        cues)["peak"].any()
    news = ["Police shot dead a man who had murdered his wife in 2019, officials said on Friday.",
            "A review of the shooting by the city began on Monday."]
    assert reviewed("Police review a fatal shooting", "City News", news, cues)["peak"].any()  # no work of fiction
    assert reviewed("A thriller of a day", "Daily News", plot, cues)["peak"].any()  # no review


def test_negation_and_prevention_flip_at_half_weight(cues):
    assert fired("There have been no meetings since 2014.", cues) == [("meeting", "040", "no", 0.05)]
    assert fired("Russia did not attack the base.", cues) == [("attack", "190", "not", -0.5)]
    assert ("danger", "13", "averted", -0.3) in fired("The calls averted the danger of a confrontation.", cues)


def test_polarity_only_modulates_and_never_makes_tension():
    attack = {"contribution": 1.0}
    assert newslab.tension.sentence_tension([attack]) == 1.0
    assert newslab.tension.sentence_tension([attack], polarity=-0.5) == pytest.approx(1.1)  # a grim tone: more
    assert newslab.tension.sentence_tension([attack], polarity=0.5) == pytest.approx(0.9)
    assert newslab.tension.sentence_tension([{"contribution": -0.5}], polarity=0.5) == pytest.approx(-0.55)
    assert newslab.tension.sentence_tension([], polarity=-1.0) == 0.0  # "Hundreds of dead fish …": no event cue


def test_the_cues_of_one_sentence_count_mostly_once():
    killed, wounded, talks = {"contribution": 0.9}, {"contribution": 0.9}, {"contribution": -0.7}
    assert newslab.tension.sentence_tension([killed, wounded]) == pytest.approx(0.9 + 0.25 * 0.9)  # one attack
    assert newslab.tension.sentence_tension([talks, killed]) == pytest.approx(0.9 - 0.25 * 0.7)
    assert newslab.tension.sentence_tension([talks]) == -0.7


def test_format_cues_and_event_label():
    matches = [
        {"cue": "retaliate", "matched": "retaliate", "cameo_code": "1724", "negated_by": "", "contribution": 0.7},
        {"cue": "meeting", "matched": "meetings", "cameo_code": "040", "negated_by": "no", "contribution": 0.05}]
    assert newslab.tension.format_cues(matches) == "retaliate [1724] +0.70; meetings [040] (negated by no) +0.05"
    assert newslab.tension.event_label("Moscow is ready.", matches) == "retaliate, no meetings"


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
        "dated_by": ["own", "own", "narrative", "undated", "own"],
        "tension": [-0.2, 2.5, -0.6, 9.0, 0.1]})
    table = helpers.tension_by_date(timeline)
    assert list(table.columns) == ["value", "sort_key", "tension_max", "tension_mean", "n_sentences", "peak"]
    assert table["value"].tolist() == ["2014", "2018-03-13", "2018-03-21"]
    assert table["tension_max"].tolist() == [0.1, 2.5, -0.2]
    assert table["tension_mean"].tolist() == [0.1, 2.5, -0.4] and table["n_sentences"].tolist() == [1, 1, 2]
    assert table["peak"].tolist() == [False, True, False]


def test_each_event_counts_on_its_own_date():
    bombing = {"contribution": 1.0, "value": "2018-03-13", "sort_key": "2018-03-13"}
    statement = {"contribution": 0.44, "value": "", "sort_key": ""}
    timeline = pd.DataFrame({"value": ["2018-03-21"], "sort_key": ["2018-03-21"], "dated_by": ["saying"],
                             "tension": [1.44], "polarity": [0.0], "matches": [[bombing, statement]]})
    table = helpers.tension_by_date(timeline)  # "said on Wednesday (warn) that the bombing of March 13 …"
    assert table[["value", "tension_max", "peak"]].values.tolist() == [
        ["2018-03-13", 1.0, True], ["2018-03-21", 0.44, False]]


def test_a_dated_event_of_an_undated_sentence_counts_on_its_date():
    march = {"contribution": 0.65, "fallback": ("2018-03-22", "2018-03-22")}  # "…, the unemployed took to the
    timeline = pd.DataFrame({"value": [""], "sort_key": [""], "dated_by": ["undated"],  # streets" (news)
                             "tension": [0.65], "polarity": [0.0], "matches": [[march]]})
    table = helpers.tension_by_date(timeline)
    assert table[["value", "tension_max", "peak"]].values.tolist() == [["2018-03-22", 0.65, True]]
    no_date = {"contribution": 0.65}
    assert helpers.tension_by_date(timeline.assign(matches=[[no_date]])).empty


def test_a_toll_reported_at_publication_counts_on_the_day_of_the_story(cues):
    paragraphs = [newslab.articles.Paragraph(0, "title", "Made-up"), newslab.articles.Paragraph(
        1, "body", "Bombs exploded at two embassies on Friday. At least 75 people were killed and 1,643 wounded "
                   "there, officials said.")]
    article = newslab.articles.parse_article(newslab.articles.Article(
        path=Path("made-up.txt"), title="Made-up", standfirst="", source="", published=DCT, published_inferred=False,
        slug="made-up", paragraphs=paragraphs))
    timexes = helpers.timex_table(article)
    by_date = helpers.tension_by_date(helpers.timeline_table(article, timexes, helpers.entity_table(article), cues))
    assert by_date.loc[by_date["peak"], "value"].tolist() == ["2018-03-16"]  # the Friday, not the saying


def made_up_article(*body: str) -> newslab.articles.Article:
    """A parsed made-up article: a title, then these body paragraphs, published on DCT."""
    paragraphs = [newslab.articles.Paragraph(0, "title", "Made-up")] + [
        newslab.articles.Paragraph(i + 1, "body", text) for i, text in enumerate(body)]
    return newslab.articles.parse_article(newslab.articles.Article(
        path=Path("made-up.txt"), title="Made-up", standfirst="", source="", published=DCT, published_inferred=False,
        slug="made-up", paragraphs=paragraphs))


def test_a_crime_report_peaks_on_the_crime_not_on_an_older_one_and_its_figure_draws(cues, tmp_path):
    article = made_up_article(
        "A man has been charged with murder after a woman was stabbed to death on Saturday night, police said "
        "on Monday.", "In 2015, the same street saw a fatal shooting that remains unsolved.")
    timeline = helpers.timeline_table(article, helpers.timex_table(article), helpers.entity_table(article), cues)
    by_date = helpers.tension_by_date(timeline)
    assert by_date.loc[by_date["peak"], "value"].tolist() == ["2018-03-17TNI"]  # murder and stabbing, that night
    assert "2018-03-19" in set(by_date["value"]) and "2018-03-19" not in set(timeline["value"])
    best = helpers.most_tense_sentence(timeline, "2018-03-19")  # only the charge is on Monday, the saying's day
    assert best["text"].startswith("A man has been charged")  # ... yet that date has its most tense sentence
    assert helpers.most_tense_sentence(timeline, "1999") is None
    helpers.plots.tension_timeline(timeline, by_date, article.title, tmp_path)
    assert (tmp_path / "tension_timeline.png").exists() and (tmp_path / "tension_timeline.svg").exists()


def test_the_publication_date_is_a_dashed_line_named_in_the_legend_not_a_label_on_the_sentences(cues, tmp_path):
    article = made_up_article("Rebels attacked the town on Saturday, officials said on Monday.")
    timeline = helpers.timeline_table(article, helpers.timex_table(article), helpers.entity_table(article), cues)
    by_date = helpers.tension_by_date(timeline)
    texts = {}
    for name, published in (("with", DCT), ("without", None)):
        (tmp_path / name).mkdir()
        helpers.plots.tension_timeline(timeline, by_date, article.title, tmp_path / name, published=published)
        texts[name] = re.findall(r"<!-- (.*?) -->", (tmp_path / name / "tension_timeline.svg").read_text())
    assert "publication date" in texts["with"] and "publication date" not in texts["without"]
    assert not any("published" in text for text in texts["with"])


def test_the_timeline_figure_names_a_broken_axis_and_a_period_bar_only_when_it_draws_them(cues, tmp_path):
    close = made_up_article("Rebels attacked the town on Saturday, officials said on Monday.")
    far = made_up_article("In 2015, rebels attacked the town.", "Rebels attacked it again on Saturday.")
    found = {}
    for name, article in (("close", close), ("far", far)):
        timeline = helpers.timeline_table(article, helpers.timex_table(article), helpers.entity_table(article), cues)
        (tmp_path / name).mkdir()
        image = helpers.plots.tension_timeline(timeline, helpers.tension_by_date(timeline), article.title,
                                               tmp_path / name, published=DCT)
        svg = (tmp_path / name / "tension_timeline.svg").read_text()
        found[name] = (" ".join(re.findall(r"<!-- (.*?) -->", svg)), image.metadata["alt"])
    (close_texts, close_alt), (far_texts, far_alt) = found["close"], found["far"]
    assert "broken" not in close_texts and "its span" not in close_texts and "on one time axis (2018)" in close_alt
    assert "the axis is broken between panels" in far_texts and "a year: its span" in far_texts
    assert "broken into 2 panels (2015, 2018)" in far_alt
    assert helpers.plots.period_legend({"year", "week"}) == "a week or a year: its span"
    assert helpers.plots.period_legend({"month", "year", "week"}) == "a week, a month or a year: its span"


def test_the_timeline_legend_names_a_week_drawn_as_a_bar(cues, tmp_path):
    article = made_up_article("Airstrikes killed some 50 people in the city this week, activists said on Thursday.")
    timeline = helpers.timeline_table(article, helpers.timex_table(article), helpers.entity_table(article), cues)
    assert "2018-W12" in set(helpers.tension_by_date(timeline)["value"])
    helpers.plots.tension_timeline(timeline, helpers.tension_by_date(timeline), article.title, tmp_path,
                                   published=DCT)
    texts = " ".join(re.findall(r"<!-- (.*?) -->", (tmp_path / "tension_timeline.svg").read_text()))
    assert "a week: its span" in texts and "month" not in texts


def test_the_timeline_figure_writes_its_peak_and_a_lone_date_as_a_reader_would(cues, tmp_path):
    article = made_up_article("In the 1970s, the town was quiet.",
                              "A man was stabbed to death on Saturday night, police said on Monday.")
    timeline = helpers.timeline_table(article, helpers.timex_table(article), helpers.entity_table(article), cues)
    by_date = helpers.tension_by_date(timeline)
    assert by_date.loc[by_date["peak"], "value"].tolist() == ["2018-03-17TNI"] and "197" in set(by_date["value"])
    image = helpers.plots.tension_timeline(timeline, by_date, article.title, tmp_path, published=DCT)
    texts = re.findall(r"<!-- (.*?) -->", (tmp_path / "tension_timeline.svg").read_text())
    assert "1970s" in texts and "197" not in texts  # the decade's lone tick
    assert any(text.startswith("peak: 2018-03-17 night") for text in texts) and not any("TNI" in t for t in texts)
    assert "(1970s, 2018)" in image.metadata["alt"] and "the peak is 2018-03-17 night" in image.metadata["alt"]


def test_narrow_panels_keep_their_dates_apart_and_labels_stay_whole_and_right_of_the_y_axis(cues, tmp_path,
                                                                                               monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Annotation

    import newslab.plots

    article = made_up_article(
        "In October 2015, rebels bombed a bridge.", "Rebels kidnapped two aid workers on March 15, 2016.",
        "Troops killed five rebels on July 1, 2016.", "Police arrested the leader on June 15, 2017.",
        "Guerrillas attacked a village on July 20, 2017.", "Soldiers killed three rebels on Jan. 15, 2018.",
        "Rebels attacked a convoy on Feb. 2, 2018.", "On Monday rebels shelled the town.")
    timeline = helpers.timeline_table(article, helpers.timex_table(article), helpers.entity_table(article), cues)
    drawn = []
    save = newslab.plots.save_and_show
    monkeypatch.setattr(newslab.plots, "save_and_show", lambda fig, *args: drawn.append(fig) or save(fig, *args))
    newslab.plots.use_style()  # the project's type sizes, as in a notebook
    newslab.plots.tension_timeline(timeline, helpers.tension_by_date(timeline), article.title, tmp_path,
                                   published=DCT)
    fig = drawn[0]
    FigureCanvasAgg(fig).draw()  # the saved figure, drawn again after save_and_show closed it
    renderer = fig.canvas.get_renderer()
    assert len(fig.axes) == 4  # 2015, 2016, 2017, 2018: three panels of months, crowded before
    for ax in fig.axes:
        ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        assert ticks and not any(a.overlaps(b) for i, a in enumerate(ticks) for b in ticks[i + 1:])
    labels = [a for a in fig.artists if isinstance(a, Annotation)]
    assert len(labels) == 8  # one per date, drawn by the figure over every panel, not inside one
    assert not any(label in ax.get_children() for ax in fig.axes for label in labels)
    y_axis = fig.axes[0].get_window_extent(renderer).x0
    assert all(label.get_window_extent(renderer).x0 >= y_axis for label in labels)


def test_a_long_peak_label_at_a_panels_left_edge_keeps_its_backing_off_the_y_axis_in_the_png(cues, tmp_path,
                                                                                              monkeypatch):
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Annotation

    import newslab.plots

    article = made_up_article("A jury convicted John Smith on Thursday in a 2016 shooting that killed a teenager "
                              "and wounded his friend.", "The teenager was shot four times on Aug. 11.",
                              "Smith will be sentenced on Tuesday.")
    timeline = helpers.timeline_table(article, helpers.timex_table(article), helpers.entity_table(article), cues)
    drawn = []
    save = newslab.plots.save_and_show
    monkeypatch.setattr(newslab.plots, "save_and_show", lambda fig, *args: drawn.append(fig) or save(fig, *args))
    newslab.plots.use_style()
    newslab.plots.tension_timeline(timeline, helpers.tension_by_date(timeline), article.title, tmp_path,
                                   published=DCT)
    fig = drawn[0]
    fig.set_dpi(matplotlib.rcParams["savefig.dpi"])  # as the PNG is drawn: text is a little wider there
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    spine = fig.axes[0].spines["left"]
    right_of_spine = fig.axes[0].get_window_extent(renderer).x0 + spine.get_linewidth() * fig.dpi / 72 / 2
    backings = [a.get_bbox_patch().get_window_extent(renderer) for a in fig.artists if isinstance(a, Annotation)]
    assert min(box.x0 for box in backings) - right_of_spine < 20  # one label does stand at the left edge
    assert all(box.x0 > right_of_spine for box in backings)


def test_figure_labels_move_off_the_date_points_and_a_free_label_stays():
    import matplotlib.pyplot as plt

    from newslab.plots import marker_box, spread_labels, words_box

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    points = [marker_box(point) for y in (5, 6.5) for point in ax.plot(5, y, "o", markersize=12)]
    on_point = ax.annotate("a label on a point", (5, 5), xytext=(0, 0), textcoords="offset points", ha="center",
                           va="center")
    free = ax.annotate("far away", (1, 1), xytext=(0, 0), textcoords="offset points")
    renderer = fig.canvas.get_renderer()
    assert words_box(on_point, renderer).overlaps(points[0])
    spread_labels(fig, [on_point, free], points=points)
    assert not any(words_box(on_point, renderer).overlaps(p) for p in points)
    assert on_point.xyann != (0, 0) and free.xyann == (0, 0)
    plt.close(fig)


def test_a_landmark_dates_its_clause_but_adds_no_tension(cues):
    assert fired("Born in 1931, she moved to London after the war.", cues) == []
    assert fired("He was an accordion entertainer during the second world war.", cues) == []
    assert fired("He has been arrested many times during abortion protests.", cues)[0][0] == "arrest"
    assert [c[0] for c in fired("The war began in 1939.", cues)] == ["war"]
    assert [c[0] for c in fired("Since the attack on Friday, the town has been quiet.", cues)] == ["attack"]


def test_a_crowd_counted_by_its_number_acts(cues):
    assert fired("Thousands of people have been demonstrating against the cuts.", cues) == [
        ("demonstrate", "141", "", 0.65)]
    assert fired("Dozens of protesters clashed with police.", cues)[0][:2] == ("clash", "190")


def test_ties_are_all_peaks_and_no_conflict_means_no_peak():
    def table(*tensions):
        days = [f"2020-01-0{i + 1}" for i in range(len(tensions))]
        return helpers.tension_by_date(pd.DataFrame({"value": days, "sort_key": days, "dated_by": ["own"] * len(days),
                                                     "tension": list(tensions)}))
    assert table(0.9, 0.2, 0.9)["peak"].tolist() == [True, False, True]
    assert not table(0.1, 0.3, -0.5)["peak"].any()  # below helpers.CONFLICT_MIN: no conflict, no peak
    assert helpers.peak(table(0.1, 0.3)).empty and helpers.peak(table(0.5, 1.0))["value"].tolist() == ["2020-01-02"]


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
    assert list(by_date.columns) == ["value", "sort_key", "tension_max", "tension_mean", "n_sentences", "peak"]
    assert by_date.loc[by_date["peak"], "value"].tolist() == ["2018-03-13"]
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
    assert row.loc[(7, 0), "cues"] == ("tensions [16] +0.40; retaliate [190] +1.00; danger [13] +0.60; "
                                       "attack [190] +1.00")
    assert row.loc[(13, 0), "cues"] == "meetings [040] (negated by no) +0.05"
    events = pd.read_csv(seed_project / "data" / SEED_SLUG / "events.csv", keep_default_na=False,
                         dtype={"cameo_code": str})
    retaliate = events[events["trigger"] == "retaliate"].iloc[0]
    assert retaliate[["cameo_code", "cameo_event", "goldstein", "tension"]].tolist() == ["190", "FIGHT", "-10.0", 1.0]
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
    # no date of its own anywhere: acts of saying ("argued", "warned", "said") are put at publication, and so are
    # past events told before any date ("agreed", "there was no attack": the news the article reports)
    assert timeline[["paragraph", "dated_by", "value"]].values.tolist() == [
        [1, "saying", "2024-05-01"], [2, "saying", "2024-05-01"], [2, "news", "2024-05-01"],
        [3, "saying", "2024-05-01"], [3, "news", "2024-05-01"]]
    by_date = pd.read_csv(project / "data" / slug / "tension_by_date.csv", dtype={"value": str})
    assert by_date["value"].tolist() == ["2024-05-01"] and by_date["n_sentences"].tolist() == [5]
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
    weights = [m["contribution"] for m in reused["matches"][0]]  # "held talks": cooperation, below 0
    top = max(weights, key=abs)
    cues_only = top + newslab.tension.OTHER_CUES_SHARE * (sum(weights) - top)
    assert changed["tension"][0] == round(cues_only * (1 + helpers.POLARITY_SHARE * 1.0), 3)


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


CALM = """A lighter phone with a better camera

The new phone went on sale on Monday in three colours.

Reviewers praised its camera and its battery, which lasts two days. The company said it expects strong sales.
"""


def test_article_without_conflict_has_no_peak_and_says_so(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "calm.txt").write_text(CALM, encoding="utf-8")
    run_collection(project, "calm.txt", "--published", "2024-05-01")
    slug = "a-lighter-phone-with-a-better-camera"
    by_date = pd.read_csv(project / "data" / slug / "tension_by_date.csv", dtype={"value": str})
    assert len(by_date) >= 1 and not by_date["peak"].any()
    executed = nbformat.read(project / "reports" / slug / "04_timeline_tension.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream")
    assert "This article describes no conflict, threat, violence or danger" in text
    assert "Tension peaks on" not in text
