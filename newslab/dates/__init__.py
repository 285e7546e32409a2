"""The date resolver: temporal expressions normalised to TIMEX3 values against the publication date (notebook 04).

How it works, in four steps (find.py puts them together):
  1. Candidates: every pattern in TIMEX_RULES is run over the text; overlapping matches keep the longest.
     Patterns, not spaCy's DATE/TIME entities, find the expressions: on TBAQ the entities the patterns miss are
     mostly ages and numbers ("44-year-old", "52"): 130 of 186 are no timex at all, and none comes with a value.
  2. Tense: for weekdays, months and seasons the spaCy parse gives the tense of the governing verb
     (past / present / future), which decides "the last Wednesday" or "the next Wednesday".
  3. Value: each rule turns its match into (type, value, mod). Values are TIMEX3 strings at their own
     granularity: 2018-03-21 (day), 2018-03 (month), 2018 (year), 201 (decade), 2018-Q1, 2018-W12,
     2018-SU (season), 2018-03-13TEV (evening), P3Y (duration), PAST_REF / PRESENT_REF / FUTURE_REF.
     Missing parts are never filled from the DCT: "mid-March" is the month 2018-03 with mod MID.
  4. Anaphora: "that same day", "two days later", "a week earlier" shift the last resolved calendar value in the
     text (across paragraphs), not the DCT; "ago", "last week", "yesterday" shift the DCT.
"since 2014": the span is "2014" (as in TimeML, the preposition is a signal, not part of the expression);
the value is 2014 and mod is ON_OR_AFTER ("until 2014" gives ON_OR_BEFORE), so sorting puts it at 2014-01-01.
Public: find_timexes(text, dct, doc=None), timex_sort_key(value, mod), timex_granularity(value),
timex_period(value), timex_text(value) (as a reader writes it), shift_value(value, amount, unit).
bench/timex_bench.py scores them against TimeBank/AQUAINT.

Modules: vocabulary (the words), values (TIMEX3 values as calendar periods), tense (from the parse), rules (one
function per kind of expression) and find (find_timexes).
"""
from newslab.dates.find import find_timexes, joined_starts
from newslab.dates.values import shift_value, timex_granularity, timex_period, timex_sort_key, timex_text

__all__ = ["find_timexes", "joined_starts", "shift_value", "timex_granularity", "timex_period", "timex_sort_key",
           "timex_text"]
