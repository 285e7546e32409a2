"""Sentiment (notebook 03): TextBlob scores on the seed, the word-level 'why', and the aggregations."""
from __future__ import annotations

import pandas as pd
import pytest

import helpers
import newslab.sentiment
from conftest import SEED_SLUG, read_and_parse

STRIKE = "She praised the US air strike"
PEAK = "The tensions reached a peak on March 13"


@pytest.fixture(scope="module")
def seed_scores(seed_article):
    return helpers.sentiment_table(seed_article)


def paragraph_starting(article, start):
    (found,) = [p for p in article.paragraphs if p.text.startswith(start)]
    return found


def paragraph_row(table, index):
    (row,) = table[(table["level"] == "paragraph") & (table["paragraph"] == index)].to_dict("records")
    return row


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the seed


def test_seed_strike_paragraph_is_negative_because_of_base(seed_article, seed_scores):
    strike = paragraph_starting(seed_article, STRIKE)
    assert paragraph_row(seed_scores, strike.index)["polarity"] == pytest.approx(-0.24, abs=0.001)
    words = helpers.word_scores(strike.text, strike.doc)
    base = words[words["words"] == "base"].to_dict("records")
    assert base == [{"words": "base", "polarity": -0.8, "subjectivity": 1.0, "lexicon_pos": "JJ",
                     "spacy_pos": "NOUN"}]
    assert words.loc[words["polarity"].idxmin(), "words"] == "base"
    assert list(words["words"]) == ["base", "potential", "unilateral", "action", "future"]


def test_seed_peak_paragraph_is_positive_from_ready_and_many(seed_article, seed_scores):
    peak = paragraph_starting(seed_article, PEAK)
    assert paragraph_row(seed_scores, peak.index)["polarity"] == pytest.approx(0.12, abs=0.001)
    words = helpers.word_scores(peak.text, peak.doc)
    assert dict(zip(words["words"], words["polarity"])) == {
        "personally": 0.0, "ready": 0.2, "many": 0.5, "russian": 0.0, "military": -0.1}
    missing = helpers.unscored_words(peak.doc)
    assert {"tensions", "peak", "retaliate", "danger", "attack"} <= set(missing)
    assert "ready" not in missing and "also" not in missing


def test_seed_most_negative_body_paragraph_is_the_strike(seed_article, seed_scores):
    body = seed_scores[(seed_scores["level"] == "paragraph") & (seed_scores["kind"] == "body")]
    worst = body.loc[body["polarity"].idxmin()]
    assert worst["text"].startswith(STRIKE)
    assert worst["paragraph"] == paragraph_starting(seed_article, STRIKE).index == 5


def test_seed_table_has_every_paragraph_and_sentence_in_story_order(seed_article, seed_scores):
    assert list(seed_scores.columns) == newslab.sentiment.SENTIMENT_COLUMNS
    assert (seed_scores["level"] == "paragraph").sum() == 16
    assert (seed_scores["level"] == "sentence").sum() == 31
    keys = list(zip(seed_scores["paragraph"], seed_scores["sentence"].fillna(-1)))
    assert keys == sorted(keys)
    paragraphs = seed_scores[seed_scores["level"] == "paragraph"]
    assert paragraphs["sentence"].isna().all()
    assert list(paragraphs["kind"]) == [p.kind for p in seed_article.paragraphs]
    sentences = seed_scores[seed_scores["level"] == "sentence"]
    assert list(sentences["text"]) == [s for p in seed_article.paragraphs for s in p.sentences]
    assert sentences["sentence"].notna().all()
    title = paragraph_row(seed_scores, 0)
    assert (title["kind"], title["polarity"], title["n_words"]) == ("title", pytest.approx(1 / 6, abs=1e-6), 14)


def test_seed_paragraph_polarity_is_the_mean_of_its_scored_words(seed_article, seed_scores):
    for paragraph in seed_article.paragraphs:
        words = helpers.word_scores(paragraph.text, paragraph.doc)
        expected = words["polarity"].mean() if len(words) else 0.0
        assert paragraph_row(seed_scores, paragraph.index)["polarity"] == pytest.approx(expected, abs=1e-5)


def test_seed_most_negative_body_sentence(seed_scores):
    body = seed_scores[(seed_scores["level"] == "sentence") & (seed_scores["kind"] == "body")]
    worst = body.loc[body["polarity"].idxmin()]
    assert (worst["paragraph"], worst["sentence"], worst["polarity"]) == (9, 1, -0.5)
    assert worst["text"].startswith("At that time, Gerasimov and Dunford agreed")


# --------------------------------------------------------------------------- made-up text


def test_paragraph_polarity_weights_words_not_sentences(tmp_path):
    article = read_and_parse(write(tmp_path, "a.txt", (
        "A small test\n\nThe summary is here.\n\n"
        "The food was terrible. The staff were good and kind and happy.\n")), published="2024-05-01")
    table = helpers.sentiment_table(article)
    body = article.body[0]
    rows = table[table["paragraph"] == body.index]
    assert list(rows["level"]) == ["paragraph", "sentence", "sentence"]
    assert list(rows["sentence"].iloc[1:]) == [0, 1]
    terrible, staff = rows.iloc[1]["polarity"], rows.iloc[2]["polarity"]
    assert terrible == -1.0
    assert staff == pytest.approx((0.7 + 0.6 + 0.8) / 3)
    paragraph = rows.iloc[0]["polarity"]
    assert paragraph == pytest.approx((-1.0 + 0.7 + 0.6 + 0.8) / 4)
    assert paragraph != pytest.approx((terrible + staff) / 2)
    assert list(rows["n_words"]) == [12, 4, 8]


def test_word_scores_show_negation_and_intensifiers():
    words = helpers.word_scores("It was not good, but the hotel was very nice.")
    assert list(words["words"]) == ["not good", "very nice"]
    assert words["polarity"].iloc[0] == pytest.approx(0.7 * -0.5)
    assert words["spacy_pos"].tolist() == ["", ""]  # no spaCy doc given
    assert helpers.word_scores("The meeting was held on Tuesday.").empty
    assert helpers.text_sentiment("The meeting was held on Tuesday.") == (0.0, 0.0)


def test_lexicon_pos():
    assert newslab.sentiment.lexicon_pos("base") == "JJ"
    assert newslab.sentiment.lexicon_pos("Base") == "JJ"
    assert newslab.sentiment.lexicon_pos("attack") == ""


# --------------------------------------------------------------------------- entity sentiment


def made_up_sentiment():
    rows = [("paragraph", 1, None, -0.1), ("sentence", 1, 0, 0.5), ("sentence", 1, 1, -0.5),
            ("paragraph", 2, None, 0.2), ("sentence", 2, 0, 0.2), ("sentence", 2, 1, 0.0),
            ("paragraph", 3, None, -1.0), ("sentence", 3, 0, -1.0)]
    table = pd.DataFrame([{"level": level, "paragraph": p, "sentence": s, "kind": "embed" if p == 3 else "body",
                           "polarity": pol, "subjectivity": abs(pol), "n_words": 5, "text": "x"}
                          for level, p, s, pol in rows], columns=newslab.sentiment.SENTIMENT_COLUMNS)
    table["sentence"] = table["sentence"].astype("Int64")
    return table


def made_up_entities():
    rows = [(1, 0, "Alice", "PERSON"), (1, 0, "Alice", "PERSON"), (1, 1, "Alice", "PERSON"),
            (2, 0, "Alice", "PERSON"), (1, 1, "Berlin", "GPE"), (2, 1, "Berlin", "GPE"),
            (3, 0, "Berlin", "GPE"), (3, 0, "Acme", "ORG"), (2, 0, "Zed", "PERSON")]
    return pd.DataFrame([{"paragraph": p, "sentence": s, "start": 0, "end": 1, "text": c, "label": lab,
                          "canonical": c, "canonical_label": lab} for p, s, c, lab in rows])


def test_entity_sentiment_means_over_distinct_sentences():
    table = helpers.entity_sentiment(made_up_sentiment(), made_up_entities())
    assert list(table.columns) == newslab.sentiment.ENTITY_SENTIMENT_COLUMNS
    assert list(table["canonical"]) == ["Alice", "Berlin", "Acme", "Zed"]
    alice = table.iloc[0]
    assert (alice["label"], alice["mentions"], alice["sentences"]) == ("PERSON", 4, 3)
    assert alice["mean_polarity"] == pytest.approx((0.5 - 0.5 + 0.2) / 3, abs=1e-6)  # (1,0) counted once
    assert (alice["min_polarity"], alice["max_polarity"]) == (-0.5, 0.5)
    berlin = table.iloc[1]
    assert (berlin["mentions"], berlin["sentences"]) == (3, 3)
    assert berlin["mean_polarity"] == pytest.approx((-0.5 + 0.0 - 1.0) / 3, abs=1e-6)


def test_entity_sentiment_top_and_filtered_sentences():
    scores = made_up_sentiment()
    assert list(helpers.entity_sentiment(scores, made_up_entities(), top=2)["canonical"]) == ["Alice", "Berlin"]
    body_only = helpers.entity_sentiment(scores[scores["kind"] == "body"], made_up_entities())
    assert list(body_only["canonical"]) == ["Alice", "Berlin", "Zed"]  # Acme is only in the embed
    berlin = body_only.iloc[1]
    assert (berlin["sentences"], berlin["mean_polarity"]) == (2, pytest.approx(-0.25))
    empty = helpers.entity_sentiment(scores, made_up_entities().iloc[0:0])
    assert empty.empty and list(empty.columns) == newslab.sentiment.ENTITY_SENTIMENT_COLUMNS


def test_entity_sentiment_label_is_the_most_common():
    entities = made_up_entities()
    entities.loc[entities["canonical"] == "Berlin", "canonical_label"] = ["GPE", "LOC", "GPE"]
    berlin = helpers.entity_sentiment(made_up_sentiment(), entities).set_index("canonical").loc["Berlin"]
    assert berlin["label"] == "GPE"


# --------------------------------------------------------------------------- the notebook's outputs


def test_notebook_writes_sentiment_csv_and_figures(seed_project):
    data = seed_project / "data" / SEED_SLUG
    table = pd.read_csv(data / "sentiment.csv", dtype={"sentence": "Int64"})
    assert list(table.columns) == newslab.sentiment.SENTIMENT_COLUMNS
    assert len(table) == 16 + 31
    paragraphs = table[table["level"] == "paragraph"]
    assert paragraphs["sentence"].isna().all()
    strike = paragraphs[paragraphs["text"].str.startswith(STRIKE)]
    assert strike["polarity"].tolist() == [pytest.approx(-0.24, abs=0.001)]
    peak = paragraphs[paragraphs["text"].str.startswith(PEAK)]
    assert peak["polarity"].tolist() == [pytest.approx(0.12, abs=0.001)]
    assert set(table["kind"]) == {"title", "standfirst", "body", "embed"}
    figures = seed_project / "figures" / SEED_SLUG
    for name in ["sentiment_paragraphs", "sentiment_sentences", "sentiment_words", "sentiment_entities"]:
        assert (figures / f"{name}.png").stat().st_size > 10_000
        assert (figures / f"{name}.svg").exists()


def test_notebook_writes_entity_sentiment_of_body_sentences(seed_project):
    table = pd.read_csv(seed_project / "data" / SEED_SLUG / "entity_sentiment.csv")
    assert list(table.columns) == newslab.sentiment.ENTITY_SENTIMENT_COLUMNS
    assert len(table) == 10
    assert list(table["canonical"].iloc[:4]) == ["US", "Syria", "Russian", "Damascus"]
    assert not set(table["label"]) & {"DATE", "CARDINAL", "TIME", "ORDINAL"}
    us = table.set_index("canonical").loc["US"]
    assert (us["mentions"], us["sentences"]) == (10, 9)  # the title's "US" is not a body sentence
    gerasimov = table.set_index("canonical").loc["Valery Gerasimov"]
    assert (gerasimov["sentences"], gerasimov["mean_polarity"]) == (4, pytest.approx(-0.078125, abs=1e-6))
    lowest = table.loc[table["mean_polarity"].idxmin()]
    assert (lowest["canonical"], lowest["sentences"], lowest["min_polarity"]) == ("Joseph Dunford", 2, -0.5)
    assert lowest["mean_polarity"] == pytest.approx(-0.2, abs=1e-6)


def test_entity_sentiment_with_the_real_entity_table(seed_article, seed_scores):
    entities = helpers.entity_table(seed_article)
    body = seed_scores[seed_scores["kind"] == "body"]
    table = helpers.entity_sentiment(body, entities, top=50)
    dunford = table.set_index("canonical").loc["Joseph Dunford"]
    assert (dunford["mentions"], dunford["sentences"], dunford["label"]) == (2, 2, "PERSON")
    # every body sentence naming Dunford, scored independently
    rows = entities[entities["canonical"] == "Joseph Dunford"][["paragraph", "sentence"]].drop_duplicates()
    polarities = [helpers.text_sentiment(seed_article.paragraphs[p].sentences[s])[0] for p, s in rows.values]
    assert dunford["mean_polarity"] == pytest.approx(sum(polarities) / len(polarities), abs=1e-6)


def test_a_paragraph_of_many_scored_words_shows_its_strongest_in_one_panel_when_both_are_it(tmp_path, monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    import newslab.plots

    adjectives = ["good", "bad", "great", "terrible", "happy", "sad", "excellent", "awful", "nice", "poor", "strong",
                  "weak", "beautiful", "ugly", "wonderful", "horrible", "brilliant", "dreadful", "fine", "wrong"]
    text = " ".join(f"The {a} town had a {b} day." for a, b in zip(adjectives, adjectives[::-1]))
    words = helpers.word_scores(text)
    assert len(words) > newslab.plots.MAX_WORD_BARS
    row = pd.Series({"paragraph": 1, "text": text, "polarity": round(words["polarity"].mean(), 3)})
    drawn = []
    save = newslab.plots.save_and_show
    monkeypatch.setattr(newslab.plots, "save_and_show", lambda fig, *args: drawn.append(fig) or save(fig, *args))
    newslab.plots.use_style()
    image = newslab.plots.sentiment_words([(words, row), (words, row)], tmp_path)
    (ax,) = drawn[0].axes  # the most negative paragraph and the one chosen by a word are the same: one panel
    FigureCanvasAgg(drawn[0]).draw()
    renderer = drawn[0].canvas.get_renderer()
    ticks = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
    assert len(ticks) == newslab.plots.MAX_WORD_BARS
    assert not any(a.overlaps(b) for i, a in enumerate(ticks) for b in ticks[i + 1:])
    shown = [t.get_text() for t in ax.get_yticklabels()]
    weakest = words.loc[words["polarity"].abs().idxmin()]
    assert f"{weakest['words']} ({weakest['polarity']:+.2f})" not in shown  # the strongest are kept
    assert f"of its {len(words)} scored words" in ax.get_title() and "both the most negative" in image.metadata["alt"]
    assert image.metadata["alt"].endswith(f"paragraph 1 shows only its {newslab.plots.MAX_WORD_BARS} strongest words.")
    (suptitle,) = [t for t in drawn[0].texts if t.get_text().startswith("The words TextBlob scored")]
    assert not suptitle.get_window_extent(renderer).overlaps(ax.title.get_window_extent(renderer))
    legend = ax.get_legend().get_window_extent(renderer)
    assert not any(legend.overlaps(bar.get_window_extent(renderer)) for bar in ax.patches)


def test_the_sentence_strip_of_a_long_article_names_only_the_paragraphs_it_has_room_for(tmp_path, monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    import newslab.plots

    paragraphs = [p for p in range(46) for _ in range(1 + p % 2)]  # 46 paragraphs of one or two sentences
    polarity = [((i * 7) % 11 - 5) / 10 for i in range(len(paragraphs))]
    rows = pd.DataFrame({"paragraph": paragraphs, "polarity": polarity})
    drawn = []
    save = newslab.plots.save_and_show
    monkeypatch.setattr(newslab.plots, "save_and_show", lambda fig, *args: drawn.append(fig) or save(fig, *args))
    newslab.plots.use_style()
    newslab.plots.sentiment_sentences(rows, "Made-up", tmp_path)
    FigureCanvasAgg(drawn[0]).draw()
    ax, renderer = drawn[0].axes[0], drawn[0].canvas.get_renderer()
    names = [t for t in ax.texts if t.get_text().startswith("¶")]
    assert names[0].get_text() == "¶0" and 23 <= len(names) < 46
    boxes = [t.get_window_extent(renderer) for t in names]
    assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))


def test_the_paragraph_bars_of_a_long_article_keep_their_title_close(tmp_path, monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    import newslab.plots

    rows = pd.DataFrame({"paragraph": range(46), "kind": ["title"] + ["body"] * 45, "text": ["Words here."] * 46,
                         "polarity": 0.1, "subjectivity": 0.5})
    drawn = []
    save = newslab.plots.save_and_show
    monkeypatch.setattr(newslab.plots, "save_and_show", lambda fig, *args: drawn.append(fig) or save(fig, *args))
    newslab.plots.use_style()
    newslab.plots.sentiment_paragraphs(rows, "Made-up", tmp_path)
    fig = drawn[0]
    FigureCanvasAgg(fig).draw()
    (title,) = [t for t in fig.texts if t.get_text().startswith("TextBlob sentiment per paragraph")]
    gap = title.get_window_extent(fig.canvas.get_renderer()).y0 - fig.axes[0].get_window_extent().y1
    assert 0 < gap < fig.dpi  # under an inch between the title and the bars, on a figure 25 inches tall
