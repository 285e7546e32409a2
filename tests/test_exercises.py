"""The "Try it yourself" sections: every solution satisfies its check, and no check gives its answer away."""
from __future__ import annotations

import contextlib
import io
import json
import re

import matplotlib
import pandas as pd
import pytest

from conftest import ROOT
from newslab import exercises

import run

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Run here on the project's own outputs; the corpus notebook needs a corpus store: tests/test_corpus.py runs it.
RUNNABLE = run.notebooks()
CHECK_CALL = re.compile(r"helpers\.exercises\.(check_\w+)\(")


def cells(path):
    """(tags, source) of every code cell of a notebook, in order."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["metadata"].get("tags", []), "".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]


def with_solutions_first(code):
    """The cells in running order with every solution cell moved to just after the cell that sets the answers."""
    solutions = [source for tags, source in code if "solution" in tags]
    ordered = []
    for tags, source in code:
        if "solution" in tags:
            continue
        ordered.append((tags, source))
        if "answers" in tags:
            ordered += [(["solution"], source) for source in solutions]
    return ordered


def run_cells(code, out_root):
    """Execute cells in one namespace (as bench/bare_run.py does); the printed output of each check cell."""
    namespace = {"__name__": "__main__", "display": lambda *args, **kwargs: None}
    printed = []
    for tags, source in code:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(source, "<cell>", "exec"), namespace)
        if "parameters" in tags:
            namespace["out_root"] = str(out_root)
        if CHECK_CALL.search(source):
            printed.append((source, buffer.getvalue()))
    return printed


def test_every_exercise_has_a_solution_and_a_silent_check():
    for path in NOTEBOOKS:
        code = cells(path)
        answers = [source for tags, source in code if "answers" in tags]
        assert len(answers) == 1, f"{path.name}: one cell tagged 'answers' sets every answer_N"
        numbers = set(re.findall(r"^answer_(\d+) = None", answers[0], re.M))
        solved = {n for tags, source in code if "solution" in tags for n in re.findall(r"^answer_(\d+) = ", source,
                                                                                       re.M)}
        assert numbers and numbers <= solved, f"{path.name}: answers {numbers}, solutions for {solved}"
        markdown = json.loads(path.read_text(encoding="utf-8"))["cells"]
        exercise_count = max(int(n) for c in markdown if c["cell_type"] == "markdown"
                             for n in re.findall(r"^(\d)\. ", "".join(c["source"]), re.M) if "Try it" in
                             "".join(c["source"]))
        assert sum("solution" in tags for tags, _ in code) >= exercise_count, f"{path.name}: a solution each"
        for _, source in code:
            if CHECK_CALL.search(source):
                assert "expected" not in source and "print(" not in source, f"{path.name}: a check shows its work"


def test_every_notebook_with_its_solutions_passes_its_checks(tmp_path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT / "notebooks")
    for path in RUNNABLE:
        printed = run_cells(with_solutions_first(cells(path)), tmp_path)
        calls = sum(len(CHECK_CALL.findall(source)) for source, _ in printed)
        verdicts = "".join(output for _, output in printed)
        assert calls and verdicts.count("Correct!") == calls, f"{path.name}:\n{verdicts}"
        assert "Not quite" not in verdicts and "set answer_" not in verdicts, f"{path.name}:\n{verdicts}"


def test_every_notebook_without_answers_asks_for_them(tmp_path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT / "notebooks")
    for path in RUNNABLE:
        code = [(tags, source) for tags, source in cells(path) if "solution" not in tags]
        verdicts = "".join(output for _, output in run_cells(code, tmp_path))
        assert "Correct!" not in verdicts and "set answer_" in verdicts, f"{path.name}:\n{verdicts}"


def verdict(check, *args):
    """What a check prints, and what it returns."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = check(*args)
    return buffer.getvalue(), result


PARAGRAPHS = pd.DataFrame({"paragraph": [0, 1, 2, 3], "kind": ["title", "body", "body", "body"],
                           "n_sentences": [1, 2, 7, 3]})


@pytest.mark.parametrize(("answer", "said", "result"), [
    (None, "set answer_1 above", False), (2, "Correct!", True), (3, "Not quite.", False), (0, "Not quite.", False)])
def test_a_check_says_right_or_wrong_and_never_prints_the_answer(answer, said, result):
    printed, returned = verdict(exercises.check_most_sentences, answer, PARAGRAPHS)
    assert said in printed and returned is result
    if answer != 2:
        assert "2" not in printed.replace("answer_1", "")  # the right paragraph number is never shown


def test_checks_on_made_up_tables():
    entities = pd.DataFrame({"paragraph": [1, 1, 2, 2, 2], "canonical": ["Oslo", "Oslo", "Oslo", "Rome", "Bern"],
                             "canonical_label": ["GPE"] * 5})
    assert verdict(exercises.check_most_distinct_gpes, 2, entities)[1]
    assert not verdict(exercises.check_most_distinct_gpes, 1, entities)[1]  # more mentions, fewer distinct
    canonical = pd.DataFrame({"label": ["PERSON", "PERSON", "ORG"]})
    assert verdict(exercises.check_person_count, 2, canonical)[1]
    sentences = pd.DataFrame({"paragraph": [1, 1, 2], "sentence": [0, 1, 0], "polarity": [0.1, -0.4, -0.4]})
    assert verdict(exercises.check_most_negative_sentence, (2, 0), sentences)[1]  # a tie: either is right
    assert verdict(exercises.check_most_negative_sentence, [1, 1], sentences)[1]
    assert not verdict(exercises.check_most_negative_sentence, (1, 0), sentences)[1]
    scores = pd.DataFrame({"canonical": ["A", "B"], "mean_polarity": [0.2, -0.1], "sentences": [3, 1]})
    assert verdict(exercises.check_lowest_entity, ("B", 1), scores)[1]
    assert not verdict(exercises.check_lowest_entity, ("B", 3), scores)[1]
    printed, _ = verdict(exercises.check_lowest_entity, ("A", 3), scores)
    assert "B" not in printed.replace("But", "")
    articles = pd.DataFrame({"slug": ["a", "b"], "words": [10, "-"], "published": ["2020-01-01", "2021-01-01"]})
    assert verdict(exercises.check_most_words, "a", articles)[1]
    assert verdict(exercises.check_published_before, 1, articles, "2020-06-01")[1]
    assert not verdict(exercises.check_published_before, 2, articles, "2020-06-01")[1]


def test_rewrite_check_needs_a_positive_score_and_half_the_words():
    sentence = "The air base was hit by missiles."
    assert not verdict(exercises.check_positive_rewrite, sentence, sentence)[1]  # still negative
    assert not verdict(exercises.check_positive_rewrite, "A very good day.", sentence)[1]  # too few words kept
    printed, ok = verdict(exercises.check_positive_rewrite, "The air base was hit by missiles, an excellent outcome.",
                          sentence)
    assert ok and "excellent" in printed


def test_peak_check_recomputes_with_the_changed_cue():
    timeline = pd.DataFrame({"matches": [[{"cue": "attack"}], [{"cue": "talk"}], []]})

    def peak_date(weights):
        """Made-up peak: 'March' while attack weighs anything, else 'May'."""
        return "May" if weights.get("attack", 1.0) == 0 else "March"

    assert verdict(exercises.check_peak_moving_cue, "attack", timeline, peak_date)[1]
    assert verdict(exercises.check_peak_moving_cue, {"attack": 0.0, "talk": 0.5}, timeline, peak_date)[1]
    assert not verdict(exercises.check_peak_moving_cue, {"talk": 0.0}, timeline, peak_date)[1]
    printed, ok = verdict(exercises.check_peak_moving_cue, "warn", timeline, peak_date)
    assert not ok and "not a cue" in printed
    printed, ok = verdict(exercises.check_peak_moving_cue, {"attack": 5}, timeline, peak_date)
    assert not ok and "from -1 to 1" in printed