"""TIMEX3 values as calendar periods: their granularity, first and last day, sort key and shifts, and how the year
or week of a month, season or weekday is chosen from the publication date and the tense."""
from __future__ import annotations

import datetime as dt
import re
from dateutil.easter import easter
from dateutil.relativedelta import TH, relativedelta
from dateutil.relativedelta import weekday as rd_weekday

from newslab.dates.vocabulary import (MONTH_NUMBERS, NUMBER_WORDS, ORDINAL_WORDS, PARTS_OF_DAY_WORDS, SEASON_WORDS,
                                      VAGUE_NUMBERS)


# -- calendar helpers


def month_number(word: str) -> int:
    """Month number (1-12) from a month name or abbreviation such as 'Sept.'."""
    return MONTH_NUMBERS[word.lower()[:3]]


def number_value(word: str) -> int | None:
    """A cardinal number from digits or words ('two', 'a'); None for vague amounts ('several')."""
    word = " ".join(word.lower().split())
    if word in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+", word):
        return int(word)
    if re.fullmatch(r"\d+\.\d+", word):
        return None
    tens, _, ones = word.replace("-", " ").partition(" ")  # "twenty four", "thirty-one"
    if ones in NUMBER_WORDS and tens in NUMBER_WORDS and NUMBER_WORDS[tens] >= 20:
        return NUMBER_WORDS[tens] + NUMBER_WORDS[ones]
    return NUMBER_WORDS.get(word)


def ordinal_value(word: str) -> int | None:
    """An ordinal number from digits or words ('14th', 'fifth', 'seventy-fifth'); None for anything else."""
    word = " ".join(word.lower().split()).replace(" - ", "-")
    if re.fullmatch(r"\d+(?:st|nd|rd|th)", word):
        return int(word[:-2])
    tens, _, ones = word.partition("-")
    if tens in NUMBER_WORDS and NUMBER_WORDS[tens] >= 20 and ORDINAL_WORDS.get(ones, 10) < 10:
        return NUMBER_WORDS[tens] + ORDINAL_WORDS[ones]
    return ORDINAL_WORDS.get(word)


def unit_name(word: str) -> str:
    """Singular unit name: 'centuries' -> 'century', 'weeks' -> 'week'."""
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    return word[:-1] if word.endswith("s") else word


def unit_delta(unit: str, amount: int) -> relativedelta:
    """A dateutil relativedelta of amount units (day, week, month, quarter, year, decade, century)."""
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}
    if unit in months:
        return relativedelta(months=months[unit] * amount)
    if unit in ("week", "weekend"):
        return relativedelta(weeks=amount)
    return relativedelta(days=amount)


def iso_week_value(day: dt.date) -> str:
    """TIMEX3 week value of a date: '2018-W12'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def format_at(day: dt.date, granularity: str) -> str:
    """Write a date as a TIMEX3 value at a granularity (day, week, month, quarter, half, year, decade, century)."""
    if granularity == "day":
        return day.isoformat()
    if granularity in ("week", "weekend"):
        return iso_week_value(day) + ("-WE" if granularity == "weekend" else "")
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "half":
        return f"{day.year:04d}-H{(day.month - 1) // 6 + 1}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    return f"{day.year:04d}"


def timex_granularity(value: str) -> str:
    """Granularity of a TIMEX3 value as one word: 'day', 'month', 'year', 'duration', 'ref', 'unknown'...

    One of time, day, week, weekend, month, season, quarter, half, year, decade, century, ref (PAST_REF...),
    duration (P3Y; a SET's P1D too: use the timex's type), set or unknown.
    """
    if not value:
        return "unknown"
    if value.endswith("_REF"):
        return "ref"
    if value.startswith("P"):
        return "duration"
    patterns = [(r"\d{4}-\d{2}-\d{2}T.+", "time"), (r"\d{4}-\d{2}-\d{2}", "day"), (r"\d{4}-W\d{2}-WE", "weekend"),
                (r"\d{4}-W\d{2}", "week"), (r"\d{4}-\d{2}(-XX)?", "month"), (r"\d{4}-(SP|SU|FA|WI)", "season"),
                (r"\d{4}-Q\d", "quarter"), (r"\d{4}-H\d", "half"), (r"\d{4}", "year"), (r"\d{3}", "decade"),
                (r"\d{2}", "century")]
    for pattern, name in patterns:
        if re.fullmatch(pattern, value):
            return name
    return "set" if value.startswith("XXXX") else "unknown"


def timex_period(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of the period a calendar value names; None for refs, durations and unknowns."""
    granularity = timex_granularity(value)
    if granularity in ("time", "day"):
        day = dt.date.fromisoformat(value[:10])
        return day, day
    if granularity in ("week", "weekend"):
        monday = dt.date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
        if granularity == "weekend":
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        return monday, monday + dt.timedelta(days=6)
    if granularity in ("ref", "duration", "set", "unknown"):
        return None
    year = int(value[:4]) if len(value) >= 4 else None
    if granularity == "month":
        first, months = dt.date(year, int(value[5:7]), 1), 1
    elif granularity == "quarter":
        first, months = dt.date(year, 3 * int(value[6]) - 2, 1), 3
    elif granularity == "half":
        first, months = dt.date(year, 6 * int(value[6]) - 5, 1), 6
    elif granularity == "season":  # meteorological seasons; winter runs December to February
        start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[value[5:7]]
        first, months = dt.date(year, start, 1), 3
    elif granularity == "year":
        first, months = dt.date(year, 1, 1), 12
    elif granularity == "decade":
        first, months = dt.date(int(value) * 10, 1, 1), 120
    elif granularity == "century":
        first, months = dt.date(max(int(value) * 100, 1), 1, 1), 1200
    else:
        return None
    return first, first + relativedelta(months=months, days=-1)


def timex_text(value: str) -> str:
    """A TIMEX3 value as a reader writes it ('197' -> '1970s', '2018-03-13TEV' -> '2018-03-13 evening', '2018-SU'
    -> 'summer 2018', '2018-W12' -> 'week 12 of 2018'); a day, a month, a year and anything else as it is."""
    granularity = timex_granularity(value)
    if granularity == "time":
        part = value[11:]
        return f"{value[:10]} {PARTS_OF_DAY_WORDS.get(part, part)}"
    if granularity == "week":
        return f"week {int(value[6:8])} of {value[:4]}"
    if granularity == "weekend":
        return f"weekend of week {int(value[6:8])}, {value[:4]}"
    if granularity == "season":
        return f"{SEASON_WORDS[value[5:7]]} {value[:4]}"
    if granularity in ("quarter", "half"):
        return f"{value[5:7]} {value[:4]}"
    if granularity == "decade":
        return f"{value}0s"
    if granularity == "century":
        return f"{value}00s"
    return value


def timex_sort_key(value: str, mod: str | None = None) -> dt.date | None:
    """A date to sort a value on: start of the period for START/since, end for END/until, else its middle.

    A day sorts on itself, 2018-03 on 2018-03-15, 2018-03 with START on 2018-03-01, 2017 on 2017-07-02.
    PAST_REF / PRESENT_REF / FUTURE_REF, durations and sets have no place on a calendar: None.
    """
    period = timex_period(value)
    if period is None:
        return None
    first, last = period
    if mod in ("START", "ON_OR_AFTER", "AFTER"):
        return first
    if mod in ("END", "ON_OR_BEFORE", "BEFORE"):
        return last
    if timex_granularity(value) == "month":
        return first.replace(day=15)
    return first + (last - first) // 2


def without_time(value: str) -> str:
    """The day of a time value ('2018-03-13TEV' -> '2018-03-13'); other values unchanged."""
    return value[:10] if timex_granularity(value) == "time" else value


# How coarse a unit or a granularity is, for shifts: a day shift cannot move a month-level value.
UNIT_SIZE = {"time": 0, "day": 1, "week": 2, "weekend": 2, "month": 3, "quarter": 4, "half": 5, "year": 6,
             "decade": 7, "century": 8}


def shift_value(value: str, amount: int, unit: str) -> str | None:
    """Shift a calendar value by amount units, keeping its own granularity ('2018-03-13' + 2 days = '2018-03-15');
    a shift finer than the value stays inside it ('the day before' March 2023 is still 2023-03)."""
    granularity = timex_granularity(value)
    period = timex_period(value)
    if period is None or granularity == "season":
        return None
    if UNIT_SIZE.get(unit, 0) < UNIT_SIZE.get(granularity, 0):
        return value
    suffix = value[10:] if granularity == "time" else ""
    shifted = period[0] + unit_delta(unit, amount)
    if granularity == "time":
        return shifted.isoformat() + suffix
    return format_at(shifted, granularity)


# -- choosing the year or the week from the tense


def weekday_date(dct: dt.date, weekday: int, tense: str | None) -> dt.date:
    """The weekday on or after the DCT in the future tense; the nearer of the two in the present ('they meet Monday',
    'the deadline is Friday': news names the week around it); else on or before it (news reports the past)."""
    after = dct + relativedelta(weekday=rd_weekday(weekday)(+1))
    before = dct + relativedelta(weekday=rd_weekday(weekday)(-1))
    if tense == "future" or (tense in ("present", "unknown") and after - dct < dct - before):
        return after
    return before


def year_for_month(dct: dt.date, month: int, day: int | None, tense: str | None) -> int:
    """The year that puts a month (and day) nearest the DCT, guided by tense.

    A month alone must lie on the tense's side of the DCT (past: not after the DCT's month; future: not before).
    A month and day may cross it, but days on the wrong side count three times: "payable Dec. 7" written in late
    October is this December even in a past-tense sentence, "it rose on Aug. 6" written in February is last August.
    """
    last_day = 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31

    def cost(year: int) -> int:
        """Days between the candidate date in `year` and the DCT, tripled when on the tense's wrong side."""
        days = (dt.date(year, month, min(day or 15, last_day)) - dct).days
        wrong_side = (tense == "past" and days > 0) or (tense == "future" and days < 0)
        return abs(days) * (3 if wrong_side else 1)

    candidates = [dct.year - 1, dct.year, dct.year + 1]
    if day is None and tense == "past":
        candidates = [y for y in candidates if (y, month) <= (dct.year, dct.month)]
    elif day is None and tense == "future":
        candidates = [y for y in candidates if (y, month) >= (dct.year, dct.month)]
    return min(candidates, key=lambda y: (cost(y), -y))


def season_year(dct: dt.date, season: str, tense: str | None) -> int:
    """The year of a season nearest the DCT, guided by tense (like year_for_month with the season's middle month)."""
    middle = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}[season]
    year = year_for_month(dct, middle, None, tense)
    return year - 1 if season == "WI" else year


def quarter_year(dct: dt.date, quarter: int, tense: str | None) -> int:
    """The year of a quarter named without one: this year's, or last year's if it has not begun yet (past tense)."""
    current = (dct.month - 1) // 3 + 1
    if quarter > current and tense != "future":
        return dct.year - 1
    return dct.year


def spoken_year_number(text: str) -> int:
    """The year in words: 'nineteen ninety-six' -> 1996, 'the year two thousand' -> 2000."""
    words = re.findall(r"[a-z]+", text.lower().replace("the year", ""))
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(NUMBER_WORDS.get(w, 0) for w in words[2:] if w != "and")
    return NUMBER_WORDS[words[0]] * 100 + sum(NUMBER_WORDS.get(w, 0) for w in words[1:] if w != "hundred")


def holiday_date(name: str, year: int) -> dt.date:
    """The date of a fixed or computed holiday in a year (Thanksgiving: fourth Thursday of November)."""
    name = name.lower()
    if "thanksgiving" in name:
        return dt.date(year, 11, 1) + relativedelta(weekday=TH(+4))
    if "easter" in name:
        return easter(year)
    if "new year" in name:
        return dt.date(year, 12, 31) if "eve" in name else dt.date(year, 1, 1)
    fixed = {"christmas eve": (12, 24), "christmas": (12, 25), "independence": (7, 4), "halloween": (10, 31),
             "valentine": (2, 14)}
    month, day = next(md for key, md in fixed.items() if key in name)
    return dt.date(year, month, day)


def is_calendar_value(value: str | None) -> bool:
    """True for values on the calendar (a day, month, year, quarter...), False for refs, durations and sets."""
    return value is not None and timex_period(value) is not None
