"""Named entities per paragraph and sentence, their canonical (merged) names, checks of the labels and names the
model missed (notebook 02)."""
from __future__ import annotations

import html
import re

import pandas as pd

from newslab.articles import Article, Paragraph, sentence_of
# The merging rule lives in newslab/canonical.py; NON_NAME_LABELS, entity_key and label_vote stay importable
# from here, where notebooks 03-05 and the tests have always found them.
from newslab.canonical import (HONORIFICS, NON_NAME_LABELS, PLACE_LABELS, TITLES, bare, canonical_names,  # noqa: F401
                               entity_key, label_vote, not_a_name)

# `excluded`: why the canonical tables leave a mention out ('' for a name; see newslab.canonical.not_a_name).
ENTITY_COLUMNS = ["paragraph", "sentence", "start", "end", "text", "label", "canonical", "canonical_label", "kind",
                  "excluded"]
CANONICAL_COLUMNS = ["canonical", "label", "mentions", "paragraphs"]
# Labels that name someone or something (the rest are dates, times and numbers).
NAME_LABELS = ["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"]
# A URL (with or without scheme, e.g. pic.twitter.com/abc) or an @handle: never an entity.
URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co|ly|io)/\S*|@\w+")


def url_or_handle_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of URLs and @handles in a text."""
    return [match.span() for match in URL_OR_HANDLE.finditer(text)]


def raw_entities(paragraph: Paragraph) -> list[dict]:
    """Every entity spaCy found in one paragraph, as dicts (nothing removed yet)."""
    rows = []
    for ent in paragraph.doc.ents:
        sentence = sentence_of(paragraph, ent.start_char)
        rows.append({"paragraph": paragraph.index, "sentence": sentence, "start": ent.start_char,
                     "end": ent.end_char, "text": ent.text, "label": ent.label_, "kind": paragraph.kind})
    return rows


def overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True if the span [start, end) overlaps one of the (start, end) spans."""
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def is_url_or_handle(text: str, start: int, end: int) -> bool:
    """True if the span [start, end) of text overlaps a URL or an @handle."""
    return overlaps_any(url_or_handle_spans(text), start, end)


def canonicalise(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of an entity table (text and label columns needed) with canonical and canonical_label filled in."""
    table = table.copy()
    table["canonical"], table["canonical_label"] = canonical_names(list(table["text"]), list(table["label"]))
    return table


def joined_compounds(rows: list[dict], text: str) -> list[dict]:
    """A paragraph's rows with a NORP glued by a hyphen to a capitalised word made one mention ('Cuban-Americans'
    is one group, not Cubans); a mention inside the compound goes."""
    joined: list[dict] = []
    for row in rows:
        if joined and row["start"] < joined[-1]["end"]:
            continue
        glued = re.match(r"-[A-Z][a-z]+", text[row["end"]:]) if row["label"] == "NORP" else None
        if glued:
            row = {**row, "end": row["end"] + glued.end(), "text": text[row["start"]:row["end"] + glued.end()]}
        joined.append(row)
    return joined


def title_before(paragraph: Paragraph, start: int) -> bool:
    """True if a capitalised title or an honorific stands right before the mention ('President Macron')."""
    span = paragraph.doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    word = paragraph.doc[span.start - 1].text
    return bare(word) in HONORIFICS or (word[:1].isupper() and bare(word) in TITLES)


def parenthesised_acronyms(text: str, rows: list[dict]) -> dict[str, str]:
    """Acronyms given in parentheses right after a mention ('World Health Organization (WHO)') -> its key."""
    found = {}
    for row in rows:
        match = re.match(r"\s*\(([A-Z][A-Za-z]{1,9})\)", text[row["end"]:row["end"] + 14])
        if match:
            found[match.group(1)] = entity_key(row["text"])
    return found


def entity_table(article: Article) -> pd.DataFrame:
    """Every entity spaCy finds, one row per mention, URLs and @handles removed, with canonical names and labels;
    numbers, dates and headline fragments are marked in `excluded` and take no part in the merging."""
    rows, aliases = [], {}
    for p in article.paragraphs:
        links = url_or_handle_spans(p.text)
        kept = joined_compounds([row for row in raw_entities(p) if not overlaps_any(links, row["start"], row["end"])],
                                p.text)
        aliases.update(parenthesised_acronyms(p.text, kept))
        rows += [{**row, "titled": title_before(p, row["start"]), "excluded": not_a_name(row["text"], row["label"])}
                 for row in kept]
    rows.sort(key=lambda row: (row["paragraph"], row["start"], row["end"]))
    for row in rows:
        row["canonical"], row["canonical_label"] = entity_key(row["text"]), row["label"]
    names = [row for row in rows if not row["excluded"]]
    merged = canonical_names([r["text"] for r in names], [r["label"] for r in names], [r["titled"] for r in names],
                             aliases)
    for row, canonical, label in zip(names, *merged):
        row["canonical"], row["canonical_label"] = canonical, label
    table = pd.DataFrame({name: [row[name] for row in rows] for name in ENTITY_COLUMNS}, columns=ENTITY_COLUMNS)
    return table if rows else table.astype({"paragraph": int, "sentence": int, "start": int, "end": int})


def counted_mentions(table: pd.DataFrame) -> pd.DataFrame:
    """The mentions the canonical tables count: names, not numbers, dates or headline fragments."""
    keep = ~table["canonical_label"].isin(NON_NAME_LABELS)
    if "excluded" in table.columns:
        keep &= table["excluded"].fillna("").astype(str) == ""
    return table[keep]


def canonical_entities(table: pd.DataFrame) -> pd.DataFrame:
    """One row per canonical entity (numbers, dates and headline fragments left out): canonical, label, mentions,
    paragraphs; most mentioned first, then by name."""
    labels: dict[str, str] = {}
    mentions: dict[str, int] = {}
    paragraphs: dict[str, set] = {}
    names = counted_mentions(table)
    for name, label, paragraph in zip(names["canonical"], names["canonical_label"], names["paragraph"]):
        labels.setdefault(name, label)
        mentions[name] = mentions.get(name, 0) + 1
        paragraphs.setdefault(name, set()).add(paragraph)
    rows = sorted(((name, labels[name], mentions[name], len(paragraphs[name])) for name in mentions),
                  key=lambda row: (-row[2], row[0]))
    return pd.DataFrame(rows, columns=CANONICAL_COLUMNS)


def raw_entity_table(article: Article) -> pd.DataFrame:
    """Every entity spaCy found, nothing removed, with `link` True where it overlaps a URL or @handle."""
    rows = [{**row, "link": is_url_or_handle(p.text, row["start"], row["end"])}
            for p in article.paragraphs for row in raw_entities(p)]
    columns = ["paragraph", "sentence", "start", "end", "text", "label", "kind", "link"]
    return pd.DataFrame(rows, columns=columns).astype({"link": bool})


def mention_grid(entities: pd.DataFrame, names: pd.DataFrame, n_paragraphs: int, top: int = 15) -> pd.DataFrame:
    """Mentions per paragraph (columns 0 … n_paragraphs-1) of the `top` names mentioned at least twice (rows,
    most mentioned first); of the top names mentioned at all when none is mentioned twice."""
    rows = names[names["mentions"] >= 2]["canonical"].head(top).tolist() or names["canonical"].head(top).tolist()
    counts = pd.crosstab(entities["canonical"], entities["paragraph"])
    return counts.reindex(index=rows, columns=range(n_paragraphs), fill_value=0)


def cooccurrence(entities: pd.DataFrame, top_names: list[str], n_paragraphs: int) -> pd.DataFrame:
    """For each pair of names, the number of paragraphs that mention both (the diagonal: paragraphs naming one)."""
    presence = (pd.crosstab(entities["canonical"], entities["paragraph"]) > 0).astype(int).reindex(
        index=top_names, columns=range(n_paragraphs), fill_value=0)
    return presence @ presence.T


def most_shared_pair(cooc: pd.DataFrame) -> tuple[str, str] | None:
    """The pair of different names that share the most paragraphs (ties: the alphabetically last); None if no pair."""
    pairs = [(a, b) for a in cooc.index for b in cooc.index if a < b]
    return max(pairs, key=lambda pair: (cooc.loc[pair], pair)) if pairs else None

# Cues for "the model got this label wrong": small, explainable lists, not a second model.
FIRST_NAMES = {
    "Abdul", "Ahmed", "Alexander", "Alexei", "Ali", "Andrew", "Angela", "Anna", "Barack", "Bashar", "Ben", "Bernie",
    "Bill", "Boris", "Charles", "David", "Dmitry", "Donald", "Elizabeth", "Emmanuel", "Emily", "Francois", "George",
    "Hassan", "Hillary", "Ivan", "James", "Jane", "Jean", "Jim", "Joe", "John", "Joseph", "Justin", "Kamala",
    "Mark", "Maria", "Mary", "Michael", "Mike", "Mohammed", "Nancy", "Nicolas", "Nikki", "Olga", "Paul", "Recep",
    "Rex", "Robert", "Sarah", "Sergei", "Sergey", "Steve", "Theresa", "Thomas", "Valery", "Vladimir", "William",
    "Xi", "Yuri",
}

PERSON_TITLES = {
    "president", "envoy", "ambassador", "minister", "general", "gen.", "chairman", "chairwoman", "commander",
    "leader", "senator", "sen.", "secretary", "spokesman", "spokeswoman", "mr", "mr.", "mrs", "mrs.", "ms", "ms.",
    "dr", "dr.", "prime", "king", "queen", "admiral", "colonel", "chancellor", "pope",
}

PLACE_NOUNS = {"village", "town", "city", "region", "province", "district", "country", "island", "capital", "suburb"}
# Last words that make a name an organisation ('Puerto Rico Police'), or, right after it, show the model cut an
# organisation's name short ('County District' of 'County District Attorney').
ORG_WORDS = {"police", "council", "ministry", "department", "committee", "commission", "agency", "party",
             "parliament", "congress", "senate", "bank", "university", "association", "army", "navy", "bureau",
             "board", "institute", "foundation", "authority", "corp", "corp.", "inc", "inc.", "ltd", "plc",
             "company", "attorney"}
# Last words (or whole names) that make a name a place: 'Kent County', 'Yorkshire' (-shire), 'Arctic'.
PLACE_WORDS = {"county", "province", "region", "island", "islands", "valley", "sea", "ocean", "river", "lake",
               "bay", "peninsula", "mountains", "desert", "strait", "straits", "arctic", "antarctic", "antarctica"}


# How nationality and region adjectives end: Russian, Chinese, British, Iraqi, French (not Biblical, not GM).
NATIONALITY = r"[A-Z][a-z]+(?:ans?|ese|ish|i|ch)"


def label_cue(paragraph: Paragraph, start: int, end: int) -> tuple[str, tuple[str, ...]] | None:
    """The cue in or around a mention and the labels it allows; None when there is no cue.

    In the name: an organisation word at its end -> ORG, a place word or '-shire' -> a place, a known first name
    or an honorific ('Mrs') at its start -> PERSON, a lone nationality adjective -> NORP. Around it: an
    organisation word right after it -> ORG (a name cut short), a title before it -> PERSON, 'village of X' -> a
    place.
    """
    span = paragraph.doc.char_span(start, end, alignment_mode="expand")
    words = entity_key(span.text).split() or [""]
    before = [t.text for t in paragraph.doc[max(span.start - 2, 0):span.start]]
    after = paragraph.doc[span.end].text if span.end < len(paragraph.doc) else ""
    if len(words) > 1 and words[-1].lower() in ORG_WORDS:
        return f"'{words[-1]}' in the name", ("ORG",)
    if after[:1].isupper() and after.lower() in ORG_WORDS:
        return f"'{after}' right after it (name cut short)", ("ORG",)
    if words[-1].lower() in PLACE_WORDS or re.fullmatch(r"[A-Z][a-z]+shire", words[-1]):
        return f"'{words[-1]}' in the name", PLACE_LABELS
    if len(words) > 1 and words[0] in FIRST_NAMES:
        return f"first name '{words[0]}'", ("PERSON",)
    if len(words) > 1 and bare(words[0]) in HONORIFICS:
        return f"'{words[0]}' in the name", ("PERSON",)
    if before and (before[-1].lower() in PERSON_TITLES or bare(before[-1]) in HONORIFICS
                   or (before[-1][:1].isupper() and bare(before[-1]) in TITLES)):
        return f"title '{before[-1]}' before it", ("PERSON",)
    if len(span) == 1 and re.fullmatch(NATIONALITY, span[0].text) and (
            span[0].pos_ == "ADJ" or (span[0].tag_ == "NNPS" and span[0].text.endswith("ans"))):
        return "a nationality or region adjective alone", ("NORP",)
    if len(before) == 2 and before[0].lower() in PLACE_NOUNS and before[1].lower() == "of":
        return f"'{before[0]} of' before it", PLACE_LABELS
    return None


def cue_conflicts(article: Article, table: pd.DataFrame) -> pd.DataFrame:
    """Name mentions whose label contradicts an obvious cue (see label_cue), with the cue and the labels it allows."""
    rows = []
    for row in counted_mentions(table).itertuples():
        found = label_cue(article.paragraphs[row.paragraph], row.start, row.end)
        if found and row.label not in found[1] + (("LANGUAGE",) if found[1] == ("NORP",) else ()):
            rows.append({"paragraph": row.paragraph, "sentence": row.sentence, "start": row.start, "text": row.text,
                         "label": row.label, "cue": found[0], "expected": " or ".join(found[1])})
    columns = ["paragraph", "sentence", "start", "text", "label", "cue", "expected"]
    return pd.DataFrame(rows, columns=columns)


def candidate_entities(article: Article, table: pd.DataFrame, min_mentions: int = 2) -> pd.DataFrame:
    """Runs of two or more capitalised words that no entity covers, not at a sentence start nor in the title,
    seen at least `min_mentions` times: names the model probably missed (candidate, mentions, paragraphs)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    found: dict[str, list[int]] = {}
    for p in article.paragraphs:
        if p.kind == "title" or p.doc is None:
            continue
        taken = [(r.start, r.end) for r in table[table["paragraph"] == p.index].itertuples()]
        run: list = []
        for token in [*p.doc, None]:
            name_like = (token is not None and token.text[:1].isupper() and token.is_alpha and not token.is_sent_start
                         and token.lower_ not in STOP_WORDS)
            if name_like:
                run.append(token)
                continue
            if len(run) > 1 and not overlaps_any(taken, run[0].idx, run[-1].idx + len(run[-1])):
                found.setdefault(" ".join(t.text for t in run), []).append(p.index)
            run = []
    rows = [(name, len(where), len(set(where))) for name, where in found.items() if len(where) >= min_mentions]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return pd.DataFrame(rows, columns=["candidate", "mentions", "paragraphs"])


def places_as_actors(article: Article, table: pd.DataFrame) -> pd.DataFrame:
    """GPE mentions that are the grammatical subject of a verb ('Moscow is ready'): candidates for metonymy."""
    rows = []
    for row in table[table["label"] == "GPE"].itertuples():
        paragraph = article.paragraphs[row.paragraph]
        root = paragraph.doc.char_span(row.start, row.end, alignment_mode="expand").root
        if root.dep_ == "conj":  # 'Russia and the US agreed': the conjunct shares the first one's role
            root = root.head
        if root.dep_ in ("nsubj", "nsubjpass"):
            rows.append({"paragraph": row.paragraph, "text": row.text, "canonical": row.canonical,
                         "verb": root.head.lemma_, "sentence": paragraph.sentences[row.sentence]})
    return pd.DataFrame(rows, columns=["paragraph", "text", "canonical", "verb", "sentence"])


def entities_html(text: str, table: pd.DataFrame) -> str:
    """displaCy's entity view of one paragraph's text and its rows of the entity table, as escaped HTML."""
    from spacy import displacy

    # displaCy escapes the text and the entity text itself; labels and titles are not escaped, so we do it.
    ents = [{"start": int(r.start), "end": int(r.end), "label": html.escape(str(r.label))} for r in table.itertuples()]
    return displacy.render({"text": text, "ents": ents, "title": None}, style="ent", manual=True, jupyter=False)
