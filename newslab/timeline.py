"""Every body sentence placed in time: its date expressions, its tense, the rules that date it, its actors, and
where each date sits on a time axis (notebook 04)."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING

import pandas as pd

from newslab.articles import Article, sentence_of
from newslab.dates import find_timexes, joined_starts, timex_granularity, timex_sort_key
from newslab.entities import NON_NAME_LABELS
from newslab.sentiment import text_sentiment
from newslab.tension import cue_index, format_cues, match_cues, sentence_tension

if TYPE_CHECKING:
    from spacy.tokens import Span


# Rules, in the order they are tried, that give a body sentence its date (the `dated_by` column).
DATED_BY = {
    "own": "the sentence's own date expression (the first one that can be placed on a calendar; "
           "'now', 'currently' = the publication date)",
    "present": "no expression, main verb in the present tense (or present perfect): "
               "background at the time of writing, so the publication date",
    "paragraph": "no expression, not in the present tense: the date of the previous sentence in the same paragraph",
    "previous paragraph": "no expression, not present, nothing dated before it in its paragraph: the paragraph "
                          "continues the story, so it takes the date of the previous body paragraph's first "
                          "dated sentence",
    "undated": "none of the rules applies",
}

PART_OF_DAY_HOURS = {"MO": 9, "MI": 12, "AF": 15, "EV": 19, "NI": 22, "DT": 12}


def timex_table(article: Article) -> pd.DataFrame:
    """Every temporal expression of every paragraph: paragraph, sentence, start, end, text, type, value, mod, rule."""
    columns = ["paragraph", "sentence", "start", "end", "text", "type", "value", "mod", "rule"]
    # One pass over the whole article, so that "that same day" can refer back to an earlier paragraph:
    # the paragraphs' texts joined by single spaces, with their spaCy Docs; starts[i] is where paragraph i begins.
    text = " ".join(p.text for p in article.paragraphs)
    starts = joined_starts([p.text for p in article.paragraphs])
    rows = []
    for t in find_timexes(text, article.published, doc=[p.doc for p in article.paragraphs]):
        i = bisect.bisect_right(starts, t["start"]) - 1
        p, offset = article.paragraphs[i], starts[i]
        rows.append({"paragraph": p.index, "sentence": sentence_of(p, t["start"] - offset),
                     **{k: t.get(k) or "" for k in columns[2:]},
                     "start": t["start"] - offset, "end": t["end"] - offset})
    rows.sort(key=lambda row: (row["paragraph"], row["start"]))
    return pd.DataFrame(rows, columns=columns)


def sentence_tense(span: Span) -> str:
    """'present', 'past' or 'none': the tense of the sentence's finite verb (its first auxiliary, else its root).

    Present perfect ('has warned') counts as present; a modal ('might be') or a sentence without a finite verb
    is 'none'."""
    root = span.root
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    verb = auxes[0] if auxes else root
    tense = verb.morph.get("Tense")
    if verb.tag_ == "MD":  # 'might be', 'could be': a possibility, not a time
        return "none"
    if tense == ["Pres"]:
        return "present"
    if tense == ["Past"] and (verb.tag_ == "VBD" or auxes):
        return "past"
    return "none"


def sentence_table(article: Article) -> pd.DataFrame:
    """One row per body sentence: paragraph, sentence, start, end (offsets in the paragraph), tense, text."""
    rows = [{"paragraph": p.index, "sentence": i, "start": s.start_char, "end": s.end_char,
             "tense": sentence_tense(s), "text": text}
            for p in article.body for i, (s, text) in enumerate(zip(p.spans, p.sentences))]
    return pd.DataFrame(rows, columns=["paragraph", "sentence", "start", "end", "tense", "text"])


def place_value(value: str, mod: str, dct: dt.date) -> tuple[dt.date | None, str]:
    """(sort_key, granularity) of a TIMEX3 value; PRESENT_REF ('now', 'currently') is the publication date."""
    if value == "PRESENT_REF":
        return dct, "day"
    return timex_sort_key(value, mod), timex_granularity(value)


def own_dates(timexes: pd.DataFrame, dct: dt.date) -> dict[tuple[int, int], dict]:
    """(paragraph, sentence) -> the first DATE/TIME expression of that sentence that can be placed on a calendar."""
    own: dict[tuple, dict] = {}
    rows = zip(timexes["paragraph"], timexes["start"], timexes["sentence"], timexes["type"], timexes["value"],
               timexes["mod"], timexes["text"])
    for paragraph, _, sentence, kind, value, mod, text in sorted(rows, key=lambda row: row[:2]):
        if kind not in ("DATE", "TIME") or (paragraph, sentence) in own:
            continue
        key, gran = place_value(value, mod, dct)
        if key is not None:
            value = dct.isoformat() if value == "PRESENT_REF" else value  # 'now', 'currently'
            own[(paragraph, sentence)] = {"value": value, "mod": mod, "granularity": gran,
                                          "sort_key": key.isoformat(), "expression": text}
    return own


def date_sentences(sentences: pd.DataFrame, timexes: pd.DataFrame, dct: dt.date) -> pd.DataFrame:
    """Date every sentence by the DATED_BY rules: adds value, mod, granularity, sort_key, expression, dated_by."""
    own = own_dates(timexes, dct)
    publication = {"value": dct.isoformat(), "mod": "", "granularity": "day", "sort_key": dct.isoformat(),
                   "expression": ""}
    undated = {"value": "", "mod": "", "granularity": "", "sort_key": "", "expression": ""}
    rows, paragraph, last, lead, previous_lead = [], None, None, None, None
    for number, sentence, tense in zip(sentences["paragraph"], sentences["sentence"], sentences["tense"]):
        if number != paragraph:  # a new paragraph: its predecessor's first date becomes previous_lead
            paragraph, previous_lead, lead, last = number, lead, None, None
        if (number, sentence) in own:
            date, rule = own[(number, sentence)], "own"
        elif tense == "present":
            date, rule = publication, "present"
        elif last is not None:
            date, rule = last, "paragraph"
        elif previous_lead is not None:
            date, rule = previous_lead, "previous paragraph"
        else:
            date, rule = undated, "undated"
        if rule != "undated":
            last, lead = date, lead or date
        rows.append({**date, "dated_by": rule})
    dated = pd.DataFrame(rows, index=sentences.index,
                         columns=["value", "mod", "granularity", "sort_key", "expression", "dated_by"])
    return pd.concat([sentences, dated], axis=1)


def sentence_actors(entities: pd.DataFrame | None) -> dict[tuple, str]:
    """(paragraph, sentence) -> the canonical names of the actors in that sentence, sorted and ';'-separated."""
    if entities is None or len(entities) == 0:
        return {}
    actors: dict[tuple, set[str]] = {}
    for paragraph, sentence, name, label in zip(entities["paragraph"], entities["sentence"], entities["canonical"],
                                                entities["canonical_label"]):
        if label not in NON_NAME_LABELS:
            actors.setdefault((int(paragraph), int(sentence)), set()).add(name)
    return {key: ";".join(sorted(names)) for key, names in sorted(actors.items())}


def timeline_table(
    article: Article, timexes: pd.DataFrame, entities: pd.DataFrame | None, cues: pd.DataFrame,
    sentiment: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every body sentence dated, with its actors, fired cues, polarity and tension (one row per sentence).

    Polarity is TextBlob's, as in notebook 03; pass that notebook's sentiment_table as `sentiment` to reuse its
    scores instead of computing them again."""
    sentences = date_sentences(sentence_table(article), timexes, article.published)
    keys = list(zip(sentences["paragraph"], sentences["sentence"]))
    spans = {(p.index, i): s for p in article.body for i, s in enumerate(p.spans)}
    actors = sentence_actors(entities)
    index = cue_index(cues)
    matches = [match_cues(spans[key], cues, index) for key in keys]
    if sentiment is None:
        polarity = [text_sentiment(t)[0] for t in sentences["text"]]
    else:
        scored = {(paragraph, sentence): value for level, paragraph, sentence, value
                  in zip(sentiment["level"], sentiment["paragraph"], sentiment["sentence"], sentiment["polarity"])
                  if level == "sentence"}
        polarity = [scored[key] for key in keys]
    polarity = [round(float(value), 3) for value in polarity]
    added = pd.DataFrame({"actors": [actors.get(key, "") for key in keys], "polarity": polarity,
                          "tension": [sentence_tension(m, p) for m, p in zip(matches, polarity)],
                          "cues": [format_cues(m) for m in matches], "matches": matches}, index=sentences.index)
    return pd.concat([sentences, added], axis=1)


TIMELINE_COLUMNS = ["paragraph", "sentence", "value", "granularity", "sort_key", "dated_by", "actors", "tension",
                    "cues", "text"]


def timeline_moment(value: str, sort_key: str) -> dt.datetime:
    """Where a date sits on a time axis: its sort_key, at the hour of a part of day ('2018-03-13TEV' -> 19:00)."""
    day = dt.datetime.fromisoformat(str(sort_key)[:10])
    match = re.search(r"T(MO|MI|AF|EV|NI|DT)$", str(value))
    if match:
        return day + dt.timedelta(hours=PART_OF_DAY_HOURS[match.group(1)])
    match = re.search(r"T(\d{2}):(\d{2})", str(value))
    return day + dt.timedelta(hours=int(match.group(1)), minutes=int(match.group(2))) if match else day


def time_panels(moments: list, max_gap_days: int = 120) -> list[list]:
    """Split sorted moments into groups wherever two neighbours are more than max_gap_days apart (broken axis)."""
    panels: list[list] = []
    for moment in sorted(moments):
        if panels and (moment - panels[-1][-1]).days <= max_gap_days:
            panels[-1].append(moment)
        else:
            panels.append([moment])
    return panels


def calendar_ranks(timeline: pd.DataFrame) -> pd.Series:
    """Each sentence's date as its rank among the article's distinct dates in calendar order (1 = earliest, 0 =
    undated)."""
    dated = timeline[timeline["dated_by"] != "undated"]
    in_order = dated[["value", "sort_key"]].drop_duplicates().sort_values(["sort_key", "value"])
    rank = {value: i + 1 for i, value in enumerate(in_order["value"])}
    return timeline["value"].map(rank).fillna(0)


def flashbacks(timeline: pd.DataFrame) -> list[int]:
    """Row positions of the sentences that step back to an earlier date than the dated sentence before them."""
    ranks = calendar_ranks(timeline)
    return [i for i in range(1, len(ranks)) if 0 < ranks.iloc[i] < ranks.iloc[i - 1]]


def told_order(timeline: pd.DataFrame) -> list[str]:
    """The dates of the dated sentences in the order the article tells them, repeats of the same date merged."""
    values = list(timeline.loc[timeline["dated_by"] != "undated", "value"])
    return [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
