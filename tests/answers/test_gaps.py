"""Asks the knowledge base cannot answer: recognised from the question, checked against the section."""

from __future__ import annotations

import pytest

from assistant.answers.gaps import missing, not_in_kb_text
from assistant.search.asks import asked

BEKOSTIGING = ("Voor een leerling in de vo-fase krijgt de vo-school de bekostiging. In de mbo-fase krijgt de "
               "mbo-school de bekostiging.")


@pytest.mark.parametrize(("question", "name"), [
    ("hoeveel geld krijgt een school per dlr leerling", "bedrag"),
    ("Wat kost een praktijkleerroute?", "bedrag"),
    ("wanneer is de volgende themabijeenkomst", "datum"),
    ("per wanneer worden gl en tl samengevoegd", "datum"),
    ("telnr van de contactpersoon in groningen?", "contactgegevens"),
    ("wie is de contactpersoon voor doel 9 van het Techniekpact", None),  # a name answers it
    ("is er een contactpersoon bij duo", "contactgegevens"),
    ("hoe lang duurt een praktijkleerroute op maat", "duur"),
    ("hoeveel leerlingen volgen een leerwerktraject", "aantal"),
    ("Wie krijgt de bekostiging in de vo-fase?", None),
    ("Wanneer meld ik een leerling aan in ROD?", None),  # a plain 'wanneer' asks for a moment or condition
    ("wanneer organiseert het kennispunt het komende webinar", "datum"),
    ("is dat doel van 30 procent techniek inmiddels gehaald", "stand van zaken"),
    ("in welk jaar was die themabijeenkomst op 23 juni", "jaartal"),
    ("wat is het webadres van de duo pagina voor melden", "contactgegevens"),
    ("wat is de opzegtermijn van de samenwerkingsovereenkomst", "duur"),
    ("welke elementcode gebruiken we voor de vakmanschapsroute", "code"),
])
def test_asks_are_recognised(question: str, name: str | None) -> None:
    ask = asked(question)
    assert (ask.name if ask else None) == name


def test_an_amount_the_section_does_not_name_is_missing() -> None:
    assert missing("hoeveel euro krijgt de vo-school per leerling?", BEKOSTIGING, BEKOSTIGING) == "bedrag"
    assert missing("hoeveel euro krijgt de school?", "De school krijgt € 1.200 per leerling.", "") is None
    assert missing("Wie krijgt de bekostiging in de vo-fase?", BEKOSTIGING, BEKOSTIGING) is None


def test_until_or_from_when_may_be_answered_by_a_moment_of_the_route() -> None:
    exams = "De school mag het vmbo-examen spreiden over de eerste drie jaar van de route."
    assert missing("vanaf wanneer doet het mbo examens in de route?", exams, exams) is None
    assert missing("tot wanneer mag het vmbo examens afnemen", "Dat kan tot en met klas 4.", "") is None
    assert missing("tot wanneer loopt de regeling?", "De regeling helpt scholen elk jaar.", "") == "datum"
    assert missing("sinds wanneer bestaat het netwerk?", exams, exams) == "datum"  # a moment of a route is no 'since'


def test_a_count_needs_a_number_of_the_counted_thing() -> None:
    lwt = "Ongeveer 180 scholen hebben elk jaar een leerwerktraject."
    assert missing("hoeveel scholen bieden een lwt aan", lwt, lwt) is None
    assert missing("hoeveel leerlingen volgen een lwt", lwt, lwt) == "aantal"
    verzuim = "De vo-school meldt het verzuim in de eerste twee jaar van de route."
    assert missing("na hoeveel uur verzuim moet het mbo melden", verzuim, verzuim) == "aantal"
    routes = "De wet kent twee soorten routes: de DLR en de GLR."
    assert missing("Hoeveel soorten routes kent de wet?", routes, routes) is None


def test_a_year_is_no_code() -> None:
    experiment = ("De experimenten liepen tot en met schooljaar 2021/2022. Wie er nog in zit, blijft ingeschreven "
                  "op de elementcode van het experiment.")
    assert missing("welke elementcode gebruiken we voor de vakmanschapsroute", experiment, experiment) == "code"
    coded = "Leerlingen in de route staan ingeschreven op elementcode 25123."
    assert missing("welke elementcode gebruiken we voor de route", coded, coded) is None


def test_a_section_that_says_its_source_is_silent_counts_as_missing() -> None:
    silent = "De bron van deze kennisbank noemt geen bedragen of termijnen van de regeling."
    passage = f"De regeling bestaat sinds 2022. {silent}"
    assert missing("hoeveel geld kun je krijgen uit de regeling", passage, silent) == "bedrag"


def test_the_answer_says_so_first() -> None:
    text = not_in_kb_text("bedrag", "De vo-school krijgt de bekostiging.")
    assert text.startswith("De kennisbank noemt geen bedrag hierover.")
    assert text.endswith("De vo-school krijgt de bekostiging.")


def test_a_past_date_does_not_answer_when_the_next_meeting_is() -> None:
    past = "Het Kennispunt organiseerde de themabijeenkomst op 23 juni 2023. Er deden 110 mensen mee."
    assert missing("wanneer is de volgende themabijeenkomst van het kennispunt", past, past) == "datum"
    ahead = past + " De volgende themabijeenkomst is op 12 maart 2024."
    assert missing("wanneer is de volgende themabijeenkomst van het kennispunt", ahead, ahead) is None
    assert missing("wanneer was de themabijeenkomst van het kennispunt", past, past) is None


def test_a_goal_is_not_a_result() -> None:
    goal = "Het doel is dat minstens 30 procent van de jongeren een technische opleiding kiest."
    assert missing("is dat doel van het techniekpact inmiddels gehaald", goal, goal) == "stand van zaken"
    reached = goal + " In 2023 was dat doel bereikt."
    assert missing("is dat doel van het techniekpact inmiddels gehaald", reached, reached) is None


def test_a_close_sentence_that_says_the_kb_does_not_name_it_counts() -> None:
    plan = "In 2022 wilde het ministerie gl en tl samenvoegen."
    silent = "Of en wanneer dit is ingevoerd, beschrijft deze kennisbank niet."
    passage = f"{plan} {silent}"
    question = "per wanneer worden gl en tl samengevoegd"
    assert missing(question, passage, plan) is None  # a year is named, and nothing close says otherwise
    assert missing(question, passage, plan, [plan, silent]) == "datum"
    other = "Hoe de centra werken, beschrijft deze kennisbank niet."  # silent about something else
    assert missing(question, passage, plan, [plan, other]) is None


def test_a_year_the_section_says_its_source_leaves_out_is_missing_wherever_it_says_so() -> None:
    meeting = ("De themabijeenkomst was op 23 juni, online. Er waren vier deelsessies. Ongeveer 110 mensen deden "
               "mee. Het verslag noemt het jaar niet.")
    best = "De themabijeenkomst was op 23 juni, online."
    assert missing("in welk jaar was die themabijeenkomst?", meeting, best) == "jaartal"
    assert missing("in welk jaar startte het netwerk?", "Het netwerk startte in 2023.", "") is None
    assert missing("wanneer was de themabijeenkomst?", meeting, best) is None  # the day answers 'wanneer'


@pytest.mark.parametrize(("question", "asks"), [
    ("wie gaf de presentatie en wanneer was dat?", ["wanneer was dat?"]),
    ("Moet ik een DLR-leerling bij DUO melden en wanneer?", ["wanneer?"]),
    ("wie organiseerde de bijeenkomst? en waar staat de presentatie", ["waar staat de presentatie"]),
    ("Wat is het verschil tussen vmbo en mbo?", []),  # "en" between two nouns is one ask
    ("mogen docenten van vmbo en mbo samen lesgeven", []),
])
def test_the_further_asks_of_a_compound_question(question: str, asks: list[str]) -> None:
    from assistant.search.asks import later_asks

    assert later_asks(question) == asks
