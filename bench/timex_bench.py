"""Benchmark helpers.find_timexes against TimeML gold (TBAQ: TimeBank + AQUAINT).

Not a test and not run in CI. Usage, from the project root:

    python bench/timex_bench.py                      # reads ../shared/tempeval/TBAQ
    python bench/timex_bench.py --corpus PATH --errors 30

Prints strict-span, relaxed-span (overlap) and value P/R/F1. A value counts when a system timex overlaps a gold
TIMEX3 and the value strings are equal; precision is over system timexes, recall over gold timexes. The DCT
(functionInDocument="CREATION_TIME", outside TEXT) is the anchor, not a timex to find.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402
import newslab.nlp

DEFAULT_CORPUS = ROOT / ".." / "shared" / "tempeval" / "TBAQ"
TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def strip_tags(markup: str, element: str = "TIMEX3") -> tuple[str, list[dict]]:
    """Plain text of a TimeML TEXT element and its `element` elements (TIMEX3, EVENT …) as dicts of their attributes
    with start/end offsets into it and their text."""
    text, spans, open_span, position, offset = [], [], None, 0, 0
    for match in TAG.finditer(markup + "<end/>"):
        chunk = html.unescape(markup[position:match.start()])
        text.append(chunk)
        position = match.end()
        offset += len(chunk)  # characters of plain text so far
        closing, name, attributes = match.group(1), match.group(2), dict(ATTRIBUTE.findall(match.group(3)))
        if name == element and not closing:
            open_span = {"start": offset, **attributes}
        elif name == element and closing and open_span is not None:
            open_span["end"] = offset
            spans.append(open_span)
            open_span = None
    plain = "".join(text)
    for span in spans:
        span["text"] = plain[span["start"]:span["end"]]
    return plain, spans


def load_tbaq(folder) -> list[dict]:
    """Every .tml file under folder as {name, path, dct, text, gold}: gold is the TIMEX3s inside TEXT."""
    documents = []
    for path in sorted(Path(folder).rglob("*.tml")):
        markup = path.read_text(encoding="utf-8")
        dct_match = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*value="(\d{4}-\d{2}-\d{2})'
                              r'|<TIMEX3[^>]*value="(\d{4}-\d{2}-\d{2})[^>]*functionInDocument="CREATION_TIME"', markup)
        body = re.search(r"<TEXT>(.*)</TEXT>", markup, re.DOTALL)
        if not dct_match or not body:
            continue
        text, gold = strip_tags(body.group(1))
        dct = dt.date.fromisoformat(dct_match.group(1) or dct_match.group(2))
        documents.append({"name": path.name, "path": path, "dct": dct, "text": text, "gold": gold})
    return documents


def prf(correct_p: int, n_system: int, correct_r: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 in percent."""
    precision = 100 * correct_p / n_system if n_system else 0.0
    recall = 100 * correct_r / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def overlaps(a: dict, b: dict) -> bool:
    """True when two spans share at least one character."""
    return a["start"] < b["end"] and b["start"] < a["end"]


def score(gold: list[list[dict]], system: list[list[dict]]) -> dict[str, tuple[float, float, float]]:
    """Strict, relaxed and value P/R/F1 over documents (parallel lists of span dicts with start, end, value)."""
    counts = Counter()
    for gold_doc, system_doc in zip(gold, system):
        counts["gold"] += len(gold_doc)
        counts["system"] += len(system_doc)
        for s in system_doc:
            matches = [g for g in gold_doc if overlaps(s, g)]
            counts["strict_p"] += any(g["start"] == s["start"] and g["end"] == s["end"] for g in matches)
            counts["relaxed_p"] += bool(matches)
            counts["value_p"] += any(g.get("value") == s.get("value") for g in matches)
        for g in gold_doc:
            matches = [s for s in system_doc if overlaps(s, g)]
            counts["strict_r"] += any(g["start"] == s["start"] and g["end"] == s["end"] for s in matches)
            counts["relaxed_r"] += bool(matches)
            counts["value_r"] += any(g.get("value") == s.get("value") for s in matches)
    return {kind: prf(counts[f"{kind}_p"], counts["system"], counts[f"{kind}_r"], counts["gold"])
            for kind in ("strict", "relaxed", "value")}


def run(documents: list[dict]) -> list[list[dict]]:
    """helpers.find_timexes on every document's TEXT."""
    nlp = newslab.nlp.load_nlp()
    docs = nlp.pipe(d["text"] for d in documents)
    return [helpers.find_timexes(d["text"], d["dct"], doc=doc) for d, doc in zip(documents, docs)]


def error_lines(documents: list[dict], system: list[list[dict]]) -> list[str]:
    """One line per wrong or missed value and per spurious system timex, to read while improving the rules."""
    lines = []
    for document, found in zip(documents, system):
        for g in document["gold"]:
            matches = [s for s in found if overlaps(s, g)]
            if not any(s["value"] == g.get("value") for s in matches):
                got = "; ".join(f"{s['text']!r}={s['value']} [{s['rule']}]" for s in matches) or "MISSED"
                lines.append(f"{document['name']} dct={document['dct']} gold {g['text']!r}={g.get('value')}"
                             f" -> {got}")
        for s in found:
            if not any(overlaps(s, g) for g in document["gold"]):
                lines.append(f"{document['name']} dct={document['dct']} SPURIOUS {s['text']!r}={s['value']} "
                             f"[{s['rule']}]")
    return lines


def main(argv: list[str] | None = None) -> dict:
    """Load the corpus, run the resolver, print the three scores and (optionally) the errors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder with TimeML .tml files")
    parser.add_argument("--errors", type=int, default=0, help="print this many error lines")
    args = parser.parse_args(argv)
    documents = load_tbaq(args.corpus)
    if not documents:
        raise SystemExit(f"no TimeML documents with a DCT under {args.corpus}")
    began = time.perf_counter()
    system = run(documents)
    seconds = time.perf_counter() - began
    scores = score([d["gold"] for d in documents], system)
    print(f"{len(documents)} documents, {sum(len(d['gold']) for d in documents)} gold timexes, "
          f"{sum(map(len, system))} system timexes, {seconds:.1f} s")
    print(f"{'':8} {'P':>6} {'R':>6} {'F1':>6}")
    for kind, (p, r, f) in scores.items():
        print(f"{kind:8} {p:6.1f} {r:6.1f} {f:6.1f}")
    for line in error_lines(documents, system)[:args.errors]:
        print(line)
    return scores


if __name__ == "__main__":
    main()
