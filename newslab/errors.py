"""ArticleError, the one error for a bad article file, and warn, a warning that points at the caller (all modules)."""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

# Frames in these files are machinery: a warning points at the first caller outside them.
MACHINERY = (str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "helpers.py"))


class ArticleError(ValueError):
    """An article file that cannot be read; the message names the file and the fix."""


def warn(message: str) -> None:
    """warnings.warn, pointing at the first caller outside newslab/ and helpers.py (the notebook cell or script)."""
    level, frame = 2, sys._getframe(1)  # level 2 = warn's caller; climb while that caller is machinery
    while frame is not None and frame.f_code.co_filename.startswith(MACHINERY):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, stacklevel=level)
