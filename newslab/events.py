"""Events, not sentences: who did what to whom, and when — one row per event mention, found with spaCy's parse
and dated by the date expressions the parse attaches to it (notebook 04).

An event is a verb, or a noun that names an event (EVENT_NOUNS: attack, talks, election …). Each gets its actor
and target (canonical names where they are named entities), its negation, its modality (asserted, reported,
planned, hypothetical) and a date, by the first of the DATED_BY rules that applies.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

import pandas as pd

from newslab.articles import Article
from newslab.dates import timex_granularity, timex_sort_key
from newslab.dates.values import ordinal_value
from newslab.dates.tense import FUTURE_AUX
from newslab.dates.vocabulary import NEWS_SAYING, REPORTING_VERBS
from newslab.tension import negation_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Nouns that name an event (something that happens), not a thing: they are events like verbs are. Nouns in
# -ing made from a verb ("bombing", "trading") are events too (ING_NOUN_THINGS lists those that name things).
EVENT_NOUNS = {
    "abduction", "accession", "accident", "acquisition", "action", "address", "admission", "adoption", "agreement",
    "airstrike", "alert", "ambush", "announcement", "apology", "appeal", "appearance", "appointment", "approval",
    "arrest", "arrival", "assassination", "assault", "attack", "attempt", "auction", "ban", "bankruptcy", "battle",
    "bid", "blast", "blockade", "bombardment", "boycott", "breach", "breakthrough", "briefing", "broadcast",
    "buy-out", "buyout", "call", "campaign", "capture", "cease-fire", "ceasefire", "celebration", "ceremony",
    "change", "charge", "clash", "close", "closing", "closure", "collapse", "collision", "comment", "comments",
    "conference", "conflict", "confrontation", "conversation", "conviction", "coup", "crackdown", "crash",
    "creation", "crime", "crimes", "crisis", "cut", "deal", "death", "debate", "decision", "decline", "defeat",
    "delay", "demonstration", "departure", "deployment", "destruction", "detention", "disaster", "discovery",
    "discussion", "dismissal", "dispute", "drop", "earning", "earnings", "earthquake", "election", "embargo",
    "enlargement", "entry", "epidemic", "eruption", "escalation", "escape", "establishment", "evacuation",
    "execution", "exercise",
    "expansion", "explosion", "expulsion", "extension", "fall", "fight", "fire", "flight", "flood", "formation",
    "gain", "growth", "hearing", "hijacking", "hurricane", "implementation", "incident", "income", "increase",
    "injury", "inquiry", "intervention", "interview", "invasion", "investigation", "kidnapping", "landing",
    "launch", "loss", "march", "massacre", "meeting", "merger", "move", "murder", "negotiation", "negotiations",
    "nomination", "offensive", "offer", "offering", "operation", "outbreak", "pandemic", "parade", "payment",
    "poll", "pricing", "profit", "protest", "purchase", "raid", "rally", "ratification", "rebellion", "recession",
    "recovery", "reduction", "referendum", "reform", "rejection", "release", "remark", "remarks", "removal",
    "rescue", "resignation", "result", "results", "retaliation", "retreat", "return", "revenue", "revision",
    "revolt", "revolution",
    "riot", "rise", "robbery", "ruling", "sale", "sales", "sanction", "sanctions", "search", "sentence",
    "settlement", "shelling", "shipment", "shot", "show", "shutdown", "siege", "slaying", "slide", "speech",
    "split", "statement", "storm", "strike", "struggle", "summit", "surrender", "suspension", "takeover", "talk",
    "talks", "test", "threat", "tragedy", "transfer", "trial", "uprising", "verdict", "veto", "victory", "violence",
    "visit", "vote", "war", "warning", "wedding", "withdrawal",
    # gatherings and journeys: "answered questions over lunch Tuesday", "a trip to Paris on Monday"
    "banquet", "breakfast", "concert", "dinner", "festival", "funeral", "homecoming", "journey", "lunch", "reunion",
    "tour", "trip", "vigil", "voyage",
}
# States that are not events but that a reader of tension reads like one ("the danger", "tensions"): they are
# rows of the events table too, so that the tension index (newslab/tension.py) can score them.
STATE_NOUNS = {"danger", "tension", "crisis", "hostility", "threat", "standoff", "unrest", "violence", "terrorism",
               "emergency", "casualty", "fatality", "victim", "hostage", "famine", "drought", "catastrophe",
               "cooperation", "aid", "assistance", "truce", "accord", "treaty", "pact", "mediation"}
ING_NOUN_THINGS = {"building", "evening", "morning", "ceiling", "clothing", "housing", "thing", "string",
                   "wing", "ring", "king", "spring", "setting", "heading", "painting", "drawing",
                   "feeling", "meaning", "understanding", "wording", "opening", "savings", "holding", "holdings",
                   "listing", "rating", "ranking", "standing", "standings", "surroundings", "finding",
                   "findings", "proceeds", "offspring", "nothing", "something", "anything", "everything"}
# Suffixes that make a noun of a verb's act, each with the endings that give the verb back ('repatri-ation' ->
# repatriate, 'explo-sion' -> explode, 'move-ment', 'arriv-al' -> arrive, 'fail-ure', 'introd-uction' -> introduce,
# 'redem-ption' -> redeem); the nouns among them that
# name a thing, a body or a state of affairs rather than an act.
NOMINAL_SUFFIXES = (("uction", ("uce",)), ("mption", ("me", "em")), ("ation", ("ate", "e", "")),
                    ("ition", ("ite", "ish", "")), ("tion", ("te", "t")),
                    ("sion", ("de", "d", "t", "")), ("ment", ("",)), ("al", ("e", "")), ("ance", ("e", "")),
                    ("ence", ("e", "")), ("ure", ("e", "")), ("age", ("e", "")))
NOMINAL_THINGS = {"government", "department", "apartment", "equipment", "establishment", "settlement",
                  "organization", "organisation", "administration", "association", "foundation", "federation",
                  "corporation", "institution", "constitution", "legislation", "regulation", "population",
                  "information", "location", "position", "direction", "relation", "relations", "generation",
                  "station", "situation", "condition", "publication", "application", "reputation", "commission",
                  "committee", "coalition", "delegation", "opposition", "union", "nation", "region", "edition",
                  "version", "division", "television", "provision", "vision", "mansion", "pension", "tension",
                  "insurance", "allowance", "evidence", "audience", "agency", "residence", "presence", "literature",
                  "feature", "temperature", "signature", "structure", "measure", "pressure", "individual",
                  "official", "officials", "professional", "material", "proposal", "principal", "capital",
                  "arsenal", "manual", "message", "village", "passage", "package", "language", "average", "image",
                  "page", "storage", "advantage", "percentage", "coverage", "mileage", "luggage", "heritage",
                  "document", "instrument", "environment", "parliament", "statement", "agreement", "treatment",
                  "management", "investment", "movement", "element", "supplement", "compartment"}
PLAN_VERBS = {"plan", "intend", "expect", "schedule", "agree", "decide", "hope", "want", "prepare", "aim", "seek",
              "promise", "vow", "pledge", "propose", "threaten", "offer", "try", "attempt", "wish", "mean", "set"}
HYPOTHETICAL_MODALS = {"could", "would", "might", "may", "should", "must", "can", "ca", "'d"}
CONDITIONAL_MARKS = {"if", "unless", "whether"}
TEMPORAL_PREPOSITIONS = {"on", "in", "at", "during", "since", "until", "till", "by", "before", "after", "through",
                         "throughout", "within", "over", "around", "about", "between", "from", "to", "into"}
DAY_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
             "tomorrow", "tonight", "night", "morning", "afternoon", "evening"}
TIME_NOUNS = {"night", "morning", "afternoon", "evening", "day", "days", "week", "weeks", "weekend", "month",
              "months", "year", "years", "hour", "hours", "time", "period", "moment", "eve", "dawn", "noon"}
COPULA_EVENT_DEPS = ("nsubj", "nsubjpass", "acomp", "attr", "xcomp", "advcl")
PARTICLES = {"up", "down", "out", "off", "over", "back", "in", "on", "away"}
ASPECTUAL_VERBS = {"begin", "start", "continue", "resume", "stop", "finish", "end", "keep", "cease", "quit"}
LIGHT_VERBS = {"hold", "stage", "launch", "begin", "start", "conduct", "carry", "make", "take", "have", "give",
               "attend", "join", "open", "host", "mount", "resume", "continue", "call", "lead", "organize",
               "complete", "end", "win", "lose", "suffer", "survive"}
TEMPORAL_MARKS = {"when", "as", "while", "whenever"}
NUMBER_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}
EVENT_COLUMNS = ["paragraph", "sentence", "start", "end", "trigger", "lemma", "kind", "actor", "target", "negated",
                 "modality", "reported_by", "main", "value", "mod", "granularity", "sort_key", "dated_by",
                 "expression"]

UNDATED = {"value": "", "mod": "", "granularity": "", "sort_key": "", "expression": ""}
# The rules that date an event, in the order they are tried (the `dated_by` column).
DATED_BY = {
    "own": "a date expression the parse attaches to the event itself: in its clause ('attacked on Friday') or as "
           "its modifier ('Friday's attack'); 'now', 'currently' = the publication date; or a year counted back "
           "('the 14th anniversary of the bombing', 'ten years on from the attacks')",
    "same event": "an event noun with 'the', 'this' or a possessive ('the bombing', 'the blast'), or a past act "
                  "of violence inside a report ('stabbed him, the court heard'), no expression of its own: the "
                  "event of that kind (of any violent kind) told last with a date (EVENT_KINDS groups the words); "
                  "in a day-after report, violence or a disaster told first without a date takes the one the "
                  "report gives it later, in the week before publication ('the victims of Sunday's crash'), "
                  "and so does the incident's story told before that date ('they held the crew hostage'); "
                  "the crime a charge names ('charged with murder') before the violence is told with its date: "
                  "that violence, however long before publication",
    "story year": "an act of violence dated by a day without a year ('shot on Aug. 11'), after violence told "
                  "with an earlier year ('convicted in a 2016 shooting'): that day in the story's year, not the "
                  "year nearest publication",
    "clause": "no expression of its own: the date of the event it is joined to in the same clause ('was arrested "
              "on Monday and charged', 'two were killed and three injured on Sunday'), for an event noun of the "
              "verb it belongs to, and for a present tense reported in the past of the saying ('stated on March "
              "13 that Moscow is ready')",
    "saying": "a reporting verb (said, told, confirmed), a source speaking out ('condemned the attack', 'called "
              "for calm') or the report's account of its sources ('declined to comment', 'requested anonymity') "
              "without a date of its own: an act of saying, at the time of writing, so the publication date "
              "(other reporting verbs in the past, 'she also recalled', continue the narrative of their paragraph)",
    "present": "present tense or present perfect, not a plan, or what someone 'can' do: true at the time of "
               "writing, the publication date (or the day of a wire dateline, 'WASHINGTON, March 12 (Xinhua) --', "
               "in the three days before it; the same for 'saying' and 'news')",
    "sentence": "past tense or no tense (an infinitive, a participle), no date of its own or in its clause: the "
                "date of the sentence's most central dated event, or of a dated participle that describes its "
                "subject ('three people killed Wednesday were shot dead by the army': on Wednesday)",
    "narrative": "past tense, not a reporting verb, no date of its own: it continues the story told so far, so it "
                 "takes the date of the last dated past event before it",
    "news": "past tense before any dated past event: the news the article reports, at publication",
    "undated": "none of the rules applies (a plan or a possibility without a date, or a past event that a saying "
               "dated before publication reports, before any dated event)",
}


# A charge and the crime it names: "charged with murder", "accused of killing", "on suspicion of assault".
CHARGE_WORDS = {"charge", "accuse", "convict", "indict", "arrest", "suspect", "acquit", "sentence", "jail",
                "prosecute", "try", "detain", "suspicion", "guilty", "conviction"}
CHARGE_LINKS = {"with", "of", "for", "over"}
DEFINITE = {"the", "this", "that", "these", "those", "both"}
OTHER_WORDS = {"another", "other", "separate", "earlier", "previous", "unrelated"}  # "another murder": not this one
# Kinds of violence one story may name by each other's words: "the blast" after "bombs went off … killing 247".
VIOLENCE_KINDS = {"explosion", "attack", "shooting", "killing", "hijacking", "kidnapping", "robbery"}
# The people and the harm of violence or a disaster, which happened when it did ("the victims of the massacre").
HARMED = {"victim", "casualty", "fatality", "injury", "toll"}
# Disasters, in which people are killed or hurt as in violence ("killed in the quake").
DISASTER_KINDS = {"crash", "earthquake", "fire", "storm", "flood"}
# Words that name the same kind of event, so that "the blast" can refer back to "bombs exploded on Friday".
EVENT_KINDS = {word: kind for kind, words in {
    "explosion": ("bombing", "blast", "explosion", "bomb", "explode", "detonation"),
    "attack": ("attack", "assault", "raid", "ambush", "airstrike", "strike", "stab", "stabbing"),
    "shooting": ("shooting", "shoot", "gunfire", "gunfight", "shootout", "firefight", "gunbattle"),
    "killing": ("killing", "murder", "slaying", "homicide", "assassination", "massacre", "kill", "slay",
                "assassinate", "death"),
    "hijacking": ("hijacking", "hijack", "piracy"),
    "kidnapping": ("kidnapping", "kidnap", "abduction", "abduct"),
    "robbery": ("robbery", "rob", "holdup", "mugging", "carjacking", "heist"),
    "crash": ("crash", "collision", "accident", "collide", "derailment", "derail", "capsize", "shipwreck"),
    "earthquake": ("earthquake", "quake", "tremor"),
    "fire": ("fire", "blaze", "wildfire"),
    "storm": ("storm", "hurricane", "typhoon", "cyclone", "tornado"),
    "flood": ("flood", "flooding"),
    "election": ("election", "vote", "poll", "ballot", "referendum"),
    "arrest": ("arrest", "detention", "detain"),
    "talks": ("talks", "talk", "negotiation", "negotiations", "meeting", "summit"),
}.items() for word in words}

# Every word that names a kind of event as a noun is an event noun ('gunfire', 'homicide', 'blaze'); not 'bomb', a
# thing that may or may not go off.
KIND_NOUNS = set(EVENT_KINDS) - {"bomb"}


def event_kind(token: Token) -> str:
    """The kind of event a word names (EVENT_KINDS: 'blast' and 'exploded' are both an explosion; 'the bomb
    attack' too, by its modifier; 'opened fire' is a shooting), else its lemma."""
    lemma = token.lemma_.lower()
    if (lemma, token.dep_, token.head.lemma_.lower()) == ("fire", "dobj", "open") or lemma == "open" and any(
            c.dep_ == "dobj" and c.lemma_.lower() == "fire" for c in token.children):
        return "shooting"
    modifiers = [EVENT_KINDS[c.lemma_.lower()] for c in token.children
                 if c.dep_ == "compound" and c.lemma_.lower() in EVENT_KINDS]
    return modifiers[0] if modifiers else EVENT_KINDS.get(lemma, lemma)


def is_event(token: Token) -> bool:
    """A verb (not an auxiliary), 'be' as a clause's own verb, a noun that names an event (EVENT_NOUNS, a verb's
    -ing form or another nominalization), or an adjective that says what a copula's subject is ('was dead')."""
    if token.pos_ == "VERB" or is_copula(token):
        return True
    if token.pos_ == "NOUN":
        lemma = token.lemma_.lower()
        return (lemma in EVENT_NOUNS or lemma in STATE_NOUNS or lemma in KIND_NOUNS
                or (lemma.endswith("ing") and lemma not in ING_NOUN_THINGS and verb_stem(lemma[:-3]))
                or nominalization(lemma) or hyphenated_event(token))
    if token.pos_ == "ADJ" and token.dep_ == "acomp" and token.head.pos_ == "AUX":
        return True
    return copula_predicate(token)


def copula_predicate(token: Token) -> bool:
    """What a copula says its subject is when no adjective says it: a particle ('shares were up'), a place or
    state after a preposition ('is in compliance', 'was on the wall')."""
    head = token.head
    if head == token or head.lemma_.lower() != "be" or head.pos_ not in ("AUX", "VERB") \
            or head.dep_ in ("aux", "auxpass"):
        return False
    if any(c.dep_ in ("acomp", "attr") for c in head.children):
        return False
    if token.dep_ == "advmod" and token.lower_ in PARTICLES:
        return True
    return token.dep_ == "prep" and token.pos_ == "ADP" and token == next(c for c in head.children if c.dep_ == "prep")


def verbal_noun(token: Token) -> bool:
    """Whether a noun is a verb used as a noun ('plunge', 'slump', 'squeeze'), not a thing, a body or a time: an
    event when a date expression modifies it ('the Oct. 13 plunge'), which timex_anchor checks."""
    lemma = token.lemma_.lower()
    return lemma in known_verbs() and lemma not in NOMINAL_THINGS | ING_NOUN_THINGS | TIME_NOUNS


def hyphen_start(token: Token) -> Token:
    """The first token of the hyphenated word a token ends ('cease' for 'fire' in 'cease-fire'), else the token."""
    doc, first = token.doc, token
    while first.i >= 2 and doc[first.i - 1].text == "-" and not doc[first.i - 1].whitespace_ \
            and not doc[first.i - 2].whitespace_ and doc[first.i - 2].is_alpha:
        first = doc[first.i - 2]
    return first


def hyphenated_event(token: Token) -> bool:
    """Whether a hyphenated noun ending in this token names an event: a known event noun ('cease-fire', 'buy-out')
    or a verb and its particle made a noun ('write-down', 'sell-off', 'break-in')."""
    first = hyphen_start(token)
    if first == token:
        return False
    word = token.doc[first.i:token.i + 1].text.lower()
    if word in EVENT_NOUNS or word.replace("-", "") in EVENT_NOUNS:
        return True
    return token.i == first.i + 2 and token.lower_ in PARTICLES and first.lower_ in known_verbs()


def nominalization(lemma: str) -> bool:
    """A noun made from a verb by a suffix that names its act ('repatriation', 'arrival', 'introduction',
    'redemption'; again with 're-': 'recapitalization'), unless it names a thing or a body (NOMINAL_THINGS:
    'government', 'equipment', 'organization')."""
    if lemma in NOMINAL_THINGS or len(lemma) < 6:
        return False
    for suffix, endings in NOMINAL_SUFFIXES:
        if lemma.endswith(suffix) and any(verb_stem(lemma[:-len(suffix)] + ending) for ending in endings):
            return True
    return lemma.startswith("re") and nominalization(lemma[2:])  # "recapitalization": capitalize again


def is_copula(token: Token) -> bool:
    """'be' as a clause's own verb ('the talks were on Friday', 'he is in Moscow'), not as an auxiliary."""
    return token.pos_ == "AUX" and token.dep_ not in ("aux", "auxpass") and token.lemma_.lower() == "be"


@functools.lru_cache(maxsize=4096)
def verb_stem(stem: str) -> bool:
    """Whether a word stem is a verb the pipeline's lemmatizer knows ('trad' -> trade, 'shopp' -> shop)."""
    verbs = known_verbs()
    return any(candidate in verbs for candidate in (stem, stem + "e", stem[:-1] if stem[-2:-1] == stem[-1:] else ""))


@functools.lru_cache(maxsize=1)
def known_verbs() -> frozenset[str]:
    """The verbs of the spaCy pipeline's lemmatizer tables (WordNet's, about 8,700)."""
    from newslab.nlp import load_nlp

    return frozenset(load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")["verb"])


def auxiliaries(verb: Token) -> list[Token]:
    """The auxiliary verbs and infinitive 'to' of a verb ('has been', 'will', 'to')."""
    return [child for child in verb.children if child.dep_ in ("aux", "auxpass")]


def verb_of(token: Token) -> Token:
    """The verb whose clause an event noun belongs to (the noun itself for a verb or a noun without one)."""
    word = token
    for _ in range(6):
        if word.pos_ in ("VERB", "AUX") or word.head == word:
            return word
        word = word.head
    return token


def event_tense(token: Token) -> str:
    """'past', 'present', 'future' or 'none' for an event: its own verb's tense and auxiliaries."""
    verb = verb_of(token) if token.pos_ != "VERB" else token
    helping = auxiliaries(verb)
    words = {a.lower_ for a in helping}
    tags = {verb.tag_} | {a.tag_ for a in helping}
    if words & FUTURE_AUX or (verb.lower_ == "going" and any(c.dep_ == "xcomp" for c in verb.children)):
        return "future"
    if words & {"had", "'d"} and verb.tag_ == "VBN":
        return "past"  # past perfect
    if words & {"has", "have", "'ve", "'s"} and verb.tag_ == "VBN":
        return "present"  # present perfect: true now
    if "MD" in tags or "TO" in tags:
        return "none"
    if "VBD" in tags:
        return "past"
    if tags & {"VBZ", "VBP"}:
        return "present"
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl"):
        return "past"  # "the decision, announced Wednesday"
    if verb.tag_ == "VBN" and not words and any(c.dep_ == "nsubj" for c in verb.children) and (
            verb.dep_ == "ROOT" or verb.dep_ in ("ccomp", "parataxis") and verb.head.lemma_.lower() in REPORTING_VERBS):
        return "past"  # "forces killed 12, police said", tagged as a participle: a clause's own verb is finite
    return "none"


def is_saying(token: Token) -> bool:
    """Whether a verb is an act of saying: a reporting verb; 'hear' only with what was heard as a clause ('the
    court heard that …', '…, the court heard'), not 'residents heard explosions'."""
    lemma = token.lemma_.lower()
    if lemma not in REPORTING_VERBS:
        return False
    return lemma != "hear" or token.dep_ == "parataxis" or any(c.dep_ in ("ccomp", "parataxis") for c in token.children)


# Verbs of speaking out ("condemned the bombings", "called for calm") and what a news report says of its sources
# ("declined to comment", "requested anonymity", "gave no details"): acts of saying like "said".
SPEAKING_OUT = {"condemn", "criticize", "speculate", "urge", "warn", "praise", "welcome", "demand", "appeal"}
SOURCING_OBJECTS = {"comment", "anonymity", "detail", "details", "name", "names", "identity", "reason"}
SOURCING_VERBS = {"decline", "refuse", "request", "ask", "give", "disclose", "release", "reach", "elaborate"}


def speaking_out(token: Token) -> bool:
    """Whether a verb is a source speaking out ('condemned the attack', 'called for calm', 'called the move a
    setback'), not planned or hypothetical ('the union would appeal'): an act of saying."""
    lemma = token.lemma_.lower()
    if token.pos_ != "VERB" or modality(token) in ("planned", "hypothetical"):
        return False
    return lemma in SPEAKING_OUT or lemma == "call" and any(  # not "what Du Pont called lower demand": a label
        c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "for" for c in token.children) and not any(
        c.dep_ == "dobj" and c.lower_ == "what" for c in token.children)


def sourcing(token: Token) -> bool:
    """Whether a verb is the report's account of its sources ('declined to comment', 'requested anonymity', 'gave
    no details', 'could not be reached for comment'): an act of the time of writing, whatever the story told."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in SOURCING_VERBS:
        return False
    words = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "xcomp", "prep")]
    words += [g for c in words for g in c.children if c.dep_ in ("prep", "xcomp") and g.dep_ in ("pobj", "dobj")]
    return any(w.lower_ in SOURCING_OBJECTS or w.lemma_.lower() in ("comment", "discuss", "say", "elaborate")
               for w in words)


def reporting_frame(token: Token) -> Token | None:
    """The reporting verb whose clausal complement holds this event ('said' in 'police said he fled'), or None."""
    word = verb_of(token)
    for _ in range(6):
        if word.head == word:
            return None
        if word.dep_ in ("ccomp", "parataxis") and word.head.lemma_.lower() in REPORTING_VERBS:
            return word.head
        if word.dep_ not in ("conj", "xcomp", "advcl", "ccomp", "relcl", "acl", "dobj", "pobj", "prep", "acomp"):
            return None
        word = word.head
    return None


def modality(token: Token) -> str:
    """'planned', 'hypothetical', 'reported' or 'asserted': how the text holds the event to be."""
    verb = verb_of(token)
    words = {a.lower_ for a in auxiliaries(verb)}
    if words & FUTURE_AUX or (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in PLAN_VERBS):
        return "planned"
    if words & HYPOTHETICAL_MODALS or any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS
                                          for c in verb.children):
        return "hypothetical"
    if reporting_frame(token) is not None:
        return "reported"
    return "asserted"


def arguments(token: Token) -> tuple[Token | None, Token | None]:
    """(actor, target) tokens of an event: subject and object, by-agent of a passive, possessor of a noun."""
    actor = target = None
    verb = token
    if token.pos_ == "VERB" or is_copula(token):
        for child in token.children:
            if child.dep_ in ("nsubj", "csubj") and actor is None:
                actor = child
            elif child.dep_ == "nsubjpass" and target is None:
                target = child
            elif child.dep_ == "dobj" and target is None:
                target = child
            elif child.dep_ == "agent":
                actor = next((g for g in child.children if g.dep_ == "pobj"), actor)
        while actor is None and verb.dep_ in ("conj", "xcomp") and verb.head != verb:
            verb = verb.head  # "was arrested and charged", "agreed to sell": the first verb's subject
            actor = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
    else:
        for child in token.children:
            if child.dep_ == "poss" and actor is None:
                actor = child
            elif child.dep_ == "prep" and child.lower_ in ("by",):
                actor = next((g for g in child.children if g.dep_ == "pobj"), actor)
            elif child.dep_ == "prep" and child.lower_ in ("on", "against", "of", "in") and target is None:
                target = next((g for g in child.children if g.dep_ == "pobj"), None)
    return actor, target


def argument_name(token: Token | None, names: dict[tuple[int, int], str], paragraph: int) -> str:
    """The canonical name of the named entity that holds the argument's head (or of a name set beside it: 'the
    envoy, Nikki Haley'), else the head word (a pronoun as written, a noun by its lemma); '' for no argument and
    for a date or a number ('Wednesday's call' has no actor)."""
    if token is None:
        return ""
    for word in [token] + [c for c in token.children if c.dep_ == "appos"]:
        inside = word.ent_iob_ in ("B", "I")  # else no entity holds it, and doc.ents (rebuilt on each use) is not read
        entity = next((e for e in token.doc.ents if e.start <= word.i < e.end), None) if inside else None
        if entity is not None and entity.label_ in NUMBER_LABELS:
            return "" if word == token else token.lemma_
        if entity is not None:
            return names.get((paragraph, entity.start_char), entity.text)
    return token.text if token.pos_ in ("PRON", "PROPN") else token.lemma_


def timex_anchor(span: Span) -> Token | None:
    """The event a date expression dates: the first verb or event noun up its heads; None when it modifies a
    thing ('the 1966 squad') or nothing.

    A day named on its own ('Sunday', 'yesterday'), an adverbial noun phrase or a phrase after a temporal
    preposition ('on', 'during' …) dates the clause's event even when the parse hangs it on a noun
    ('seized a car bomb under construction Sunday'); a copula's date ('the attack was on Friday') goes to its
    event subject."""
    token = span.root
    loose = token.dep_ in ("npadvmod", "tmod") or day_word(span) or counts_back(span)
    for _ in range(12):
        head = token.head
        if head == token:
            return None
        if span.start <= head.i < span.end:
            token = head
            continue
        if head.pos_ == "AUX" and head.dep_ not in ("aux", "auxpass"):  # a copula: its event subject, or itself
            return next((c for c in head.children if c.dep_ in COPULA_EVENT_DEPS and is_event(c) and c != token),
                        head if is_copula(head) else None)
        if is_event(head):
            return head
        if head.pos_ == "NOUN" and token.dep_ in ("compound", "nmod", "poss", "amod") and verbal_noun(head):
            return head  # "the Oct. 13 plunge", "its fourth-quarter slump": a verb's act, dated
        if head.pos_ in ("ADP", "SCONJ") and baseline(head, token, span):
            return None  # a comparison's baseline ('fell to $8 million from $9 million a year earlier')
        if head.pos_ == "ADP":
            loose = loose or head.lower_ in TEMPORAL_PREPOSITIONS
        elif head.lemma_.lower() in TIME_NOUNS:
            loose = True  # "on the night of Oct. 23": the night is a time, not a thing
        elif head.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and not loose:
            return None
        token = head
    return None


def baseline(preposition: Token, below: Token, span: Span) -> bool:
    """Whether a date expression under this preposition is a comparison's baseline, not an event's date: after
    'than' or 'versus', after 'since' (the start of a period: 'the first approved since 2003'), or after 'from'
    when it dates the amount compared ('from $9 million a year earlier') or counts back ('grew 19% from a year ago')."""
    word = preposition.lower_
    if word in ("than", "versus", "since"):
        return True
    if word != "from":
        return False
    inside = span.start <= below.i < span.end
    return not inside and below.dep_ == "pobj" or inside and counts_back(span)


def counts_back(span: Span) -> bool:
    """Whether a date expression counts back from the time told ('a year ago', 'two days earlier')."""
    return bool({token.lower_ for token in span} & {"ago", "earlier"})


def day_word(span: Span) -> bool:
    """A day named without month or year: a weekday, today, yesterday, tomorrow, tonight, last night."""
    words = {t.lower_ for t in span}
    return bool(words & DAY_WORDS)


def place_value(value: str, mod: str, dct: dt.date) -> tuple[dt.date | None, str]:
    """(sort_key, granularity) of a TIMEX3 value; PRESENT_REF ('now', 'currently') is the publication date."""
    if value == "PRESENT_REF":
        return dct, "day"
    return timex_sort_key(value, mod), timex_granularity(value)


def date_of(value: str, mod: str, expression: str, dct: dt.date) -> dict | None:
    """A date as the events and timeline tables hold it (value, mod, granularity, sort_key, expression); None for
    a value that cannot be placed on a calendar (a duration, 'recently')."""
    key, granularity = place_value(value, mod, dct)
    if key is None:
        return None
    value = dct.isoformat() if value == "PRESENT_REF" else value
    return {"value": value, "mod": mod or "", "granularity": granularity, "sort_key": key.isoformat(),
            "expression": expression}


# A wire dateline: "WASHINGTON, March 12 (Xinhua) --", "MOSCOW, Aug 3 (Reuters) -": a place in capitals, a date, an
# agency, a dash, at the start of the story's first paragraphs.
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(?:, [A-Z][\w .'-]+)?, (?P<date>[A-Z][a-z]+\.? \d{1,2})"
                      r"(?: \([\w ]+\))?\s*(?:--|—|–|-|_)")


def dateline_date(article: Article, timexes: pd.DataFrame) -> dict | None:
    """The day a wire story was filed, from its dateline ('WASHINGTON, March 12 (Xinhua) --'), when it is one of
    the three days before publication: the time of writing of its sayings and present statements."""
    for paragraph in [p for p in article.paragraphs if p.kind != "title"][:2]:
        match = DATELINE.match(paragraph.text)
        if match is None:
            continue
        rows = timexes[(timexes["paragraph"] == paragraph.index) & (timexes["start"] == match.start("date"))]
        if len(rows) and timex_granularity(str(rows["value"].iloc[0])) == "day":
            day = dt.date.fromisoformat(str(rows["value"].iloc[0])[:10])
            if 0 < (article.published - day).days <= 3:
                return date_of(day.isoformat(), "", "", article.published)
    return None


def period_objects(span: Span, anchor: Token) -> list[Token]:
    """The event nouns a 'for' period dates with the verb it hangs on ('expects to report net income for the third
    quarter', 'took a charge for the year'): the amounts are the period's, whenever they are told."""
    preposition = span.root.head
    if preposition.lower_ != "for" or preposition.head != anchor or anchor.pos_ != "VERB":
        return []
    return [c for c in anchor.children if c.dep_ == "dobj" and c.pos_ == "NOUN" and is_event(c)]


def attached_dates(article: Article, timexes: pd.DataFrame) -> dict[tuple[int, int], dict]:
    """(paragraph, token index) of an event -> the first date expression the parse attaches to it (timex_anchor)."""
    attached: dict[tuple[int, int], dict] = {}
    rows = zip(timexes["paragraph"], timexes["start"], timexes["end"], timexes["type"], timexes["value"],
               timexes["mod"], timexes["text"])
    for paragraph, start, end, kind, value, mod, text in sorted(rows, key=lambda row: row[:2]):
        date = date_of(value, mod, text, article.published) if kind in ("DATE", "TIME") else None
        doc = article.paragraphs[paragraph].doc
        span = doc.char_span(int(start), int(end), alignment_mode="expand") if date else None
        anchor = timex_anchor(span) if span is not None and len(span) else None
        if anchor is not None:
            attached.setdefault((paragraph, anchor.i), date)
            for thing in period_objects(span, anchor):
                attached.setdefault((paragraph, thing.i), date)
        for clause in [c for t in (span if span is not None else []) for c in t.children if c.dep_ == "relcl"]:
            if is_event(clause) and any(w.lower_ == "when" for w in clause.children):  # "on March 13, when he said"
                attached.setdefault((paragraph, clause.i), date)
    return attached


YEARS = re.compile(r"P(\d+)(Y|DE)")  # a duration in years or decades: "14 years" (P14Y), "a decade" (P1DE)


def counted_back(article: Article, timexes: pd.DataFrame, attached: dict[tuple[int, int], dict]) \
        -> dict[tuple[int, int], dict]:
    """(paragraph, token index) of an event -> its year, counted back in whole years from a later time: 'the 14th
    anniversary of the bombing', 'it's been 14 years since she lost her parents', '14 years after the bombing',
    'ten years on from the attacks' (the bombing, the loss: that many years before the anniversary, the clause's own
    date, or else publication). A year, not a day: as exact as such counting is."""
    durations: dict[tuple[int, int], tuple[int, str]] = {}  # (paragraph, a duration's head word) -> (years, text)
    for paragraph, start, end, value, text in zip(timexes["paragraph"], timexes["start"], timexes["end"],
                                                  timexes["value"], timexes["text"]):
        match = YEARS.fullmatch(str(value))
        span = article.paragraphs[paragraph].doc.char_span(int(start), int(end), alignment_mode="expand") \
            if match else None
        if span is not None and len(span):
            durations[(paragraph, span.root.i)] = (int(match[1]) * (10 if match[2] == "DE" else 1), str(text))
    counted: dict[tuple[int, int], dict] = {}
    for paragraph in article.paragraphs:
        for token in paragraph.doc if paragraph.doc is not None else []:
            later, earlier, count = token.head, None, None
            if token.lemma_.lower() == "anniversary":  # "the 14th anniversary of the bombing"
                count = next(((n, f"{c.text} anniversary") for c in token.children if c.dep_ in ("amod", "nummod")
                              for n in [ordinal_value("".join(t.text_with_ws for t in c.subtree))] if n), None)
                later = token
                earlier = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                                for o in c.children if o.dep_ == "pobj"), None)
            elif token.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in token.children):
                count = next((durations[(paragraph.index, c.i)] for c in token.head.children
                              if (paragraph.index, c.i) in durations), None)  # "it's been 14 years since she lost"
                earlier = token
            elif token.dep_ == "pobj" and (token.head.lower_ == "after" or token.head.lower_ == "from"
                                           and token.head.head.lower_ == "on"):  # "14 years after / on from it"
                marker = token.head if token.head.lower_ == "after" else token.head.head
                count = next((durations[(paragraph.index, c.i)] for c in marker.children
                              if (paragraph.index, c.i) in durations), None)
                later, earlier = marker.head, token
                if count is None and (paragraph.index, marker.head.i) in durations:  # "a decade after the flood"
                    count, later = durations[(paragraph.index, marker.head.i)], marker.head.head
            if count is None or earlier is None or not is_event(earlier):
                continue
            reference = attached.get((paragraph.index, later.i), {}).get("value") or article.published.isoformat()
            year = f"{int(reference[:4]) - count[0]:04d}"
            counted[(paragraph.index, earlier.i)] = {**date_of(year, "", count[1], article.published), "counted": True}
    return counted


def depth(token: Token) -> int:
    """Steps from a token up to the root of its sentence."""
    steps = 0
    while token.head != token and steps < 40:
        token, steps = token.head, steps + 1
    return steps


def main_event(span: Span, dated: dict[int, dict]) -> Token | None:
    """A sentence's main event: its event nearest the root, a copula giving way to what it says ('has been at the
    center of a tug-of-war since he was rescued'); a reporting verb gives way to the event it reports when that
    one has a date of its own ('police said he was arrested on Friday'; a year counted back is no news of its own:
    'said … as the second anniversary of his abduction nears'), or is an event told before on another day ('34
    people were killed by the blasts, police said')."""
    events = [token for token in span if token.i in dated]  # date_sentence dates every event of the sentence
    events = [token for token in events if not is_copula(token) and not copula_predicate(token)] or events
    if not events:
        return None
    main = min(events, key=lambda token: (depth(token), token.i))
    if main.lemma_.lower() in REPORTING_VERBS:
        reported = [t for t in events if reporting_frame(t) == main]
        own = [t for t in reported if dated[t.i]["dated_by"] == "own" and not dated[t.i].get("counted")]
        if own:
            return min(own, key=lambda token: (depth(token), token.i))
        top = min(reported, key=lambda token: (depth(token), token.i), default=None)
        if top is not None and dated[top.i]["dated_by"] in ("same event", "story year") \
                and dated[top.i]["value"] != dated.get(main.i, {}).get("value"):
            return top  # "34 people were killed by the blasts, police said": the killing, on the blasts' day
    return main


def share_clause_dates(events: list[Token], dated: dict[int, dict], partners: dict[int, list[Token]],
                       tense: dict[int, str]) -> None:
    """Give each undated event the date of its first dated clause partner (partners: token index -> its
    clause_partners; tense: token index -> its event_tense), until none changes; a past event never takes the time
    of writing ('writing': a saying's or a present statement's date) from a partner ('the victim, who has not been
    named, was pronounced dead')."""
    for _ in range(4):
        changed = False
        for token in events:
            partner = next((p for p in partners[token.i] if p.i in dated and not (
                tense[token.i] == "past" and dated[p.i].get("writing"))), None)
            if token.i not in dated and partner is not None:
                dated[token.i] = {**dated[partner.i], "dated_by": "clause"}
                changed = True
        if not changed:
            return


def in_main_clause(token: Token, reported: bool = False) -> bool:
    """Whether an event belongs to its sentence's main clause: no relative clause, noun or quote on the way up
    (with `reported`, the main clause of what a reporting verb reports counts too: 'forces killed 12, police said')."""
    word = token
    for _ in range(40):
        if word.head == word:
            return True
        if word.dep_ in ("relcl", "acl", "appos") or (word != token and word.pos_ in ("NOUN", "PROPN")):
            return False
        if word.dep_ in ("ccomp", "parataxis") and word.head.lemma_.lower() in REPORTING_VERBS:
            return reported
        word = word.head
    return False


def subject_participle(token: Token, dated: dict[int, dict]) -> Token | None:
    """A participle with a date of its own that describes the event's subject ('three people killed Wednesday
    were shot dead': 'killed'), which tells when the subject's event happened; not a plan's ('a service planned
    for Saturday was canceled' before it); else None."""
    for subject in (c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")):
        for modifier in subject.children:
            if modifier.dep_ == "acl" and modifier.tag_ == "VBN" and modifier.lemma_.lower() not in PLAN_VERBS \
                    and dated.get(modifier.i, {}).get("dated_by") == "own":
                return modifier
    return None


def date_sentence(events: list[Token], attached: dict[int, dict], publication: dict,
                  story: dict) -> dict[int, dict]:
    """Date the events of one sentence by the DATED_BY rules (token index -> date); `story["past"]`, the date of
    the narrative so far (told in paragraph `story["past_in"]`; `story["here"]` is this sentence's paragraph), is
    updated for the next sentence."""
    dated = {i: {**date, "dated_by": "own"} for i, date in attached.items()}
    for token in [t for t in events if t.i in dated]:  # "convicted in a 2016 shooting. Shot on Aug. 11": in 2016
        kind, told = event_kind(token), story.get("told", {})
        earlier = (told.get(kind) or told.get("violence")) if kind in VIOLENCE_KINDS else None
        moved = in_story_year(dated[token.i], earlier, publication) if earlier else None
        if moved is not None:
            dated[token.i] = {**moved, "dated_by": "story year"}
    partners = {token.i: clause_partners(token) for token in events}
    # Each event's tense, modality, reporting frame and depth, worked out once for the rules below.
    tense = {token.i: event_tense(token) for token in events}
    mode = {token.i: modality(token) for token in events}
    frames = {token.i: reporting_frame(token) for token in events}
    depths = {token.i: depth(token) for token in events}
    for token in events:  # "the bombing", told with its date before: that event again
        kind = event_kind(token)
        told = story.get("told", {}).get(kind)
        if told is None and kind in VIOLENCE_KINDS:
            told = story.get("told", {}).get("violence")
        if token.i not in dated and told is not None and token.pos_ == "NOUN" and any(
                c.dep_ == "poss" or c.lower_ in DEFINITE for c in token.children):
            dated[token.i] = {**told, "dated_by": "same event"}
        elif token.i not in dated and told is not None and token.pos_ == "VERB" and kind in VIOLENCE_KINDS \
                and frames[token.i] is not None and tense[token.i] == "past":
            dated[token.i] = {**told, "dated_by": "same event"}  # "Smith stabbed Khan, the court heard": the murder
    violent = [t for t in events if t.i in attached and event_kind(t) in VIOLENCE_KINDS]
    crime = without_rule(dated[violent[0].i]) if violent else story.get("told", {}).get("violence")
    for token in events:  # "charged with murder after a woman was stabbed on Saturday": the crime, not the charge
        if token.i not in dated and crime is not None and charged_crime(token):
            dated[token.i] = {**crime, "dated_by": "same event"}
    share_clause_dates(events, dated, partners, tense)
    for token in events:  # acts of saying and present statements: the time of writing
        if token.i not in dated:
            if token.pos_ == "VERB" and (is_saying(token) or speaking_out(token) or sourcing(token)):
                if not sourcing(token) and token.lemma_.lower() not in NEWS_SAYING and tense[token.i] == "past" \
                        and story.get("past") is not None and story.get("past_in") == story.get("here") \
                        and in_main_clause(token):
                    dated[token.i] = {**story["past"], "dated_by": "narrative"}
                else:
                    dated[token.i] = {**publication, "dated_by": "saying", "writing": True}
            elif present_ability(token):
                dated[token.i] = {**publication, "dated_by": "present", "writing": True}
            elif tense[token.i] == "present" and mode[token.i] not in ("planned", "hypothetical"):
                frame = frames[token.i]
                if frame is not None and frame.i in dated and event_tense(frame) == "past":
                    # "he stated on March 13 that Moscow is ready": true when he said it, not at publication
                    dated[token.i] = {**without_rule(dated[frame.i]), "dated_by": "clause"}
                else:
                    dated[token.i] = {**publication, "dated_by": "present", "writing": True}
    share_clause_dates(events, dated, partners, tense)
    central = sorted((t for t in events if t.i in dated and dated[t.i]["dated_by"] in ("own", "clause")
                      and in_main_clause(t, reported=True)), key=lambda t: (depths[t.i], t.i))
    for token in events:  # past events: the sentence's own date, else the story's so far
        if token.i not in dated and tense[token.i] in ("past", "none") and mode[token.i] not in (
                "planned", "hypothetical"):
            frame = frames[token.i]  # what was said happened before the saying, not at its date
            mine = [c for c in central if frame is None or frames[c.i] == frame]
            described = subject_participle(token, dated)
            if mine:
                dated[token.i] = {**without_rule(dated[mine[0].i]), "dated_by": "sentence"}
            elif described is not None:
                dated[token.i] = {**without_rule(dated[described.i]), "dated_by": "sentence"}
            elif tense[token.i] == "past" and story.get("past") is not None:
                dated[token.i] = {**story["past"], "dated_by": "narrative"}
            elif tense[token.i] == "past" and story.get("past") is None and (
                    frame is None or dated.get(frame.i, publication)["value"] == publication["value"]):
                dated[token.i] = {**publication, "dated_by": "news"}  # not after a saying dated before it
    share_clause_dates(events, dated, partners, tense)
    main = min(events, key=lambda t: (depths[t.i], t.i)) if events else None
    for token in events:  # an infinitive, a participle, an adjective: the time of the sentence's main event
        if token.i not in dated and main is not None and dated.get(main.i, {}).get("value") \
                and tense[token.i] == "none" \
                and mode[token.i] not in ("planned", "hypothetical"):
            dated[token.i] = {**without_rule(dated[main.i]), "dated_by": "sentence"}
        elif token.i not in dated:
            dated[token.i] = {**UNDATED, "dated_by": "undated"}
    for token in events:  # what a later "the bombing" refers to: the latest event of its kind told with a date
        rule, kind = dated[token.i]["dated_by"], event_kind(token)  # a clause date: not the time of writing
        if (rule == "own" or rule == "clause" and dated[token.i]["value"] != publication["value"]) and (
                token.pos_ == "NOUN" or kind != token.lemma_.lower()):
            story.setdefault("told", {})[kind] = without_rule(dated[token.i])
            if kind in VIOLENCE_KINDS and token.lemma_.lower() != "death":  # a death may be natural
                story["told"]["violence"] = without_rule(dated[token.i])
    own_past = [t for t in events if dated[t.i]["dated_by"] == "own" and tense[t.i] in ("past", "none")
                and mode[t.i] not in ("planned", "hypothetical") and not dated[t.i].get("counted")]  # not a year
    # counted back ('on the 10th anniversary of the attacks'): the story stays where it is
    told = False
    for token in sorted(events, key=lambda t: -depths[t.i]):  # the main clause last: it speaks for the sentence
        rule = dated[token.i]["dated_by"]
        if tense[token.i] == "past" and rule not in ("undated", "saying", "news") and in_main_clause(token) \
                and not any(frames[t.i] == token for t in own_past):  # "killed on Saturday, police said"
            story["past"], story["past_in"], told = without_rule(dated[token.i]), story.get("here"), True
    if not told and own_past:  # "Found … in late November, Elian has been …": the story is in November now
        story["past"], story["past_in"] = without_rule(dated[own_past[0].i]), story.get("here")
    return dated


def in_story_year(date: dict, earlier: dict, publication: dict) -> dict | None:
    """A day written without a year ('Aug. 11', put in the year nearest publication) moved into the earlier year
    of the violence told before it ('a 2016 shooting', 'the December 2014 shooting': its day in that year or
    month), if that day is not after publication; None when it stays."""
    if date["granularity"] != "day" or re.search(r"\d{4}|'\d\d", date["expression"]) \
            or earlier["granularity"] not in ("year", "month"):
        return None
    day = f"{earlier['value'][:4]}{date['value'][4:10]}"
    if earlier["value"][:4] >= date["value"][:4] or not day.startswith(earlier["value"]) \
            or day > publication["value"][:10]:
        return None
    return {**date, "value": day, "sort_key": day}


def present_ability(token: Token) -> bool:
    """Whether a verb says what someone can do now ('we can only do so much', 'shoppers can find'): 'can' with no
    condition and no reporting frame, true at the time of writing like a present tense."""
    return token.pos_ == "VERB" and event_tense(token) == "none" and bool(
        {a.lower_ for a in auxiliaries(token)} & {"can", "ca"}) and reporting_frame(token) is None and not any(
        m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for c in (token, *token.children) for m in c.children)


def charged_crime(token: Token) -> bool:
    """Whether a violent noun or verb is the crime a charge names ('charged with murder', 'accused of the killing',
    'arrested on suspicion of assault', 'in connection with a shooting', 'convicted of killing a clerk', 'murder
    for killing him'): it happened before the charge, when the violence told happened."""
    preposition = token.head
    if token.dep_ not in ("pobj", "pcomp") or event_kind(token) not in VIOLENCE_KINDS \
            or preposition.lower_ not in CHARGE_LINKS:
        return False
    holder = preposition.head
    if preposition.lower_ == "for" and holder.dep_ in ("pobj", "pcomp") and charged_crime(holder):
        return True  # "convicted of murder for killing Hill": the killing is the murder
    if holder.lemma_.lower() == "connection" and holder.dep_ == "pobj":  # "arrested in connection with a shooting"
        holder = holder.head.head
    if holder.dep_ in ("dobj", "nsubjpass") and holder.head.lemma_.lower() in CHARGE_WORDS:
        holder = holder.head  # "a jury convicted Pollard of murder": the parse hangs the crime on the person
    return holder.lemma_.lower() in CHARGE_WORDS


def without_rule(date: dict) -> dict:
    """A date without its dated_by entry."""
    return {key: value for key, value in date.items() if key != "dated_by"}


def event_table(article: Article, timexes: pd.DataFrame, entities: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per event mention of the standfirst, body and embedded posts (columns EVENT_COLUMNS), dated by the
    DATED_BY rules; `main` marks each sentence's main event, whose date is the sentence's date."""
    kept = entities if entities is None or "excluded" not in entities else entities[entities["excluded"] == ""]
    names = {} if kept is None else {(int(p), int(s)): name for p, s, name in zip(
        kept["paragraph"], kept["start"], kept["canonical"])}
    attached = attached_dates(article, timexes)
    for key, date in counted_back(article, timexes, attached).items():
        attached.setdefault(key, date)
    publication = dateline_date(article, timexes) or date_of(article.published.isoformat(), "", "",
                                                             article.published)
    rows, story, tokens = [], {}, []
    for paragraph in article.paragraphs:
        if paragraph.kind == "title":
            continue
        story["here"] = paragraph.index
        for number, span in enumerate(paragraph.spans):
            events = [token for token in span if is_event(token) or (paragraph.index, token.i) in attached]
            own = {t.i: attached[(paragraph.index, t.i)] for t in events if (paragraph.index, t.i) in attached}
            dated = date_sentence(events, own, publication, story)
            main = main_event(span, dated)
            first_row = len(rows)
            for token in events:
                actor, target = arguments(token)
                frame = reporting_frame(token)
                first = hyphen_start(token) if token.pos_ == "NOUN" else token
                end = token.idx + len(token.text)
                rows.append({"paragraph": paragraph.index, "sentence": number, "start": first.idx,
                             "end": end, "trigger": paragraph.text[first.idx:end],
                             "lemma": token.lemma_.lower(), "kind": paragraph.kind,
                             "actor": argument_name(actor, names, paragraph.index),
                             "target": argument_name(target, names, paragraph.index),
                             "negated": negation_of([token]), "modality": modality(token),
                             "reported_by": first_row + events.index(frame) if frame in events else None,
                             "main": token == main, **dated[token.i]})
                tokens.append(token)
    date_the_lede(rows, tokens, publication)
    date_charged_crimes(rows, tokens, publication)
    table = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    table["reported_by"] = table["reported_by"].astype("Int64")
    # rows give the integer and boolean columns their types; an empty table is cast (astype of a whole table is slow)
    return table if rows else table.astype({"paragraph": int, "sentence": int, "start": int, "end": int, "main": bool})


DAY_AFTER = 7  # days: how far before publication the event of a "day-after" report may lie
DATE_KEYS = ("value", "mod", "granularity", "sort_key", "expression")  # a row's date
WEAK_DATES = ("sentence", "news", "narrative", "clause", "undated")  # the rules a day-after lede's date may replace


def lede_kind(token: Token) -> str:
    """The kind by which a day-after lede finds its date: 'violence' for every kind of violence, else event_kind."""
    kind = event_kind(token)
    return "violence" if kind in VIOLENCE_KINDS else kind


def date_the_lede(rows: list[dict], tokens: list[Token], publication: dict) -> None:
    """A day-after report tells its violence or disaster first without a date ('all four people aboard a plane
    that crashed … are dead, police said Monday') and dates it later ('the victims of Sunday's crash', a date of
    its own, or its clause's: 'the hijacking took place on Thursday'): the events of that kind told before,
    undated or dated only by publication or by a weak rule (WEAK_DATES), are that event ('same event'), and so are
    their clause partners ('killing all 10'). Every kind of violence is one kind here ('a gunman killed three …,
    police said Wednesday' and 'the Tuesday night attack'). Only when the first date given to that kind lies in the
    DAY_AFTER days before publication: an older event of the kind ('in 2017, a plane crashed') is another one. The
    story told before that date in main clauses and dated only as the news of publication ('they tied up the crew
    and held them hostage') is that incident's too; not what a saying reports ('she said she was heartened by the
    cooperation'). Changes `rows` in place."""
    day = publication["value"][:10]
    kinds = [lede_kind(token) for token in tokens]
    first: dict[str, int | None] = {}  # kind -> the row of its first date other than publication's (None: too old)
    for i, (row, kind) in enumerate(zip(rows, kinds)):
        if kind in DISASTER_KINDS | {"violence"} and kind not in first and row["value"] \
                and row["value"][:10] != day and row["dated_by"] in ("own", "same event", "clause") \
                and row["modality"] not in ("planned", "hypothetical"):  # not "strikes could do harm"
            days = (dt.date.fromisoformat(day) - dt.date.fromisoformat(row["sort_key"][:10])).days
            first[kind] = i if 0 < days <= DAY_AFTER else None
    moved = set()
    for kind, j in first.items():
        for i in range(j or 0):
            if kinds[i] == kind and rows[i]["value"] in (publication["value"], "") and rows[i]["dated_by"] \
                    in WEAK_DATES and event_tense(tokens[i]) in ("past", "none") \
                    and rows[i]["modality"] not in ("planned", "hypothetical"):
                rows[i].update({key: rows[j][key] for key in DATE_KEYS}, dated_by="same event")
                moved.add(i)
    incident = min((j for j in first.values() if j is not None), default=None)
    for i in range(incident or 0):  # "They tied up the crew and held them hostage": the incident's own story
        if rows[i]["dated_by"] == "news" and rows[i]["reported_by"] is None and in_main_clause(tokens[i]):
            rows[i].update({key: rows[incident][key] for key in DATE_KEYS}, dated_by="same event")
            moved.add(i)
    # "killed three …, police said Wednesday": the killing is the sentence's news, when it is what the saying
    # reports ('have recovered 59 bodies after an explosion …, the government said': the recovery still is).
    for frame in {rows[i]["reported_by"] for i in moved} - {None}:
        told = [i for i, row in enumerate(rows) if row["reported_by"] == frame]
        top = min(told, key=lambda i: (depth(tokens[i]), i))
        if top in moved and rows[frame]["main"] and tokens[frame].lemma_.lower() in REPORTING_VERBS:
            rows[frame]["main"], rows[top]["main"] = False, True
    for i in sorted(moved):  # "crashed …, killing all 10": the killing shares the crash's date
        for k in range(len(rows)):
            if (rows[k]["paragraph"], rows[k]["sentence"]) == (rows[i]["paragraph"], rows[i]["sentence"]) \
                    and rows[k]["dated_by"] in ("sentence", "clause", "undated") \
                    and tokens[i] in clause_partners(tokens[k]):
                rows[k].update({key: rows[i][key] for key in DATE_KEYS}, dated_by="clause")


def date_charged_crimes(rows: list[dict], tokens: list[Token], publication: dict) -> None:
    """A report of an arrest or a charge names the crime first ('arrested in connection with a fatal shooting',
    'charged with murder') and tells it with its date later ('On Wednesday, November 16, … a man was shot'): the
    crime, dated only by publication or by a weak rule (WEAK_DATES), is the first violence the article dates before
    publication in its own sentence ('same event'), however long before, unless that is another crime ('another
    murder'); date_sentence dates it when it was told before the charge. Changes `rows` in place."""
    day = publication["value"][:10]
    crime = next((i for i, (row, token) in enumerate(zip(rows, tokens)) if event_kind(token) in VIOLENCE_KINDS
                  and row["dated_by"] in ("own", "same event", "story year", "sentence", "clause") and row["value"]
                  and row["sort_key"][:10] < day and not any(c.lower_ in OTHER_WORDS for c in token.children)),
                 None)
    if crime is None:
        return
    for i, (row, token) in enumerate(zip(rows, tokens)):
        if i < crime and row["dated_by"] in WEAK_DATES + ("saying", "present") \
                and row["value"] in (publication["value"], "") and charged_crime(token):
            row.update({key: rows[crime][key] for key in DATE_KEYS}, dated_by="same event")


def clause_partners(token: Token) -> list[Token]:
    """The events whose date an undated event shares, nearest first: the verb it is coordinated with ('arrested …
    and charged', gapped: 'two were killed and three injured'), the verb a non-finite verb depends on ('planned to
    pay'), the event of a 'when' clause, the event a relative clause is about, the event noun a verb has for
    subject ('the attack killed 253') or happens in (violence or a disaster: 'killed in the quake'), and for an
    event noun the noun it renames ('the bombing, an attack that killed 168'), the verb it is the subject of, or
    the light verb it is the object of ('held talks')."""
    partners = []
    head = token.head
    if token.dep_ == "conj" and is_event(head):
        partners.append(head)
    partners += [c for c in token.children if c.dep_ == "conj" and is_event(c)]
    if token.pos_ == "VERB":  # a gapped conjunct: "100 were killed and 1,000 others wounded on Friday"
        partners += [g for c in token.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PRON", "PROPN")
                     for g in c.children if g.dep_ == "acl" and g.tag_ == "VBN" and is_event(g)]
        if token.dep_ == "acl" and token.tag_ == "VBN" and head.dep_ == "conj" and head.head.pos_ == "VERB" \
                and is_event(head.head):
            partners.append(head.head)
        if event_tense(token) == "none" and token.dep_ in ("xcomp", "advcl", "pcomp", "acl", "ccomp") \
                and head.lemma_.lower() not in REPORTING_VERBS:
            partners.append(verb_of(head) if not is_event(head) else head)
        if token.lemma_.lower() in ASPECTUAL_VERBS:
            partners += [c for c in token.children if c.dep_ == "xcomp" and is_event(c)]
        partners += [c for c in token.children if c.dep_ == "advcl" and is_event(c)
                     and any(m.dep_ == "mark" and m.lower_ in TEMPORAL_MARKS for m in c.children)]
        if token.dep_ == "advcl" and is_event(head) and any(
                m.dep_ == "mark" and m.lower_ in TEMPORAL_MARKS for m in token.children):
            partners.append(head)  # "reached a peak on March 13, when he stated": the when-clause's time
        if token.dep_ == "relcl":
            partners += [n for n in token.ancestors if n.pos_ == "NOUN" and is_event(n)][:1]
        partners += [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"
                     and is_event(c)]  # "the attack killed 253": when the attack happened
        partners += [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("in", "during")
                     for g in c.children if g.dep_ == "pobj" and g.pos_ == "NOUN" and is_event(g)
                     and event_kind(g) in VIOLENCE_KINDS | DISASTER_KINDS]  # "killed in Sunday's quake"
    else:
        if token.dep_ == "appos" and token.head.pos_ == "NOUN":  # "the bombing, an attack that killed 168": one
            renamed = [token.head] + [g for c in token.head.children if c.dep_ == "prep" and c.lower_ == "of"
                                      for g in c.children if g.dep_ == "pobj"]  # "the anniversary of the bombing, …"
            partners += [n for n in renamed if n.pos_ == "NOUN" and is_event(n)][:1]
        if token.lemma_.lower() in HARMED:  # "the victims of the massacre": hurt when it happened
            partners += [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "in")
                         for g in c.children if g.dep_ == "pobj" and g.pos_ == "NOUN" and is_event(g)
                         and event_kind(g) in VIOLENCE_KINDS | DISASTER_KINDS]
        partners += [c for c in token.children if c.dep_ in ("acl", "relcl") and is_event(c)]
        verb = verb_of(token)
        if verb != token and is_event(verb) and verb.lemma_.lower() not in REPORTING_VERBS and (
                token.dep_ in ("nsubj", "nsubjpass") or verb.lemma_.lower() in LIGHT_VERBS
                or token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head == verb):
            partners.append(verb)  # "stabbed to death": the death is when the stabbing was
    return [p for p in partners if p != token]


WHO_DID_WHAT = ["paragraph", "sentence", "actor", "trigger", "target", "negated", "modality", "value", "dated_by"]
# Why a date given by a rule may be wrong (notebook 04's "where the rules fail"), from the TBAQ bench's errors.
RULE_DOUBTS = {
    "narrative": "inherited from an earlier sentence: wrong when the story has moved on without a new date",
    "sentence": "borrowed from another event of the sentence: wrong when the two happened at different times",
    "saying": "an act of saying put at publication: a past report ('she recalled') may be older",
    "news": "a past event told before any date, put at publication: the news may be of the day before",
    "undated": "no rule applies: a plan, a possibility, or what an earlier saying reports before any date",
}


def who_did_what(events: pd.DataFrame) -> pd.DataFrame:
    """Each sentence's main event: who (actor) did what (trigger) to whom (target), when (value), in story order."""
    return events.loc[events["main"], WHO_DID_WHAT].reset_index(drop=True)


def doubtful_dates(events: pd.DataFrame, timexes: pd.DataFrame) -> pd.DataFrame:
    """Main events dated by a weak rule (RULE_DOUBTS), with the date expressions of their sentence that dated
    some other word (`other_dates`): the places to check by reading."""
    placed: dict[tuple[int, int], list[str]] = {}
    for paragraph, sentence, text in zip(timexes["paragraph"], timexes["sentence"], timexes["text"]):
        placed.setdefault((int(paragraph), int(sentence)), []).append(text)
    rows = []
    for row in events[events["main"] & events["dated_by"].isin(list(RULE_DOUBTS))].itertuples():
        others = [text for text in placed.get((row.paragraph, row.sentence), []) if text != row.expression]
        rows.append({"paragraph": row.paragraph, "sentence": row.sentence, "trigger": row.trigger,
                     "value": row.value, "dated_by": row.dated_by, "why_doubtful": RULE_DOUBTS[row.dated_by],
                     "other_dates": "; ".join(others)})
    return pd.DataFrame(rows, columns=["paragraph", "sentence", "trigger", "value", "dated_by", "why_doubtful",
                                       "other_dates"])


def example_sentence(events: pd.DataFrame) -> tuple[int, int] | None:
    """(paragraph, sentence) of the first main event with an actor, a target and a date of its own (else of the
    first main event with an actor): a good sentence to draw the parse of; None without events."""
    main = events[events["main"]]
    for rows in (main[(main["actor"] != "") & (main["target"] != "") & (main["dated_by"] == "own")],
                 main[main["actor"] != ""], main):
        if len(rows):
            return int(rows["paragraph"].iloc[0]), int(rows["sentence"].iloc[0])
    return None
