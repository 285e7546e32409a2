"""Where each article's tables and figures go (data/<slug>/, figures/<slug>/), and how tables are written (every
notebook)."""
from __future__ import annotations

import json
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


def write_json(obj: dict, path: Path) -> Path:
    """Write a dict as stable, sorted, UTF-8 JSON."""
    Path(path).write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(path)


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a DataFrame as UTF-8 CSV without the index, with '\\n' line endings."""
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)
