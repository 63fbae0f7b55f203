"""The extractor on news reports: datelines, headlines and bylines, the press's words for deaths and arrests, weeks.

The sentences are written for these tests in the shapes of wire and newspaper reports; none is
taken from the development set.
"""

from __future__ import annotations

from datetime import date

import pytest

from incidents.extract import extract, placenames, when


def _first(text: str, **kw):
    found = extract(text, **kw)
    assert found, text
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "killed", "injured", "detained"),
    [
        ("At least six people, including two Levies personnel, were martyred and 12 others injured in the blast.", 6, 12, None),
        ("At least seven worshippers died and 20 were hurt when a suicide bomber blew himself up.", 7, 20, None),
        ("Four soldiers were martyred when terrorists attacked a post. Troops killed two terrorists.", 6, None, None),
        ("Two labourers lost their lives in the attack.", 2, None, None),
        ("Police nabbed three suspects in a raid.", None, None, 3),
        ("Two policemen were gunned down at a checkpoint.", 2, None, None),
    ],
)
def test_the_words_of_the_press_for_deaths_injuries_and_arrests_are_counted(sentence, killed, injured, detained):
    c = _first(f"QUETTA, March 14, 2025: {sentence}")
    assert (c.fatalities, c.injured, c.detained) == (killed, injured, detained)


def test_a_counted_subject_and_a_second_subject_are_not_read_as_one():
    c = _first("QUETTA, March 14, 2025: Seven people died and 20 were hurt in the blast.")
    assert (c.fatalities, c.injured) == (7, 20)  # not 7 hurt: "and 20" begins another subject


def test_a_dateline_dates_the_report_not_the_event():
    c = _first("SRINAGAR, Sept 3, 2024: Three militants were killed in a gunfight in Kupwara district on Monday, police said.")
    assert (c.date_start, c.date_precision) == (date(2024, 9, 2), "day")  # Monday, not the dateline's Tuesday
    c = _first("SRINAGAR, Sept 3, 2024: Three militants were killed in a gunfight in Kupwara district, police said.")
    assert (c.date_start, c.date_end, c.date_precision) == (date(2024, 9, 1), date(2024, 9, 3), "month")
    given = _first("SRINAGAR, Sept 3, 2024: Three militants were killed in Kupwara district.", published=date(2024, 9, 4))
    assert (given.date_start, given.date_precision) == (date(2024, 9, 1), "month")  # not the dateline's year, 2024
    assert when.published("QUETTA, 7 February 2025 — At least seven people died.").start == date(2025, 2, 7)
    assert when.published("Published 20 May 2025\n\nKHUZDAR: Police arrested five suspects.").start == date(2025, 5, 20)


def test_a_day_of_the_telling_gives_way_to_the_day_the_passage_gives_the_event():
    c = _first(
        "ISLAMABAD, June 12, 2025 - Security forces killed 11 militants in a raid in Mastung, the army said on Thursday. "
        "The army said the raid took place on Wednesday."
    )
    assert c.date_start == date(2025, 6, 11)  # 12 June 2025 was a Thursday


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("over the weekend", date(2025, 5, 17), date(2025, 5, 18)),  # 20 May 2025 was a Tuesday
        ("last week", date(2025, 5, 12), date(2025, 5, 18)),
        ("earlier this week", date(2025, 5, 19), date(2025, 5, 20)),
    ],
)
def test_weeks_are_read_as_weeks(words, start, end):
    c = _first(f"KHUZDAR, May 20, 2025: Police arrested five suspects in Khuzdar district {words}.")
    assert (c.date_start, c.date_end, c.date_precision) == (start, end, "week")
    text = f"KHUZDAR, May 20, 2025: Police arrested five suspects in Khuzdar district {words}."
    a, b = c.evidence["date"]
    assert text[a:b] == words


def test_a_headline_and_a_byline_open_the_report_they_head():
    text = (
        "Blast near Quetta mosque kills seven\n\nBy Staff Reporter\n\n"
        "QUETTA, 7 February 2025 — At least seven worshippers died and 20 were hurt on Friday when a suicide bomber "
        "blew himself up outside a mosque in Quetta.\n\nThe Islamic State Khorasan Province claimed responsibility in a "
        "statement.\n"
    )
    (c,) = extract(text)
    assert c.excerpt.startswith("Blast near Quetta mosque kills seven") and c.excerpt.endswith("outside a mosque in Quetta.")
    assert (c.date_start, c.event_type, c.fatalities, c.injured) == (date(2025, 2, 7), "attack", 7, 20)
    assert c.actors == ["Islamic State Khorasan Province"]  # a claim "in a statement" is no publication of its own


def test_a_group_named_only_for_its_past_deeds_is_no_actor_of_the_event():
    c = _first(
        "QUETTA, March 14, 2025: Six people were killed when a bomb struck a vehicle in Mastung district on Friday. "
        "No group has claimed responsibility. The Balochistan Liberation Army has claimed similar attacks in the past."
    )
    assert c.actors == []
    c = _first("QUETTA, March 14, 2025: The Balochistan Liberation Army claimed a bomb attack in Mastung district on Friday.")
    assert c.actors == ["Balochistan Liberation Army"]


def test_arrests_in_police_raids_are_arrests():
    c = _first("KHUZDAR, May 20, 2025: Police arrested five suspects during raids in Khuzdar district on Monday.")
    assert (c.event_type, c.detained) == ("arrest", 5)


@pytest.mark.parametrize(
    ("sentence", "location", "level", "admin1"),
    [
        ("Forces killed 11 militants in a hideout in Mastung, in Balochistan province.", "Mastung", "district", "Balochistan"),
        # a town of the name in another province
        # a spelling the district layer does not use, and a town of the name in another province: the province only
        ("Forces detained two men in Khugyani district, Nangarhar province.", "Nangarhar", "province", "Nangarhar"),
        ("Forces captured a Taliban leader in Bati Kot district, Nangarhar province.", "Bati Kot", "district", "Nangarhar"),
        ("Troops killed three militants in Kupwara district.", "Kupwara", "district", "Jammu and Kashmir"),
    ],
)
def test_the_finest_place_the_sentence_supports_and_no_finer(sentence, location, level, admin1):
    c = _first(f"QUETTA, March 14, 2025: {sentence}")
    assert (c.location, c.geo_precision, c.admin1) == (location, level, admin1)


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("At least 10 people including police personnel were killed and over 40 people injured in a bomb blast.", 10, 41),
        ("Three militants killed and a soldier martyred in two encounters in Kupwara district on Tuesday, police said.", 4, None),
        ("The raid follows the killing of 11 suspected militants in Mastung district.", 11, None),
    ],
)
def test_counts_told_as_reports_open(sentence, killed, injured):
    c = _first(f"SRINAGAR, Nov 14, 2017: {sentence}")
    assert (c.fatalities, c.injured) == (killed, injured)


def test_a_headlines_count_is_not_added_to_the_reports_own():
    (c,) = extract("Six killed in Mastung blast\n\nQUETTA, March 14, 2025: Six people were killed in Mastung district on Friday.")
    assert c.fatalities == 6


@pytest.mark.parametrize(
    ("words", "start", "end", "precision"),
    [
        ("earlier this month", date(2023, 9, 1), date(2023, 9, 29), "month"),
        ("last month", date(2023, 8, 1), date(2023, 8, 31), "month"),
        ("last year", date(2022, 1, 1), date(2022, 12, 31), "year"),
        ("earlier this year", date(2023, 1, 1), date(2023, 9, 29), "year"),
    ],
)
def test_months_and_years_before_the_report(words, start, end, precision):
    c = _first(f"QUETTA, Sept 29, 2023: Two people were injured in a blast in Mastung district {words}.")
    assert (c.date_start, c.date_end, c.date_precision) == (start, end, precision)


def test_an_earlier_event_told_in_a_report_is_a_candidate_of_its_own():
    text = (
        "MASTUNG, Sept 29, 2023: At least 13 people were killed in a blast in Mastung district on Friday.\n\n"
        "Earlier this month, at least 11 people were injured in a blast in the same district.\n"
    )
    first, second = extract(text)
    assert (first.fatalities, first.injured, first.date_start) == (13, None, date(2023, 9, 29))
    assert (second.injured, second.date_start, second.date_precision) == (11, date(2023, 9, 1), "month")


@pytest.mark.parametrize(
    ("sentence", "location", "level"),
    [
        ("At least 13 people were killed in a blast in Balochistan’s Mastung district.", "Mastung", "district"),
        ("Five militants were killed in Jammu and Kashmir’s border district of Kupwara.", "Kupwara", "district"),
        ("Forces killed five terrorists in Panjgur, Zhob and Kech in Balochistan.", "Balochistan", "province"),
    ],
)
def test_a_place_in_a_place_and_a_list_of_places(sentence, location, level):
    c = _first(f"QUETTA, Aug 30, 2024: {sentence}")
    assert (c.location, c.geo_precision) == (location, level)


def test_people_gathering_for_a_procession_is_no_meeting():
    (c,) = extract(
        "MASTUNG, Sept 29, 2023: A blast killed ten people in Mastung district on Friday. "
        "Officials said the explosion took place when people were gathering for a procession."
    )
    assert (c.event_type, c.fatalities) == ("attack", 10)


def test_a_wire_dateline_in_title_case_is_neither_the_place_nor_a_count():
    c = _first(
        "Islamabad, May 21, 2025 Five people, including three children, have died and around 38 more injured in a blast "
        "in Balochistan’s Khuzdar area on Wednesday."
    )
    assert (c.fatalities, c.injured, c.location) == (5, 38, "Khuzdar")  # not 21 (the day), not Islamabad


def test_deaths_told_again_and_deaths_of_the_wounded():
    c = _first(
        "QUETTA, May 21, 2025: At least four children were killed in a blast on a school bus in Khuzdar district. "
        "The minister expressed grief over the death of four children."
    )
    assert c.fatalities == 4
    later = _first("QUETTA, May 25, 2025: Two more students succumbed to their injuries in Khuzdar district.")
    assert later.fatalities == 2


def test_a_byline_with_the_publication_date_belongs_to_the_header():
    text = (
        "At least 4 students killed in Khuzdar\n\nAbdullah Zehri Published May 21, 2025 Updated May 21, 2025 10:19am\n\n"
        "At least four children were killed in a blast in Balochistan’s Khuzdar district on Wednesday morning.\n"
    )
    c = _first(text)
    assert c.excerpt.startswith("At least four children") and c.date_start == date(2025, 5, 21)


def test_a_sentence_naming_the_event_again_tells_more_of_it_and_a_routes_ends_are_not_its_place():
    text = (
        "New Delhi, March 11, 2025 - Militants hijacked the Jaffar Express, a train on its way from Quetta to Peshawar, "
        "in Pakistan’s Balochistan province. The attack, which occurred on March 11, injured the train driver. "
        "The Baloch Liberation Army (BLA) claimed responsibility."
    )
    (c,) = extract(text)
    assert (c.event_type, c.location, c.geo_precision, c.injured) == ("attack", "Balochistan", "province", 1)
    assert c.actors == ["Balochistan Liberation Army"] and c.new_actors == []  # one group by two of its names


def test_a_dash_aside_a_dozen_and_a_year_that_dates_another_attack():
    c = _first(
        "SRINAGAR, April 23, 2025: In the deadliest strike since the 2019 Pulwama attack, 28 people—mostly tourists—were "
        "killed and over a dozen injured when terrorists opened fire near Pahalgam on Tuesday afternoon."
    )
    assert (c.fatalities, c.injured, c.date_start, c.date_precision) == (28, 13, date(2025, 4, 22), "day")
    assert (c.location, c.geo_precision) == ("Pahalgam", "near")


def test_a_count_told_again_without_its_noun_is_the_same_people():
    c = _first(
        "SRINAGAR, April 22, 2025: At least 24 tourists were killed and 13 injured in an attack near Pahalgam.\n\n"
        "In the attack, at least 24 tourists were killed and 13 others injured when gunmen opened fire near Pahalgam.\n"
    )
    assert (c.fatalities, c.injured) == (24, 13)


def test_a_town_the_report_puts_the_event_near_inside_a_district_not_shipped():
    c = _first("SRINAGAR, April 30, 2025: Militants attacked tourists at Baisaran near Pahalgam in the Anantnag district.")
    assert (c.location, c.geo_precision, c.admin1) == ("Pahalgam", "near", "Jammu and Kashmir")


def test_the_resistance_front_is_known_by_its_names():
    c = _first("SRINAGAR, April 22, 2025: The Resistance Front (TRF), a proxy of Lashkar-e-Taiba, claimed the attack.")
    assert c.actors == ["The Resistance Front", "Lashkar-e-Taiba"] and c.new_actors == []


def test_a_district_named_after_its_seat_is_not_narrowed_to_the_seat():
    text = "Militant killed in Kupwara\n\nA militant was killed in an encounter in Kupwara district of Kashmir today.\n"
    c = _first(text, published=date(2016, 10, 24))
    assert (c.location, c.geo_precision, c.fatalities) == ("Kupwara", "district", 1)


def test_a_claim_dates_the_claim_and_counts_the_deaths_of_the_attack_claimed():
    text = (
        "Islamabad [Pakistan], August 1 (ANI): The Islamic State group on Monday claimed responsibility for the Bajaur "
        "suicide blast that killed 54 people, including 23 children.\n\nThe bombing targeted a rally in Pakistan’s border "
        "district of Bajaur on Sunday.\n"
    )
    c = _first(text, published=date(2023, 8, 1))
    assert (c.date_start, c.fatalities, c.location, c.admin1) == (date(2023, 7, 30), 54, "Bajaur", "Khyber Pakhtunkhwa")
    claimed = _first("QUETTA, Sept 3, 2025: The group claimed responsibility for Tuesday's suicide bombing in Quetta.")
    assert claimed.date_start == date(2025, 9, 2)  # the day of the bombing claimed
    other = _first("QUETTA, Sept 3, 2025: Police arrested a man responsible for Tuesday's bombing in Quetta.")
    assert other.date_precision == "month"  # another event's day: the report gives none of its own


def test_a_date_alone_under_a_byline_dates_the_report():
    text = (
        "Death toll in Mastung blast rises to 128\n\nCheryl Sanders\nJuly 14, 2018\n\n"
        "A suicide bomber targeting a political rally killed 128 people in Mastung district on Friday.\n"
    )
    c = _first(text)
    assert (c.date_start, c.fatalities) == (date(2018, 7, 13), 128)


def test_the_place_of_a_passage_is_the_nearest_sentence_that_names_one():
    text = (
        "QUETTA, Sept 3, 2025: The group claimed responsibility for a suicide bombing at a rally that killed 17 people. "
        "The bomber struck during the rally at Quetta's Shahwani Stadium. An earlier attempt on the party's chief was "
        "made in the Lak Pass area of Mastung district."
    )
    (c,) = extract(text)
    assert (c.location, c.fatalities, c.event_type) == ("Quetta", 17, "attack")
    (claim,) = extract("QUETTA, Sept 3, 2025: A bomb killed 17 people in Quetta. The group claimed it via its propaganda arm.")
    assert claim.event_type == "attack"  # a propaganda arm is no publication


def test_a_day_before_its_month_without_a_year_and_each_dated_report_its_own():
    text = (
        "QUETTA: Militants on 12 March attacked a Levies post in Mastung, killing two personnel, officials said on "
        "Thursday.\n\nOn 10 March, security forces arrested four suspects in Khuzdar.\n"
    )
    first, second = extract(text, published=date(2025, 3, 13))
    assert (first.date_start, first.location, first.fatalities, first.detained) == (date(2025, 3, 12), "Mastung", 2, None)
    assert (second.date_start, second.location, second.detained) == (date(2025, 3, 10), "Khuzdar", 4)


def test_the_day_of_the_telling_alone_is_never_the_events_day():
    c = _first(
        "QUETTA: Militants attacked a Levies post in Mastung, killing two personnel, officials said on Thursday.",
        published=date(2025, 3, 13),
    )
    assert (c.date_start, c.date_end, c.date_precision) == (date(2025, 3, 1), date(2025, 3, 13), "month")


def test_a_cited_sources_date_is_no_events_date():
    text = (
        "KABUL, Nov 16, 2022: Taliban forces continued to target civilians last week. In Samangan province, the Taliban "
        "arrested five former soldiers (Hasht-e Subh, 8 November 2022)."
    )
    (c,) = extract(text)
    assert (c.date_start, c.date_end, c.date_precision, c.location) == (date(2022, 11, 7), date(2022, 11, 13), "week", "Samangan")


@pytest.mark.parametrize(
    ("words", "start", "end", "precision"),
    [
        ("two days ago", date(2024, 8, 26), date(2024, 8, 26), "day"),
        ("the previous day", date(2024, 8, 27), date(2024, 8, 27), "day"),
        ("on the night between Aug 25 and 26", date(2024, 8, 25), date(2024, 8, 26), "week"),
        ("between 25 and 26 August", date(2024, 8, 25), date(2024, 8, 26), "week"),
        ("from Aug 20 to Aug 25", date(2024, 8, 20), date(2024, 8, 25), "week"),
        ("on August 25-26", date(2024, 8, 25), date(2024, 8, 26), "week"),
        ("from 1 to 20 August", date(2024, 8, 1), date(2024, 8, 20), "month"),
        ("in the past week", date(2024, 8, 22), date(2024, 8, 28), "week"),
        ("in the past 24 hours", date(2024, 8, 27), date(2024, 8, 28), "week"),
        ("during the past two days", date(2024, 8, 26), date(2024, 8, 28), "week"),  # its first day, and the report
    ],
)
def test_days_ago_and_ranges_of_days(words, start, end, precision):
    c = _first(f"QUETTA, Aug 28, 2024: Militants attacked a post in Mastung district {words}.")
    assert (c.date_start, c.date_end, c.date_precision) == (start, end, precision)


def test_a_count_after_two_days_is_no_range():
    c = _first("QUETTA, Aug 28, 2024: On Aug 25 and 26 people were killed in Mastung district.")
    assert (c.date_start, c.date_precision) == (date(2024, 8, 25), "day")


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("Security forces neutralised 21 militants in Kalat district.", 21, None),
        ("Three terrorists were eliminated and two got injured in Kalat district.", 3, 2),
        ("The troops engaged the hideout and sent two terrorists to hell in Kalat district.", 2, None),
        ("Five terrorists were sent to hell in Kalat district.", 5, None),
    ],
)
def test_the_words_of_military_statements(sentence, killed, injured):
    c = _first(f"RAWALPINDI, Sept 7, 2024: {sentence}")
    assert (c.fatalities, c.injured) == (killed, injured)


def test_a_later_paragraph_that_gives_the_leads_counts_again_dates_the_same_event():
    text = (
        "RAWALPINDI: As many as five terrorists were killed while three others were injured in operations in three "
        "Balochistan districts.\n\nAccording to a statement released on Friday, the operations continue.\n\n"
        "“On night of 29/30 August, in three separate operations in District Kech, Panjgur, and Zhob, five terrorists "
        "were sent to hell, while three terrorists got injured,” the statement added.\n\n"
        "On last Sunday night, militants of the Balochistan Liberation Army had launched attacks across Balochistan.\n"
    )
    first, second = extract(text, published=date(2024, 8, 31))
    assert (first.date_start, first.date_end, first.date_precision) == (date(2024, 8, 29), date(2024, 8, 30), "week")
    assert (first.fatalities, first.injured, first.location) == (5, 3, "Balochistan")  # three districts: their province
    assert (second.date_start, second.actors) == (date(2024, 8, 25), ["Balochistan Liberation Army"])


def test_a_sentence_about_the_operation_tells_more_of_it():
    text = (
        "RAWALPINDI: Two terrorists were killed during an operation in Balochistan’s Kalat district, the military "
        "confirmed on Saturday.\n\nA statement said that the IBO was conducted following the presence of terrorists "
        "last night. The troops sent two terrorists to hell.\n"
    )
    (c,) = extract(text, published=date(2024, 9, 7))
    assert (c.date_start, c.fatalities, c.location) == (date(2024, 9, 6), 2, "Kalat")
    one = _first("QUETTA, March 14, 2025: Police arrested a suspect in Khuzdar district, officials said on Friday.")
    assert one.date_precision == "month"  # the day of the telling is no day of the arrest
    assert _first("QUETTA: Forces killed a militant in District Kech.", published=date(2025, 3, 14)).location == "Kech"


def test_a_claim_on_a_day_dates_the_claim_not_what_was_claimed():
    c = _first("RAWALPINDI, Aug 30, 2024 - Security forces claimed on Friday to have killed five terrorists in Kech district.")
    assert (c.date_start, c.date_end, c.date_precision, c.fatalities) == (date(2024, 8, 1), date(2024, 8, 30), "month", 5)


@pytest.mark.parametrize(
    ("sentence", "location", "level", "admin1", "admin2"),
    [
        # districts of Indian-administered Kashmir, Ladakh and Afghanistan, with the union territory or province
        ("Two militants were killed in an encounter in Pulwama.", "Pulwama", "district", "Jammu and Kashmir", "Pulwama"),
        ("A soldier was injured in firing in Kargil district.", "Kargil", "district", "Ladakh", "Kargil"),
        ("Five people were killed in a blast in Helmand's Nad Ali district.", "Nad Ali", "district", "Helmand", "Nad Ali"),
        # a town goes to the district its point lies in, by the same join as an imported event (Jalalabad: a district)
        ("Gunmen killed two labourers near Tral on Sunday.", "Tral", "near", "Jammu and Kashmir", "Pulwama"),
        ("A bomb killed three people in Jalalabad on Sunday.", "Jalalabad", "district", "Nangarhar", "Jalalabad"),
        # a district two provinces (or two sides of the Line of Control) share: the one named beside it, else none
        ("Two soldiers were killed in Poonch district, J&K, on Monday.", "Poonch", "district", "Jammu and Kashmir", "Poonch"),
        ("Two civilians were killed in Poonch district of AJK on Monday.", "Poonch", "district", "Azad Kashmir", "Poonch"),
        ("Two Taliban were killed in Muqur district, Ghazni province.", "Muqur", "district", "Ghazni", "Muqur"),
        ("Two Taliban were killed in Muqur district on Monday.", None, None, None, None),
        # a headline names the territory, the body the district
        (
            "Soldier killed in J&K\n\nA soldier was killed when militants fired at an army post in the Rajouri district.",
            "Rajouri",
            "district",
            "Jammu and Kashmir",
            "Rajouri",
        ),
    ],
)
def test_the_districts_of_the_whole_theatre(sentence, location, level, admin1, admin2):
    c = _first(sentence, published=date(2025, 3, 20))
    assert (c.location, c.geo_precision, c.admin1, c.admin2) == (location, level, admin1, admin2)


def test_a_district_name_that_is_a_word_or_another_events_name_is_not_a_place():
    # Afghanistan's districts include "Chal", "Kama" and "Nawa"; "the Pulwama attack" names an event, not this one's place
    assert placenames.mentions("the chal and kama of it; Nawa said") == []
    assert [m.unit.name for m in placenames.mentions("since the Pulwama attack, in Nawa district")] == ["Nawa"]
    c = _first("SRINAGAR, May 2, 2025: Since the 2019 Pulwama attack, no blast like it: a grenade injured two near Pahalgam.")
    assert (c.location, c.admin2) == ("Pahalgam", "Anantnag")


def test_a_place_qualified_by_a_place_outside_its_province_is_another_place_of_the_name():
    found = placenames.mentions("Police arrested two men in Mastung, Balochistan, and in Haveli district, AJK.")
    assert [(m.unit.name, m.unit.admin1) for m in found] == [
        ("Mastung", "Balochistan"),
        ("Balochistan", "Balochistan"),
        ("Haveli", "Azad Kashmir"),
        ("Azad Kashmir", "Azad Kashmir"),
    ]
    # a Pakistani district followed by an Afghan province: not that district
    assert [m.unit.name for m in placenames.mentions("in Khyber, Kunar province")] == ["Kunar"]


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        # forces named outright, by the alias table
        ("Two Levies personnel were martyred in an attack in Mastung.", {"Levies Force"}),
        ("CRPF troops and the J&K Police killed two militants in Shopian.", {"CRPF", "Jammu and Kashmir Police"}),
        ("Afghan forces killed two Taliban fighters in Kunduz.", {"Afghan security forces", "Taliban"}),
        # forces named only by a common noun, read by the country and province of the place
        ("Security forces killed three militants in Kech, ISPR said.", {"Pakistan security forces"}),
        ("Two policemen were killed in an attack in Quetta.", {"Balochistan Police"}),
        ("Gunmen shot dead a policeman in Lahore.", {"Punjab Police"}),
        ("Troops killed two militants in an encounter in Pulwama.", {"Indian security forces"}),
        ("Soldiers killed two infiltrators in Kupwara district.", {"Indian Army"}),
        # the police only as a source; a force's name inside a group's; a force said to have taken no part
        ("Two men were shot dead in Quetta, police said.", set()),
        ("The Baloch Liberation Army attacked a convoy in Kech, killing two.", {"Balochistan Liberation Army"}),
        ("Militants killed two men in Quetta; the army was not involved.", set()),
        # "Islamic State" for an event in Afghanistan or Pakistan is its Khorasan Province
        ("A blast killed five people in Jalalabad. Daesh claimed the attack.", {"Islamic State Khorasan Province"}),
    ],
)
def test_state_forces_are_named_by_their_names_or_by_the_country_the_event_is_in(sentence, actors):
    c = _first(sentence, published=date(2025, 3, 20))
    assert set(c.actors) == actors and c.new_actors == []


def test_a_line_that_links_to_another_story_names_no_actor():
    c = _first("Two men were shot dead in Quetta on Monday.\nAlso Read: Air Force chief visits the Indian Army's base\n")
    assert c.actors == []


@pytest.mark.parametrize(
    "text",
    [
        "ISLAMABAD: The Supreme Court adjourned the hearing on trying civilians in military courts till Tuesday.",
        "The prime minister explored plans for a development operation in Gwadar and set a target of 2030.",
        "KABUL: The administration signed seven mining contracts worth $6.5 billion in Kabul on Thursday.",
        "Officials met in Quetta to review the security situation and the targets of the new policy.",
    ],
)
def test_a_report_of_no_act_proposes_nothing(text):
    assert extract(text, published=date(2025, 3, 20)) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Militants opened fire on a checkpost in Kech on Monday.", "attack"),
        ("Security forces recovered a cache of explosives in Khuzdar on Monday.", "unspecified"),
        ("Two soldiers were martyred near the border in Kupwara.", "killing"),
        ("Two soldiers were martyred in cross-border shelling in Kupwara.", "attack"),
    ],
)
def test_an_act_without_a_count_or_a_named_kind_is_still_proposed(text, kind):
    (c,) = extract(text, published=date(2025, 3, 20))
    assert c.event_type == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("On 3 May 2020, traders staged a protest in Quetta against power cuts.", "protest"),
        ("On 3 May 2020, a mob torched a police post in Hub.", "riot"),
    ],
)
def test_protests_and_riots_are_events_with_their_day(text, kind):
    (c,) = extract(text)
    assert (c.event_type, c.date_best, c.date_best_rule) == (kind, date(2020, 5, 3), "words")


@pytest.mark.parametrize(
    ("text", "kind", "killed"),
    [
        ("On 3 May 2020, troops and a tribal militia clashed with militants near a village in Zhob.", "attack", None),
        ("On 3 May 2020, an IED planted by militants exploded at a base in Turbat. 1 soldier was killed.", "attack", 1),
        ("On 3 May 2020, the two armies exchanged heavy fire across the LoC in Poonch district.", "attack", None),
        ("On 3 May 2020, militants fired mortar shells towards a camp in Kurram.", "attack", None),
        ("On 3 May 2020, unknown gunmen assassinated a trader in Chaman.", "attack", None),
        ("On 3 May 2020, a shopkeeper was found dead in a street of Sibi. 1 fatality.", "killing", 1),
        ("On 3 May 2020, a man was stabbed to death in a market of Hub by two robbers.", "attack", 1),
        ("On 3 May 2020, residents pelted stones at policemen enforcing the curfew in Quetta.", "riot", None),
        ("On 3 May 2020, workers burned tyres on the main road in Gwadar to demand their wages.", "riot", None),
        (
            "On 3 May 2020, about 200 teachers gathered outside the press club in Quetta to demand their salaries.",
            "protest",
            None,
        ),
    ],
)
def test_acts_told_in_other_words_are_events_named_after_who_and_where(text, kind, killed):
    """A militia or a base named before the act does not make the act a group's activity or a setting."""
    (c,) = extract(text)
    assert (c.event_type, c.fatalities, c.date_best) == (kind, killed, date(2020, 5, 3))


@pytest.mark.parametrize(
    ("text", "published", "span", "best", "rule"),
    [
        # the words give the day
        ("On Monday two men were shot dead in Quetta.", date(2025, 3, 20), ("2025-03-17", "2025-03-17"), "2025-03-17", "words"),
        # no words date the event: the month up to the telling, and the day of the telling as the best single day
        ("Two men were shot dead in Quetta.", date(2025, 3, 20), ("2025-03-01", "2025-03-20"), "2025-03-20", "telling"),
        # the words give days that hold the telling: the telling; days before it: their middle
        (
            "Two men were shot dead in Quetta this week.",
            date(2025, 3, 20),
            ("2025-03-17", "2025-03-20"),
            "2025-03-20",
            "telling in range",
        ),
        (
            "In March 2025 militants attacked a post in Kech.",
            date(2025, 6, 30),
            ("2025-03-01", "2025-03-31"),
            "2025-03-16",
            "middle",
        ),
    ],
)
def test_the_best_single_day_inside_the_honest_range(text, published, span, best, rule):
    (c,) = extract(text, published=published)
    assert (str(c.date_start), str(c.date_end)) == span
    assert (str(c.date_best), c.date_best_rule) == (best, rule)
    assert c.date_start <= c.date_best <= c.date_end


def test_each_field_says_how_sure_it_is_from_how_it_was_read():
    from incidents.extract.confidence import FIELDS

    sure = _first("QUETTA, March 10, 2020: On 7 March 2020, two soldiers were killed by the BLA in Mastung district.")
    assert set(sure.confidence) == set(FIELDS) and set(sure.confidence.values()) <= {"high", "medium", "low"}
    assert {k: sure.confidence[k] for k in ("date", "location", "admin1", "admin2", "fatalities")} == dict.fromkeys(
        ("date", "location", "admin1", "admin2", "fatalities"), "high"
    )
    vague = _first("QUETTA, March 10, 2020: Several militants were killed on Monday in a raid, police said.")
    assert (vague.confidence["fatalities"], vague.confidence["date"]) == ("low", "medium")  # "several" is 3; a weekday
    undated = _first("Two men were shot dead.", published=date(2020, 3, 10))
    assert (undated.confidence["date"], undated.confidence["location"], undated.date_best_rule) == ("low", "low", "telling")
    new = _first("QUETTA, March 10, 2020: The Jaish al-Hind Front claimed an attack in Quetta that killed two.")
    assert new.new_actors == ["Jaish al-Hind Front"] and new.confidence["actors"] == "low"


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # a toll told as such rises as reports come in: the largest single count, nothing added
        ("A blast killed 16 people in Lahore on Monday. The death toll has risen to 25, officials said.", 25, None),
        ("The death toll has risen to 87 in Quetta. By evening 93 people had perished.", 93, None),
        # a total told in parts is summed, whatever words each part is told in
        ("In Kech, 16 terrorists were eliminated, five soldiers embraced martyrdom and 13 civilians were martyred.", 34, None),
        # the text says no one was killed or hurt: 0, not "not stated"
        ("Militants fired on a police post in Lakki Marwat on Sunday night. No casualty was reported.", 0, 0),
        ("A grenade exploded near a market in Sopore. No one was hurt.", 0, 0),
    ],
)
def test_tolls_that_rise_totals_told_in_parts_and_none_reported(text, killed, injured):
    c = _first(text, published=date(2025, 3, 20))
    assert (c.fatalities, c.injured) == (killed, injured)


def test_acleds_own_words_for_what_it_coded_are_read_as_they_say():
    c = _first("On 3 May 2020, militants attacked a post in Kech. Unspecified number of fatalities coded as 3.")
    assert (c.fatalities, c.confidence["fatalities"]) == (3, "high")
    split = _first(
        "On 3 May 2020, 10 militants were killed in clashes in Kech; "
        "10 fatalities split across 4 events and coded as 2 for this event."
    )
    assert split.fatalities == 2
    none = _first("On 3 May 2020, students protested in Quetta. Neither fatalities nor injuries were reported.")
    assert (none.fatalities, none.injured) == (0, 0)


def test_a_total_told_in_parts_keeps_its_parts_by_whose_people_they_were():
    c = _first("In Kech, 16 terrorists were eliminated, five soldiers embraced martyrdom and 13 civilians were martyred.")
    assert (c.fatalities, c.parts) == (34, {"killed": {"armed groups": 16, "security forces": 5, "civilians": 13}})
    one = _first("Two policemen were killed in Quetta on Monday.", published=date(2025, 3, 20))
    assert one.parts == {}  # one count: no parts to keep
    toll = _first("A blast killed 16 people in Lahore. The death toll has risen to 25.", published=date(2025, 3, 20))
    assert toll.parts == {}  # a toll told as such is no sum of parts


def test_a_count_a_party_claims_is_marked_as_its_claim_and_never_outweighs_the_reports_own():
    c = _first("Militants attacked a post in Kech. The BLA claimed to have killed 20 soldiers; officials said two were killed.")
    assert (c.fatalities, c.claims) == (2, {"killed": 20})
    only = _first("The Taliban claimed killing 12 policemen in Kunduz on Monday.", published=date(2025, 3, 20))
    assert (only.fatalities, only.claims, only.confidence["fatalities"]) == (12, {"killed": 12}, "low")  # marked
    # a claim of responsibility for an attack whose toll the report tells is no claimed count
    told = _first("The BLA claimed responsibility for the attack that killed 5 soldiers in Kech.")
    assert (told.fatalities, told.claims) == (5, {})


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # where a statement came from is not where the event was
        ("Security forces killed five terrorists in Zhob, the ISPR said in a statement issued from Rawalpindi.", "Zhob"),
        ("Security forces killed five terrorists in an operation, the ISPR said in a statement issued from Rawalpindi.", None),
        ("Police told reporters in Islamabad that two men were shot dead in Kech.", "Kech"),
        # nor a person's home town
        ("Two labourers hailing from Punjab were shot dead in Kech.", "Kech"),
        ("A resident of Quetta was killed in Karachi.", "Karachi"),
    ],
)
def test_a_statements_origin_or_a_persons_home_is_not_the_events_place(text, location):
    c = _first(text, published=date(2025, 3, 20))
    assert c.location == location


def test_a_home_town_is_the_place_when_the_text_names_no_other():
    c = _first("On 3 May 2020, residents of Moro staged a protest against power cuts.")
    assert (c.location, c.event_type) == ("Moro", "protest")


@pytest.mark.parametrize(
    ("text", "location", "admin1"),
    [
        ("Two policemen were shot dead in Jaccobabad on Monday.", "Jacobabad", "Sindh"),
        ("A shopkeeper was killed near Faislabad city on Monday.", "Faisalabad", "Punjab"),
        ("Three militants were killed in Dattakhel, North Waziristan, on Monday.", "Datta Khel", "Khyber Pakhtunkhwa"),
    ],
)
def test_a_known_place_misspelt_is_read_and_never_graded_high(text, location, admin1):
    c = _first(text)
    assert (c.location, c.admin1) == (location, admin1)
    assert c.confidence["location"] != "high"


@pytest.mark.parametrize(
    "text",
    [
        "Two policemen were shot dead in Rashidpura on Monday.",  # no known place is that close
        "Two policemen were shot dead in September.",
    ],
)
def test_a_word_far_from_every_known_place_or_a_day_is_no_place(text):
    assert _first(text).location is None


def test_the_tribal_agencies_abbreviated_are_their_districts():
    assert [m.unit.name for m in placenames.mentions("Operations went on in NWA and SWA.")] == [
        "North Waziristan",
        "South Waziristan",
    ]
    c = _first("Two soldiers were martyred in an IED blast in Momand Agency on Monday.")
    assert (c.admin2, c.admin1) == ("Mohmand", "Khyber Pakhtunkhwa")


def test_a_town_after_a_neighbourhood_and_a_comma_is_the_place_and_a_list_keeps_its_places():
    c = _first("Two militants were killed in a shootout in Surjani town, Karachi.")
    assert (c.location, c.admin1) == ("Karachi", "Sindh")
    listed = [m.unit.name for m in placenames.mentions("Police in Quetta, Karachi and Lahore were put on alert.")]
    assert listed == ["Quetta", "Karachi", "Lahore"]
