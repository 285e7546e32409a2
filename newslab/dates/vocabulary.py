"""The words of dates: month and weekday names, number words, units, seasons, and the regular-expression pieces
the rules share (all matched case-insensitively); and the verbs of saying, which the resolver (dates.find) and
the events table (newslab.events, notebook 04) share."""
from __future__ import annotations


MONTH_NUMBERS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                 "oct": 10, "nov": 11, "dec": 12}


WEEKDAY_NUMBERS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
                   "sunday": 6}


NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
                "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
                "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                "hundred": 100, "a hundred": 100, "a couple of": 2, "a couple": 2, "couple of": 2}


VAGUE_NUMBERS = {"several", "few", "a few", "many", "some", "a number of", "numerous"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
                "tonight": "NI"}
# the other way, to write a value for a reader (timex_text)
SEASON_WORDS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
PARTS_OF_DAY_WORDS = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night",
                      "DT": "daytime"}


UNIT_LETTERS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "weekend": "WE",
                "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE"}


MOD_WORDS = {"early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
             "late": "END", "end": "END", "earlier": "START", "later": "END"}


SIGNAL_MODS = {"since": "ON_OR_AFTER", "until": "ON_OR_BEFORE", "till": "ON_OR_BEFORE"}

# Regular-expression pieces shared by the rules below (all rules are matched case-insensitively).
MONTH_RE = (r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?"
            r"|sep(?:t(?:ember|\.)?|\.)|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)(?![a-z])")


WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DAY_RE = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR_RE = r"(?:1[5-9]\d\d|20\d\d)(?![\d%])"
NUMBER_RE = (r"(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]"
             r"(?:one|two|three|four|five|six|seven|eight|nine)\b|a couple of|couple of|a few|a hundred|a number of|an?"
             r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
             r"|seventeen|eighteen|nineteen"
             r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|several|few|many|some|numerous)")


# A year in words, as broadcast transcripts write them: "nineteen ninety-six", "two thousand and one".
SPOKEN_YEAR_RE = (r"(?:(?:nineteen|eighteen)\s+(?:hundred|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
                  r"|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                  r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?)"
                  r"|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)?)"
                  r"(?![-\w])(?!\s+(?:years|dollars|people)\b)")


UNIT_RE = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ies))"
WORKDAY_RE = r"(?:trading|business|working)\s+(?=days?\b)"  # "eight trading days" = P8D
PART_OF_DAY_RE = r"(?:morning|afternoon|evening|night)"
APPROX_WORDS = r"(?:about|around|nearly|almost|roughly|some|more than|less than|at least|over|up to|under)"
APPROX_RE = rf"(?:{APPROX_WORDS}\s+)"
APPROX_MODS = {"about": "APPROX", "around": "APPROX", "roughly": "APPROX", "some": "APPROX",
               "nearly": "EQUAL_OR_LESS", "almost": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
               "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
               "at least": "EQUAL_OR_MORE"}

DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}


CENTURY_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                    "nineteenth": 19, "twentieth": 20, "twenty-first": 21}

# Ordinals in words ("the fifth anniversary", "the seventy-fifth"): the century ordinals and the round tens.
ORDINAL_WORDS = {**CENTURY_ORDINALS, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
                 "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100}
CENTURY_ORDINAL_RE = "|".join(sorted(CENTURY_ORDINALS, key=len, reverse=True))  # "twenty-first" before "first"
# "2 1/2 years" = P2Y6M: half of each unit written in the next smaller one.
HALF_UNITS = {"year": "6M", "month": "15D", "week": "3DT12H", "day": "T12H", "hour": "30M", "minute": "30S"}


# Verbs of saying. A news report's own saying ("police said on Monday", "told reporters Friday") is dated at the
# time it was made, which is not the time of the story it tells: the date resolver does not move its reference time
# to it, and the events table dates it at publication even after a past narrative.
NEWS_SAYING = {"say", "tell", "add", "report", "announce", "confirm", "state", "emphasize", "stress", "note",
               "explain", "accord"}
# Every verb that reports what someone said; the others in the past ("she also recalled", "he admitted") continue
# the narrative of their paragraph.
REPORTING_VERBS = NEWS_SAYING | {"claim", "write", "insist", "deny", "acknowledge", "allege", "assert", "declare",
                                 "indicate", "reply", "respond", "suggest", "testify", "admit", "argue", "contend",
                                 "predict", "quote", "recall", "hear"}
