"""Notebook 04, part 2: the events table — who did what to whom, and when — on made-up sentences, one per way
sentence dating used to go wrong, and on the seed."""
from __future__ import annotations

import pandas as pd
import pytest

import helpers
import newslab.events
import newslab.nlp
from conftest import SEED_SLUG, read_and_parse

@pytest.fixture(scope="module")
def cues() -> pd.DataFrame:
    """The committed cue table."""
    return helpers.load_tension_cues()


TITLE = "A made-up story to test how events are dated"


def events_of(tmp_path, *paragraphs: str, published: str = "2024-09-10") -> pd.DataFrame:
    """The events table of a made-up article (a title line, then the paragraphs), with its timex table."""
    path = tmp_path / "story.txt"
    path.write_text("\n\n".join([TITLE, *paragraphs]) + "\n", encoding="utf-8")
    article = read_and_parse(path, published=published)
    return helpers.event_table(article, helpers.timex_table(article), helpers.entity_table(article))


def event(events: pd.DataFrame, trigger: str) -> pd.Series:
    """The one row of the events table whose trigger is this word."""
    rows = events[events["trigger"] == trigger]
    assert len(rows) == 1, f"{trigger!r}: {len(rows)} rows in\n{events[['trigger', 'value', 'dated_by']]}"
    return rows.iloc[0]


def test_an_event_takes_its_own_date_not_the_first_in_its_sentence(tmp_path):
    events = events_of(tmp_path, "The last surviving member of the 1966 squad, Jane Doe, died last May.")
    died = event(events, "died")
    assert (died["value"], died["dated_by"], died["expression"]) == ("2024-05", "own", "last May")
    assert died["main"] and died["actor"] == "Jane Doe"


def test_present_statements_and_acts_of_saying_do_not_join_a_flashback(tmp_path):
    events = events_of(tmp_path, "Workers walked out in March 2009. Police arrested 20 pickets.",
                       "The minister apologised on Friday. The union said later that it would appeal.",
                       '"We expect a ruling soon," a spokesman said.')
    assert event(events, "arrested")[["value", "dated_by"]].tolist() == ["2009-03", "narrative"]
    assert event(events, "apologised")[["value", "dated_by"]].tolist() == ["2024-09-06", "own"]
    said = events[events["trigger"] == "said"]
    assert said["value"].tolist() == ["2024-09-10", "2024-09-10"] and set(said["dated_by"]) == {"saying"}
    expect = event(events, "expect")
    assert (expect["value"], expect["dated_by"], expect["modality"]) == ("2024-09-10", "present", "reported")
    assert events.loc[expect["reported_by"], "trigger"] == "said"
    assert event(events, "appeal")[["modality", "dated_by"]].tolist() == ["hypothetical", "undated"]


def test_relative_expressions_in_quoted_older_material_anchor_to_its_time(tmp_path):
    events = events_of(tmp_path, 'In a letter written in June 2011, she told him: "Meet me on Saturday."')
    assert event(events, "Meet")[["value", "dated_by", "expression"]].tolist() == ["2011-06", "own", "Saturday"]
    article_text = "In a letter dated June 3, 2011, she told him: \u201cCall me tomorrow.\u201d"
    path = tmp_path / "letter.txt"
    path.write_text(f"{TITLE}\n\n{article_text}\n", encoding="utf-8")
    timexes = helpers.timex_table(read_and_parse(path, published="2024-09-10"))
    assert timexes.loc[timexes["text"] == "tomorrow", ["value", "rule"]].values.tolist() == [
        ["2011-06-04", "deictic_day in quote"]]


def test_a_plan_reported_in_the_past_is_read_in_the_past(tmp_path):
    events = events_of(tmp_path, "The firm agreed to sell the plant in May, the company said.")
    sell = event(events, "sell")
    assert (sell["value"], sell["modality"], sell["main"]) == ("2024-05", "planned", True)
    events = events_of(tmp_path, "The firm will sell the plant in May.")
    assert event(events, "sell")["value"] == "2025-05"  # a plan told in the future stays ahead


def test_offsets_and_durations_are_not_dates(tmp_path):
    events = events_of(tmp_path, "The harvest began two weeks earlier than usual. Prices will rise over the "
                                 "next decade.")
    began, rise = event(events, "began"), event(events, "rise")
    assert began["dated_by"] == "news" and began["expression"] == "" and rise["value"] == ""  # no date of their own


def test_a_day_shift_on_a_month_keeps_the_month(tmp_path):
    events = events_of(tmp_path, "He was arrested in March 2023. The day before he was arrested, he fled.")
    assert event(events, "fled")[["value", "granularity"]].tolist() == ["2023-03", "month"]


def test_the_lede_is_on_the_timeline(tmp_path, cues):
    path = tmp_path / "wire.txt"
    path.write_text(f"{TITLE}\n\nRebels attacked the town of Springfield on Monday, officials said.\n\n"
                    "The army sent troops on Tuesday. Residents fled.\n", encoding="utf-8")
    article = read_and_parse(path, published="2024-09-10")
    assert [p.kind for p in article.paragraphs] == ["title", "standfirst", "body"]
    timexes = helpers.timex_table(article)
    timeline = helpers.timeline_table(article, timexes, helpers.entity_table(article), cues)
    assert timeline[["paragraph", "kind", "value", "dated_by"]].values.tolist() == [
        [1, "standfirst", "2024-09-09", "own"], [2, "body", "2024-09-10", "own"],
        [2, "body", "2024-09-10", "narrative"]]


def test_an_event_noun_subject_dates_its_verb(tmp_path):
    events = events_of(tmp_path, "Jets bombed a hotel on Friday. Police arrived on Saturday. "
                                 "The attack killed 20 people.")
    assert event(events, "killed")[["value", "dated_by"]].tolist() == ["2024-09-06", "clause"]  # not Saturday


def test_a_story_of_violence_names_one_event_by_different_words(tmp_path):
    events = events_of(tmp_path, "The bomb went off on Aug. 7, killing 247 people.",
                       "The ambassador was cut in the blast, which damaged the embassy.",
                       "His death shocked the town. The toll for both bombings rose.")
    for trigger in ("blast", "damaged", "death", "bombings"):  # the killing was told with its date
        assert event(events, trigger)["value"] == "2024-08-07", trigger
    assert event(events, "blast")["dated_by"] == "same event" and event(events, "damaged")["dated_by"] == "clause"


def test_an_event_dated_only_by_the_time_of_writing_is_no_anchor(tmp_path):
    events = events_of(tmp_path, "The raid ended today, officials say.", "The raid killed 20 people.")
    first, second = events[events["trigger"] == "raid"][["value", "dated_by"]].values.tolist()
    assert first == ["2024-09-10", "clause"]  # the time of writing: not said to be when the raid happened
    assert second[1] != "same event"


def test_violence_told_in_court_is_the_crime_told_before(tmp_path):
    events = events_of(tmp_path, "A man was jailed for life on Wednesday for the murder of a shopkeeper in 2019.",
                       "John Smith stabbed Ali Khan several times, the court heard.")
    assert event(events, "jailed")["value"] == "2024-09-04"
    assert event(events, "stabbed")[["value", "dated_by"]].tolist() == ["2019", "same event"]  # not Wednesday
    assert event(events, "heard")["dated_by"] == "saying"


def test_a_day_without_a_year_in_a_story_of_an_earlier_year_is_in_that_year(tmp_path):
    events = events_of(tmp_path, "A jury convicted John Smith on Thursday in a 2016 shooting that killed a teenager.",
                       "The teenager was shot four times on Aug. 11 outside his home.")
    assert event(events, "shot")[["value", "dated_by", "expression"]].tolist() == [
        "2016-08-11", "story year", "Aug. 11"]  # not Aug. 11, 2024, the day nearest publication
    month = events_of(tmp_path, "Smith was convicted on Thursday in the December 2014 shooting of two men.",
                      "The men were shot on Dec. 28 outside a bar.", "Police arrested Smith on Jan. 5.")
    assert event(month, "shot")["value"] == "2014-12-28"
    assert event(month, "arrested")[["value", "dated_by"]].tolist() == ["2024-01-05", "own"]  # no violence
    alone = events_of(tmp_path, "The teenager was shot four times on Aug. 11 outside his home, police said.")
    assert event(alone, "shot")[["value", "dated_by"]].tolist() == ["2024-08-11", "own"]  # no earlier year told


def test_people_killed_in_a_dated_disaster_or_attack_were_killed_then(tmp_path):
    events = events_of(tmp_path, "An earthquake shook the region on Sunday afternoon.", "Aid arrived on Monday.",
                       "Officials said on Tuesday that 279 people had been killed in the earthquake.")
    assert event(events, "killed")[["value", "dated_by"]].tolist() == ["2024-09-08TAF", "clause"]
    calm = events_of(tmp_path, "Shares rose in trading on Tuesday.", "Profits fell in the quarter, the firm said.")
    assert event(calm, "fell")["dated_by"] != "clause"  # a quarter is no event of violence


def test_a_day_after_report_dates_its_lede_by_the_day_it_gives_later(tmp_path):
    events = events_of(tmp_path, "A plane crashed after takeoff, killing all 10 people aboard, officials said Monday.",
                       "Investigators were studying the wreckage of Sunday's crash.",
                       "In 2017, a plane of the same model crashed in Melbourne.")
    rows = events[events["trigger"].isin(["crashed", "killing"])]
    assert rows[["trigger", "value", "dated_by"]].values.tolist() == [
        ["crashed", "2024-09-08", "same event"], ["killing", "2024-09-08", "clause"], ["crashed", "2017", "own"]]
    older = events_of(tmp_path, "A plane crashed after takeoff, officials said Monday.",
                      "In 2017, a plane of the same model crashed in Melbourne.")
    assert older[older["trigger"] == "crashed"]["dated_by"].tolist()[0] != "same event"  # 2017's is another crash


def test_a_day_after_lede_finds_its_date_in_any_word_of_violence(tmp_path):
    events = events_of(tmp_path, "A gunman opened fire on a party, killing three people, police said Monday.",
                       "Detectives searched the house after the Sunday night attack.")
    rows = events[events["trigger"].isin(["opened", "fire", "killing"])]
    assert set(rows["value"]) == {"2024-09-08TNI"}  # the attack's night, not the day it was reported
    killing, said = event(events, "killing"), events[events["trigger"] == "said"].iloc[0]
    assert killing["dated_by"] in ("same event", "clause") and said["value"] == "2024-09-09"
    lede = events[(events["paragraph"] == 1) & events["main"]]
    assert lede["trigger"].tolist() != ["said"]  # the sentence tells the shooting, not the saying
    assert newslab.events.event_kind(newslab.nlp.load_nlp()("They opened fire.")[1]) == "shooting"
    week_before = events_of(tmp_path, "A gunman killed three people at a party, police said Monday.",
                            "In 2019, an attack on the same street wounded two.")
    assert event(week_before, "killed")["value"] != "2019"  # an older attack is another one


def test_a_day_after_lede_is_dated_by_the_clause_that_says_when_it_took_place(tmp_path):
    events = events_of(tmp_path, "Ten robbers armed with guns boarded and hijacked a tanker, the bureau said.",
                       "The hijacking took place off Malaysia on Sunday.")
    assert event(events, "hijacked")[["value", "dated_by"]].tolist() == ["2024-09-08", "same event"]
    story = events_of(tmp_path, "Robbers boarded a tanker and tied up the crew.",
                      "They held the sailors hostage, and the captain said he was frightened.",
                      "The hijacking took place off Malaysia on Sunday.")
    assert event(story, "held")[["value", "dated_by"]].tolist() == ["2024-09-08", "same event"]
    assert event(story, "frightened")["value"] != "2024-09-08"  # what a saying reports stays the saying's
    recovered = events_of(tmp_path, "Rescuers have recovered 59 bodies after an explosion tore through a mine, the "
                                    "government said Tuesday.", "The blast occurred on Sunday.")
    assert event(recovered, "explosion")["value"] == "2024-09-08"
    assert not event(recovered, "explosion")["main"]  # the sentence reports the recovery, not the blast
    threats = events_of(tmp_path, "The minister said Washington would break the law by attacking.",
                        "Moscow warned on Sunday that air strikes could do serious harm.")
    assert event(threats, "attacking")["dated_by"] != "same event"  # strikes that could happen date nothing


def test_a_saying_gives_way_to_the_violence_it_reports_when_that_was_told_on_another_day(tmp_path):
    events = events_of(tmp_path, "Twin bombs exploded in a crowded market on Monday night.",
                       "Thirty-four people were killed by the blasts, the police chief said.",
                       "The police chief said the city was calm.")
    killed = event(events, "killed")
    assert killed["main"] and killed["value"] == "2024-09-09TNI"
    calm = events[(events["paragraph"] == 3) & events["main"]]
    assert calm["trigger"].tolist() == ["said"]  # what is reported has no day of its own


def test_the_crime_an_arrest_names_takes_the_date_told_after_it(tmp_path):
    events = events_of(tmp_path, "A man has been arrested in connection with a fatal shooting outside a club.",
                       "He is being charged with murder, the sheriff said.",
                       "On Wednesday, August 14, deputies found that a man was shot in the parking lot.",
                       "He was arrested on Monday.")
    for trigger in ("shooting", "murder"):
        assert event(events, trigger)[["value", "dated_by"]].tolist() == ["2024-08-14", "same event"]
    assert event(events, "charged")["value"] == "2024-09-10"  # the charge is of the time of writing
    verdict = events_of(tmp_path, "In July a jury convicted Pollard of murder for killing Arthur Hill during an "
                                  "April 2000 robbery at a store.")
    for trigger in ("murder", "killing"):
        assert event(verdict, trigger)[["value", "dated_by"]].tolist() == ["2000-04", "same event"]
    assert event(verdict, "convicted")["value"] == "2024-07"
    other_crime = events_of(tmp_path, "A man has been charged with murder, the sheriff said.",
                            "He was also wanted for another murder that happened in Ohio in 2021.")
    charged = other_crime[other_crime["trigger"] == "murder"].iloc[0]
    assert charged["value"] != "2021" and charged["dated_by"] != "same event"  # another murder is not this one


@pytest.mark.parametrize("sentence, trigger, year", [
    ("Hundreds gathered on Sunday to mark the 14th anniversary of the bombing.", "bombing", "2010"),
    ("It has been 14 years since she lost her parents.", "lost", "2010"),
    ("Fourteen years after the bombing, the site is a garden.", "bombing", "2010"),
    ("Crowds marked the fourteenth anniversary of the massacre.", "massacre", "2010"),
    ("Ten years on from the attacks, the threat continues.", "attacks", "2014"),
    ("A decade after the flood, the town was rebuilt in 2019.", "flood", "2009"),  # ten years before the clause's
])
def test_years_counted_back_date_the_earlier_event(tmp_path, sentence, trigger, year):
    row = event(events_of(tmp_path, sentence), trigger)
    assert (row["value"], row["dated_by"], row["granularity"]) == (year, "own", "year")


def test_a_year_counted_back_is_no_news_of_its_own_and_dates_what_renames_it(tmp_path):
    events = events_of(tmp_path, "Officials said on Monday that talks are continuing as the second anniversary "
                                 "of his abduction nears.",
                       "They remembered the 20th anniversary of the bombing, an attack that killed 168 people.")
    assert event(events, "abduction")["value"] == "2022"
    assert not event(events, "abduction")["main"]
    assert event(events, "attack")[["value", "dated_by"]].tolist() == ["2004", "clause"]  # one event, renamed


def test_the_victims_of_violence_were_harmed_when_it_happened(tmp_path):
    events = events_of(tmp_path, "On Dec. 13, 1937, troops captured the city and began a massacre.",
                       "Names of the victims of the massacre are engraved on a wall.")
    assert event(events, "victims")["value"].startswith("1937")
    charges = events_of(tmp_path, "A man was shot on Friday.", "He faces a charge of murder, police said.")
    assert event(charges, "charge")["value"] != "2024-09-06"  # a charge of murder is no victim of it


def test_a_dated_participle_on_the_subject_dates_its_verb_but_a_plan_does_not(tmp_path):
    events = events_of(tmp_path, "Protests continued on Monday.",
                       "At least three people killed Wednesday were shot dead by the army.")
    assert event(events, "shot")[["value", "dated_by"]].tolist() == ["2024-09-04", "sentence"]  # not Monday's story
    plan = events_of(tmp_path, "Protests continued on Monday.", "A memorial service planned for Saturday was canceled.")
    assert event(plan, "canceled")[["value", "dated_by"]].tolist() == ["2024-09-09", "narrative"]  # not on Saturday


def test_hearing_explosions_is_no_saying(tmp_path):
    events = events_of(tmp_path, "Bombs exploded in the market on Friday.", "Residents heard the blasts and fled.")
    assert event(events, "heard")[["value", "dated_by"]].tolist() == ["2024-09-06", "narrative"]


def test_what_was_said_does_not_take_the_date_of_the_saying(tmp_path):
    events = events_of(tmp_path, "Police said on Friday that gunmen killed three guards.")
    assert event(events, "said")["value"] == "2024-09-06"
    assert event(events, "killed")[["value", "dated_by"]].tolist() == ["", "undated"]


def test_a_copula_is_an_event_but_not_the_main_one(tmp_path):
    events = events_of(tmp_path, "The envoy was in Moscow on Friday.",
                       "She has been at the centre of the dispute since she was fired in May.")
    assert event(events, "was")[["value", "dated_by", "main"]].tolist() == ["2024-09-06", "own", True]
    been = event(events, "been")
    assert not been["main"] and event(events, "fired")["main"]  # the copula gives way to what it says


def test_a_copula_predicate_is_an_event_but_never_the_main_one(tmp_path):
    events = events_of(tmp_path, "Shares of the company were up 2 pence on Friday.",
                       "The company is in compliance with the order.")
    up = event(events, "up")
    assert up["value"] == "2024-09-06" and not up["main"]
    assert not event(events, "in")["main"]


def test_a_hyphenated_noun_is_one_trigger(tmp_path):
    text = "The cease-fire collapsed on Monday. The bank took a write-down of $9 million."
    events = events_of(tmp_path, text)
    for trigger in ("cease-fire", "write-down"):
        row = event(events, trigger)
        assert text[row["start"]:row["end"]] == trigger
    assert event(events, "cease-fire")["value"] == "2024-09-09"
    assert not newslab.events.hyphenated_event(newslab.nlp.load_nlp()("a well-known man")[2])


def test_a_comparisons_baseline_is_not_the_date_of_its_event(tmp_path):
    events = events_of(tmp_path, "Revenue declined 8% to $85.7 million, from $93.3 million a year earlier.",
                       "Profit grew 19% from a year ago.", "Rates were lower than a year ago.")
    for trigger in ("declined", "grew", "lower"):
        assert event(events, trigger)["expression"] != "a year ago", trigger
        assert not event(events, trigger)["value"].startswith("2023"), trigger


def test_a_date_counting_back_dates_the_clause_it_hangs_in(tmp_path):
    events = events_of(tmp_path, "The firm was founded in 1990.",
                       "It had sales of $3 million, or 5 cents a share, a year ago.")
    assert event(events, "sales")[["value", "dated_by"]].tolist() == ["2023", "own"]
    assert event(events, "had")["value"] == "2023"  # not 1990 by the narrative


def test_a_reported_event_is_the_story_not_the_day_it_was_reported(tmp_path):
    events = events_of(tmp_path, "A woman was stabbed on Saturday night, police said on Monday. The victim, who "
                                 "has not been named, was pronounced dead at the scene.",
                       "Forces killed 12 people in an airstrike on Thursday, the ministry said.")
    pronounced = event(events, "pronounced")  # the stabbing's night, not Monday, nor the time of writing
    assert pronounced[["value", "dated_by"]].tolist() == ["2024-09-07TNI", "narrative"]
    assert event(events, "airstrike")[["value", "dated_by"]].tolist() == ["2024-09-05", "sentence"]


def test_a_date_after_since_begins_a_period_and_dates_no_event(tmp_path):
    events = events_of(tmp_path, "It is the first drug approved since 2003.",
                       "They have cared for him since November, when he was found at sea.")
    assert event(events, "approved")["value"] != "2003"
    assert event(events, "found")["value"] == "2023-11"  # but a 'when' clause on it is dated by it


def test_a_verb_used_as_a_noun_is_an_event_when_a_date_modifies_it(tmp_path):
    events = events_of(tmp_path, "Its fourth-quarter slump was blamed on costs.", "Sunday's service drew crowds.",
                       "The 1966 squad won.")
    assert event(events, "slump")[["value", "dated_by"]].tolist() == ["2023-Q4", "own"]
    assert event(events, "service")["value"] == "2024-09-08"
    assert "squad" not in set(events["trigger"])  # not a verb: a thing the date describes


def test_what_someone_can_do_is_true_at_the_time_of_writing(tmp_path):
    events = events_of(tmp_path, "Shoppers can find the drug in most pharmacies.",
                       "If prices fall, buyers can return.", "He said buyers can return.")
    assert event(events, "find")[["value", "dated_by"]].tolist() == ["2024-09-10", "present"]
    returns = events[events["trigger"] == "return"]
    assert returns["dated_by"].tolist() == ["undated", "undated"]  # under a condition; in a report


def test_the_crime_a_charge_names_is_the_violence_told_not_the_charge(tmp_path):
    events = events_of(tmp_path, "A man has been charged with murder after a woman was stabbed to death on "
                                 "Saturday night, police said on Monday.", "He was later accused of the killing.")
    assert event(events, "murder")[["value", "dated_by"]].tolist() == ["2024-09-07TNI", "same event"]
    assert event(events, "death")["value"] == "2024-09-07TNI"  # stabbed to death: then
    assert event(events, "killing")[["value", "dated_by"]].tolist() == ["2024-09-07TNI", "same event"]
    assert event(events, "charged")["value"] == "2024-09-09"


def test_a_wire_dateline_is_the_time_of_writing(tmp_path):
    events = events_of(tmp_path, "WASHINGTON, Sept. 9 (Xinhua) -- The minister said the talks would go on. "
                                 "The envoys are in Geneva.")
    assert event(events, "said")[["value", "dated_by"]].tolist() == ["2024-09-09", "saying"]
    assert event(events, "are")["value"] == "2024-09-09"
    later = events_of(tmp_path, "WASHINGTON, Sept. 1 (Xinhua) -- The minister said the talks would go on.")
    assert event(later, "said")["value"] == "2024-09-10"  # a dateline older than three days is not the writing
    plain = events_of(tmp_path, "The minister said on Sept. 9 the talks would go on. The envoys are in Geneva.")
    assert event(plain, "are")["value"] == "2024-09-10"


def test_according_to_is_a_saying_and_every_kind_of_violence_is_an_event(tmp_path):
    events = events_of(tmp_path, "Heavy gunfire was heard in the town on Friday, according to residents.",
                       "The homicide shocked the town.")
    assert event(events, "according")[["value", "dated_by"]].tolist() == ["2024-09-10", "saying"]
    assert event(events, "gunfire")["value"] == "2024-09-06"
    assert event(events, "homicide")["value"] == "2024-09-06"  # the story's Friday
    assert "bomb" not in newslab.events.KIND_NOUNS  # a thing that may never go off


def test_a_noun_made_from_a_verb_is_an_event_unless_it_names_a_body(tmp_path):
    events = events_of(tmp_path, "The government ordered the repatriation of the refugees on Monday.")
    assert event(events, "repatriation")["value"] == "2024-09-09"
    assert "government" not in set(events["trigger"])
    assert newslab.events.nominalization("arrival") and newslab.events.nominalization("failure")
    assert not newslab.events.nominalization("equipment") and not newslab.events.nominalization("material")


def test_a_past_event_before_any_date_is_the_news_of_publication(tmp_path):
    events = events_of(tmp_path, "Gunmen robbed a bank in the city centre.", "The robbers fled in 2023.",
                       "They hid the money.")
    assert event(events, "robbed")[["value", "dated_by"]].tolist() == ["2024-09-10", "news"]
    assert event(events, "hid")[["value", "dated_by"]].tolist() == ["2023", "narrative"]  # the story's date


@pytest.mark.parametrize("saying", ["stressed", "stated"])  # NEWS_SAYING, the resolver's sayings too
def test_a_stressed_point_is_a_saying_at_publication_not_in_the_story(tmp_path, saying):
    events = events_of(tmp_path, f"Gunmen robbed the bank in 2023. The manager {saying} that nobody was hurt.")
    assert event(events, saying)[["value", "dated_by"]].tolist() == ["2024-09-10", "saying"]


def test_speaking_out_and_the_report_on_its_sources_are_acts_of_the_time_of_writing(tmp_path):
    events = events_of(tmp_path, "The bombing happened in 2023.",
                       "Exiles called for calm. Both officials requested anonymity. Police gave no details. The "
                       "ministry could not be reached for comment. The ambassador condemned the bombing.")
    for trigger in ("condemned", "requested", "gave", "reached", "called"):
        assert event(events, trigger)[["value", "dated_by"]].tolist() == ["2024-09-10", "saying"], trigger
    story = events_of(tmp_path, "The bombing happened in 2023. The mayor also warned of riots. Police declined to "
                                "comment. What police called a terror cell was broken up.")
    assert event(story, "warned")[["value", "dated_by"]].tolist() == ["2023", "narrative"]  # as "she also recalled"
    assert event(story, "declined")["value"] == "2024-09-10"  # the report's sourcing: never in the story
    assert event(story, "called")["dated_by"] != "saying"  # "what police called": a label, not speaking out
    nlp = newslab.nlp.load_nlp()
    assert not newslab.events.sourcing(nlp("They gave money to the poor.")[1])
    assert not newslab.events.speaking_out(nlp("The union would appeal.")[3])  # not said yet


def test_a_period_after_for_dates_the_amounts_reported_for_it(tmp_path):
    events = events_of(tmp_path, "The firm expects to report net income of 15 cents a share for the third quarter.",
                       published="2024-10-30")
    assert event(events, "income")[["value", "dated_by"]].tolist() == ["2024-Q3", "own"]
    plain = events_of(tmp_path, "The firm will report its income to the tax office for the third time.",
                      published="2024-10-30")
    assert event(plain, "income")["value"] != "2024-Q3"


def test_a_gapped_conjunct_shares_its_date(tmp_path):
    events = events_of(tmp_path, "Two soldiers were killed and three others injured on Sunday.")
    assert event(events, "killed")[["value", "dated_by"]].tolist() == ["2024-09-08", "clause"]
    assert event(events, "injured")[["value", "dated_by"]].tolist() == ["2024-09-08", "own"]


def test_more_nouns_made_from_verbs_and_gatherings_are_events(tmp_path):
    for noun in ("introduction", "redemption", "recapitalization", "reduction"):
        assert newslab.events.nominalization(noun), noun
    assert not newslab.events.nominalization("relation") and not newslab.events.nominalization("religion")
    events = events_of(tmp_path, "The minister answered questions over lunch on Tuesday.")
    assert event(events, "lunch")["value"] == "2024-09-10"


def test_every_dating_rule_has_a_style_in_the_figure():
    assert set(helpers.DATED_BY) == set(helpers.plots.DATED_BY_STYLES)


def test_actor_target_negation_and_modality(tmp_path):
    events = events_of(tmp_path, "Police did not arrest the driver. The mayor could resign. "
                                 "The envoy, Nikki Haley, was criticised by Russia.")
    arrest = event(events, "arrest")
    assert (arrest["actor"], arrest["target"], arrest["negated"], arrest["modality"]) == (
        "Police", "driver", "not", "asserted")
    assert event(events, "resign")["modality"] == "hypothetical"
    criticised = event(events, "criticised")
    assert (criticised["actor"], criticised["target"]) == ("Russia", "Nikki Haley")


def test_seed_events_table(seed_article):
    events = helpers.event_table(seed_article, helpers.timex_table(seed_article), helpers.entity_table(seed_article))
    assert list(events.columns) == helpers.EVENT_COLUMNS
    for row in events.itertuples():  # offsets are into the paragraph's own text
        assert seed_article.paragraphs[row.paragraph].text[row.start:row.end] == row.trigger
    assert set(events["dated_by"]) <= set(helpers.DATED_BY)
    main = events[events["main"]].set_index(["paragraph", "sentence"])
    assert main.index.is_unique and len(main) == 30
    assert main.loc[(7, 0), ["trigger", "value", "dated_by"]].tolist() == ["reached", "2018-03-13", "own"]
    assert main.loc[(2, 0), ["actor", "target", "value"]].tolist() == ["Valery Gerasimov", "Joseph Dunford",
                                                                    "2018-03-21"]
    assert main.loc[(11, 0), ["actor", "trigger", "value"]].tolist() == [
        "Russian Defense Ministry", "said", "2018-03-21"]


def test_seed_events_csv_and_dependency_picture(seed_project):
    events = pd.read_csv(seed_project / "data" / SEED_SLUG / "events.csv", keep_default_na=False)
    assert list(events.columns) == helpers.EVENT_COLUMNS + ["cameo_code", "cameo_event", "goldstein", "tension"]
    assert len(events) > 100
    svg = (seed_project / "figures" / SEED_SLUG / "dependency_parse.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "nsubj" in svg and "Gerasimov" in svg


def test_dependency_picture_escapes_article_text(tmp_path):
    doc = newslab.nlp.load_nlp()("Police said <script>alert(1)</script> & fled.")
    markup = helpers.plots.dependency_picture(doc[:], tmp_path).data
    assert "<script" not in markup and "</script" not in markup and "&lt;" in markup and "&amp;" in markup
    assert helpers.plots.dependency_picture(doc[:], tmp_path).data == markup  # no random ids: stable files


@pytest.mark.parametrize("rule", list(newslab.events.RULE_DOUBTS))
def test_doubtful_dates_names_the_weaker_rules(rule):
    events = pd.DataFrame([{**dict.fromkeys(helpers.EVENT_COLUMNS, ""), "paragraph": 1, "sentence": 0,
                            "trigger": "went", "main": True, "dated_by": rule}])
    timexes = pd.DataFrame([{"paragraph": 1, "sentence": 0, "text": "in 1966"}])
    doubtful = helpers.doubtful_dates(events, timexes)
    assert doubtful[["trigger", "dated_by", "other_dates"]].values.tolist() == [["went", rule, "in 1966"]]
