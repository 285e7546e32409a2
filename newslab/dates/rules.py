"""The date rules: each is a name, a pattern and a function that turns a match into (type, value, mod)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import regex

from newslab.dates.values import (format_at, holiday_date, iso_week_value, month_number, number_value,
                                  quarter_year, season_year, shift_value, spoken_year_number, timex_granularity,
                                  timex_period, unit_delta, unit_name, weekday_date, without_time, year_for_month)


from newslab.dates.vocabulary import (APPROX_MODS, APPROX_RE, APPROX_WORDS, CENTURY_ORDINAL_RE, CENTURY_ORDINALS,
                                      DAY_RE, DECADE_WORDS, HALF_UNITS, MOD_WORDS, MONTH_RE, NUMBER_RE,
                                      ORDINALS, PART_OF_DAY_RE, PARTS_OF_DAY, SEASONS, SPOKEN_YEAR_RE, UNIT_LETTERS,
                                      UNIT_RE, WEEKDAY_NUMBERS, WEEKDAY_RE, WORKDAY_RE, YEAR_RE)


@dataclass
class TimexContext:
    """What a rule may use to resolve a match: the DCT, the last resolved calendar value and the verb's tense."""

    dct: dt.date
    anchor: str  # the last resolved calendar value in the text (the DCT's day before any)
    tense: str | None  # "past", "present", "future" or None
    before: str = ""  # the words just before the expression ("since", "until", "$5")
    distance: int = 0  # characters between the last resolved value and this expression


# -- rules: each takes (match, context) and returns (type, value, mod) or None


def rule_iso_date(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """2018-03-13 -> the day itself."""
    try:
        return "DATE", dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat(), None
    except ValueError:
        return None


def month_day_year(m: regex.Match) -> tuple[str, int, str | None]:
    """(month word, day number, year or None) from a match written 'March 13, 2018' or '13 March 2018'."""
    if m.groupdict().get("mon2"):
        return m["mon2"], int(re.sub(r"\D", "", m["d2"])), m.groupdict().get("y2")
    return m["mon"], int(re.sub(r"\D", "", m["d"])), m.groupdict().get("y")


def rule_full_date(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'March 13, 2018' or '13 March 2018' -> 2018-03-13."""
    month, day, year = month_day_year(m)
    try:
        return "DATE", dt.date(int(year), month_number(month), day).isoformat(), None
    except ValueError:
        return None


def is_month_word(word: str) -> bool:
    """A month name written as one (capitalised): 'May' is a month, 'may' a modal verb."""
    return word[:1].isupper() and not (word.lower() in ("may", "march") and word.isupper() and len(word) > 3)


def rule_month_day(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'March 13' (no year) -> the year nearest the DCT, guided by tense ('last Oct. 23': the past)."""
    word, day, _ = month_day_year(m)
    if not is_month_word(word):
        return None
    month = month_number(word)
    which = (m.groupdict().get("which") or "").lower()
    tense = {"last": "past", "next": "future"}.get(which, ctx.tense)
    year = year_for_month(ctx.dct, month, day, tense)
    try:
        return "DATE", dt.date(year, month, day).isoformat(), None
    except ValueError:
        return None


def rule_week_of(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the week of March 6' -> the ISO week holding that day (2000-W10)."""
    day = rule_full_date(m, ctx) if m["y"] else rule_month_day(m, ctx)
    return day and ("DATE", iso_week_value(dt.date.fromisoformat(day[1])), None)


def named_year(m: regex.Match) -> int | None:
    """The year a match names in digits (group y) or in words (group spoken); None if neither."""
    if m["y"]:
        return int(m["y"])
    return spoken_year_number(m["spoken"]) if m["spoken"] else None


def rule_month_year(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'April 2017' -> 2017-04; 'early April 2017' -> 2017-04 with START."""
    if not is_month_word(m["mon"]):
        return None
    year = named_year(m) or ctx.dct.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return "DATE", f"{year:04d}-{month_number(m['mon']):02d}", period_mod(m["mod"])


def period_mod(words: str | None) -> str | None:
    """START / MID / END from 'early', 'mid-', 'the middle of', 'late', 'the end of'... (None if no such word)."""
    if not words:
        return None
    for word in re.findall(r"[a-z]+", words.lower()):
        if word in MOD_WORDS:
            return MOD_WORDS[word]
    return None


def rule_month(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'mid-March', 'last April', 'in June' -> the month nearest the DCT, guided by tense (mid- gives MID)."""
    if not is_month_word(m["mon"]) or len(m["mon"]) == 3 and m["mon"].lower() != "may":
        return None  # "Jan" alone is more often a name than a month
    month = month_number(m["mon"])
    which = (m["which"] or "").lower()
    if which == "last":
        year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
    elif which == "next":
        year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
    elif which == "this":
        year = ctx.dct.year
    else:
        year = year_for_month(ctx.dct, month, None, ctx.tense)
    return "DATE", f"{year:04d}-{month:02d}", period_mod(m["mod"])


def rule_year(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'2014', 'early 2017', 'the end of 1990', 'fiscal 1989' -> the year (with START/MID/END)."""
    year = int(m["y"])
    after_preposition = re.search(r"\b(in|since|from|until|by|before|after|of)\s*$", ctx.before, re.I)
    if not (1900 <= year <= ctx.dct.year + 30 or after_preposition) and not m["mod"] and not m["fiscal"]:
        return None  # "1,500" no; "in 1898" yes
    return "DATE", f"{year:04d}", period_mod(m["mod"])


def rule_decade(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the 1990s', 'the late 1970s', 'the nineties' -> 199, 197 with END, 199 (the latest such decade)."""
    if m["word"]:
        if not m[0].lower().startswith("the"):
            return None  # "in her forties" is an age
        decade = (ctx.dct.year // 100) * 10 + DECADE_WORDS[m["word"].lower()]
        decade -= 10 if decade * 10 > ctx.dct.year else 0
        return "DATE", f"{decade:03d}", period_mod(m["mod"])
    return "DATE", m["y"][:3], period_mod(m["mod"])


def rule_century(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the 20th century', 'the eleventh century', 'the early 19th century' -> 19, 10, 18 with START."""
    number = m["n"].lower()
    century = int(re.sub(r"\D", "", number)) if number[0].isdigit() else CENTURY_ORDINALS[number]
    return "DATE", f"{century - 1:02d}", period_mod(m["mod"])


def rule_weekday(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'on Wednesday' -> the last Wednesday on or before the DCT (past) or the next one (future).

    'next'/'this coming' and 'last'/'this past' overrule the tense; 'Wednesday night' is a TIME ending in TNI.
    """
    weekday = WEEKDAY_NUMBERS[m["wd"].lower()]
    which = " ".join((m["which"] or "").lower().split())
    tense = {"next": "future", "this coming": "future", "coming": "future", "last": "past", "this past": "past",
             "past": "past", "the previous": "past"}.get(which, ctx.tense)
    day = weekday_date(ctx.dct, weekday, tense)
    if which == "next" and day == ctx.dct:
        day += dt.timedelta(days=7)
    if which == "last" and day == ctx.dct or which == "the previous":  # "the previous Friday": the one before last
        day -= dt.timedelta(days=7)
    if m["part"]:
        return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[m['part'].lower()]}", period_mod(m["mod"])
    return "DATE", day.isoformat(), period_mod(m["mod"])


def rule_deictic_day(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'today', 'yesterday', 'tomorrow', 'tonight', 'this morning', 'last night', 'yesterday afternoon'."""
    words = m[0].lower().split()
    offset = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "last": -1, "tomorrow": 1}[words[0]]
    day = ctx.dct + dt.timedelta(days=offset)
    part = words[-1] if words[-1] in PARTS_OF_DAY else None
    if words[0] == "last" and words[-1] == "night":
        part = "night"
    if part:
        return "TIME", f"{day.isoformat()}T{PARTS_OF_DAY[part]}", None
    return "DATE", day.isoformat(), None


def rule_mid_part_of_day(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'mid-afternoon', 'mid-morning yesterday' -> TAF / TMO with MID on the last resolved day (or yesterday)."""
    if m["yesterday"]:
        day = (ctx.dct - dt.timedelta(days=1)).isoformat()
    else:
        day = without_time(ctx.anchor) if timex_granularity(ctx.anchor) in ("day", "time") else ctx.dct.isoformat()
    return "TIME", f"{day}T{PARTS_OF_DAY[m['part'].lower()]}", "MID"


def rule_relative_period(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'last week', 'this year', 'next month', 'earlier this year', 'early next year': the DCT's period, shifted."""
    unit = m["unit"].lower()
    offset = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[
        m["which"].lower().split()[-1]]
    if offset and unit in ("decade", "century") and re.search(r"\b(over|for|within|during|throughout|in)\s+the\s*$",
                                                              ctx.before, re.I):
        return "DURATION", f"P{10 if unit == 'decade' else 100}Y", None  # "over the next decade": a length
    if unit in SEASONS:  # "last fall": the latest fall not after the DCT; "next spring": the first not before it
        season = SEASONS[unit]
        year = season_year(ctx.dct, season, {-1: "past", 0: None, 1: "future"}[offset])
        return "DATE", f"{year:04d}-{season}", period_mod(m["mod"])
    return "DATE", format_at(ctx.dct + unit_delta(unit, offset), unit), period_mod(m["mod"])


def rule_season(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the summer', 'in the fall of 1998', 'spring 2017' -> 1998-FA (the year from tense when missing)."""
    year = named_year(m)
    if not (year or m["det"] or m["mod"]):
        return None  # "prices fall": a season needs "the", "in", "early"... or a year
    season = SEASONS[m["season"].lower()]
    year = year or season_year(ctx.dct, season, ctx.tense)
    return "DATE", f"{year:04d}-{season}", period_mod(m["mod"])


def rule_quarter(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the third quarter', 'third-quarter', 'the fourth quarter of 1989' -> 1989-Q3 (no year: from DCT and tense)."""
    quarter = ORDINALS[m["q"].lower()]
    if m["y"] or m["y0"]:
        year = int(m["y"] or m["y0"])
    elif m["rel"] and m["rel"].lower().startswith(("year-earlier", "year-ago", "last year")):
        year = quarter_year(ctx.dct, quarter, ctx.tense) - 1
    elif m["rel"] and m["rel"].lower().startswith("next year"):
        year = ctx.dct.year + 1
    else:
        year = quarter_year(ctx.dct, quarter, ctx.tense)
    return "DATE", f"{year:04d}-Q{quarter}", None


def rule_half(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the first half (of 2018)' -> 2018-H1; 'the last half of 1989' -> 1989-H2."""
    if m["h"].lower() == "last" and not (m["y"] or m[0].lower().endswith("year")):
        return None  # "the last half of the game"
    half = 2 if m["h"].lower() == "last" else ORDINALS[m["h"].lower()]
    year = int(m["y"]) if m["y"] else (ctx.dct.year if half == 1 or ctx.dct.month > 6 else ctx.dct.year - 1)
    return "DATE", f"{year:04d}-H{half}", None


def rule_the_quarter(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the quarter', 'the latest quarter' -> the last quarter named in the text, else the last complete one."""
    if timex_granularity(ctx.anchor) == "quarter":
        value = ctx.anchor
    else:
        value = format_at(ctx.dct + unit_delta("quarter", -1), "quarter")
    if m["y"]:  # "the 1988 quarter" after "the third quarter": 1988-Q3
        value = f"{m['y']}-{value[5:]}"
    if re.search(r"year-(earlier|ago)", m[0], re.I):
        value = shift_value(value, -1, "year")
    return "DATE", value, None


def rule_ago(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'three years ago' -> the DCT minus three years, at year granularity (vague amounts give X)."""
    unit = unit_name(m["unit"])
    amount = number_value(m["n"])
    granularity = {"hour": "day", "minute": "day", "second": "day", "decade": "year", "century": "year"}.get(unit,
                                                                                                          unit)
    near_quarter = timex_granularity(ctx.anchor) == "quarter" and ctx.distance < 1000
    if unit == "year" and amount is not None and near_quarter:  # "profit rose from a year ago" = that quarter
        return "DATE", shift_value(ctx.anchor, -amount, "year"), None
    if amount is None:  # "a few years ago": the past; "several weeks ago": this month, roughly
        if granularity == "year":
            return "DATE", "PAST_REF", None
        coarser = {"day": "month", "week": "month", "month": "year"}.get(granularity, granularity)
        return "DATE", format_at(ctx.dct, coarser), None
    return "DATE", format_at(ctx.dct - unit_delta(unit, amount), granularity), None


def rule_anaphoric_shift(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'two days later', 'a week earlier', 'days after' -> the last resolved value shifted, at its granularity."""
    unit = unit_name(m["unit"])
    amount = number_value(m["n"]) if m["n"] else None
    if m["signal"] and m["n"]:
        return rule_duration(m, ctx)  # "two years after the war": the length between two events
    if m["signal"] and re.search(r"\b(for|than|within|in|over|about|nearly|almost|least|of|the|some|first)\s*$",
                                 ctx.before, re.I):
        return None  # "for days after the vote": a length, not a date
    if not m["n"] and not m["unit"].lower().endswith("s"):
        return None  # "Day after" in "Thanksgiving Day after": only plurals ("days after") stand alone
    direction = -1 if (m["dir"] or m["signal"]).lower() in ("earlier", "before") else 1
    if unit in ("hour", "minute", "second"):  # "an hour later": the length (no clock time to shift)
        return rule_duration(m, ctx) if m["n"] else None
    if amount is None:  # "days after": as precise as the anchor allows
        return "DATE", without_time(ctx.anchor), None
    return "DATE", shift_value(without_time(ctx.anchor), direction * amount, unit), None


def rule_anaphoric_day(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'that same day', 'the same day', 'that evening', 'the evening of that same day', 'the next day'."""
    text = m[0].lower()
    anchor = without_time(ctx.anchor)
    offset = 0
    if re.search(r"\b(next|following)\b|day after", text):
        offset = 1
    elif re.search(r"\b(previous|before)\b", text):
        offset = -1
    if offset:
        anchor = shift_value(anchor, offset, "day")
    part = next((PARTS_OF_DAY[w] for w in re.findall(r"[a-z]+", text) if w in PARTS_OF_DAY), None)
    if part and timex_granularity(anchor) == "day":
        return "TIME", f"{anchor}T{part}", None
    return "DATE", anchor, None


def rule_anaphoric_period(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the following week', 'the previous year', 'that year' -> the period of the last resolved value, shifted."""
    unit = m["unit"].lower()
    which = " ".join(m["which"].lower().split())
    offset = {"the following": 1, "the next": 1, "the previous": -1, "the preceding": -1, "the prior": -1}.get(which, 0)
    period = timex_period(ctx.anchor)
    if period is None:
        return None
    return "DATE", format_at(period[0] + unit_delta(unit, offset), unit), None


def rule_year_earlier(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'year-earlier', 'year-ago' (as in 'year-earlier sales') -> a value just named a year back, else last year."""
    if ctx.distance < 200 and ctx.anchor[:4] == f"{ctx.dct.year - 1:04d}":
        return "DATE", without_time(ctx.anchor), None  # "in the 1988 period. The year-ago results": that period
    if ctx.distance < 200:
        return "DATE", shift_value(without_time(ctx.anchor), -1, "year"), None
    return "DATE", f"{ctx.dct.year - 1:04d}", None


def rule_weekend(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the weekend', 'this weekend' -> the weekend before the DCT in the past tense, else the coming one."""
    which = (m["which"] or "").lower()
    day = weekday_date(ctx.dct, 5, "past" if which == "last" else "future" if which == "next" else ctx.tense)
    if which == "next" and day - ctx.dct < dt.timedelta(days=2):
        day += dt.timedelta(days=7)
    return "DATE", iso_week_value(day) + "-WE", None


def rule_spoken_year(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'nineteen ninety-six', 'the year two thousand' (broadcast transcripts) -> 1996, 2000."""
    return "DATE", f"{spoken_year_number(m[0]):04d}", None


def rule_holiday(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'Thanksgiving Day', 'last Christmas', 'Easter' -> the date nearest the DCT on the tense's side."""
    which = (m["which"] or "").lower()
    tense = "past" if which == "last" else "future" if which == "next" else ctx.tense
    days = [holiday_date(m["name"], year) for year in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)]
    if tense == "past":
        days = [d for d in days if d <= ctx.dct]
    elif tense == "future":
        days = [d for d in days if d >= ctx.dct]
    return "DATE", min(days, key=lambda d: abs((d - ctx.dct).days)).isoformat(), None


def rule_period_edge(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the end of the year', 'year-end', 'the beginning of the month' -> this year / month with END or START."""
    unit = (m["unit"] or "year").lower()
    return "DATE", format_at(ctx.dct, unit), period_mod(m["edge"] or "end")


def rule_the_year(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'the year ...' -> a fiscal-year duration, the DCT's year, or the year before the last resolved value.

    'the year ended June 30' -> P1Y (a fiscal year); 'for the year', 'earlier in the year' -> the DCT's year;
    'the year before' -> the year before the last resolved value.
    """
    text = m[0].lower()
    if m["fiscal"] is not None:  # an empty look-ahead group: matched, but holds ""
        return "DURATION", "P1Y", None
    if text.endswith("before"):
        period = timex_period(ctx.anchor)
        return ("DATE", f"{period[0].year - 1:04d}", None) if period else None
    return "DATE", f"{ctx.dct.year:04d}", None


def rule_duration(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'three years', 'two-year', 'the past two months', '5 1/2 hours' -> P3Y, P2Y, P2M, PT5H30M (vague: X)."""
    unit = unit_name(m["unit"])
    amount = number_value(m["n"])
    if m["n"].lower() in ("a", "an") and unit in ("second", "quarter"):
        return None  # "a second time", "a quarter of the votes"
    rate = re.search(r"(\d|%|percent|cents?|dollars?|times|once|twice)\s*$", ctx.before, re.I)
    if m["n"].lower() in ("a", "an") and rate:
        return None  # "$5 a year", "twice a day": a rate, not a length
    if unit == "quarter" and "-" in m[0]:
        return None  # "three-quarters" is a fraction
    if unit == "decade":
        amount, unit = (amount * 10 if amount else None), "year"
    elif unit == "century":
        amount, unit = (amount * 100 if amount else None), "year"
    letter = UNIT_LETTERS[unit]
    prefix = "PT" if unit in ("hour", "minute", "second") else "P"
    approx = m.groupdict().get("approx") or ""
    mod = APPROX_MODS.get(" ".join(approx.lower().split()))
    has_half = m.groupdict().get("half") or m.groupdict().get("half2")
    half = HALF_UNITS.get(unit, "") if amount is not None and has_half else ""
    return "DURATION", f"{prefix}{amount if amount is not None else 'X'}{letter}{half}", mod


def rule_bare_plural_duration(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'for years', 'within weeks', 'in recent weeks', 'the coming months' -> PXY, PXW, PXW, PXM."""
    unit = unit_name(m["unit"] or m["unit2"])
    return "DURATION", f"{'PT' if unit in ('hour', 'minute') else 'P'}X{UNIT_LETTERS[unit]}", None


def rule_set(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'daily', 'every week', 'annually' -> SET with P1D, P1W, P1Y."""
    word = m[0].lower().split()[-1]
    unit = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year",
            "hourly": "hour"}.get(word, word)
    return "SET", f"{'PT' if unit == 'hour' else 'P'}1{UNIT_LETTERS[unit]}", None


def rule_calendar_set(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'each Thursday', 'on Mondays', 'every Tuesday night', 'each July' -> a SET of weekdays or months.

    The values: XXXX-WXX-4, XXXX-WXX-1, XXXX-WXX-2TNI, XXXX-07.
    """
    if m["mon"]:
        return ("SET", f"XXXX-{month_number(m['mon']):02d}", None) if is_month_word(m["mon"]) else None
    part = m["part"] or m["parts"]
    weekday = WEEKDAY_NUMBERS[(m["wd"] or m["wd2"]).lower()] + 1
    return "SET", f"XXXX-WXX-{weekday}" + (f"T{PARTS_OF_DAY[part.lower()]}" if part else ""), None


def rule_clock_time(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'3 p.m.', '10:30 a.m.', 'noon', 'at 4 in the morning' -> the time on the last resolved day (else the DCT)."""
    after_at = re.search(r"\b(at|about|around|by|until)\s*$", ctx.before, re.I)
    if m["ampm"] and m["ampm"].lower().startswith(("in", "at")) and not after_at:
        return None  # "4 in the morning" is a time after "at", not in "won 4 in the morning session"
    anchor = without_time(ctx.anchor) if timex_granularity(ctx.anchor) in ("day", "time") else ctx.dct.isoformat()
    text = m[0].lower()
    if "noon" in text or "midday" in text:
        hour, minute = 12, 0
    elif "midnight" in text:
        hour, minute = 24, 0
    else:
        hour, minute = int(m["h"]), int(m["min"] or 0)
        if hour > 12 or minute > 59:
            return None
        if m["ampm"].lower().startswith(("p", "in the a", "in the e", "at")) and hour < 12:
            hour += 12
        if m["ampm"].lower().startswith("a") and hour == 12:
            hour = 0
    return "TIME", f"{anchor}T{hour:02d}:{minute:02d}", None


def rule_ref(m: regex.Match, ctx: TimexContext) -> tuple[str, str | None, str | None] | None:
    """'now', 'recently', 'the future' -> PRESENT_REF, PAST_REF, FUTURE_REF.

    'now', 'currently' -> PRESENT_REF; 'recently', 'the past' -> PAST_REF; 'the future', 'the short term',
    'forthcoming' -> FUTURE_REF.

    'soon', 'previously' and a bare 'recent' are left out: on TBAQ most of them are not annotated as timexes.
    """
    word = " ".join(m[0].lower().split())
    if word in ("now", "currently", "current", "at present", "presently", "nowadays", "these days", "right now",
                "at the moment", "today's"):
        return "DATE", "PRESENT_REF", None
    if word in ("the future", "forthcoming", "upcoming", "the near future") or word.endswith(("ahead", "term")):
        return "DATE", "FUTURE_REF", None
    return "DATE", "PAST_REF", None  # recently, lately, formerly, the past


def _rule(
    name: str, pattern: str, resolve: Callable[[regex.Match, TimexContext], tuple[str, str | None, str | None] | None]
) -> tuple[str, regex.Pattern, object]:
    """One rule: a name (reported in 'rule'), a case-insensitive pattern with named groups, a resolver.

    Compiled with the `regex` package: the same syntax and matches as `re` here, and about twice as fast."""
    return name, regex.compile(pattern, regex.IGNORECASE), resolve


MOD_PREFIX = r"(?P<mod>(?:the\s+)?(?:early|late|mid-?|middle of|beginning of|start of|end of)\s*(?:the\s+)?)?"
TIMEX_RULES = [
    _rule("iso_date", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b", rule_iso_date),
    _rule("full_date", rf"\b(?:{WEEKDAY_RE},?\s+)?(?P<mon>{MONTH_RE})\s*(?P<d>{DAY_RE}),?\s+(?P<y>{YEAR_RE})"
          rf"|\b(?P<d2>{DAY_RE})\s+(?P<mon2>{MONTH_RE}),?\s+(?P<y2>{YEAR_RE})", rule_full_date),
    _rule("week_of", rf"\bthe\s+week\s+of\s+(?P<mon>{MONTH_RE})\s*(?P<d>{DAY_RE})(?:,?\s+(?P<y>{YEAR_RE}))?",
          rule_week_of),
    _rule("century", rf"\b(?:the\s+)?{MOD_PREFIX}(?P<n>[12]?\d(?:st|nd|rd|th)|{CENTURY_ORDINAL_RE})[\s-]century\b",
          rule_century),
    _rule("month_year", rf"\b{MOD_PREFIX}(?P<mon>{MONTH_RE})(?:,?\s+|\s+of\s+)"
          rf"(?:(?P<y>{YEAR_RE})|(?P<spoken>{SPOKEN_YEAR_RE})|(?P<rel>last|this|next)\s+year\b)", rule_month_year),
    _rule("month_day", rf"\b(?:(?P<which>last|next)\s+)?(?:{WEEKDAY_RE},?\s+)?(?P<mon>{MONTH_RE})\s*(?P<d>{DAY_RE})"
          rf"(?!,?\s*\d)"
          rf"|\b(?P<d2>{DAY_RE})\s+(?:of\s+)?(?P<mon2>{MONTH_RE})", rule_month_day),
    _rule("month", rf"\b(?:(?P<which>last|this|next)\s+)?{MOD_PREFIX}(?P<mon>{MONTH_RE})", rule_month),
    _rule("decade", rf"\b(?:the\s+)?{MOD_PREFIX}(?:(?P<y>1[5-9]\d0|20\d0)'?s"
          rf"|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b", rule_decade),
    _rule("year", rf"(?<![$£€#\d.,])\b{MOD_PREFIX}(?P<fiscal>fiscal\s+)?(?P<y>{YEAR_RE})\b(?!\s*(?:%|percent))",
          rule_year),
    _rule("weekday", rf"\b(?:(?P<which>last|this|next|this past|this coming|coming|past|the previous)\s+)?"
          rf"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<wd>{WEEKDAY_RE})"
          rf"(?:\s+(?P<part>{PART_OF_DAY_RE})\b)?", rule_weekday),
    _rule("deictic_day", rf"\b(?:today|tonight|yesterday(?:\s+{PART_OF_DAY_RE})?|tomorrow(?:\s+{PART_OF_DAY_RE})?"
          rf"|this\s+(?:morning|afternoon|evening)|last\s+night)\b", rule_deictic_day),
    _rule("mid_part_of_day", r"\bmid-?\s?(?P<part>morning|afternoon)\b(?:\s+(?P<yesterday>yesterday)\b)?",
          rule_mid_part_of_day),
    _rule("relative_period", rf"\b{MOD_PREFIX}(?:(?P<rel>earlier|later)\s+)?(?P<which>last|this\s+past|this|next|"
          rf"the\s+past|the\s+current|the\s+coming|previous|the\s+previous)\s+(?:fiscal\s+)?"
          rf"(?P<unit>week|month|quarter|year|decade|century|spring|summer|fall|autumn|winter)\b(?!-)",
          rule_relative_period),
    _rule("season", rf"\b{MOD_PREFIX}(?P<det>the\s+|(?<=\bin\s))?(?P<season>spring|summer|fall|autumn|winter)"
          rf"(?:\s+(?:of\s+)?(?:(?P<y>{YEAR_RE})|(?P<spoken>{SPOKEN_YEAR_RE})))?\b", rule_season),
    _rule("quarter", rf"\b(?:the\s+)?(?:(?P<y0>{YEAR_RE})\s+)?(?:(?P<rel>year-earlier|year-ago|last year's|this year's|"
          rf"next year's|fiscal|latest|current|same|comparable)\s+)?(?:fiscal\s+)?"
          rf"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter\b"
          rf"(?:\s+of\s+(?:fiscal\s+)?(?P<y>{YEAR_RE}))?", rule_quarter),
    _rule("half", rf"\b(?:the\s+)?(?P<h>first|second|last)\s+half(?:\s+of\s+(?:the\s+year|(?P<y>{YEAR_RE})))?",
          rule_half),
    _rule("the_quarter", rf"\bthe\s+(?:(?:(?P<y>{YEAR_RE})\s+|latest\s+|most\s+recent\s+|year-earlier\s+|year-ago\s+"
          r"|same\s+|comparable\s+)+(?:fiscal\s+)?(?:quarter|period)|(?:fiscal\s+)?quarter)\b"
          r"(?!-|\s+(?:of|century|mile|point|percent))", rule_the_quarter),
    _rule("ago", rf"\b{APPROX_RE}?(?P<n>{NUMBER_RE})[\s-]+(?P<unit>{UNIT_RE})s?\s+ago\b", rule_ago),
    _rule("anaphoric_shift", rf"\b(?:(?P<n>{NUMBER_RE})[\s-]+)?(?:{WORKDAY_RE})?(?P<unit>{UNIT_RE}s?)"
          rf"(?:\s+(?P<dir>later|earlier)\b|(?=\s+(?P<signal>after|before)\b))", rule_anaphoric_shift),
    _rule("anaphoric_day", rf"\b(?:the\s+{PART_OF_DAY_RE}\s+of\s+)?(?:that\s+(?:same\s+)?|the\s+same\s+)day\b"
          rf"|\b(?:that|the\s+same)\s+{PART_OF_DAY_RE}\b"
          rf"|\bthe\s+(?:next|following|previous)\s+(?:day|{PART_OF_DAY_RE})\b"
          rf"|\bthe\s+day\s+(?:before|after)\b|\b(?:earlier|later)\s+that\s+day\b", rule_anaphoric_day),
    _rule("anaphoric_period", r"\b(?P<which>that|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+preceding"
          r"|the\s+prior)\s+(?P<unit>week|month|quarter|year)\b(?!-)", rule_anaphoric_period),
    _rule("spoken_year", rf"\b(?:the\s+year\s+)?{SPOKEN_YEAR_RE}", rule_spoken_year),
    _rule("holiday", r"\b(?:(?P<which>last|this|next)\s+)?(?P<name>Thanksgiving(?:\s+Day)?|Christmas(?:\s+Day|\s+Eve)?"
          r"|New\s+Year's(?:\s+Day|\s+Eve)|Independence\s+Day|Easter(?:\s+Sunday)?|Halloween|Valentine's\s+Day)\b",
          rule_holiday),
    _rule("period_edge", r"\b(?:the\s+)?(?P<edge>end|beginning|start|middle)\s+of\s+the\s+(?P<unit>year|month|week)\b"
          r"|\byear[- ]end\b|\byear's\s+end\b", rule_period_edge),
    _rule("the_year", r"\b(?:(?:earlier|later)\s+in\s+)?the\s+(?:full\s+|(?:current\s+|latest\s+)?fiscal\s+)?year\b"
          r"(?:(?P<fiscal>(?=\s+(?:ended|ending)\b))|\s+before\b)?(?![- ]\w*(?:earlier|ago|two|end)\b)",
          rule_the_year),
    _rule("year_earlier", r"\byear-(?:earlier|ago)\b", rule_year_earlier),
    _rule("weekend", r"\b(?:the|(?P<which>this|last|next))\s+weekend\b", rule_weekend),
    _rule("duration", rf"\b(?:(?P<approx>{APPROX_WORDS})\s+(?!the\b))?(?:the\s+)?(?:(?:past|last|next|first|"
          rf"coming|latest|previous|following|final)\s+)?(?P<n>{NUMBER_RE})(?P<half>\s+1/2|\s+and\s+a\s+half)?"
          rf"[\s-]+(?:more\s+)?(?:{WORKDAY_RE})?(?P<unit>{UNIT_RE})s?\b(?P<half2>\s+and\s+a\s+half\b)?"
          rf"(?!-old|\s+old\b|\s+ago\b|\s+(?:later|earlier|after|before)\b)", rule_duration),
    _rule("bare_plural_duration", r"(?:(?<=\bfor\s)|(?<=\bwithin\s)|(?<=\bin\s))"
          r"(?P<unit>hours|days|weeks|months|years|decades)\b"
          r"|\b(?:(?:the\s+)?(?:recent|coming|past)\s+)(?P<unit2>hours|days|weeks|months|years|decades)\b",
          rule_bare_plural_duration),
    _rule("set", r"\b(?:daily|weekly|monthly|annually|yearly|hourly|(?:every|each)\s+"
          r"(?:day|week|month|year|quarter))\b", rule_set),
    _rule("calendar_set", rf"\b(?:every|each)\s+(?:(?P<mon>{MONTH_RE})|(?P<wd>{WEEKDAY_RE})(?:\s+(?P<part>"
          rf"{PART_OF_DAY_RE})\b)?)|\b(?P<wd2>{WEEKDAY_RE})(?:s|\s+(?P<parts>{PART_OF_DAY_RE})s)\b",
          rule_calendar_set),
    _rule("clock_time", r"\b(?P<h>\d{1,2})(?::(?P<min>\d\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b"
          r"|in\s+the\s+(?:morning|afternoon|evening)\b|at\s+night\b)"
          r"|(?<!high\s)\bnoon\b|\bmidday\b|\bmidnight\b", rule_clock_time),  # "high noon" is an idiom
    _rule("ref", r"\b(?:now|currently|at present|presently|nowadays|these days|right now|at the moment|recently|"
          r"lately|formerly|the past|current|the\s+(?:near\s+)?future|forthcoming|"
          r"upcoming|the\s+years\s+ahead|the\s+(?:near|short)\s+term)\b", rule_ref),
]
