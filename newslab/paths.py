"""The project's folders and files, so that every module names them the same way (used everywhere)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the project folder, where helpers.py lives
SEED = ROOT / "seeds" / "000_dc8b8b8b1f23bca8.txt"
METADATA_CSV = ROOT / "data" / "metadata.csv"
