"""The CAMEO cue tables (notebook 04): PETRARCH2's verb dictionary and the Goldstein scale, derived into small CSV
files in data/, loaded into a lookup by lemma, and a verb with its parsed arguments matched to its CAMEO event.

Rebuild the derived tables (data/cameo_verbs.md says what each column is):
    python -m newslab.cameo --source ../shared/cameo --out data/

How the dictionary is read follows PETRARCH2 (PETRreader.read_verb_dictionary): a verb's default code is its own
[code] or its block's; patterns belong to a block (keyed by the block's label) and apply to every verb of it; a
verb form listed twice keeps its first entry (a block left with no verb of its own has no patterns in the tables);
a pattern repeated in a block keeps its last code.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DICTIONARY_FILE = "CAMEO.2.0.txt"
GOLDSTEIN_FILE = "goldstein.tsv"
CODES_CSV, VERBS_CSV, PATTERNS_CSV, SYNSETS_CSV = ("cameo_codes.csv", "cameo_verbs.csv", "cameo_patterns.csv",
                                                   "cameo_synsets.csv")
SUPPLEMENT_CSV = "tension_supplement.csv"
CODE_COLUMNS = ["cameo_code", "cameo_event", "goldstein", "weight"]
VERB_COLUMNS = ["lemma", "particles", "block", *CODE_COLUMNS, "line"]
PATTERN_COLUMNS = ["block", "subject", "object", "preposition", *CODE_COLUMNS, "line"]
SYNSET_COLUMNS = ["synset", "member"]
SUPPLEMENT_COLUMNS = ["lemma", "pos", "weight", "cameo_code", "cameo_event", "goldstein", "source"]
# The twenty top-level categories of the CAMEO codebook (Schrodt 2012, CAMEO 1.1b3): a code's event name is its
# category's (neither the dictionary nor the Goldstein file names the finer codes).
ROOT_EVENTS = {
    "01": "MAKE PUBLIC STATEMENT", "02": "APPEAL", "03": "EXPRESS INTENT TO COOPERATE", "04": "CONSULT",
    "05": "ENGAGE IN DIPLOMATIC COOPERATION", "06": "ENGAGE IN MATERIAL COOPERATION", "07": "PROVIDE AID",
    "08": "YIELD", "09": "INVESTIGATE", "10": "DEMAND", "11": "DISAPPROVE", "12": "REJECT", "13": "THREATEN",
    "14": "PROTEST", "15": "EXHIBIT FORCE POSTURE", "16": "REDUCE RELATIONS", "17": "COERCE", "18": "ASSAULT",
    "19": "FIGHT", "20": "USE UNCONVENTIONAL MASS VIOLENCE",
}
PARTS = ("subject", "object", "preposition")  # the parts of a pattern, as match_cue's bags name them
ACTOR_MARKS = {"$", "+", "%", "^"}  # source, target, compound actor, skipped phrase: not words the parse can check
CODE = re.compile(r"\[([^\]]*)\]")
WORD_OR_SYNSET = re.compile(r"&[A-Za-z0-9_]+|[^_&-]+")  # 'FIGHTER_&AIRCRAFT' -> FIGHTER, &AIRCRAFT; '_' joins words


@dataclass(frozen=True)
class Cues:
    """The loaded tables: verbs and supplement rows by lemma, patterns by block, synset members by name."""

    verbs: dict[str, list[dict]]
    patterns: dict[str, list[dict]]
    synsets: dict[str, list[frozenset[str]]]
    supplement: dict[str, list[dict]]
    codes: dict[str, dict]
    # block -> (patterns that need no plain word, (part, word) -> patterns whose first plain word it can be)
    pattern_index: dict[str, tuple[list[dict], dict[tuple[str, str], list[dict]]]]


def word_key(word: str) -> str:
    """A word as the matcher compares it: lower case, a regular plural '-s' / '-ies' / '-es' taken off."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as", "os")):
        return word[:-1]
    return word


def first_code(text: str) -> str:
    """The event code of a dictionary '[...]': '[042:043]' -> '042', '[:173]' -> '173', '[---]' -> '' (no event)."""
    parts = [part.strip().rstrip("!") for part in text.split(":")]
    code = next((part for part in parts if part), "")
    return "" if code.startswith("-") else code


def read_goldstein(path: Path) -> dict[str, float]:
    """The Goldstein score of every CAMEO code in goldstein.tsv (codes kept as strings: '010' is not '10')."""
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t")
    return {row["cameo_code"].strip(): float(row["goldstein"]) for row in rows}


def goldstein_of(code: str, scores: dict[str, float]) -> float:
    """The Goldstein score of code, or of its nearest parent code when the scale does not list it ('1712' -> '171')."""
    for end in range(len(code), 1, -1):
        if code[:end] in scores:
            return scores[code[:end]]
    raise ValueError(f"CAMEO code {code!r} has no Goldstein score, nor has any parent code")


def code_fields(code: str, scores: dict[str, float]) -> dict[str, str]:
    """cameo_code, cameo_event, goldstein and weight (= -goldstein/10) of a code, all empty for the null code."""
    if not code:
        return dict.fromkeys(CODE_COLUMNS, "")
    score = goldstein_of(code, scores)
    weight = round(-score / 10, 2) + 0.0  # + 0.0: no '-0.00'
    return {"cameo_code": code, "cameo_event": ROOT_EVENTS[code[:2]], "goldstein": f"{score:.1f}",
            "weight": f"{weight:.2f}"}


def pattern_words(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The noun words and the prepositional-phrase words of one side of a pattern, lower case; synsets kept as &SET."""
    nouns: list[str] = []
    prepositions: list[str] = []
    in_phrase = False
    for token in tokens:
        opens, closes = token.startswith("("), token.endswith(")")
        in_phrase = in_phrase or opens
        bare = token.strip("(){}")
        if bare and bare not in ACTOR_MARKS:
            words = [w.upper() if w.startswith("&") else w.lower() for w in WORD_OR_SYNSET.findall(bare)]
            (prepositions if in_phrase else nouns).extend(words)
        if closes:
            in_phrase = False
    return nouns, prepositions


def parse_verb_line(line: str) -> tuple[str, str, str] | None:
    """(lemma, particles, own code) of a verb line ('+SHUT_DOWN {...} [160]' -> ('shut', 'down', '160'))."""
    text = line.split("#")[0]
    code_match = CODE.search(text)
    words = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", text).split()
    if not words:
        return None
    parts = [part for part in words[0].split("_") if part]
    at = next((i for i, part in enumerate(parts) if part.startswith("+")), 0)
    particles = [part.lstrip("+").lower() for i, part in enumerate(parts) if i != at]
    return parts[at].lstrip("+").lower(), " ".join(particles), first_code(code_match.group(1)) if code_match else None


def parse_dictionary(text: str) -> tuple[list[dict], list[dict], list[dict]]:
    """Verbs, patterns and synset members of the CAMEO verb dictionary, as rows with raw codes (line numbers kept)."""
    verbs: list[dict] = []
    patterns: dict[tuple, dict] = {}
    synsets: list[dict] = []
    in_synsets, synset, block, block_code = True, "", "", ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if line.startswith("####### VERB PATTERNS"):
            in_synsets = False
        if not stripped or line.startswith(("#", "<!", "~")):
            continue  # comments, blank lines, and the transformations (about whole clauses, not one verb)
        if in_synsets:
            if line.startswith("&"):
                synset = stripped.split()[0]
            elif line.startswith("+") and synset:
                words = [w.lower() for w in re.split(r"[_\s-]", stripped.split("#")[0][1:]) if w]
                synsets.append({"synset": synset, "member": " ".join(words)})
        elif line.startswith("---"):
            block = stripped.split()[1]
            code_match = CODE.search(stripped)
            block_code = first_code(code_match.group(1)) if code_match else ""
        elif line.startswith("-"):
            body = line[1:].split("#")[0]
            code_match = CODE.search(body)
            if "*" not in body or not code_match:
                continue
            before, after = CODE.sub(" ", body).split("*", 1)
            subject, pre_prepositions = pattern_words(before.split())
            objects, post_prepositions = pattern_words(after.split())
            row = {"block": block, "subject": " ".join(subject), "object": " ".join(objects),
                   "preposition": " ".join(pre_prepositions + post_prepositions),
                   "code": first_code(code_match.group(1)), "line": number}
            if row["subject"] or row["object"] or row["preposition"]:
                patterns[(block, row["subject"], row["object"], row["preposition"])] = row  # the last one stays
        elif (verb := parse_verb_line(line)) is not None:
            lemma, particles, own_code = verb
            verbs.append({"lemma": lemma, "particles": particles, "block": block,
                          "code": block_code if own_code is None else own_code, "line": number})
    return verbs, list(patterns.values()), synsets


def derive_tables(source: Path) -> dict[str, str]:
    """The derived CSV files (file name -> text) from a folder holding CAMEO.2.0.txt and goldstein.tsv."""
    missing = [name for name in (DICTIONARY_FILE, GOLDSTEIN_FILE) if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{source} has no {' nor '.join(missing)}: point --source at the cameo folder")
    scores = read_goldstein(source / GOLDSTEIN_FILE)
    verbs, patterns, synsets = parse_dictionary((source / DICTIONARY_FILE).read_text(encoding="utf-8"))
    first_verbs: dict[tuple[str, str], dict] = {}
    for verb in verbs:
        first_verbs.setdefault((verb["lemma"], verb["particles"]), verb)  # PETRARCH keeps a form's first entry
    blocks = {verb["block"] for verb in first_verbs.values()}
    patterns = [row for row in patterns if row["block"] in blocks]  # a block whose every verb is listed earlier
    used_codes = sorted({row["code"] for row in verbs + patterns if row["code"]} | set(scores))
    tables = {
        CODES_CSV: (CODE_COLUMNS, [code_fields(code, scores) for code in used_codes]),
        VERBS_CSV: (VERB_COLUMNS, [{**verb, **code_fields(verb["code"], scores)}
                                   for _, verb in sorted(first_verbs.items())]),
        PATTERNS_CSV: (PATTERN_COLUMNS, [{**row, **code_fields(row["code"], scores)}
                                         for row in sorted(patterns, key=lambda r: (r["block"], r["line"]))]),
        SYNSETS_CSV: (SYNSET_COLUMNS, sorted({tuple(m.values()): m for m in synsets}.values(),
                                             key=lambda m: (m["synset"], m["member"]))),
    }
    return {name: csv_text(columns, rows) for name, (columns, rows) in tables.items()}


def csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    """rows as CSV text with these columns: LF line ends, minimal quoting, extra keys left out."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_tables(source: Path, out: Path) -> list[Path]:
    """Derive the tables from source and write them into out (UTF-8, LF); the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in derive_tables(source).items():
        (out / name).write_bytes(text.encode("utf-8"))
        written.append(out / name)
    return written


def read_rows(path: Path) -> list[dict]:
    """Every row of a CSV file as a dict of strings (empty cells stay '')."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def requirement(words: str) -> list[str]:
    """A pattern cell as the matcher needs it: word keys ('by/with': either word), synset names as they are."""
    return [word if word.startswith("&") else "/".join(map(word_key, word.split("/"))) for word in words.split()]


def load_cues(data_dir: str | Path) -> Cues:
    """The derived CAMEO tables and the supplement in data_dir, loaded into lookups keyed by lemma and block."""
    data_dir = Path(data_dir)
    names = (CODES_CSV, VERBS_CSV, PATTERNS_CSV, SYNSETS_CSV, SUPPLEMENT_CSV)
    missing = [n for n in names if not (data_dir / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{data_dir} has no {', '.join(missing)}: see data/cameo_verbs.md to rebuild them")
    verbs: dict[str, list[dict]] = {}
    for row in read_rows(data_dir / VERBS_CSV):
        verbs.setdefault(row["lemma"], []).append({**row, "needs": requirement(row["particles"])})
    patterns: dict[str, list[dict]] = {}
    for row in read_rows(data_dir / PATTERNS_CSV):
        needs = {part: requirement(row[part]) for part in PARTS}
        patterns.setdefault(row["block"], []).append({**row, "needs": needs})
    synsets: dict[str, list[frozenset[str]]] = {}
    for row in read_rows(data_dir / SYNSETS_CSV):
        synsets.setdefault(row["synset"], []).append(frozenset(word_key(w) for w in row["member"].split()))
    supplement: dict[str, list[dict]] = {}
    for row in read_rows(data_dir / SUPPLEMENT_CSV):
        supplement.setdefault(row["lemma"].lower(), []).append(row)
    codes = {row["cameo_code"]: row for row in read_rows(data_dir / CODES_CSV)}
    return Cues(verbs, patterns, synsets, supplement, codes, {block: index_patterns(rows)
                                                              for block, rows in patterns.items()})


def index_patterns(rows: list[dict]) -> tuple[list[dict], dict[tuple[str, str], list[dict]]]:
    """A block's patterns, each filed under the words one of its plain needs can be (a pattern can only fit when
    one of them is present), or among those that need no plain word (synsets only, or nothing)."""
    always: list[dict] = []
    by_word: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        need = next(((part, need) for part in PARTS for need in row["needs"][part] if not need.startswith("&")), None)
        if need is None:
            always.append(row)
            continue
        for word in need[1].split("/"):
            by_word.setdefault((need[0], word), []).append(row)
    return always, by_word


def satisfied(needs: list[str], words: frozenset[str], synsets: dict[str, list[frozenset[str]]]) -> bool:
    """Whether every needed word is among words (a synset: all the words of one of its members; 'a/b': a or b)."""
    return all(any(member <= words for member in synsets.get(need, [])) if need.startswith("&")
               else any(word in words for word in need.split("/")) for need in needs)


def cue_row(row: dict, matched: str, lemma: str, verb: dict | None = None) -> dict:
    """A matched row as match_cue returns it: lemma, code, event, Goldstein, weight, what matched and its source."""
    goldstein = float(row["goldstein"]) if row["goldstein"] else float("nan")
    line = int(row["line"]) if row.get("line") else None
    source = row.get("source") or f"PETRARCH2 CAMEO.2.0.txt line {line}"
    return {"lemma": lemma, "cameo_code": row["cameo_code"], "cameo_event": row["cameo_event"],
            "goldstein": goldstein, "weight": float(row["weight"]), "matched": matched,
            "block": verb["block"] if verb else "", "particles": verb["particles"] if verb else "",
            "line": line, "source": source}


def match_cue(cues: Cues, lemma: str, object_lemmas: Iterable[str] = (), preposition_words: Iterable[str] = (),
              subject_lemmas: Iterable[str] = ()) -> dict | None:
    """The CAMEO event of a verb with its parsed arguments: the most specific pattern whose words are all present,
    else the verb's default code, else the supplement's VERB row; None when none of them is an event.

    object_lemmas: lemmas of what the verb governs outside prepositional phrases (objects, particles,
    complements, and their modifiers); preposition_words: the prepositions on the verb and the lemmas of their
    phrases; subject_lemmas: the subject phrase's lemmas. A null-coded pattern ('killed in an accident') means
    no CAMEO event; ties between equally specific patterns go to the later dictionary line."""
    lemma = lemma.lower()
    bags = {"object": frozenset(map(word_key, object_lemmas)),
            "preposition": frozenset(map(word_key, preposition_words)),
            "subject": frozenset(map(word_key, subject_lemmas))}
    after = bags["object"] | bags["preposition"]
    entries = [row for row in cues.verbs.get(lemma, []) if satisfied(row["needs"], after, cues.synsets)]
    verb = max(entries, key=lambda row: (len(row["needs"]), -int(row["line"])), default=None)
    best = None
    if verb is not None:
        always, by_word = cues.pattern_index.get(verb["block"], ([], {}))
        candidates = always + [row for part, words in bags.items() for word in words
                               for row in by_word.get((part, word), [])]
        fitting = [row for row in candidates
                   if all(satisfied(row["needs"][part], bags[part], cues.synsets) for part in bags)]
        best = max(fitting, key=lambda row: (sum(map(len, row["needs"].values())), int(row["line"])), default=None)
    if best is not None and best["cameo_code"]:
        return cue_row(best, "pattern", lemma, verb)
    if best is None and verb is not None and verb["cameo_code"]:
        return cue_row(verb, "verb", lemma, verb)
    return supplement_cue(cues, lemma, "VERB")


def supplement_cue(cues: Cues, lemma: str, pos: str) -> dict | None:
    """The supplement's row for a lemma with this part of speech (VERB, NOUN, ADJ), or None."""
    row = next((r for r in cues.supplement.get(lemma.lower(), []) if r["pos"] == pos), None)
    return None if row is None else cue_row(row, "supplement", row["lemma"])


def main(argv: list[str] | None = None) -> int:
    """Command line: derive the tables from --source (the cameo folder) into --out; one line on bad input."""
    parser = argparse.ArgumentParser(prog="python -m newslab.cameo", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("../shared/cameo"), help="folder with CAMEO.2.0.txt")
    parser.add_argument("--out", type=Path, default=Path("data"), help="where the derived CSV files go")
    args = parser.parse_args(argv)
    try:
        written = write_tables(args.source, args.out)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path}: {path.read_text(encoding='utf-8').count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
