"""An article's publication date, source and slug: from front matter, data/metadata.csv or the text (notebook 01)."""
from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from pathlib import Path

from newslab.errors import ArticleError
from newslab.paths import METADATA_CSV


def slugify(text: str, max_len: int = 60) -> str:
    """Lower-case ASCII words joined by '-', cut at a word boundary to at most max_len characters ('' if none)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_len:
            break
        slug = candidate
    return slug  # empty when the text has no ASCII letter or digit: the caller names it


def read_metadata_table(path: Path = METADATA_CSV) -> dict[str, dict]:
    """The metadata table in data/: file (its path relative to the project, e.g. seeds/x.txt) -> its row."""
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
RESERVED_SLUGS = {"articles", "corpus"}  # data/articles/ holds input articles, data/corpus/ the corpus stores


def check_slug(slug: str, where: str) -> str:
    """The slug itself if it is safe as a folder name, else an ArticleError naming where it came from."""
    if not SLUG_PATTERN.fullmatch(slug) or len(slug) > 80 or slug in RESERVED_SLUGS:
        suggestion = slugify(slug) or "my-article"
        suggestion = f"{suggestion}-news" if suggestion in RESERVED_SLUGS else suggestion
        raise ArticleError(
            f"{where}: slug {slug!r} is not allowed. Use lower-case letters, digits and '-' only, at most 80 "
            f"characters, and not {', '.join(sorted(RESERVED_SLUGS))} (for example {suggestion!r})."
        )
    return slug
