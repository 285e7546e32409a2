"""Every sentence of the story placed in time: its date expressions, its tense, the date of its main event (the
rules are in newslab/events.py), its actors, and where each date sits on a time axis (notebook 04)."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING

import pandas as pd

from newslab.articles import Article, sentence_of
from newslab.dates import find_timexes, joined_starts
from newslab.entities import NON_NAME_LABELS
from newslab.events import UNDATED, date_of, event_table
from newslab.sentiment import text_sentiment
from newslab.tension import Cues, format_cues, score_events, sentence_matches, sentence_tension

if TYPE_CHECKING:
    from spacy.tokens import Span


PART_OF_DAY_HOURS = {"MO": 9, "MI": 12, "AF": 15, "EV": 19, "NI": 22, "DT": 12}


def timex_table(article: Article) -> pd.DataFrame:
    """Every temporal expression of every paragraph: paragraph, sentence, start, end, text, type, value, mod, rule."""
    columns = ["paragraph", "sentence", "start", "end", "text", "type", "value", "mod", "rule"]
    # One pass over the whole article, so that "that same day" can refer back to an earlier paragraph:
    # the paragraphs' texts joined by single spaces, with their spaCy Docs; starts[i] is where paragraph i begins.
    text = " ".join(p.text for p in article.paragraphs)
    starts = joined_starts([len(p.text) for p in article.paragraphs])
    rows = []
    for t in find_timexes(text, article.published, doc=[p.doc for p in article.paragraphs]):
        i = bisect.bisect_right(starts, t["start"]) - 1
        p, offset = article.paragraphs[i], starts[i]
        rows.append({"paragraph": p.index, "sentence": sentence_of(p, t["start"] - offset),
                     **{k: t.get(k) or "" for k in columns[2:]},
                     "start": t["start"] - offset, "end": t["end"] - offset})
    rows.sort(key=lambda row: (row["paragraph"], row["start"]))
    for paragraph in article.paragraphs:
        anchor_quoted([row for row in rows if row["paragraph"] == paragraph.index], paragraph.text, article.published)
    return pd.DataFrame(rows, columns=columns)


# Quotation marks around quoted material, straight or curly; and the rules that read an expression from the DCT.
QUOTE = re.compile(r"[\"“]([^\"“”]+)[\"”]")
RELATIVE_TO_DCT = {"weekday", "deictic_day", "weekend", "clock_time"}


def anchor_quoted(rows: list[dict], text: str, dct: dt.date) -> None:
    """Re-read relative expressions inside quoted older material from that material's time, when the paragraph
    gives it before the quote ('In a letter of June 2011 she wrote: "Meet me Saturday"' -> 2011-06, not a
    Saturday of the publication week); rows are one paragraph's timexes, changed in place."""
    quotes = [match.span(1) for match in QUOTE.finditer(text)]
    inside = [any(a <= row["start"] and row["end"] <= b for a, b in quotes) for row in rows]
    for number, row in enumerate(rows):
        if not inside[number] or row["rule"] not in RELATIVE_TO_DCT:
            continue
        quote_start = next(a for a, b in quotes if a <= row["start"] <= b)
        earlier = [r for r, quoted in zip(rows, inside) if not quoted and r["end"] <= quote_start]
        anchor = next((date_of(r["value"], r["mod"], r["text"], dct) for r in reversed(earlier)
                       if r["type"] in ("DATE", "TIME") and date_of(r["value"], r["mod"], r["text"], dct)), None)
        if anchor is None or dt.date.fromisoformat(anchor["sort_key"]) > dct - dt.timedelta(days=7):
            continue
        if anchor["granularity"] in ("day", "time"):
            again = find_timexes(row["text"], dt.date.fromisoformat(anchor["sort_key"]))
            row["value"] = again[0]["value"] if again else anchor["value"]
        else:
            row["value"], row["type"] = anchor["value"], "DATE"  # a day inside a month-level time: that month
        row["rule"] = f"{row['rule']} in quote"


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
    """One row per sentence of the standfirst, body and embedded posts (the whole story but the title): paragraph,
    sentence, kind, start, end (offsets in the paragraph), tense, text."""
    rows = [{"paragraph": p.index, "sentence": i, "kind": p.kind, "start": s.start_char, "end": s.end_char,
             "tense": sentence_tense(s), "text": text}
            for p in article.paragraphs if p.kind != "title" for i, (s, text) in enumerate(zip(p.spans, p.sentences))]
    return pd.DataFrame(rows, columns=["paragraph", "sentence", "kind", "start", "end", "tense", "text"])


def own_dates(timexes: pd.DataFrame, dct: dt.date) -> dict[tuple[int, int], dict]:
    """(paragraph, sentence) -> the first DATE/TIME expression of that sentence that can be placed on a calendar."""
    own: dict[tuple, dict] = {}
    rows = zip(timexes["paragraph"], timexes["start"], timexes["sentence"], timexes["type"], timexes["value"],
               timexes["mod"], timexes["text"])
    for paragraph, _, sentence, kind, value, mod, text in sorted(rows, key=lambda row: row[:2]):
        date = date_of(value, mod, text, dct) if kind in ("DATE", "TIME") else None
        if date is not None and (paragraph, sentence) not in own:
            own[(paragraph, sentence)] = date
    return own


def date_sentences(sentences: pd.DataFrame, timexes: pd.DataFrame, events: pd.DataFrame,
                   dct: dt.date) -> pd.DataFrame:
    """Give every sentence the date of its main event (the events table's `main` rows): adds value, mod,
    granularity, sort_key, expression, dated_by. A sentence without an event (a caption, a fragment) keeps its
    own first date expression ('own'), else it is undated."""
    columns = ["value", "mod", "granularity", "sort_key", "expression", "dated_by"]
    mains = events[events["main"]]
    main = {(int(p), int(s)): dict(zip(columns, values)) for p, s, *values in zip(
        mains["paragraph"], mains["sentence"], *(mains[c] for c in columns))}
    own = own_dates(timexes, dct)
    rows = []
    for key in zip(sentences["paragraph"], sentences["sentence"]):
        if key in main:
            rows.append(main[key])
        elif key in own:
            rows.append({**own[key], "dated_by": "own"})
        else:
            rows.append({**UNDATED, "dated_by": "undated"})
    dated = pd.DataFrame(rows, index=sentences.index, columns=columns)
    return pd.concat([sentences, dated], axis=1)


def sentence_actors(entities: pd.DataFrame | None) -> dict[tuple, str]:
    """(paragraph, sentence) -> the canonical names of the actors in that sentence, sorted and ';'-separated."""
    if entities is None or len(entities) == 0:
        return {}
    actors: dict[tuple, set[str]] = {}
    excluded = entities["excluded"] if "excluded" in entities else [""] * len(entities)
    for paragraph, sentence, name, label, why in zip(entities["paragraph"], entities["sentence"],
                                                     entities["canonical"], entities["canonical_label"], excluded):
        if label not in NON_NAME_LABELS and not why:  # no numbers, dates or headline fragments
            actors.setdefault((int(paragraph), int(sentence)), set()).add(name)
    return {key: ";".join(sorted(names)) for key, names in sorted(actors.items())}


def timeline_table(
    article: Article, timexes: pd.DataFrame, entities: pd.DataFrame | None, cues: Cues,
    sentiment: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Every sentence of the story dated by its main event, with its actors, fired cues, polarity and tension
    (one row per sentence; standfirst and embedded posts included and marked in `kind`).

    Polarity is TextBlob's, as in notebook 03; pass that notebook's sentiment_table as `sentiment` to reuse its
    scores instead of computing them again, and the events table as `events` to reuse it (already scored, it is
    not scored again). A sentence's tension comes from its events' cues (score_events; `weights` overrides some
    lemmas' weights)."""
    if events is None:
        events = event_table(article, timexes, entities)
    sentences = date_sentences(sentence_table(article), timexes, events, article.published)
    keys = list(zip(sentences["paragraph"], sentences["sentence"]))
    actors = sentence_actors(entities)
    scored = events if weights is None and "tension" in events else score_events(article, events, cues, weights)
    cued = sentence_matches(scored)
    matches = [cued.get(key, []) for key in keys]
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


TIMELINE_COLUMNS = ["paragraph", "sentence", "kind", "value", "granularity", "sort_key", "dated_by", "actors",
                    "tension", "cues", "text"]


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
    undated); a date is its value and its place together ('2012-08' early and late in the month are two dates)."""
    dated = timeline[timeline["dated_by"] != "undated"]
    in_order = dated[["value", "sort_key"]].drop_duplicates().sort_values(["sort_key", "value"])
    rank = {key: i + 1 for i, key in enumerate(zip(in_order["value"], in_order["sort_key"]))}
    keys = pd.Series(list(zip(timeline["value"], timeline["sort_key"])), index=timeline.index, dtype=object)
    return keys.map(lambda key: rank.get(key, 0)).astype(float)


def flashbacks(timeline: pd.DataFrame) -> list[int]:
    """Row positions of the sentences that step back to an earlier date than the dated sentence before them."""
    ranks = calendar_ranks(timeline)
    return [i for i in range(1, len(ranks)) if 0 < ranks.iloc[i] < ranks.iloc[i - 1]]


def told_order(timeline: pd.DataFrame) -> list[str]:
    """The dates of the dated sentences in the order the article tells them, repeats of the same date merged."""
    values = list(timeline.loc[timeline["dated_by"] != "undated", "value"])
    return [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
