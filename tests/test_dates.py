"""The date resolver: helpers.find_timexes, timex_sort_key, timex_granularity."""
from __future__ import annotations

import datetime as dt

import pytest

import helpers
import newslab.dates
import newslab.nlp

DCT = dt.date(2018, 3, 22)  # a Thursday, the seed's publication date


def values(text: str, dct: dt.date = DCT) -> list[tuple[str, str, str | None]]:
    """(text, value, mod) of every timex found in text."""
    return [(t["text"], t["value"], t["mod"]) for t in helpers.find_timexes(text, dct)]


@pytest.fixture(scope="module")
def seed_timexes(seed_article):
    """The timexes of the whole seed article (title, standfirst, body, embed in reading order)."""
    text = "\n\n".join(p.text for p in seed_article.paragraphs)
    return text, helpers.find_timexes(text, seed_article.published)


def test_seed_values(seed_timexes, seed_article):
    text, found = seed_timexes
    assert seed_article.published == DCT
    by_text = {}
    for t in found:
        by_text.setdefault(t["text"], []).append((t["value"], t["mod"]))
        assert text[t["start"]:t["end"]] == t["text"]
    assert by_text["Wednesday"] == [("2018-03-21", None)] * 3  # "on Wednesday" twice and "Wednesday's phone call"
    assert by_text["mid-March"] == [("2018-03", "MID")]
    assert by_text["April 2017"] == [("2017-04", None)]
    assert by_text["March 13"] == [("2018-03-13", None)]
    assert by_text["the evening of that same day"] == [("2018-03-13TEV", None)]
    assert by_text["March 13, 2018"] == [("2018-03-13", None)]  # the embedded post's signature line
    assert by_text["2014"] == [("2014", "ON_OR_AFTER")]  # "since 2014"
    assert by_text["recently"] == [("PAST_REF", None), ("PAST_REF", None)]
    assert by_text["forthcoming"] == [("FUTURE_REF", None)]
    assert by_text["days"] == [("2017-04", None)]  # "just days after the Khan Sheikhoun incident" of April 2017


def test_seed_types_and_rules(seed_timexes):
    _, found = seed_timexes
    evening = next(t for t in found if t["text"] == "the evening of that same day")
    assert (evening["type"], evening["rule"]) == ("TIME", "anaphoric_day")
    assert {t["type"] for t in found} == {"DATE", "TIME"}
    assert set(found[0]) == {"start", "end", "text", "type", "value", "mod", "rule"}
    assert [t["start"] for t in found] == sorted(t["start"] for t in found)


def test_doc_can_be_passed_and_must_match(seed_timexes):
    text, found = seed_timexes
    doc = newslab.nlp.load_nlp()(text)
    assert helpers.find_timexes(text, DCT, doc=doc) == found
    with pytest.raises(ValueError):
        helpers.find_timexes(text, DCT, doc=newslab.nlp.load_nlp()("Something else on Friday."))
    nlp = newslab.nlp.load_nlp()
    first, second = nlp("It rained on Friday."), nlp("Sun on Monday.")
    assert helpers.find_timexes("It rained on Friday. Sun on Monday.", DCT, doc=[first, second])[1]["text"] == "Monday"
    with pytest.raises(ValueError):  # the paragraphs in another order
        helpers.find_timexes("Sun on Monday. It rained on Friday.", DCT, doc=[first, second])


def test_no_dates():
    assert helpers.find_timexes("The talks went well and both sides were pleased.", DCT) == []
    assert helpers.find_timexes("", DCT) == []


def test_weekday_past_and_future():
    assert values("The minister spoke on Wednesday.") == [("Wednesday", "2018-03-21", None)]
    assert values("The generals will meet on Friday.") == [("Friday", "2018-03-23", None)]
    assert values("The generals met on Friday.") == [("Friday", "2018-03-16", None)]
    assert values("He said it on Thursday.") == [("Thursday", "2018-03-22", None)]
    assert values("They meet again next Monday.") == [("next Monday", "2018-03-26", None)]


def test_weekday_in_the_present_or_a_past_plan_is_the_nearest():
    # DCT Thursday 2018-03-22: a scheduled present and a plan told in the past name the week around publication
    assert values("The two leaders meet separately on Friday.") == [("Friday", "2018-03-23", None)]
    assert values("The team planned to leave on Friday.") == [("Friday", "2018-03-23", None)]
    assert values("The team planned to leave on Tuesday.") == [("Tuesday", "2018-03-20", None)]
    assert values("The deadline is Saturday.") == [("Saturday", "2018-03-24", None)]
    assert values("The team left on Friday.") == [("Friday", "2018-03-16", None)]  # the past stays behind


def test_month_day_and_month_without_year():
    assert values("The attack happened on March 13.") == [("March 13", "2018-03-13", None)]
    assert values("The summit will take place on April 5.") == [("April 5", "2018-04-05", None)]
    assert values("The vote was held in December.") == [("December", "2017-12", None)]
    assert values("The vote will be held in May.") == [("May", "2018-05", None)]
    assert values("The plan may fail.") == []


def test_period_modifiers():
    assert values("In mid-March, she spoke.") == [("mid-March", "2018-03", "MID")]
    assert values("Prices fell in early 2017.") == [("early 2017", "2017", "START")]
    assert values("The deal was signed in late April.") == [("late April", "2017-04", "END")]  # past: last April
    assert values("The deal will be signed in late April.") == [("late April", "2018-04", "END")]
    assert values("It began in the late 1970s.") == [("the late 1970s", "197", "END")]


def test_explicit_dates():
    assert values("It happened in April 2017.") == [("April 2017", "2017-04", None)]
    assert values("It happened in 2014.") == [("2014", "2014", None)]
    assert values("No talks since 2014.") == [("2014", "2014", "ON_OR_AFTER")]
    assert values("Signed on 13 March 2018 and 2018-03-14.") == [
        ("13 March 2018", "2018-03-13", None), ("2018-03-14", "2018-03-14", None)]


def test_anaphora_use_last_resolved_date_not_dct():
    text = "The strike came on March 13. Two days later, talks resumed. That evening, they agreed."
    assert values(text) == [("March 13", "2018-03-13", None), ("Two days later", "2018-03-15", None),
                            ("That evening", "2018-03-15TEV", None)]
    text = "Troops left on Jan. 10, 2016.\n\nA week earlier the talks had failed. The same day, riots began."
    assert values(text) == [("Jan. 10, 2016", "2016-01-10", None), ("A week earlier", "2016-01-03", None),
                            ("The same day", "2016-01-03", None)]
    assert values("It was 2015. That same day nothing happened.")[1] == ("That same day", "2015", None)


@pytest.mark.parametrize("saying", ["said", "stated", "stressed", "confirmed"])  # NEWS_SAYING, shared with events
def test_the_day_of_a_saying_is_no_anchor_for_the_story_it_tells(saying):
    text = f"A man was stabbed on Saturday night, police {saying} on Monday. Officers arrived shortly after 11pm."
    assert values(text)[2] == ("11pm", "2018-03-17T23:00", None)  # Saturday night, not the Monday of the saying
    assert values("A man was stabbed on Saturday. Police arrived on Monday. They left at 11pm.")[2] == (
        "11pm", "2018-03-19T23:00", None)


def test_deictic_and_refs():
    assert values("He spoke today and yesterday.") == [("today", "2018-03-22", None),
                                                       ("yesterday", "2018-03-21", None)]
    assert values("Sales fell last week, rose last month and will rise next month.") == [
        ("last week", "2018-W11", None), ("last month", "2018-02", None), ("next month", "2018-04", None)]
    assert values("This year will be hard.") == [("This year", "2018", None)]
    assert values("He recently said it is now time, and the upcoming vote matters.") == [
        ("recently", "PAST_REF", None), ("now", "PRESENT_REF", None), ("upcoming", "FUTURE_REF", None)]
    assert values("He arrived this morning.") == [("this morning", "2018-03-22TMO", None)]


def test_durations_ago_and_sets():
    found = helpers.find_timexes("The war lasted three years and ended two years ago; he ran daily.", DCT)
    assert [(t["text"], t["type"], t["value"]) for t in found] == [
        ("three years", "DURATION", "P3Y"), ("two years ago", "DATE", "2016"), ("daily", "SET", "P1D")]
    assert values("It took several months.") == [("several months", "PXM", None)]
    assert values("He is 44 years old.") == []


def test_quarters():
    dct = dt.date(1989, 11, 2)
    assert values("Profit rose in the third quarter.", dct) == [("the third quarter", "1989-Q3", None)]
    assert values("Third-quarter profit rose from a year ago.", dct) == [
        ("Third-quarter", "1989-Q3", None), ("a year ago", "1988-Q3", None)]


def test_timex_granularity():
    cases = {"2018-03-13TEV": "time", "2018-03-13": "day", "2018-W12": "week", "2018-W12-WE": "weekend",
             "2018-03": "month", "2018-SU": "season", "2018-Q1": "quarter", "2018-H2": "half", "2018": "year",
             "201": "decade", "20": "century", "PAST_REF": "ref", "P3Y": "duration", "": "unknown"}
    assert {value: newslab.dates.timex_granularity(value) for value in cases} == cases


def test_timex_text_writes_each_kind_of_value_as_a_reader_would():
    cases = {"2018-03-13TEV": "2018-03-13 evening", "1998-10-23TNI": "1998-10-23 night",
             "2018-03-13T14:30": "2018-03-13 14:30", "2018-W12": "week 12 of 2018",
             "2018-W02-WE": "weekend of week 2, 2018", "2018-SU": "summer 2018", "2018-WI": "winter 2018",
             "2018-Q1": "Q1 2018", "2018-H2": "H2 2018", "197": "1970s", "19": "1900s",
             "2018-03-13": "2018-03-13", "2018-03": "2018-03", "2018": "2018", "PAST_REF": "PAST_REF", "P3Y": "P3Y"}
    assert {value: newslab.dates.timex_text(value) for value in cases} == cases


def test_timex_sort_key():
    key = newslab.dates.timex_sort_key
    assert key("2018-03", "MID") == dt.date(2018, 3, 15)
    assert key("2018-03") == dt.date(2018, 3, 15)
    assert key("2018-03", "START") == dt.date(2018, 3, 1)
    assert key("2018-03", "END") == dt.date(2018, 3, 31)
    assert key("2014", "ON_OR_AFTER") == dt.date(2014, 1, 1)
    assert key("2017") == dt.date(2017, 7, 2)
    assert key("2018-03-13TEV") == dt.date(2018, 3, 13)
    assert key("2018-Q1") == dt.date(2018, 2, 14)
    assert key("2018-W12") == dt.date(2018, 3, 22)
    assert key("197", "END") == dt.date(1979, 12, 31)
    assert key("PAST_REF") is None and key("P3Y") is None
    assert key("2018-03-13") < key("2018-03", "MID") < key("2018-03-21")


def test_shift_value_keeps_granularity():
    assert newslab.dates.shift_value("2018-03-13", 2, "day") == "2018-03-15"
    assert newslab.dates.shift_value("1989-Q3", -1, "year") == "1988-Q3"
    assert newslab.dates.shift_value("2017-04", 3, "day") == "2017-04"
    assert newslab.dates.shift_value("2018-03-13TEV", 1, "day") == "2018-03-14TEV"


def test_context_overrules_the_verb():
    assert values("Wednesday's phone call will help.") == [("Wednesday", "2018-03-21", None)]
    assert values("They have until Monday to decide.") == [("Monday", "2018-03-26", "ON_OR_BEFORE")]
    assert values("He could arrive as soon as Saturday.") == [("Saturday", "2018-03-24", None)]
    assert values("The talks are planned for Saturday.") == [("Saturday", "2018-03-24", None)]


def test_clock_time_joins_its_day():
    found = helpers.find_timexes("INS extended its deadline until 9 a.m. EST Tuesday.", dt.date(2000, 4, 3))
    assert [(t["text"], t["type"], t["value"], t["rule"]) for t in found] == [
        ("9 a.m. EST Tuesday", "TIME", "2000-04-04T09:00", "clock_time+weekday")]
    assert values("He left at 3 p.m. on March 13.") == [("3 p.m. on March 13", "2018-03-13T15:00", None)]


def test_holidays_spoken_years_and_decades():
    assert values("Troops returned on Thanksgiving Day.", dt.date(1999, 12, 1)) == [
        ("Thanksgiving Day", "1999-11-25", None)]
    assert values("Sales dipped last Christmas.") == [("last Christmas", "2017-12-25", None)]
    assert values("It began in nineteen ninety-six.") == [("nineteen ninety-six", "1996", None)]
    assert values("Prices peaked in the nineties.") == [("the nineties", "199", None)]
    assert values("She is in her forties.") == []


def test_fiscal_year_and_year_end():
    dct = dt.date(1989, 10, 30)
    found = helpers.find_timexes("Profit for the year ended June 30 rose.", dct)
    assert [(t["text"], t["type"], t["value"]) for t in found] == [
        ("the year", "DURATION", "P1Y"), ("June 30", "DATE", "1989-06-30")]
    assert values("Debt will fall by year-end.", dct) == [("year-end", "1989", "END")]
    assert values("Sales rose for the year.", dct) == [("the year", "1989", None)]


def test_duration_details():
    assert values("It took 5 1/2 hours.") == [("5 1/2 hours", "PT5H30M", None)]
    assert values("in the last twenty four hours") == [("the last twenty four hours", "PT24H", None)]
    assert values("It lasted nearly two years.") == [("nearly two years", "P2Y", "EQUAL_OR_LESS")]
    assert values("It costs $5 a year.") == []
    assert values("Prices rose in recent weeks.") == [("recent weeks", "PXW", None)]
    assert values("Two years after the war, peace came.") == [("Two years", "P2Y", None)]


def test_centuries_and_the_week_of():
    assert values("Art of the 20th century and the eleventh century.") == [
        ("the 20th century", "19", None), ("the eleventh century", "10", None)]
    assert values("It began in the early 19th century.") == [("the early 19th century", "18", "START")]
    assert values("The hearing is set for the week of March 6.", dt.date(2000, 2, 24)) == [
        ("the week of March 6", "2000-W10", None)]


def test_last_with_a_month_day_and_this_past():
    assert values("He was shot last Oct. 23 at home.", dt.date(1999, 4, 19)) == [("last Oct. 23", "1998-10-23", None)]
    assert values("Sales rose this past spring.", dt.date(1989, 10, 30)) == [("this past spring", "1989-SP", None)]


def test_plans_and_deadlines_look_forward():
    assert values("The issue will dominate a summit set for Washington in April.", dt.date(1999, 3, 12)) == [
        ("April", "1999-04", None)]
    assert values("The index is near its record high set on Aug. 6.", dt.date(1998, 2, 6)) == [
        ("Aug. 6", "1997-08-06", None)]
    assert values("Qantas will double its flights by August.", dt.date(1998, 2, 13)) == [("August", "1998-08", None)]


def test_year_ago_after_last_year_is_that_year():
    dct = dt.date(1989, 11, 2)
    assert values("Net was $5 million in 1988. The year-ago results included a charge.", dct) == [
        ("1988", "1988", None), ("year-ago", "1988", None)]
    assert values("Profit fell in 1989. Year-earlier profit was higher.", dct) == [
        ("1989", "1989", None), ("Year-earlier", "1988", None)]


def test_midday_and_bare_plurals_after_within_and_in():
    assert values("They met at midday.") == [("midday", "2018-03-22T12:00", None)]
    assert values("For Poland, high noon comes now.") == [("now", "PRESENT_REF", None)]
    assert values("Troops will arrive within weeks.") == [("weeks", "PXW", None)]
    assert values("Sales grew for the first time in years.") == [("years", "PXY", None)]


def test_the_year_period_and_short_term():
    dct = dt.date(1989, 10, 30)
    assert values("Net rose from $5 million in the 1988 quarter.", dct) == [("the 1988 quarter", "1988-Q3", None)]
    assert values("Profit fell in the third quarter. In the 1988 period, it rose.", dct) == [
        ("the third quarter", "1989-Q3", None), ("the 1988 period", "1988-Q3", None)]
    assert values("Prices may fall in the short term and over the next couple of years.", dct) == [
        ("the short term", "FUTURE_REF", None), ("the next couple of years", "P2Y", None)]


def test_spoken_years_with_months_and_seasons_and_the_last_half():
    dct = dt.date(1998, 2, 27)
    assert values("January nineteen ninety-seven. Atlanta again.", dct) == [
        ("January nineteen ninety-seven", "1997-01", None)]
    assert values("Prices were low in the winter of nineteen ninety-four.", dct) == [
        ("the winter of nineteen ninety-four", "1994-WI", None)]
    assert values("Earnings fell in the last half of 1989.", dct) == [("the last half of 1989", "1989-H2", None)]
    assert values("He scored in the last half of the game.", dct) == []
    assert values("The quarter-to-quarter comparison was weak.", dct) == []


def test_clock_words_hours_later_and_the_previous_weekday():
    dct = dt.date(1989, 10, 30)
    assert values("They left at 8 in the evening.", dct) == [("8 in the evening", "1989-10-30T20:00", None)]
    assert values("She won 2 in the morning session.", dct) == []
    assert values("Just over an hour later, he died.", dct) == [("an hour later", "PT1H", None)]
    assert values("The index fell 4.5% from the previous Friday.", dct) == [
        ("the previous Friday", "1989-10-20", None)]


def test_mid_part_of_day():
    dct = dt.date(1989, 11, 2)
    assert values("In London at mid-afternoon yesterday, shares rose.", dct) == [
        ("mid-afternoon yesterday", "1989-11-01TAF", "MID")]
    assert values("On Oct. 3, by mid-morning it was over.", dct) == [
        ("Oct. 3", "1989-10-03", None), ("mid-morning", "1989-10-03TMO", "MID")]


def test_recurring_weekdays_and_months_are_sets():
    found = helpers.find_timexes("Flights leave on Tuesday nights and each Thursday; he fishes on Sundays.", DCT)
    assert [(t["text"], t["type"], t["value"]) for t in found] == [
        ("Tuesday nights", "SET", "XXXX-WXX-2TNI"), ("each Thursday", "SET", "XXXX-WXX-4"),
        ("Sundays", "SET", "XXXX-WXX-7")]
    assert values("Orangemen march each July.") == [("each July", "XXXX-07", None)]


def test_trading_days_and_the_first_days_after():
    dct = dt.date(1989, 10, 30)
    assert values("Eight trading days after Oct. 12, the index fell.", dct) == [
        ("Eight trading days", "P8D", None), ("Oct. 12", "1989-10-12", None)]
    assert values("It takes five business days.", dct) == [("five business days", "P5D", None)]
    assert values("In the first days after Bush spoke, all was calm.", dct) == []


def test_benchmark_reads_timeml_and_scores(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("timex_bench", helpers.ROOT / "bench" / "timex_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    (tmp_path / "doc.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2018-03-22" functionInDocument="CREATION_TIME">'
        "March 22</TIMEX3></DCT><TEXT>They met <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2018-03-21\">Wednesday"
        "</TIMEX3> &amp; talked for <TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"PT2H\">two hours</TIMEX3>."
        "</TEXT></TimeML>", encoding="utf-8")
    [document] = bench.load_tbaq(tmp_path)
    assert document["dct"] == DCT
    assert document["text"] == "They met Wednesday & talked for two hours."
    assert [(g["text"], g["value"]) for g in document["gold"]] == [("Wednesday", "2018-03-21"), ("two hours", "PT2H")]
    system = [[{"start": 9, "end": 18, "value": "2018-03-21"}, {"start": 32, "end": 35, "value": "P2H"},
               {"start": 0, "end": 4, "value": "PRESENT_REF"}]]
    scores = bench.score([document["gold"]], system)
    assert scores["strict"] == pytest.approx((100 / 3, 50.0, 40.0))
    assert scores["relaxed"] == pytest.approx((200 / 3, 100.0, 80.0))
    assert scores["value"] == pytest.approx((100 / 3, 50.0, 40.0))


@pytest.mark.parametrize("word, value", [("14th", 14), ("1st", 1), ("fifth", 5), ("seventy-fifth", 75),
                                         ("twenty-first", 21), ("hundredth", 100), ("fifth-largest", None),
                                         ("fifty", None)])
def test_ordinals_in_digits_and_words(word, value):
    from newslab.dates.values import ordinal_value

    assert ordinal_value(word) == value
