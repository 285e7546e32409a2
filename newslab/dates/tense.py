"""The tense that places a date expression: past, present or future, from the spaCy parse of its governing verb."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# -- tense from the spaCy parse

FUTURE_AUX = {"will", "shall", "'ll", "wo"}
PLAN_LEMMAS = {"plan", "schedule", "expect", "intend", "slate"}  # "planned a rally on Saturday" looks forward
REPORTING_LEMMAS = {"say", "tell", "report", "announce", "confirm", "add", "state", "claim", "write", "show"}
# "is set to meet Friday", "were going to drive", "is to resume trading Tuesday": an infinitive under these
PLAN_HEADS = PLAN_LEMMAS | {"set", "due", "go", "prepare", "be", "likely", "ready", "agree", "decide", "hope", "want"}


def governing_verb(span: Span | None) -> Token | None:
    """The verb (or auxiliary) that governs a span of tokens (the tokens of a temporal expression)."""
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") and token.i not in range(span.start, span.end):
            return token
        if token.head == token:
            break
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def is_set_for(verb: Token) -> bool:
    """True for 'set for' as in 'a summit set for April' (looks forward; 'a record set on Aug. 6' does not)."""
    return verb.lemma_ == "set" and any(child.lower_ == "for" for child in verb.children)


def clause_tense(verb: Token) -> str | None:
    """Tense of one verb from its own auxiliaries and tag: 'future', 'past', 'present', 'unknown' or None (look up)."""
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxiliaries}
    perfect = bool(words & {"has", "have", "had", "'ve", "'d"})
    if words & FUTURE_AUX or verb.lemma_ in PLAN_LEMMAS:
        return "future"
    if any(a.tag_ == "TO" for a in auxiliaries) and verb.head.lemma_ in PLAN_HEADS:
        # "is set to meet Friday" looks forward; "agreed to sell the plant in May", told in the past, may not
        return "unknown" if verb.head.tag_ == "VBD" else "future"
    if any(a.tag_ in ("MD", "TO") for a in auxiliaries) and not perfect:
        return "unknown"  # "could meet", "tried to buy it in February": could be either side of the DCT
    tags = {verb.tag_} | {a.tag_ for a in auxiliaries}
    if verb.tag_ == "VBN" and not auxiliaries and verb.dep_ == "acl":  # "the decision, announced Wednesday"
        return "future" if is_set_for(verb) else "past"
    if "VBD" in tags or ("VBN" in tags and perfect):
        return "past"
    if tags & {"VBZ", "VBP"}:
        return "past" if verb.lemma_ in REPORTING_LEMMAS else "present"  # "the FBI says Friday" reports the past
    return None


def verb_tense(span: Span | None) -> str | None:
    """'past', 'present', 'future', or 'unknown' (a modal, a plan told in the past) for the verb governing a span
    (climbing from participles); None when no verb says."""
    verb = governing_verb(span)
    for _ in range(4):
        if verb is None:
            return None
        tense = clause_tense(verb)
        if tense is not None:
            return tense
        if verb.dep_ not in ("xcomp", "ccomp", "conj", "advcl") or verb.head == verb:
            return None
        verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else None
    return None


# A deadline before the expression ("until 9 a.m. Tuesday", "by Jan. 14") points forward.
DEADLINE_BEFORE = r"\b(?:until|till|through|by)\s+(?:\d{1,2}(?::\d\d)?\s*[ap]\.m\.\s*(?:[A-Z]{2,4}\s*)?,?\s*)?$"


def expression_tense(text: str, span: Span | None, start: int, end: int, rule: str) -> str | None:
    """The tense that places an expression: the governing verb's, unless the words around it say otherwise."""
    before = text[max(0, start - 40):start]
    if re.match(r"['’]s\b", text[end:end + 2]):
        return "past"  # "Wednesday's phone call", "Friday's purchases": an event already named
    if re.search(r"\bas (soon|early) as\s*$", before, re.I):
        return "future"
    if re.search(DEADLINE_BEFORE, before, re.I):  # a deadline: "until Tuesday"; "by Jan. 14" is nearest
        return "future" if rule == "weekday" or verb_tense(span) == "future" else None
    return verb_tense(span)
