"""Article files and saved web pages: from bytes to checked, normalised text and front matter (notebook 01).

Every refusal is an ArticleError that names the file, says what is wrong and what to do.
"""
from __future__ import annotations

import json
import os
import re
import stat
import textwrap
import unicodedata
from pathlib import Path

import yaml

from newslab.errors import ArticleError, warn


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
    if raw.lstrip()[:5] == b"%PDF-":
        raise ArticleError(f"{path}: is a PDF, not a text file. {STRUCTURED_HINT}")
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


# The largest article text the whole collection finishes within 4 GiB of memory (run.py, its workers and their
# kernels together): measured by bench/size_limit.py, 3.2 GiB at 400 kB (about 65,000 words; README, Performance).
MAX_FILE_BYTES = 400_000
# A saved web page carries markup, styles and scripts besides its text: the page may be larger, its text may not.
MAX_PAGE_BYTES = 10_000_000


# Files that are not articles, by suffix: what they are and what to do instead.
STRUCTURED_SUFFIXES = {
    ".json": "a JSON data file", ".jsonl": "a JSON data file", ".csv": "a table (CSV)", ".tsv": "a table (TSV)",
    ".xlsx": "a spreadsheet", ".xls": "a spreadsheet", ".ods": "a spreadsheet", ".pdf": "a PDF",
    ".docx": "a Word document", ".doc": "a Word document", ".odt": "a word-processor document",
    ".zip": "a zip archive", ".gz": "a compressed file", ".xml": "an XML file", ".ipynb": "a notebook",
}
STRUCTURED_HINT = "Copy the article's text into a .txt file (title on the first line) and give that."


def special_file_kind(mode: int) -> str | None:
    """What a file that is not a regular file is ('a named pipe (FIFO)', 'a device' ...), or None for a regular one."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bytes(path: Path, too_big: str, limit: int | None = None) -> bytes:
    """A file's bytes, or an ArticleError for a missing file, a folder, a pipe or device, an unreadable or too big
    file, or a data file (JSON, CSV, PDF ...) by its suffix.

    Only regular files are opened (a FIFO would block, /dev/zero never end), and at most MAX_FILE_BYTES + 1 bytes
    are read (`limit`, MAX_FILE_BYTES unless given), so the size limit holds for what is actually read. `too_big`
    ends the message for a file over the limit (it follows "<path>: is <size> kB")."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file. Check the path you gave.") from None
    except OSError as err:
        raise ArticleError(f"{path}: cannot be read ({err.strerror}). Check the file's permissions.") from None
    if stat.S_ISDIR(info.st_mode):
        raise ArticleError(f"{path}: is a folder, not an article file. Give a .txt or .md file.")
    kind = special_file_kind(info.st_mode)
    if kind:
        raise ArticleError(f"{path}: is {kind}, not a file on disk. Save the article into a .txt file and give that.")
    if path.suffix.lower() in STRUCTURED_SUFFIXES:
        raise ArticleError(f"{path}: is {STRUCTURED_SUFFIXES[path.suffix.lower()]}, not an article. {STRUCTURED_HINT}")
    if info.st_size > limit:
        raise ArticleError(f"{path}: is {info.st_size / 1000:,.0f} kB{too_big}")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as err:
        raise ArticleError(f"{path}: cannot be read ({err.strerror}). Check the file's permissions.") from None
    if len(raw) > limit:  # it grew since it was measured
        raise ArticleError(f"{path}: is over {limit / 1000:,.0f} kB{too_big}")
    return raw


def structured_kind(text: str) -> str | None:
    """What a text file holds when it is data rather than prose ('JSON data', 'a table ...'), else None."""
    stripped = text.strip()
    if stripped[:1] in "{[" and stripped[-1:] in "}]":
        try:
            json.loads(stripped)
            return "JSON data"
        except ValueError:
            pass
    lines = [line for line in stripped.splitlines() if line.strip()]
    if len(lines) >= 3:
        for separator, name in ((",", "comma"), ("\t", "tab"), (";", "semicolon"), ("|", "bar")):
            counts = [line.count(separator) for line in lines]
            most = max(set(counts), key=counts.count)
            if most >= (1 if separator == "\t" else 2) and counts.count(most) >= 0.9 * len(lines):
                return f"a table ({most + 1} {name}-separated columns on every line)"
    return None


def read_text(path: Path) -> str:
    """Read an article file as text, with a clear ArticleError for missing, empty, binary or non-text files."""
    path = Path(path)
    raw = read_bytes(path, f"; an article is at most {MAX_FILE_BYTES / 1000:,.0f} kB of text (about 65,000 words: "
                           "what the notebooks finish within 4 GiB of memory). Check that you gave the right file, "
                           "or split it into articles.")
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
    kind = structured_kind(text)
    if kind:
        raise ArticleError(f"{path}: holds {kind}, not an article. {STRUCTURED_HINT}")
    return text


def yaml_problem(err: yaml.YAMLError, front_matter: str) -> str:
    """What YAML could not read in front matter, with its line in the file (the front matter starts on line 2) and,
    for a value holding ': ' ('title: Analysis: …'), the quotes that fix it."""
    problem = str(getattr(err, "problem", None) or err).splitlines()[0]
    mark = getattr(err, "problem_mark", None)
    if mark is None:
        return problem
    lines = front_matter.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    key, colon, value = line.partition(":")
    if colon and ": " in value and not value.strip().startswith(("'", '"')):
        quoted = value.strip().replace('"', '\\"')
        return (f"{problem} on line {mark.line + 2}: a value that holds ': ' goes in quotes, "
                f"{key.strip()}: \"{textwrap.shorten(quoted, 60, placeholder=' …')}\"")
    return f"{problem} on line {mark.line + 2}"


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split YAML front matter (between two '---' lines at the top) from the article text.

    An opening '---' line without a closing one, and a key given twice, are errors that name the line."""
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if not match:
        if re.match(r"\A---[ \t]*(\n|\Z)", text):
            raise ArticleError("the '---' on line 1 opens front matter that no '---' line closes")
        return {}, text
    seen: dict[str, int] = {}
    for number, line in enumerate(match.group(1).splitlines(), start=2):
        key = re.match(r"([^\s#:][^:]*):", line)
        if key and key.group(1).strip() in seen:
            raise ArticleError(f"front matter key '{key.group(1).strip()}' on line {number} was already given "
                               f"on line {seen[key.group(1).strip()]}")
        if key:
            seen[key.group(1).strip()] = number
    try:
        meta = yaml.load(match.group(1), Loader=yaml.BaseLoader) or {}  # every value a string
    except yaml.YAMLError as err:
        raise ArticleError(yaml_problem(err, match.group(1))) from None
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be 'key: value' lines between two '---' lines")
    for key, value in meta.items():
        if not isinstance(value, str):
            raise ArticleError(f"front matter '{key}' must be one plain value on its line")
    return meta, text[match.end():]


HTML_SUFFIXES = (".html", ".htm")


def read_html_article(path: str | Path) -> tuple[dict, str]:
    """Main text and metadata (title, source, published, url) of a saved web page, as front matter and paragraphs."""
    import trafilatura

    path = Path(path)
    raw = read_bytes(path, ", too big for one article page. Save the page as 'HTML only' (no images), or copy "
                           "the article text into a .txt file.", limit=MAX_PAGE_BYTES)
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
    if sum(len(line.encode("utf-8")) + 2 for line in lines) > MAX_FILE_BYTES:
        raise ArticleError(f"{path}: its text is over {MAX_FILE_BYTES / 1000:,.0f} kB, more than the notebooks "
                           "finish within 4 GiB of memory. Split the article into parts saved as .txt files.")
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
