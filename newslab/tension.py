"""The tension index: cue words with CAMEO/Goldstein weights, matched on lemmas with negation, per sentence and
per described date (notebook 04)."""
from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from newslab.nlp import load_nlp
from newslab.paths import ROOT

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


TENSION_CUES_CSV = ROOT / "data" / "tension_cues.csv"
NEGATION_FACTOR = -0.5  # a negated cue counts with the opposite sign at half its weight
POLARITY_SHARE = 0.2  # TextBlob polarity (-1..1) adds -0.2 x polarity to a sentence's tension
NEGATION_WORDS = {"not", "n't", "no", "never", "without", "nor", "neither"}
PREVENTING_VERBS = {"avert", "avoid", "prevent", "halt", "stop", "end"}  # "averting the danger" negates danger


def load_tension_cues(path: str | Path = TENSION_CUES_CSV) -> pd.DataFrame:
    """The cue table (cue, direction, cameo_code, cameo_event, goldstein, weight, source) plus each cue's word forms."""
    cues = pd.read_csv(path, dtype={"cameo_code": str}, keep_default_na=False)
    cues["weight"] = cues["weight"].astype(float)
    nlp = load_nlp()
    docs = nlp.pipe(cue.lower() for cue in cues["cue"])
    cues["forms"] = [tuple(frozenset({t.lower_, t.lemma_.lower()}) for t in doc) for doc in docs]
    return cues


def negation_of(tokens: list[Token]) -> str:
    """The word that negates a matched cue ('no', 'not', 'averting' …), or '' when the cue is not negated.

    Looks at the cue's head word and its governors up to the nearest verb: a negation word among their
    children ('no meetings', 'did not attack', 'never warned'), the preposition 'without' on the way up, or a
    preventing verb ('averting the danger', 'avoid a clash')."""
    inside = {t.i for t in tokens}
    head = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    word = head
    for _ in range(6):
        for child in word.children:
            if child.i not in inside and (child.dep_ == "neg" or child.lower_ in NEGATION_WORDS):
                return child.text
        if word.i not in inside and (word.lower_ == "without" or word.lemma_.lower() in PREVENTING_VERBS):
            return word.text
        if word.pos_ in ("VERB", "AUX") or word.head.i == word.i:
            break
        word = word.head
    return ""


def cue_index(cues: pd.DataFrame) -> tuple[list[tuple], dict[str, list[int]]]:
    """The cue table as plain tuples (forms, cue, weight), longest cue first, and first word form -> positions."""
    # Plain tuples, longest cue first (the table's order among equal lengths): pandas row access is slow here.
    entries = sorted(zip(cues["forms"], cues["cue"], cues["weight"]), key=lambda entry: -len(entry[0]))
    by_first_word: dict[str, list[int]] = {}  # a cue can only start at a token that matches its first word
    for k, (forms, _, _) in enumerate(entries):
        for form in forms[0]:
            by_first_word.setdefault(form, []).append(k)
    return entries, by_first_word


def match_cues(span: Span, cues: pd.DataFrame, index: tuple | None = None) -> list[dict]:
    """The cues in a spaCy span, longest first, each word matched on its lemma or form; with negation applied.

    `index` is cue_index(cues), computed here when not given (pass it when matching many spans)."""
    entries, by_first_word = index or cue_index(cues)
    tokens = list(span)
    words = [(t.lower_, t.lemma_.lower()) for t in tokens]
    taken: set[int] = set()
    found = []
    for start, (lower, lemma) in enumerate(words):
        for k in sorted(set(by_first_word.get(lower, []) + by_first_word.get(lemma, []))):
            forms, cue, weight = entries[k]
            window = tokens[start:start + len(forms)]
            if len(window) < len(forms) or any(t.i in taken for t in window):
                continue
            if all(w in f or m in f for (w, m), f in zip(words[start:start + len(forms)], forms)):
                negator = negation_of(window)
                weight = float(weight)
                found.append({"cue": cue, "matched": span.doc[window[0].i:window[-1].i + 1].text,
                              "start": window[0].idx, "end": window[-1].idx + len(window[-1].text),
                              "weight": weight, "negated_by": negator,
                              "contribution": round(weight * (NEGATION_FACTOR if negator else 1.0), 4)})
                taken.update(t.i for t in window)
                break
    return sorted(found, key=lambda m: m["start"])


def sentence_tension(matches: list[dict], polarity: float = 0.0) -> float:
    """Tension of one sentence: the sum of its cue contributions minus POLARITY_SHARE x TextBlob polarity."""
    return round(sum(m["contribution"] for m in matches) - POLARITY_SHARE * polarity, 3)


def format_cues(matches: list[dict]) -> str:
    """Fired cues as text, e.g. 'retaliate +0.70; meetings (negated by no) +0.12'."""
    parts = []
    for m in matches:
        negated = f" (negated by {m['negated_by']})" if m["negated_by"] else ""
        parts.append(f"{m['matched']}{negated} {m['contribution']:+.2f}")
    return "; ".join(parts)


def tension_by_date(timeline: pd.DataFrame) -> pd.DataFrame:
    """Tension per described date (dated sentences only): value, sort_key, tension_max, tension_mean, n_sentences."""
    tensions: dict[tuple[str, str], list[float]] = {}  # (value, sort_key) -> the tension of each of its sentences
    for value, sort_key, dated_by, tension in zip(timeline["value"], timeline["sort_key"], timeline["dated_by"],
                                                  timeline["tension"]):
        if dated_by != "undated":
            tensions.setdefault((value, sort_key), []).append(float(tension))
    keys = sorted(tensions, key=lambda key: (key[1], key[0]))  # by sort_key, then value
    table = pd.DataFrame({"value": [value for value, _ in keys], "sort_key": [sort_key for _, sort_key in keys],
                          "tension_max": [max(tensions[key]) for key in keys],
                          "tension_mean": [math.fsum(tensions[key]) / len(tensions[key]) for key in keys],
                          "n_sentences": [len(tensions[key]) for key in keys]})
    table["tension_mean"] = table["tension_mean"].round(3)
    if not keys:  # no dated sentence: an empty table, with the column types of a full one
        table = table.astype({"value": "str", "sort_key": "str", "tension_max": float, "tension_mean": float,
                              "n_sentences": int})
    return table


def event_label(text: str, matches: list[dict], n_words: int = 4) -> str:
    """A few words for a sentence's event: its fired cues as written ('no meetings'), else its first words."""
    if matches:
        return ", ".join(f"{m['negated_by']} {m['matched']}" if m["negated_by"] else m["matched"] for m in matches)
    return " ".join(text.split()[:n_words]).strip(" ,.;:“”\"") + " …"


NEGATED_COLUMNS = ["paragraph", "sentence", "cue", "matched", "negated_by", "weight", "contribution"]


def negated_cues(timeline: pd.DataFrame) -> pd.DataFrame:
    """One row per negated cue of a timeline table: where, which cue, the negating word, weight and contribution."""
    rows = [{"paragraph": r.paragraph, "sentence": r.sentence, "cue": m["cue"], "matched": m["matched"],
             "negated_by": m["negated_by"], "weight": m["weight"], "contribution": m["contribution"]}
            for r in timeline.itertuples() for m in r.matches if m["negated_by"]]
    return pd.DataFrame(rows, columns=NEGATED_COLUMNS)


def peak(by_date: pd.DataFrame) -> pd.Series | None:
    """The row of tension_by_date with the highest tension_max (the first in date order on a tie); None if empty."""
    return None if by_date.empty else by_date.loc[by_date["tension_max"].idxmax()]
