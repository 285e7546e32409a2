"""How the project is kept: a small front door, short notebook cells, documented and typed functions."""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil

import helpers
import newslab
import run
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_CELL_LINES = 15
HELPERS_MAX_LINES = 150
WORKED_EXAMPLE = ("01_load_article.ipynb", "worked-example")  # the one figure drawn in a notebook, on purpose


def code_cells(path):
    """(tags, source) of every code cell of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["metadata"].get("tags", []), "".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]


def package_modules():
    """Every module of the newslab package, imported."""
    names = ["newslab"] + [m.name for m in pkgutil.walk_packages(newslab.__path__, "newslab.")]
    return [importlib.import_module(name) for name in names]


def test_no_notebook_code_cell_is_a_wall():
    for path in NOTEBOOKS:
        for tags, source in code_cells(path):
            if (path.name, WORKED_EXAMPLE[1]) == WORKED_EXAMPLE and WORKED_EXAMPLE[1] in tags:
                continue
            lines = len(source.splitlines())
            assert lines <= MAX_CELL_LINES, f"{path.name}: a code cell of {lines} lines:\n{source[:300]}"
    assert any(WORKED_EXAMPLE[1] in tags for tags, _ in code_cells(ROOT / "notebooks" / WORKED_EXAMPLE[0]))


def test_no_code_cell_is_copied_across_notebooks():
    seen: dict[str, str] = {}
    for path in NOTEBOOKS:
        for tags, source in code_cells(path):
            if "parameters" in tags:
                continue  # the one cell every notebook shares on purpose: papermill fills it in
            assert source not in seen, f"the same code cell in {seen.get(source)} and {path.name}:\n{source}"
            seen[source] = path.name


def test_every_notebook_sets_up_in_one_call_and_names_the_article_file():
    for path in NOTEBOOKS:
        cells = code_cells(path)
        parameters = [source for tags, source in cells if "parameters" in tags]
        # An article's notebook names its article file; the corpus notebook names its corpus.
        name, start = (("corpus_name = ", "helpers.start_corpus(") if path.name in run.CORPUS_NOTEBOOKS
                       else ("article_file = ", "helpers.start("))
        assert len(parameters) == 1 and name in parameters[0], path.name
        assert sum(start in source for _, source in cells) == 1, path.name
        assert not any("matplotlib.pyplot" in source for _, source in cells) or path.name == WORKED_EXAMPLE[0], (
            f"{path.name} imports pyplot: its figures belong in newslab/plots.py")


def test_helpers_is_small_and_explicit():
    source = (ROOT / "helpers.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) <= HELPERS_MAX_LINES
    tree = ast.parse(source)
    assert not any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
                   for node in ast.walk(tree)), "helpers.py imports explicitly, never with *"
    assert len(helpers.__all__) == len(set(helpers.__all__))
    for name in helpers.__all__:
        value = getattr(helpers, name)
        if inspect.isfunction(value):
            assert name in helpers.__doc__, f"{name} is exported but not in helpers.py's table of who uses what"


def test_every_name_a_notebook_uses_is_in_the_front_door():
    for path in NOTEBOOKS:
        for _, source in code_cells(path):
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "helpers":
                    assert node.attr in helpers.__all__, f"{path.name} uses helpers.{node.attr}, not exported"


def test_every_module_and_function_is_documented_and_typed():
    for module in package_modules() + [helpers]:
        assert module.__doc__ and module.__doc__.strip(), f"{module.__name__} has no docstring"
        for name, value in vars(module).items():
            if not inspect.isfunction(value) or value.__module__ != module.__name__:
                continue
            assert value.__doc__ and value.__doc__.strip(), f"{module.__name__}.{name} has no docstring"
            signature = inspect.signature(value)
            untyped = [p for p in signature.parameters.values() if p.annotation is inspect.Parameter.empty]
            assert not untyped, f"{module.__name__}.{name}: parameters without type hints: {untyped}"
            assert signature.return_annotation is not inspect.Signature.empty, f"{module.__name__}.{name}: returns?"


def test_module_docstrings_say_which_notebook_uses_them():
    for module in package_modules():
        if module.__name__ in ("newslab", "newslab.paths", "newslab.errors") or module.__name__.startswith(
                "newslab.dates."):
            continue  # used by every notebook, or parts of the date resolver whose package docstring says so
        assert "notebook" in module.__doc__.lower(), f"{module.__name__}: which notebook uses it?"
