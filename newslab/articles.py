"""Article and Paragraph: reading an article file into paragraphs, and parsing them with spaCy (notebook 01).

`read_article` reads and checks a file (no spaCy); `parse_article` / `parse_articles` add the spaCy parse.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import importlib.util
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from newslab.errors import ArticleError, warn
from newslab.files import HTML_SUFFIXES, read_html_article, read_text, split_front_matter
from newslab.metadata import (RESERVED_SLUGS, check_slug, latest_full_date, parse_date, read_metadata_table,
                              slugify)
from newslab.nlp import count_words, parse_cached, parse_texts
from newslab.paths import METADATA_CSV, ROOT

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc


@dataclass
class Paragraph:
    """One paragraph of an article in reading order (index = position; 0 is the title when there is a title line)."""

    index: int
    kind: str  # title / standfirst / body / embed
    text: str
    sentences: list[str] = field(default_factory=list)
    n_words: int = 0
    doc: object = None  # the spaCy Doc of this paragraph
    spans: list = field(default_factory=list, repr=False)  # the sentences as spaCy Spans; position = `sentence` number


@dataclass
class Article:
    """An article as plain data: metadata plus its paragraphs."""

    path: Path
    title: str
    standfirst: str
    source: str
    published: dt.date
    published_inferred: bool
    slug: str
    paragraphs: list[Paragraph]
    digest: str = ""  # SHA-256 of the article's text: its identity when two articles want the same slug

    @property
    def body(self) -> list[Paragraph]:
        """The body paragraphs, without title, standfirst and embedded posts."""
        return [p for p in self.paragraphs if p.kind == "body"]

    @property
    def embeds(self) -> list[Paragraph]:
        """Embedded social-media posts kept apart from the body."""
        return [p for p in self.paragraphs if p.kind == "embed"]


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, or one per line when the text has no blank lines."""
    text = text.strip()
    if re.search(r"\n\s*\n", text):
        blocks = re.split(r"\n\s*\n", text)
        paragraphs = [" ".join(line.strip() for line in block.splitlines()) for block in blocks]
    else:
        paragraphs = text.splitlines()
    return [re.sub(r"[ \t]+", " ", p).strip() for p in paragraphs if p.strip()]


# "— RT (@RT_com) March 13, 2018": the signature line that closes an embedded tweet.
EMBED_SIGNATURE = re.compile(r"^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)\s+\w+ \d{1,2}, \d{4}$")


# A first paragraph longer than this is body text, not a title line.
TITLE_MAX_WORDS = 30


def has_title_line(paragraphs: list[str]) -> bool:
    """Whether the first paragraph reads as a title line: at most TITLE_MAX_WORDS words."""
    return bool(paragraphs) and len(re.findall(r"\w+", paragraphs[0])) <= TITLE_MAX_WORDS


def classify_paragraphs(paragraphs: list[str], has_title: bool = True) -> list[tuple[str, str]]:
    """Label paragraphs title / standfirst / body / embed; a tweet and its signature line become one embed."""
    labelled: list[tuple[str, str]] = []
    for text in paragraphs:
        if EMBED_SIGNATURE.match(text) and labelled and labelled[-1][0] == "body":
            labelled[-1] = ("embed", labelled[-1][1] + "\n" + text)
        elif EMBED_SIGNATURE.match(text):
            labelled.append(("embed", text))
        elif not labelled and has_title:
            labelled.append(("title", text))
        elif len(labelled) == 1 and labelled[0][0] == "title" and len(paragraphs) > 2:
            labelled.append(("standfirst", text))
        else:
            labelled.append(("body", text))
    return labelled


# The share of words that are English stop words ('the', 'of', 'and' ...): 35-60 % in English news prose,
# under 5 % in German, French, Spanish or Russian. Below ENGLISH_MIN_SHARE an article is refused as not English;
# texts shorter than LANGUAGE_MIN_WORDS words are too short to judge.
ENGLISH_MIN_SHARE = 0.15
LANGUAGE_MIN_WORDS = 20


def spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from its lang/en/stop_words.py without importing spaCy (which takes a
    second: run.py checks each article's language before any notebook starts, and needs nothing else of spaCy)."""
    try:
        path = Path(importlib.util.find_spec("spacy").origin).parent / "lang" / "en" / "stop_words.py"
        namespace: dict = {}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
        return frozenset(namespace["STOP_WORDS"])
    except Exception:  # laid out otherwise in another spaCy version: import it after all
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)


ENGLISH_STOP_WORDS = spacy_stop_words()


def english_share(text: str) -> tuple[float, int]:
    """(share of words that are English stop words, number of words) in text."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return 0.0, 0
    return sum(word in ENGLISH_STOP_WORDS for word in words) / len(words), len(words)


def read_article(path: str | Path, published: str | dt.date | None = None, source: str | None = None) -> Article:
    """Read an article file into an Article with its metadata and paragraph texts, not yet parsed by spaCy."""
    path = Path(path)
    if path.suffix.lower() in HTML_SUFFIXES:
        meta, text = read_html_article(path)
    else:
        text = read_text(path)
        try:
            meta, text = split_front_matter(text)
        except (yaml.YAMLError, ArticleError) as err:
            problem = str(err).splitlines()[0]
            raise ArticleError(
                f"{path}: unreadable front matter ({problem}). Write one 'key: value' per line between two '---' lines."
            ) from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    table = read_metadata_table().get(project_file(path), {})
    texts = split_paragraphs(text)
    if not texts:
        raise ArticleError(f"{path}: has no paragraphs after the front matter. Add the article's text below it.")
    has_title = has_title_line(texts)
    labelled = classify_paragraphs(texts, has_title=has_title)
    if has_title and not any(kind in ("body", "embed") for kind, _ in labelled):
        raise ArticleError(
            f"{path}: has a title line but no paragraphs after it. An article needs a title line and at least "
            "one paragraph of text."
        )

    share, n_words = english_share(text)
    if n_words >= LANGUAGE_MIN_WORDS and share < ENGLISH_MIN_SHARE and meta.get("language", "").lower() != "en":
        raise ArticleError(
            f"{path}: does not look like English: only {share:.0%} of its {n_words} words are common English "
            "words such as 'the', 'of', 'and' (English news text has 35-60%). The notebooks analyse English only: "
            "give an English article or a translation (or put 'language: en' in the front matter if it is English)."
        )

    if meta.get("title"):
        title = meta["title"].strip()
    elif has_title:
        title = labelled[0][1]
    else:
        first_sentence = re.split(r"(?<=[.!?])\s", texts[0], maxsplit=1)[0]
        title = textwrap.shorten(first_sentence, 80, placeholder=" …")
        warn(
            f"{path.name}: the first paragraph has more than {TITLE_MAX_WORDS} words, so it is not a title line; "
            f"every paragraph is read as body text and the article is called {title!r}. Put the title on the "
            "first line (or 'title:' in front matter) to name it."
        )
    standfirst = next((t for kind, t in labelled if kind == "standfirst"), "")
    source = source or meta.get("source") or table.get("source") or "unknown"
    if meta.get("slug"):
        slug = check_slug(meta["slug"].strip(), f"{path} front matter")
    elif table.get("slug"):
        slug = check_slug(table["slug"].strip(), f"{METADATA_CSV.name} row {project_file(path)}")
    else:
        slug = slugify(title) or f"article-{digest[:8]}"  # a title of only punctuation or emoji: its text's hash
        slug = f"{slug}-article" if slug in RESERVED_SLUGS else slug

    latest = latest_full_date(text)
    if published is not None:
        date, inferred = parse_date(published, f"{path}: --published"), False
    elif meta.get("published"):
        date, inferred = parse_date(meta["published"], f"{path} front matter"), False
    elif table.get("published"):
        date, inferred = parse_date(table["published"], f"{METADATA_CSV.name} row {project_file(path)}"), False
    else:
        date, inferred = latest, True
        if date is None:
            raise ArticleError(
                f"{path}: no publication date anywhere (front matter, {METADATA_CSV.name}, --published) "
                "and no full date in the text. Give one with --published YYYY-MM-DD."
            )
        message = (
            f"\n*** {path.name}: NO PUBLICATION DATE GIVEN. Using {date.isoformat()}, the latest full date "
            "in the text. Relative dates ('on Wednesday') may be wrong; pass --published YYYY-MM-DD. ***\n"
        )
        warn(message)
    if latest is not None and date < latest:
        warn(
            f"{path.name}: published {date.isoformat()}, which is before {latest.isoformat()}, the latest full date "
            "in the text. Unless the text announces a future event, the publication date is wrong: check it "
            "(--published YYYY-MM-DD)."
        )
    today = dt.date.today()
    if date > today:
        warn(
            f"{path.name}: published {date.isoformat()}, which is in the future (today is {today.isoformat()}). "
            "Check the publication date (--published YYYY-MM-DD)."
        )

    paragraphs = [Paragraph(index, kind, ptext) for index, (kind, ptext) in enumerate(labelled)]
    return Article(path, title, standfirst, str(source), date, inferred, slug, paragraphs, digest)


def project_file(path: Path) -> str:
    """The file's path relative to the project folder, symlinks resolved ('/'-separated; absolute if outside it).

    data/metadata.csv rows name files this way, so a file elsewhere that is merely named like one never matches."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(ROOT).as_posix()
    except ValueError:
        return str(resolved)


def distinct_slug(article: Article, root: Path = ROOT) -> str:
    """The article's slug, or, when root/data/<slug>/ or root/reports/<slug>/ holds a different article (another
    file and other text), the slug with the first 8 hex digits of its text's hash appended, with a warning:
    outputs never overwrite another article's."""
    for kind in ("data", "reports"):
        try:
            other = json.loads((Path(root) / kind / article.slug / "article.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(other, dict) and other.get("content_sha256") and article.digest not in (
                "", other["content_sha256"]) and other.get("file") != project_file(article.path):
            break
    else:
        return article.slug
    slug = f"{article.slug}-{article.digest[:8]}"
    warn(f"{article.path.name}: another article ({other.get('file', '?')}) already has the slug {article.slug!r}; "
         f"this one's outputs go to {slug!r}. Give it a 'slug:' in its front matter to choose another name.")
    return slug


def add_parse(paragraph: Paragraph, doc: Doc) -> Paragraph:
    """Give a paragraph its spaCy Doc, its non-empty sentences (as Spans and as text) and its word count."""
    paragraph.doc = doc
    paragraph.spans = [span for span in doc.sents if span.text.strip()]
    paragraph.sentences = [span.text.strip() for span in paragraph.spans]
    paragraph.n_words = count_words(doc)
    return paragraph


def sentence_of(paragraph: Paragraph, offset: int) -> int:
    """The number of the sentence of the paragraph that holds character `offset` (0 before the first)."""
    starts = [span.start_char for span in paragraph.spans]
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def parse_articles(articles: list[Article]) -> list[Article]:
    """Parse the paragraphs of several read articles with spaCy, in one stream (faster than one by one)."""
    paragraphs = [p for article in articles for p in article.paragraphs]
    for paragraph, doc in zip(paragraphs, parse_texts([p.text for p in paragraphs])):
        add_parse(paragraph, doc)
    return articles


def parse_article(article: Article, cache: Path | None = None) -> Article:
    """Parse a read article's paragraphs with spaCy (in place): sentences, word counts, entities, lemmas.

    With `cache` (a file such as data/<slug>/parse.spacy), the parse stored there is reused when it is of the same
    paragraphs with the same pipeline, and written there when it is not."""
    for paragraph, doc in zip(article.paragraphs, parse_cached([p.text for p in article.paragraphs], cache)):
        add_parse(paragraph, doc)
    return article


def paragraph_table(article: Article) -> pd.DataFrame:
    """One row per paragraph: paragraph, kind, text, n_words, n_sentences (a pandas DataFrame)."""
    import pandas as pd

    rows = [
        {"paragraph": p.index, "kind": p.kind, "text": p.text, "n_words": p.n_words, "n_sentences": len(p.sentences)}
        for p in article.paragraphs
    ]
    return pd.DataFrame(rows, columns=["paragraph", "kind", "text", "n_words", "n_sentences"])


def escape_markdown(text: str) -> str:
    """Article text made safe to put inside Markdown: HTML special characters and Markdown punctuation escaped."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~:$])", r"\\\1", escaped)


def article_metadata(article: Article) -> dict:
    """The article's metadata as a JSON-ready dict (what data/<slug>/article.json holds)."""
    return {
        "title": article.title,
        "standfirst": article.standfirst,
        "source": article.source,
        "published": article.published.isoformat(),
        "published_inferred": article.published_inferred,
        "slug": article.slug,
        "file": project_file(article.path),
        "content_sha256": article.digest,
    }
