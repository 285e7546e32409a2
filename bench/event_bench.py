"""Event anchoring on TBAQ: does the events table give each event the date its TimeML annotation gives it?

Not a test and not run in CI. From the project root:

    python bench/event_bench.py                 # reads ../shared/tempeval/TBAQ
    python bench/event_bench.py --errors 40     # and lists that many wrongly dated events

Gold: TBAQ's TLINKs say which events fall inside which DATE or TIME expression, or inside the document creation
time (DCT): an event instance linked to a time with IS_INCLUDED, DURING or SIMULTANEOUS, or a time linked to an
event instance with INCLUDES or SIMULTANEOUS. The gold dates of an event are the values of those times (durations
and sets left out). An event is matched to the events-table row whose trigger [start, end) covers the first
character of the gold EVENT's text, in the paragraph the article reader made of that text.

Scores, over all anchored gold events and over each sentence's main event (of the anchored gold events of a
sentence, the one nearest the root of spaCy's parse):
  exact       the row's value equals one of the event's gold values;
  compatible  the row's value and a gold value are the same period or one lies inside the other
              (2013-03 and 2013-03-22; 1998-08-07T10:35 and 1998-08-07), so a coarser but true date counts;
  missed      no row for the event, or a row without a date.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timex_bench import DEFAULT_CORPUS, load_tbaq, strip_tags  # noqa: E402

INSIDE_EVENT_TO_TIME = {"IS_INCLUDED", "DURING", "SIMULTANEOUS"}
INSIDE_TIME_TO_EVENT = {"INCLUDES", "SIMULTANEOUS"}
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def elements(markup: str, name: str) -> list[dict]:
    """The attributes of every <name .../> element of a TimeML file (MAKEINSTANCE, TLINK)."""
    return [dict(ATTRIBUTE.findall(match.group(1))) for match in re.finditer(rf"<{name}\b([^>]*)/?>", markup)]


def gold_events(document: dict) -> list[dict]:
    """The events of a TBAQ document that a TLINK places inside a calendar time: start, end, text, class, values."""
    from newslab.dates import timex_period

    markup = Path(document["path"]).read_text(encoding="utf-8")
    body = re.search(r"<TEXT>(.*)</TEXT>", markup, re.DOTALL).group(1)
    _, events = strip_tags(body, "EVENT")
    times = {t["tid"]: t.get("value", "") for t in document["gold"]}
    times.update({t["tid"]: t.get("value", "") for t in elements(markup, "TIMEX3")
                  if t.get("functionInDocument") == "CREATION_TIME"})
    instance_event = {m["eiid"]: m["eventID"] for m in elements(markup, "MAKEINSTANCE")}
    values: dict[str, set[str]] = {}
    for link in elements(markup, "TLINK"):
        rel = link.get("relType")
        if "eventInstanceID" in link and "relatedToTime" in link and rel in INSIDE_EVENT_TO_TIME:
            eiid, tid = link["eventInstanceID"], link["relatedToTime"]
        elif "timeID" in link and "relatedToEventInstance" in link and rel in INSIDE_TIME_TO_EVENT:
            eiid, tid = link["relatedToEventInstance"], link["timeID"]
        else:
            continue
        value = times.get(tid, "")
        if eiid in instance_event and timex_period(value) is not None:
            values.setdefault(instance_event[eiid], set()).add(value)
    return [{**event, "values": sorted(values[event["eid"]])} for event in events if event["eid"] in values]


def nonspace_map(text: str) -> list[int]:
    """Offsets of the non-space characters of a text, in order."""
    return [i for i, char in enumerate(text) if not char.isspace()]


def locate(article, plain: str) -> dict[int, tuple[int, int]]:
    """plain-text offset -> (paragraph index, offset in the paragraph), for every non-space character.

    The reader joins lines and squeezes spaces, so the two texts agree on their non-space characters only."""
    plain_chars = nonspace_map(plain)
    places, k = {}, 0
    for paragraph in article.paragraphs:
        for offset in nonspace_map(paragraph.text):
            if k < len(plain_chars):
                places[plain_chars[k]] = (paragraph.index, offset)
            k += 1
    return places


def compatible(value: str, gold: str) -> bool:
    """The same period, or one inside the other (a coarser but true date)."""
    from newslab.dates import timex_period

    a, b = timex_period(value or ""), timex_period(gold)
    if a is None or b is None:
        return False
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def depth(token) -> int:
    """Steps from a token up to the root of its sentence."""
    steps = 0
    while token.head is not token and steps < 50:
        token, steps = token.head, steps + 1
    return steps


def evaluate(documents: list[dict], events_of) -> tuple[Counter, list[str]]:
    """Score `events_of(article) -> events table` on every document; the counts and one line per wrong event."""
    import warnings

    import helpers
    from run_bench import tbaq_articles

    warnings.simplefilter("ignore")
    counts, errors = Counter(), []
    with tempfile.TemporaryDirectory() as tmp:
        paths = tbaq_articles(documents, Path(tmp), title=True)
        articles = helpers.parse_articles([helpers.read_article(path) for path in paths])
    for document, article in zip(documents, articles):
        table = events_of(article)
        head = f"TBAQ {Path(document['name']).stem}\n\n"  # the title line tbaq_articles puts in front
        shown = head + document["text"].strip()  # the article file's text; gold offsets move by `offset`
        places = locate(article, shown)
        offset = len(document["text"]) - len(document["text"].lstrip()) - len(head)
        by_sentence: dict[tuple, list] = {}
        for gold in gold_events(document):
            start = gold["start"] - offset
            while start < gold["end"] - offset and shown[start:start + 1].isspace():
                start += 1
            place = places.get(start)
            row = None
            if place is not None:
                inside = (table["start"] <= place[1]) & (table["end"] > place[1])
                rows = table[(table["paragraph"] == place[0]) & inside]
                row = rows.iloc[0] if len(rows) else None
            value = "" if row is None else str(row["value"] or "")
            exact = value in gold["values"]
            near = exact or any(compatible(value, g) for g in gold["values"])
            result = {"gold": gold, "value": value, "exact": exact, "compatible": near, "row": row}
            for scope in ("all",):
                counts[f"{scope}_n"] += 1
                counts[f"{scope}_exact"] += exact
                counts[f"{scope}_compatible"] += near
                counts[f"{scope}_missed"] += not value
            if place is not None:
                paragraph = article.paragraphs[place[0]]
                token = paragraph.doc.char_span(place[1], place[1] + 1, alignment_mode="expand")
                if token is not None and len(token):
                    sentence = token[0].sent.start
                    by_sentence.setdefault((place[0], sentence), []).append((depth(token[0]), result))
            if not near:
                rule = "" if row is None else row.get("dated_by", "")
                errors.append(f"{document['name']} dct={document['dct']} {gold['text']!r} ({gold.get('class')}) "
                              f"gold {'|'.join(gold['values'])} -> {value or 'NO DATE'} [{rule}]")
        for results in by_sentence.values():
            result = min(results, key=lambda pair: pair[0])[1]
            result["main"] = True
            counts["main_n"] += 1
            counts["main_exact"] += result["exact"]
            counts["main_compatible"] += result["compatible"]
            counts["main_missed"] += not result["value"]
    return counts, errors


def report(counts: Counter) -> str:
    """The scores as a small table."""
    lines = [f"{'':24} {'events':>7} {'exact':>7} {'compatible':>11} {'missed':>7}"]
    for scope, label in (("main", "each sentence's main event"), ("all", "all anchored events")):
        n = counts[f"{scope}_n"] or 1
        lines.append(f"{label:24.24} {counts[f'{scope}_n']:7d} {100 * counts[f'{scope}_exact'] / n:6.1f}% "
                     f"{100 * counts[f'{scope}_compatible'] / n:10.1f}% {100 * counts[f'{scope}_missed'] / n:6.1f}%")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Counter:
    """Load TBAQ, build every article's events table, print the scores (and the errors)."""
    import pandas as pd

    import helpers

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder with TimeML .tml files")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrongly dated events")
    parser.add_argument("--sentences", action="store_true",
                        help="score the sentence dates of timeline.csv instead: every word of a sentence gets its date")
    args = parser.parse_args(argv)
    documents = load_tbaq(args.corpus)
    cues = helpers.load_tension_cues()

    def events_of(article):
        """The events table of one parsed article, as notebook 04 makes it (or its sentences, with --sentences)."""
        timexes, entities = helpers.timex_table(article), helpers.entity_table(article)
        if not args.sentences:
            from newslab.events import event_table  # not in the project before the events table

            return event_table(article, timexes, entities)
        timeline = helpers.timeline_table(article, timexes, entities, cues)
        spans = {(p.index, i): s for p in article.paragraphs for i, s in enumerate(p.spans)}
        rows = [{"paragraph": r.paragraph, "start": spans[(r.paragraph, r.sentence)].start_char,
                 "end": spans[(r.paragraph, r.sentence)].end_char, "value": r.value, "dated_by": r.dated_by}
                for r in timeline.itertuples()]
        return pd.DataFrame(rows, columns=["paragraph", "start", "end", "value", "dated_by"])

    counts, errors = evaluate(documents, events_of)
    print(report(counts))
    for line in errors[:args.errors]:
        print(line)
    return counts


if __name__ == "__main__":
    main()
