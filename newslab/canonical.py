"""Canonical names: the rule that merges the mentions of one referent into one name (notebook 02).

Small, explainable lists (titles, company endings, headline verbs) and one function, canonical_names, that
newslab/entities.py applies to an article's entity table.
"""
from __future__ import annotations

import re

# spaCy labels for numbers, dates and times, not names: never an actor in a sentence, and two articles both
# saying "Friday" or "three" do not share an entity.
NON_NAME_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}
PLACE_LABELS = ("GPE", "LOC", "FAC")


def entity_key(text: str) -> str:
    """The name part of a mention: no leading 'the', no possessive 's, no dots in 'U.S.'-style initials."""
    key = re.sub(r"\s+", " ", text).strip()
    key = re.sub(r"^the\s+", "", key, flags=re.IGNORECASE)
    key = re.sub(r"['’]s?$", "", key).strip()
    if re.fullmatch(r"(?:[A-Z]\.){2,}", key):
        key = key.replace(".", "")
    return key


def label_vote(labels: list[str], texts: list[str]) -> str:
    """Majority label, each mention voting once per word; a tie goes to the label of the longest mention."""
    votes: dict[str, int] = {}
    for label, text in zip(labels, texts):
        votes[label] = votes.get(label, 0) + len(text.split())
    best = max(votes.values())
    tied = {label for label, n in votes.items() if n == best}
    if len(tied) == 1:
        return tied.pop()
    longest = sorted(zip(texts, labels), key=lambda pair: (-len(pair[0].split()), -len(pair[0]), pair[1]))
    return next(label for text, label in longest if label in tied)


# Titles and honorifics: stripped from a mention for matching, kept as evidence that it names a person.
HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "gen", "sen", "rep", "gov",
              "lt", "col", "sgt", "capt", "cmdr", "adm", "maj", "prof", "rev", "hon", "insp", "supt", "det"}
# A royal title is part of how the person is called ('King Hussein' is not Saddam Hussein), so it is not
# stripped; nor are words that are also first names ('Dean Acheson').
TITLES = {
    "president", "vice", "prime", "minister", "chancellor", "premier", "cardinal", "bishop", "archbishop", "rabbi",
    "imam", "general", "admiral", "colonel", "major", "captain", "lieutenant", "sergeant", "commander", "marshal",
    "senator", "congressman",
    "congresswoman", "governor", "mayor", "judge", "justice", "ambassador", "envoy", "secretary", "chairman",
    "chairwoman", "chair", "director", "attorney", "prosecutor", "sheriff", "inspector", "superintendent",
    "detective", "constable", "officer", "chief", "deputy", "spokesman", "spokeswoman", "leader", "coach",
    "professor", "doctor", "executive",
}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Legal endings of a company's name: 'Ford Motor Co.' is also called 'Ford Motor' and 'Ford'.
COMPANY_SUFFIXES = {"corp", "co", "inc", "plc", "ag", "ltd", "llc", "lp", "sa", "nv", "gmbh", "partners",
                    "holdings", "group", "cie"}
# Names of one country that share no initials or words: every mention of one of them gets the group's commonest form.
COUNTRY_VARIANTS = [{"US", "USA", "United States", "United States of America", "America"},
                    {"UK", "United Kingdom", "Britain", "Great Britain"}]
# Words a headline puts after a name ('Mayor Resigns', 'Ann Smith Dies'): the model takes them into the name.
HEADLINE_VERBS = {
    "says", "said", "warns", "resigns", "quits", "dies", "died", "wins", "loses", "faces", "vows", "urges",
    "slams", "blasts", "calls", "claims", "denies", "admits", "accuses", "announces", "launches", "seeks", "plans",
    "rejects", "backs", "hits", "meets", "signs", "sues", "agrees", "returns", "arrives", "leaves", "visits",
    "killed", "arrested", "charged", "jailed", "elected", "elects", "steps", "retires", "speaks",
    "defends", "attacks", "threatens", "confirms", "reveals", "opens", "closes", "takes", "gets", "joins", "fires",
}
NUMBER_LIKE = re.compile(r"[$£€¥]?\s?\d[\d,.:/]*(?:\s?(?:%|percent|per cent|million|billion|bn|m|k))?"
                         r"(?:-?(?:years?|months?|weeks?|days?)-old|s|th|st|nd|rd)?", re.IGNORECASE)
FUNCTION_WORDS = {"of", "and", "the", "for", "on", "in", "to", "at", "de", "du", "des", "la", "le", "amp", "&"}


def bare(word: str) -> str:
    """A word in lower case without a final dot: the form title and suffix lists are written in."""
    return word.lower().rstrip(".")


def strip_title(key: str, person: bool) -> tuple[str, bool]:
    """(key without leading titles, whether it had one): honorifics always go, other titles only from a PERSON."""
    words, titled = key.split(), False
    while len(words) > 1 and words[1][:1].isupper() and (
            bare(words[0]) in HONORIFICS or (person and bare(words[0]) in TITLES)):
        words, titled = words[1:], True
    return " ".join(words), titled


def name_words(key: str) -> list[str]:
    """The words of a person's name without a final Jr., Sr. or III."""
    words = key.split()
    return words[:-1] if len(words) > 2 and bare(words[-1]) in NAME_SUFFIXES else words


def company_base(key: str) -> str | None:
    """A company's name without its legal ending ('Ford Motor Co.' -> 'Ford Motor'); None if it has none."""
    words = key.rstrip(",").split()
    if len(words) < 2 or bare(words[-1]) not in COMPANY_SUFFIXES:
        return None
    return entity_key(" ".join(words[:-1]).rstrip(","))


def initials(key: str) -> str:
    """The capital initials of a name's words, without function words ('North Atlantic Treaty Organization' -> NATO)."""
    words = [word for word in re.split(r"[\s-]+", key) if word and word.lower() not in FUNCTION_WORDS]
    return "".join(word.replace(".", "") if re.fullmatch(r"(?:[A-Z]\.)+", word) else word[0]
                   for word in words if word[0].isupper())


def is_acronym(key: str) -> bool:
    """True for a one-word key of 2-6 capitals ('NATO', 'GMAC'; 'U.S.' has lost its dots already)."""
    return bool(re.fullmatch(r"[A-Z]{2,6}", key))


def not_a_name(text: str, label: str) -> str:
    """Why a mention is left out of the canonical tables ('' if it is a name): a number or date, or a headline
    fragment (a title and a headline verb, 'Mayor Resigns')."""
    key = entity_key(text)
    if label in NON_NAME_LABELS or NUMBER_LIKE.fullmatch(key):
        return "number or date"
    rest = headline_trimmed(key)
    if rest != key and all(bare(word) in HONORIFICS | TITLES for word in rest.split()):
        return "headline fragment"
    return ""


def headline_trimmed(key: str) -> str:
    """A key without a trailing headline verb ('Ann Smith Dies' -> 'Ann Smith')."""
    words = key.split()
    return " ".join(words[:-1]) if len(words) > 1 and bare(words[-1]) in HEADLINE_VERBS else key


def points_to(short: list[str], full: list[str]) -> bool:
    """True if a shorter person's name can be a way of writing the full one: its surname (with particles), its
    first name alone, or first and last name without a middle name ('Juan Gonzalez' -> 'Juan Miguel Gonzalez'; a
    middle initial tells people apart: 'George Bush' is not 'George W. Bush')."""
    n = len(short)
    if n >= len(full):
        return False
    no_initials = not any(re.fullmatch(r"[A-Z]\.?", word) for word in full[1:-1])
    return (short == full[-n:] or (n == 1 and short == full[:1])
            or (n == 2 and short[0] == full[0] and short[-1] == full[-1] and no_initials))


# Short names that are often another body than the longer name ending in them: "the House" is Congress's, not
# the White House; a newspaper names itself "the Journal" or "the Times", whatever other Journal its story names.
OTHER_BODIES = {"House", "Journal", "Times", "Post", "Herald", "Tribune"}


def named_again(short: list[str], full: list[str]) -> bool:
    """True if a shorter name is how a story names an organisation or event again: the last words of a name
    without 'of' or 'for' ("the People's Union" for the German People's Union, 'Hugo' for Hurricane Hugo), or
    the words before a name's 'of' or 'for' ('the Observatory' for the Syrian Observatory for Human Rights;
    never the words after it: 'Texas' is not the University of Texas). Not OTHER_BODIES, and not when the words
    in front are not a name's ('a Khmer Rouge') or join two names ('Reno and Immigration and Naturalization
    Service')."""
    n = len(short)
    if n >= len(full) or " ".join(short) in OTHER_BODIES or not short[-1][:1].isupper():
        return False
    cut = next((i for i, word in enumerate(full) if word in ("of", "for")), len(full))
    front = full[:cut - n]
    return (0 < n < cut and full[cut - n:cut] == short and any(word[:1].isupper() for word in front)
            and not any(word.lower() in ("and", "&") for word in front))


def candidates(key: str, person_names: list[str], other_names: list[str], places_only: bool,
               group: bool = False, places: frozenset[str] = frozenset()) -> set[str]:
    """The longer names of the article that a mention's key can be short for (see canonical_names); a key only
    ever tagged as a place can only be an acronym, a group (NORP, 'British') is not short for a company, and no
    key is a place's name again (`places`: 'Ghouta' is not Eastern Ghouta, 'Korea' not South Korea)."""
    found = set()
    words = key.split()
    if is_acronym(key):
        found |= {name for name in other_names if key in (initials(name), initials(company_base(name) or ""))}
    if places_only:
        return found
    if not is_acronym(key):  # a surname is not written in capitals
        found |= {name for name in person_names if points_to(words, name_words(name))}
    for name in other_names if not group else []:
        base = company_base(name)
        if base and len(words) <= len(base.split()) and base.split()[:len(words)] == words:
            found.add(name)
        elif not is_acronym(key) and name not in places and named_again(words, name.split()):
            found.add(name)
    return found


def mention_keys(texts: list[str], labels: list[str], titled: list[bool],
                 aliases: dict[str, str]) -> tuple[list[str], list[str], dict[str, str]]:
    """(key, label vote) of each mention (step 1 of canonical_names), and the aliases with the acronyms the
    model put inside a mention ('World Health Organization (WHO') added."""
    keys, votes = [], []
    for text, label, before in zip(texts, labels, titled):
        key = entity_key(text)
        inner = re.fullmatch(r"(.*\S)\s*\(([A-Z][A-Za-z]{1,9})\)?", key)
        if inner:
            key = entity_key(inner.group(1))
            aliases.setdefault(inner.group(2), key)
        key, had_title = strip_title(headline_trimmed(key), label == "PERSON" or before)
        keys.append(key)
        votes.append("PERSON" if had_title or before else label)
    return keys, votes, aliases


def other_form_targets(by_key: dict[str, list[str]], key_label: dict[str, str]) -> dict[str, str]:
    """Step 2 of canonical_names: key -> the form it is merged into (country group, ordinary case, NORP plural)."""
    target: dict[str, str] = {}
    for group in COUNTRY_VARIANTS:
        present = [key for key in by_key if key in group]
        if present:
            best = max(present, key=lambda key: (len(by_key[key]), len(key), key))
            target.update({key: best for key in present if key != best})
    for key in by_key:
        if key.isupper() and key.title() in by_key and key not in target:
            target[key] = key.title()
        elif key_label[key] == "NORP" and key_label.get(key + "s") == "NORP":
            target[key] = key + "s"
    return target


def canonical_names(texts: list[str], labels: list[str], titled: list[bool] | None = None,
                    aliases: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """(canonical name, canonical label) of each mention, given the mentions' texts and spaCy labels.

    `titled` says which mentions have a title right before them ('President' Macron), `aliases` maps acronyms
    given in parentheses to their full names. Rule: (1) a mention's key is its text without a leading 'the', a
    possessive, a title ('Mrs Smith' -> 'Smith'; a title counts as a PERSON vote) or a headline verb; (2) an
    upper-case key goes to the same name in ordinary case, a NORP to its plural, a country to its group
    ('U.S.', 'United States'); (3) a key is merged into a longer name when exactly one fits: a person's surname,
    first name or name without the middle, an acronym of the initials, a company's name without 'Corp.' or its
    first words, an organisation's or event's last words or the words before its 'of' (named_again); keys only
    ever tagged as places are not short for a person; (4) the majority label wins.
    """
    keys, votes, aliases = mention_keys(texts, labels, titled or [False] * len(texts), dict(aliases or {}))
    by_key: dict[str, list[str]] = {}
    for key, vote in zip(keys, votes):
        by_key.setdefault(key, []).append(vote)
    key_label = {key: label_vote(vs, [key] * len(vs)) for key, vs in by_key.items()}
    target = other_form_targets(by_key, key_label)
    people = [k for k in by_key if len(name_words(k)) > 1 and key_label[k] == "PERSON"]
    others = [k for k in by_key if len(k.split()) > 1 and key_label[k] != "PERSON"]
    places = frozenset(k for k in others if key_label[k] in PLACE_LABELS)
    for key in sorted(by_key, key=lambda k: -len(k.split())):  # longer names first: 'Juan Gonzalez' before 'Gonzalez'
        if key in target or any(key in group for group in COUNTRY_VARIANTS):
            continue
        places_only = all(vote in PLACE_LABELS for vote in by_key[key])
        full = aliases.get(key, "")
        if len(full.split()) > 1 and key_label.get(full) not in PLACE_LABELS and full[:1] == key[:1]:
            found = {full}
        else:
            found = candidates(key, people, others, places_only, key_label[key] == "NORP", places)
        resolved = {resolve(name, target) for name in found} - {key}
        if len(resolved) == 1:
            target[key] = resolved.pop()
    canonical = [resolve(key, target) for key in keys]
    mentions: dict[str, tuple[list, list]] = {}  # canonical name -> (votes, keys) of its mentions
    for name, vote, key in zip(canonical, votes, keys):
        mentions.setdefault(name, ([], []))
        mentions[name][0].append(vote)
        mentions[name][1].append(key)
    label_of = {name: label_vote(name_votes, name_keys) for name, (name_votes, name_keys) in mentions.items()}
    return canonical, [label_of[name] for name in canonical]


def resolve(key: str, target: dict[str, str]) -> str:
    """Follow the merges from a key to its final canonical name."""
    seen = {key}
    while key in target and target[key] not in seen:
        key = target[key]
        seen.add(key)
    return key
