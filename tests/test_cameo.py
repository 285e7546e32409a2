"""The CAMEO cue tables: rebuilt byte for byte from the dictionary, exact rows, pattern matching, the supplement."""
from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from conftest import ROOT
from newslab import cameo

DATA = ROOT / "data"
SOURCE = Path(os.environ.get("CAMEO_SOURCE", ROOT.parent / "shared" / "cameo"))
DERIVED = [cameo.CODES_CSV, cameo.VERBS_CSV, cameo.PATTERNS_CSV, cameo.SYNSETS_CSV]
needs_source = pytest.mark.skipif(
    not (SOURCE / cameo.DICTIONARY_FILE).is_file(),
    reason=f"the CAMEO source folder {SOURCE} is absent (set CAMEO_SOURCE to the folder with CAMEO.2.0.txt)")


def rows_of(name: str) -> list[dict]:
    """The rows of one committed data file."""
    return cameo.read_rows(DATA / name)


@pytest.fixture(scope="module")
def cues() -> cameo.Cues:
    """The committed tables, loaded."""
    return cameo.load_cues(DATA)


@needs_source
def test_the_derived_tables_rebuild_byte_for_byte_from_the_source(tmp_path, capsys):
    assert cameo.main(["--source", str(SOURCE), "--out", str(tmp_path)]) == 0
    for name in DERIVED:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), f"{name} differs from a rebuild"
    assert f"{cameo.VERBS_CSV}: 1779 rows" in capsys.readouterr().out


def test_a_folder_without_the_dictionary_gets_one_clear_line(tmp_path, capsys):
    assert cameo.main(["--source", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has no CAMEO.2.0.txt nor goldstein.tsv" in err
    with pytest.raises(FileNotFoundError, match="cameo_verbs.md"):
        cameo.load_cues(tmp_path)


def test_the_tables_are_small_sorted_lf_utf8():
    total = 0
    for name in DERIVED + [cameo.SUPPLEMENT_CSV]:
        raw = (DATA / name).read_bytes()
        total += len(raw)
        assert b"\r" not in raw and raw.endswith(b"\n")
        raw.decode("utf-8")
    assert total < 1_000_000
    verbs = [(r["lemma"], r["particles"]) for r in rows_of(cameo.VERBS_CSV)]
    assert verbs == sorted(verbs) and len(verbs) == len(set(verbs))
    patterns = [(r["block"], int(r["line"])) for r in rows_of(cameo.PATTERNS_CSV)]
    assert patterns == sorted(patterns)
    blocks = {r["block"] for r in rows_of(cameo.VERBS_CSV)}
    assert {block for block, _ in patterns} <= blocks  # every pattern belongs to a block some verb is in


@pytest.mark.parametrize("lemma, particles, row", [
    ("kill", "", "KILL,190,FIGHT,-10.0,1.00,8817"),
    ("arrest", "", "APPREHEND,173,COERCE,-5.0,0.50,8134"),
    ("meet", "", "MEET_PEOPLE,040,CONSULT,1.0,-0.10,5435"),
    ("meet", "with", "MEET_PEOPLE,040,CONSULT,1.0,-0.10,5427"),
    ("accuse", "", "BLAME,112,DISAPPROVE,-2.0,0.20,7512"),
    ("threaten", "", "THREATEN,130,THREATEN,-4.4,0.44,7686"),
    ("sign", "", "SIGN,,,,,3624"),  # no event by itself: only its patterns (a treaty, a deal) code it
    ("shoot", "down", "KILL,190,FIGHT,-10.0,1.00,8810"),
    ("abandon", "", "EVACUATE,,,,,1796"),  # listed twice: the first entry stays, as in PETRARCH2
])
def test_known_verbs_have_their_dictionary_rows(lemma, particles, row):
    found = [r for r in rows_of(cameo.VERBS_CSV) if (r["lemma"], r["particles"]) == (lemma, particles)]
    assert [",".join(list(r.values())[2:]) for r in found] == [row]


def test_codes_carry_goldstein_and_the_weight_is_minus_a_tenth_of_it():
    codes = {r["cameo_code"]: r for r in rows_of(cameo.CODES_CSV)}
    assert codes["190"] == {"cameo_code": "190", "cameo_event": "FIGHT", "goldstein": "-10.0", "weight": "1.00"}
    assert codes["057"]["weight"] == "-0.80" and codes["010"]["weight"] == "0.00"  # never '-0.00'
    assert codes["1712"]["goldstein"] == codes["171"]["goldstein"] == "-9.2"  # listed on the scale
    assert codes["1213"]["goldstein"] == codes["121"]["goldstein"]  # not listed: its parent's score
    assert {"010", "10"} <= set(codes) and codes["10"]["cameo_event"] == "DEMAND"


@pytest.mark.parametrize("lemma, objects, prepositions, subjects, code, matched", [
    ("kill", [], [], [], "190", "verb"),
    ("kill", ["demonstrator"], [], [], "175", "pattern"),
    ("kill", ["protesters", "demonstrators"], [], [], "175", "pattern"),  # plural lemmas still match
    ("kill", [], ["in", "accident"], [], "18", "supplement"),  # CAMEO: no event; the supplement's harm
    ("kill", [], [], ["flood"], "18", "supplement"),
    ("meet", [], ["for", "talks"], [], "036", "pattern"),
    ("meet", [], ["with"], [], "040", "verb"),
    ("meet", ["criticism"], [], [], "111", "pattern"),
    ("face", ["charges"], [], [], "112", "pattern"),
    ("sign", [], [], [], None, None),
    ("sign", ["letter"], [], [], None, None),
    ("sign", ["peace", "deal"], [], [], "057", "pattern"),
    ("sign", ["defence", "pact"], ["on", "defense"], [], "0312", "pattern"),  # synsets: &TREATY, &DEFENSE
    ("sign", ["pact"], [], [], "057", "pattern"),
    ("stage", ["attack"], [], [], "190", "pattern"),
    ("stage", ["air", "raid"], ["against"], [], "195", "pattern"),  # the longer pattern wins over '* RAID'
    ("rush", ["food"], [], [], "073", "pattern"),
    ("rush", ["rifle"], [], [], "194", "pattern"),
    ("shoot", ["down"], [], [], "190", "verb"),
    ("confront", [], ["with", "protesters"], [], "040", "verb"),
    ("confront", [], ["with", "protests"], [], "141", "pattern"),  # '(BY/WITH PROTESTS)': either preposition
    ("bomb", [], [], ["rebel"], "190", "verb"),
    ("bomb", [], [], ["helicopter"], "195", "pattern"),  # a member of &AIRCRAFT
    ("flee", [], [], [], "13", "supplement"),
    ("avoid", ["attack"], [], [], None, None),
    ("teleport", ["cat"], [], [], None, None),
])
def test_match_cue_picks_the_most_specific_pattern_then_the_default(cues, lemma, objects, prepositions, subjects,
                                                                     code, matched):
    found = cameo.match_cue(cues, lemma, objects, prepositions, subjects)
    assert (found and found["cameo_code"], found and found["matched"]) == (code, matched)


def test_a_match_says_where_it_comes_from(cues):
    found = cameo.match_cue(cues, "Kill", ["demonstrators"])
    assert found == {"lemma": "kill", "cameo_code": "175", "cameo_event": "COERCE", "goldstein": -9.0,
                     "weight": 0.9, "matched": "pattern", "block": "KILL", "particles": "", "line": 8840,
                     "source": "PETRARCH2 CAMEO.2.0.txt line 8840"}
    lines = [cameo.match_cue(cues, "bomb", [], [], subject)["line"] for subject in (["jet"], ["fighter", "jet"])]
    assert lines == [8783, 8781]  # '&AIRCRAFT *', then the more specific 'FIGHTER_&AIRCRAFT *'
    assert cameo.supplement_cue(cues, "crisis", "NOUN")["weight"] == 0.4
    assert cameo.supplement_cue(cues, "crisis", "VERB") is None


def test_the_parser_on_a_made_up_dictionary():
    text = "\n".join([
        "&WEAPON", "+RIFLE", "+HAND_GRENADE", "####### VERB PATTERNS #######",
        "---  PUSH   [---]  ---", "PUSH", "SHOVE [180]", "+PUSH_BACK {+PUSHED_BACK} [080]  # a comment",
        "- * (AGAINST {POLICE LINES})  [175]  # PUSH", "- * $ &WEAPON (TO +)   [:190]", "- * $    [120]",
        "- * LINES [050]", "- * LINES [051]", "- RIOT_&WEAPON * (BY/WITH {SIT-IN})  [---]",
        "---  NUDGE   [020]  ---", "SHOVE", "NUDGE", "~ a (a b ATTACK) SAY = a b 015"])
    verbs, patterns, synsets = cameo.parse_dictionary(text)
    assert synsets == [{"synset": "&WEAPON", "member": "rifle"}, {"synset": "&WEAPON", "member": "hand grenade"}]
    assert [(v["lemma"], v["particles"], v["block"], v["code"]) for v in verbs] == [
        ("push", "", "PUSH", ""), ("shove", "", "PUSH", "180"), ("push", "back", "PUSH", "080"),
        ("shove", "", "NUDGE", "020"), ("nudge", "", "NUDGE", "020")]
    assert [(p["subject"], p["object"], p["preposition"], p["code"]) for p in patterns] == [
        ("", "", "against police lines", "175"), ("", "&WEAPON", "to", "190"), ("", "lines", "", "051"),
        ("riot &WEAPON", "", "by/with sit in", "")]


def test_word_key_takes_regular_plurals_off():
    assert [cameo.word_key(w) for w in ["Talks", "rallies", "churches", "boxes", "gas", "crisis", "us", "news"]] == [
        "talk", "rally", "church", "box", "gas", "crisis", "us", "new"]


def test_the_supplement_names_its_category_and_gives_a_reason_for_every_row():
    codes = {r["cameo_code"]: r for r in rows_of(cameo.CODES_CSV)}
    rows = rows_of(cameo.SUPPLEMENT_CSV)
    assert list(rows[0]) == cameo.SUPPLEMENT_COLUMNS
    assert len({(r["lemma"], r["pos"]) for r in rows}) == len(rows)
    for row in rows:
        assert row["source"].strip() and row["pos"] in {"VERB", "NOUN", "ADJ"}, row
        if row["cameo_code"]:
            code = codes[row["cameo_code"]]
            assert (row["cameo_event"], row["goldstein"], row["weight"]) == (
                code["cameo_event"], code["goldstein"], code["weight"]), row
        else:
            assert "scale" in row["source"], row  # no CAMEO category: the reason states the scale
        if row["goldstein"]:
            assert math.isclose(float(row["weight"]), -float(row["goldstein"]) / 10)
    lemmas = {(r["lemma"], r["pos"]) for r in rows}
    for lemma in ["danger", "crisis", "tension", "hostility", "threat", "war", "attack", "raid", "sanction",
                  "death", "outbreak", "disaster", "agreement", "talk", "ceasefire", "truce", "deal"]:
        assert (lemma, "NOUN") in lemmas, lemma
    assert {("kill", "VERB"), ("injure", "VERB"), ("deadly", "ADJ"), ("fatal", "ADJ")} <= lemmas
    conflict = {r["lemma"] for r in rows if float(r["weight"]) > 0}
    calm = {r["lemma"] for r in rows if float(r["weight"]) < 0}
    assert {"war", "death", "outbreak"} <= conflict and {"agreement", "ceasefire", "talk"} <= calm


def test_the_data_files_ship_with_a_fresh_clone():
    from conftest import PROJECT_FILES

    for name in DERIVED + [cameo.SUPPLEMENT_CSV, "cameo_verbs.md"]:
        assert f"data/{name}" in PROJECT_FILES, name
    text = (DATA / "cameo_verbs.md").read_text(encoding="utf-8")
    assert "MIT License" in text and "Goldstein" in text and "python -m newslab.cameo" in text
    for column in cameo.VERB_COLUMNS + cameo.PATTERN_COLUMNS + cameo.SUPPLEMENT_COLUMNS:
        assert f"`{column}`" in text, column
