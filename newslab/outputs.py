"""Where each article's tables and figures go (data/<slug>/, figures/<slug>/), and how output files are written:
to a temporary file beside the target, then renamed into place, so no reader ever sees half a file (every notebook,
run.py)."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def output_dirs(out_root: str | Path, slug: str) -> tuple[Path, Path]:
    """Create and return (data/<slug>, figures/<slug>) under out_root."""
    data_dir = Path(out_root) / "data" / slug
    figure_dir = Path(out_root) / "figures" / slug
    data_dir.mkdir(parents=True, exist_ok=True)
    figure_dir.mkdir(parents=True, exist_ok=True)
    return data_dir, figure_dir


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed onto `path` when the block ends well, else removed."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(text: str, path: str | Path) -> Path:
    """Write UTF-8 text to path atomically (a temporary file beside it, then renamed into place)."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(obj: dict, path: Path) -> Path:
    """Write a dict as stable, sorted, UTF-8 JSON, atomically."""
    return write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", path)


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a DataFrame as UTF-8 CSV without the index, with '\\n' line endings, atomically."""
    with atomic_path(path) as temporary:
        table.to_csv(temporary, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)
