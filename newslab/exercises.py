"""The checks of the notebooks' "Try it yourself" sections (notebooks 01-06).

Each check takes the student's answer and the tables the notebook computed, works out the expected answer itself
and prints only whether the answer is right, with a hint when it is not: the answer is never printed. Every
exercise also has a solution cell (tagged `solution`, folded in the HTML); tests/test_exercises.py runs every
notebook with its solutions and asserts that each check says "Correct".
"""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from newslab.sentiment import text_sentiment, word_scores


def report(number: int, answer: object, correct: bool, hint: str) -> bool:
    """Print the verdict on one answer: a reminder to answer, 'Correct!', or 'Not quite' with a hint."""
    if answer is None:
        print(f"Exercise {number}: set answer_{number} above, then rerun this cell.")
    elif correct:
        print(f"Exercise {number}: Correct!")
    else:
        print(f"Exercise {number}: Not quite. {hint}")
    return bool(correct) and answer is not None


def as_pair(answer: object) -> tuple | None:
    """An answer given as a pair (tuple or list of two), else None."""
    return tuple(answer) if isinstance(answer, (tuple, list)) and len(answer) == 2 else None


# --------------------------------------------------------------------------- notebook 01


def check_most_sentences(answer: object, paragraphs: pd.DataFrame) -> bool:
    """01, exercise 1: the body paragraph with the most sentences (any of them when several tie)."""
    body = paragraphs[paragraphs["kind"] == "body"]
    best = set(body.loc[body["n_sentences"] == body["n_sentences"].max(), "paragraph"])
    return report(1, answer, answer in best, "Count the n_sentences column for body rows only.")


# --------------------------------------------------------------------------- notebook 02


def check_most_distinct_gpes(answer: object, entities: pd.DataFrame) -> bool:
    """02, exercise 1: the paragraph that mentions the most distinct canonical GPEs."""
    gpes = entities[entities["canonical_label"] == "GPE"].groupby("paragraph")["canonical"].nunique()
    return report(1, answer, answer in set(gpes[gpes == gpes.max()].index),
                  "Count distinct canonical GPEs per paragraph, not mentions.")


def check_person_count(answer: object, canonical: pd.DataFrame) -> bool:
    """02, exercise 2: how many canonical entities are labelled PERSON."""
    return report(2, answer, answer == int((canonical["label"] == "PERSON").sum()),
                  "Count the rows of the canonical table whose label is PERSON.")


# --------------------------------------------------------------------------- notebook 03


def check_positive_rewrite(answer: object, sentence: str) -> bool:
    """03, exercise 1: a rewrite of `sentence` that TextBlob scores above zero, keeping half of its words or more."""
    if answer is None:
        return report(1, None, False, "")
    original = set(re.findall(r"[a-z]+", sentence.lower()))
    kept = len(original & set(re.findall(r"[a-z]+", str(answer).lower()))) / max(len(original), 1)
    polarity = text_sentiment(str(answer))[0]
    if polarity <= 0:
        return report(1, answer, False, "TextBlob still scores it zero or below. Look at the word table of that "
                                        "paragraph.")
    if kept < 0.5:
        return report(1, answer, False, "It scores above zero, but you kept fewer than half of the words: "
                                        "change less.")
    report(1, answer, True, "")
    print("The words TextBlob scored in your version:")
    print(word_scores(str(answer)).to_string(index=False))
    return True


def check_most_negative_sentence(answer: object, sentences: pd.DataFrame) -> bool:
    """03, exercise 2: the (paragraph, sentence) of the lowest-polarity sentence among the chosen ones."""
    lowest = sentences[sentences["polarity"] == sentences["polarity"].min()]
    best = {(int(p), int(s)) for p, s in zip(lowest["paragraph"], lowest["sentence"])}
    return report(2, answer, as_pair(answer) in best,
                  "Filter the sentence rows to the chosen kinds and sort them by polarity.")


def check_lowest_entity(answer: object, entity_scores: pd.DataFrame) -> bool:
    """03, exercise 3: (name, number of sentences) of the entity with the lowest mean polarity."""
    lowest = entity_scores[entity_scores["mean_polarity"] == entity_scores["mean_polarity"].min()]
    best = {(name, int(n)) for name, n in zip(lowest["canonical"], lowest["sentences"])}
    pair = as_pair(answer)
    correct = pair is not None and (str(pair[0]), pair[1]) in best
    if report(3, answer, correct, "Sort the entity table by mean_polarity; give the name and its sentences."):
        print("Is a mean over that few sentences enough to say 'covered negatively'?")
    return correct


# --------------------------------------------------------------------------- notebook 04


def check_negated_cue(answer: object, timeline: pd.DataFrame) -> bool:
    """04, exercise 1: the (paragraph, sentence) of a sentence in which a cue was negated."""
    negated = {(int(r.paragraph), int(r.sentence)) for r in timeline.itertuples()
               if any(m["negated_by"] for m in r.matches)}
    if not negated:
        print("Exercise 1: no cue is negated in this article. Write 'did not attack' into the text and rerun.")
        return False
    return report(1, answer, as_pair(answer) in negated, "Look for '(negated by' in the cues column.")


def check_peak_moving_cue(answer: object, timeline: pd.DataFrame, peak_date: Callable[[dict], str]) -> bool:
    """04, exercise 2: new weights for some cue lemmas ({lemma: weight}, or one lemma for weight 0) that move the
    peak; `peak_date(weights)` recomputes it."""
    weights = {answer: 0.0} if isinstance(answer, str) else answer
    fired = {m["cue"] for matches in timeline["matches"] for m in matches}
    if weights is not None and not (isinstance(weights, dict) and weights and all(
            isinstance(w, (int, float)) and -1 <= w <= 1 for w in weights.values())):
        print("Exercise 2: answer_2 should be a dict of cue lemmas and weights from -1 to 1, e.g. {'warn': 0.0}.")
        return False
    unknown = sorted(set(weights or {}) - fired)
    if unknown:
        print(f"Exercise 2: {unknown[0]!r} is not a cue that fired in this article: use a lemma of the cues column.")
        return False
    before = peak_date({}) if weights is not None else ""
    after = peak_date(weights) if weights is not None else before
    correct = report(2, answer, after != before, "With these weights the peak stays where it was. Look at the "
                                                 "cues of the most tense sentence of the peak date.")
    if correct:
        print(f"With {weights} the peak moves from {before or 'nowhere'} to {after or 'nowhere'}.")
    return correct


def check_present_count(answer: object, timeline: pd.DataFrame) -> bool:
    """04, exercise 3: how many sentences were dated by the present-tense rule."""
    return report(3, answer, answer == int((timeline["dated_by"] == "present").sum()),
                  "Count the rows whose dated_by is 'present'.")


# --------------------------------------------------------------------------- notebook 05


def check_most_words(answer: object, articles: pd.DataFrame) -> bool:
    """05, exercise 1: the slug of the analysed article with the most words of body text."""
    words = articles[articles["words"] != "-"].astype({"words": int})
    best = set(words.loc[words["words"] == words["words"].max(), "slug"])
    return report(1, answer, answer in best, "Sort the first table by its words column.")


def check_published_before(answer: object, articles: pd.DataFrame, published: str) -> bool:
    """05, exercise 2: how many analysed articles were published before `published` (an ISO date)."""
    return report(2, answer, answer == int((articles["published"] < published).sum()),
                  "Compare the published column with this article's date.")


# --------------------------------------------------------------------------- notebook 06


def check_busiest_period(answer: object, periods: pd.DataFrame) -> bool:
    """06, exercise 1: the period (as 'YYYY-MM-DD', its first day) that the most articles describe."""
    best = {ts.strftime("%Y-%m-%d") for ts in periods.loc[periods["articles"] == periods["articles"].max(), "period"]}
    return report(1, answer, str(answer) in best, "Sort the tension-per-period table by its articles column.")


def check_source_count(answer: object, articles: pd.DataFrame) -> bool:
    """06, exercise 2: how many different sources the articles that are ok come from."""
    ok = articles[articles["status"] == "ok"]
    return report(2, answer, answer == int(ok["source"].nunique()),
                  "Count the distinct values of the source column, for the articles whose status is ok.")
