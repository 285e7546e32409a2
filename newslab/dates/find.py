"""find_timexes: every date expression of a text with its TIMEX3 value, the rules put together."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING

from newslab.dates.rules import TIMEX_RULES, TimexContext
from newslab.dates.tense import expression_tense
from newslab.dates.values import is_calendar_value, timex_granularity
from newslab.dates.vocabulary import NEWS_SAYING, SIGNAL_MODS
from newslab.metadata import parse_date
from newslab.nlp import load_nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


def timex_candidates(text: str) -> list[tuple[int, int, str, object, object]]:
    """Every rule's matches as (start, end, rule name, match, resolver), overlaps settled by keeping the longest."""
    found = []
    for order, (name, pattern, resolve) in enumerate(TIMEX_RULES):
        for match in pattern.finditer(text):
            if match.end() > match.start():
                found.append((match.start(), match.end(), order, name, match, resolve))
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))  # longest first, then rule order
    taken: list[tuple] = []
    for candidate in found:
        if all(candidate[1] <= t[0] or candidate[0] >= t[1] for t in taken):
            taken.append(candidate)
    taken.sort(key=lambda c: c[0])
    return [(start, end, name, match, resolve) for start, end, _, name, match, resolve in taken]


def signal_mod(text: str, start: int) -> str | None:
    """ON_OR_AFTER when the expression follows 'since', ON_OR_BEFORE after 'until'/'till'."""
    before = re.search(r"(\w+)\s*$", text[max(0, start - 12):start])
    return SIGNAL_MODS.get(before.group(1).lower()) if before else None


CLOCK_THEN_DAY = re.compile(r"\s*(?:[A-Z]{2,4}\b)?,?\s*(?:on\s+)?")


def attach_clock_times(text: str, timexes: list[dict]) -> list[dict]:
    """Join a clock time to the day that follows it: '9 a.m. EST Tuesday' becomes one TIME 2000-04-04T09:00."""
    joined: list[dict] = []
    for timex in timexes:
        previous = joined[-1] if joined else None
        if (previous and previous["rule"] == "clock_time" and timex_granularity(timex["value"]) == "day"
                and CLOCK_THEN_DAY.fullmatch(text, previous["end"], timex["start"])):
            value = timex["value"] + previous["value"][10:]
            joined[-1] = {**previous, "end": timex["end"], "text": text[previous["start"]:timex["end"]],
                          "value": value, "rule": "clock_time+" + timex["rule"]}
        else:
            joined.append(timex)
    return joined


# "a year earlier", "year-ago": a comparison point; it does not move the story's reference time.
COMPARATIVE_AFTER = re.compile(r"\s+than\b", re.IGNORECASE)
COMPARISON = re.compile(r"\byear[- ](?:earlier|ago)\b", re.IGNORECASE)


def dates_a_saying(span: Span | None) -> bool:
    """Whether a date expression dates a verb of saying ('said on Monday', 'told reporters Friday')."""
    if span is None:
        return False
    word = span.root
    for _ in range(2):
        word = word.head
        if word.pos_ == "VERB":
            return word.lemma_.lower() in NEWS_SAYING
        if word.pos_ != "ADP":
            return False
    return False


def joined_starts(lengths: list[int]) -> list[int]:
    """Where each of texts of these lengths begins when they are joined by single spaces (" ".join(texts))."""
    starts, position = [], 0
    for length in lengths:
        starts.append(position)
        position += length + 1
    return starts


def doc_length(doc: Doc) -> int:
    """The length of a Doc's text, without joining its tokens into the text (Doc.text does)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def expression_span(docs: list[Doc], starts: list[int], start: int, end: int) -> Span | None:
    """The tokens between character offsets start and end of a text made of docs that begin at offsets starts."""
    i = bisect.bisect_right(starts, start) - 1
    length = doc_length(docs[i])  # an expression running into the next doc is cut at the end of this one
    return docs[i].char_span(start - starts[i], min(end - starts[i], length), alignment_mode="expand")


def find_timexes(text: str, dct: dt.date, doc: Doc | list[Doc] | None = None) -> list[dict]:
    """Temporal expressions in text with TIMEX3-style values relative to the publication date dct.

    Each is a dict: start, end (character offsets into text), text, type (DATE/TIME/DURATION/SET), value, mod
    (START/MID/END, ON_OR_AFTER for 'since', APPROX... or None) and rule (the rule that resolved it).
    Pass doc, the spaCy Doc of exactly this text, to skip parsing it again, or a list of Docs whose texts joined
    by single spaces are this text (an article's paragraphs, as timex_table does). dct may be an ISO date string.
    Anaphora ("that same day") carry across paragraphs: pass the whole article, not one paragraph at a time.
    """
    dct = parse_date(dct, "find_timexes")
    candidates = timex_candidates(text)
    if not candidates:
        return []
    docs = doc if isinstance(doc, list) else [doc if doc is not None else load_nlp()(text)]
    lengths = [doc_length(d) for d in docs]
    starts = joined_starts(lengths)
    edges = [(s, t) for d, s in zip(docs, starts) if len(d) for t in (d[0], d[-1])]  # checked: lengths, edge words
    if sum(lengths) + len(docs) - 1 != len(text) or any(text[s + t.idx:s + t.idx + len(t)] != t.text for s, t in edges):
        raise ValueError("find_timexes: doc must be the spaCy parse of exactly this text (or of its paragraphs)")
    anchor, anchor_end = dct.isoformat(), -10_000
    timexes = []
    for start, end, name, match, resolve in candidates:
        before = text[max(0, start - 40):start]
        span = expression_span(docs, starts, start, end)
        tense = expression_tense(text, span, start, end, name)
        ctx = TimexContext(dct=dct, anchor=anchor, tense=tense, before=before, distance=start - anchor_end)
        if name == "anaphoric_shift" and COMPARATIVE_AFTER.match(text, end):
            continue  # "two weeks earlier than usual": an offset from a habit, not a date
        resolved = resolve(match, ctx)
        if resolved is None or resolved[1] is None:
            continue
        kind, value, mod = resolved
        mod = mod or signal_mod(text, start)
        timexes.append({"start": start, "end": end, "text": text[start:end], "type": kind, "value": value,
                        "mod": mod, "rule": name})
        if is_calendar_value(value) and not COMPARISON.search(text[start:end]) \
                and not dates_a_saying(span):
            anchor, anchor_end = value, end
    return attach_clock_times(text, timexes)
