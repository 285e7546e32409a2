"""TextBlob polarity and subjectivity per paragraph and sentence, the words behind them, and towards entities
(notebook 03)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from newslab.articles import Article
from newslab.nlp import count_words

if TYPE_CHECKING:
    from spacy.tokens import Doc


# TextBlob polarity and subjectivity per paragraph and sentence, and towards entities.

SENTIMENT_COLUMNS = ["level", "paragraph", "sentence", "kind", "polarity", "subjectivity", "n_words", "text"]
WORD_SCORE_COLUMNS = ["words", "polarity", "subjectivity", "lexicon_pos", "spacy_pos"]
ENTITY_SENTIMENT_COLUMNS = ["canonical", "label", "mentions", "sentences", "mean_polarity", "min_polarity",
                            "max_polarity", "mean_subjectivity"]


def text_sentiment(text: str) -> tuple[float, float]:
    """TextBlob's (polarity, subjectivity) of a text, default PatternAnalyzer (its lexicon ships, no downloads)."""
    from textblob.en import sentiment  # what TextBlob(text).sentiment calls, without building a TextBlob

    polarity, subjectivity = sentiment(text)[:2]
    return round(float(polarity), 6), round(float(subjectivity), 6)


def sentiment_table(article: Article) -> pd.DataFrame:
    """One row per paragraph, each followed by one row per sentence, in story order (columns SENTIMENT_COLUMNS).

    Every paragraph kind is scored (title, standfirst, body, embed) and marked in `kind`. A paragraph row scores
    the whole paragraph text, so its polarity is the mean over all words TextBlob scored in the paragraph (not the
    mean of its sentences); its `sentence` is empty (<NA>). Sentence rows number sentences from 0 in the paragraph.
    """
    rows = []
    for paragraph in article.paragraphs:
        whole = text_sentiment(paragraph.text)
        rows.append({"level": "paragraph", "paragraph": paragraph.index, "sentence": None, "kind": paragraph.kind,
                     "polarity": whole[0], "subjectivity": whole[1], "n_words": paragraph.n_words,
                     "text": paragraph.text})
        for number, (span, text) in enumerate(zip(paragraph.spans, paragraph.sentences)):
            polarity, subjectivity = whole if text == paragraph.text else text_sentiment(text)  # one-sentence paragraph
            rows.append({"level": "sentence", "paragraph": paragraph.index, "sentence": number,
                         "kind": paragraph.kind, "polarity": polarity, "subjectivity": subjectivity,
                         "n_words": count_words(span), "text": text})
    table = pd.DataFrame(rows, columns=SENTIMENT_COLUMNS)
    table["sentence"] = table["sentence"].astype("Int64")
    return table


def lexicon_pos(word: str) -> str:
    """The part-of-speech tags under which TextBlob's lexicon lists a word ('JJ', 'JJ RB' ...), '' if unlisted."""
    from textblob.en import sentiment as lexicon

    return " ".join(sorted(tag for tag in lexicon.get(word.lower(), {}) if tag))


def word_scores(text: str, doc: Doc | None = None) -> pd.DataFrame:
    """The words TextBlob scored in a text, in reading order (columns WORD_SCORE_COLUMNS); polarity is their mean.

    `words` is the scored chunk: one lexicon word, possibly with a modifier ("very good") or negation
    ("not good", polarity multiplied by -0.5). `lexicon_pos` is the word class the lexicon scores the last word
    as; `spacy_pos` is how spaCy tagged it in this text when a spaCy doc of the same text is given.
    """
    from textblob import TextBlob

    tokens = list(doc) if doc is not None else []
    cursor, rows = 0, []
    for words, polarity, subjectivity, _label in TextBlob(text).sentiment_assessments.assessments:
        head = next((w for w in reversed(words) if w.isalpha()), words[-1])
        spacy_pos = ""
        for position in range(cursor, len(tokens)):
            if tokens[position].lower_ == head:
                spacy_pos, cursor = tokens[position].pos_, position + 1
                break
        rows.append({"words": " ".join(words), "polarity": round(float(polarity), 6),
                     "subjectivity": round(float(subjectivity), 6), "lexicon_pos": lexicon_pos(head),
                     "spacy_pos": spacy_pos})
    return pd.DataFrame(rows, columns=WORD_SCORE_COLUMNS)


def unscored_words(doc: Doc) -> list[str]:
    """Content words (nouns, verbs, adjectives, adverbs; not stop words) of a spaCy doc unknown to TextBlob."""
    from textblob.en import sentiment as lexicon

    seen: list[str] = []
    for token in doc:
        word = token.lower_
        content = token.pos_ in {"NOUN", "VERB", "ADJ", "ADV"} and token.is_alpha and not token.is_stop
        if content and word not in lexicon and word not in seen:
            seen.append(word)
    return seen


def entity_sentiment(sentiment_table: pd.DataFrame, entity_table: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Polarity of the sentences naming each canonical entity, for the `top` most named (ENTITY_SENTIMENT_COLUMNS).

    Joins entity mentions to sentence rows on (paragraph, sentence); only sentences present in `sentiment_table`
    count, so pass a filtered table (e.g. body only) to leave other paragraphs out. A sentence that names an entity
    twice counts once in the means (`sentences`) but twice in `mentions`. Sorted by sentences, then mentions
    (most first), then name.
    """
    sentences = sentiment_table[sentiment_table["level"] == "sentence"]
    sentences = sentences[["paragraph", "sentence", "polarity", "subjectivity"]].astype(
        {"paragraph": int, "sentence": int})
    mentions = entity_table[["paragraph", "sentence", "canonical", "canonical_label"]].astype(
        {"paragraph": int, "sentence": int})
    joined = mentions.merge(sentences, on=["paragraph", "sentence"], how="inner")
    if joined.empty:
        return pd.DataFrame(columns=ENTITY_SENTIMENT_COLUMNS)
    rows = []
    for canonical, group in joined.groupby("canonical", sort=True):
        distinct = group.drop_duplicates(["paragraph", "sentence"])
        labels = sorted(group["canonical_label"].astype(str))
        rows.append({"canonical": canonical, "label": max(sorted(set(labels)), key=labels.count),
                     "mentions": len(group), "sentences": len(distinct),
                     "mean_polarity": round(float(distinct["polarity"].mean()), 6),
                     "min_polarity": float(distinct["polarity"].min()),
                     "max_polarity": float(distinct["polarity"].max()),
                     "mean_subjectivity": round(float(distinct["subjectivity"].mean()), 6)})
    table = pd.DataFrame(rows, columns=ENTITY_SENTIMENT_COLUMNS)
    table = table.sort_values(["sentences", "mentions", "canonical"], ascending=[False, False, True])
    return table.head(top).reset_index(drop=True)


# spaCy's coarse part of speech for each word class of TextBlob's lexicon.
LEXICON_CLASS = {"JJ": "ADJ", "NN": "NOUN", "VB": "VERB", "RB": "ADV"}


def explain_polarity(words: pd.DataFrame, polarity: float) -> str:
    """How a polarity is the mean of the scored words (word_scores), and which words are read in another sense."""
    if words.empty:
        return "TextBlob found no lexicon word here, so the polarity is 0."
    terms = " ".join(f"{p:+.2f}" for p in words["polarity"])
    lines = [f"polarity = ({terms}) / {len(words)} = {words['polarity'].sum():+.3f} / {len(words)} "
             f"= {words['polarity'].mean():+.3f}   (TextBlob: {polarity:+.3f})"]
    strongest = words.loc[words["polarity"].abs().idxmax()]
    lines.append(f"The strongest pull: '{strongest['words']}' at {strongest['polarity']:+.2f}.")
    for _, row in words.iterrows():
        classes = {LEXICON_CLASS.get(tag, tag) for tag in row["lexicon_pos"].split()}
        if row["polarity"] != 0 and row["spacy_pos"] and row["spacy_pos"] not in classes:
            lines.append(f"  '{row['words']}' ({row['polarity']:+.2f}): the lexicon scores it as {row['lexicon_pos']}, "
                         f"but here spaCy reads it as {row['spacy_pos']} — another sense of the word.")
    return "\n".join(lines)
