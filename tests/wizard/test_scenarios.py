"""Realistic cases walked as a helpdesk employee would, including the honest alternative answers.

Each case is written from the source documents (shared/seeds/000–004). A helpdesk employee does
not always know what the schools intend or what a learner's programme is called, so every case
also lists the answers such an employee could honestly give. Each must still reach the right
route, or a "first find out" step that names it, or (after a "weet ik niet") a conversation.
"""

from __future__ import annotations

import re

import pytest

from assistant.settings import Settings
from assistant.wizard.rules import copied_runs, reader_texts
from assistant.wizard.tree import Step, Wizard, next_step
from tests.wizard.conftest import all_paths

# How a "first find out" step names each route.
ROUTE_NAMES = {
    "doorlopende-leerroute": "doorlopende leerroute",
    "geintegreerde-leerroute": "geïntegreerde leerroute",
    "leerwerktraject": "leerwerktraject",
    "doorlopende-leerlijn": "doorlopende leerlijn",
    "bol": "BOL",
    "bbl": "BBL",
}

VMBO_BB = {"doelgroep": "vmbo", "leerweg": "bb", "programma": "volledig"}

# (description, the outcome that is right, [answers a helpdesk employee could honestly give])
AMBIGUOUS: list[tuple[str, str, list[dict[str, str]]]] = [
    ("vmbo-bb-leerling die volgens beide scholen meer kans heeft op mbo 2 zonder vmbo-examen; "
     "de helpdesk weet vaak niet wat de scholen hebben afgesproken (004)",
     "geintegreerde-leerroute", [
         {**VMBO_BB, "niveau": "niveau-2", "vmbo-diploma": "zonder-examen", "scholen-glr": "route"},
         {**VMBO_BB, "niveau": "niveau-2", "vmbo-diploma": "zonder-examen",
          "scholen-glr": "weet-niet"},
         {**VMBO_BB, "niveau": "niveau-2", "vmbo-diploma": "weet-niet", "scholen": "route"},
         {**VMBO_BB, "niveau": "niveau-2", "vmbo-diploma": "weet-niet", "scholen": "weet-niet"},
         {**VMBO_BB, "niveau": "weet-niet", "vmbo-diploma": "zonder-examen",
          "scholen-glr": "route"},
         {"doelgroep": "vmbo", "leerweg": "weet-niet", "programma": "volledig",
          "niveau": "niveau-2", "vmbo-diploma": "zonder-examen", "scholen-glr": "route"},
         {"doelgroep": "vmbo", "leerweg": "bb", "programma": "weet-niet", "niveau": "niveau-2",
          "vmbo-diploma": "zonder-examen", "scholen-glr": "weet-niet"},
     ]),
    ("LWT-leerling die alleen Nederlands en het beroepsgerichte programma volgt; op school heet "
     "het misschien niet 'leerwerktraject' (004)",
     "leerwerktraject", [
         {"doelgroep": "vmbo", "leerweg": "bb", "programma": "lwt"},
         {"doelgroep": "vmbo", "leerweg": "weet-niet", "programma": "lwt"},
         {"doelgroep": "vmbo", "leerweg": "bb", "programma": "weet-niet", "niveau": "niveau-2",
          "vmbo-diploma": "ja", "scholen": "geen", "leervorm": "school"},
         {"doelgroep": "vmbo", "leerweg": "bb", "programma": "weet-niet", "niveau": "weet-niet",
          "vmbo-diploma": "weet-niet", "scholen": "weet-niet"},
     ]),
    ("vmbo-kb-leerling in een techniekroute naar mbo 3 met een gespreid examen; de route kwam "
     "voort uit de oude vakmanschapsroute (002, 004)",
     "doorlopende-leerroute", [
         {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "scholen": "route"},
         {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "scholen": "experiment"},
         {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "scholen": "weet-niet"},
         {"doelgroep": "scholen", "leerweg": "kb-gl-tl", "scholen": "route"},
     ]),
    ("vmbo-bb-leerling die met het vmbo-diploma in een route naar mbo 3 wil; een GLR kan dan "
     "niet (001, 004)",
     "doorlopende-leerroute", [
         {**VMBO_BB, "niveau": "niveau-3-4", "scholen": "route"},
         {**VMBO_BB, "niveau": "niveau-3-4", "scholen": "weet-niet"},
         {**VMBO_BB, "niveau": "weet-niet", "vmbo-diploma": "ja", "scholen": "route"},
     ]),
    ("gl/tl-school die met het mbo alleen de programma's inhoudelijk afstemt (004)",
     "doorlopende-leerlijn", [
         {"doelgroep": "scholen", "leerweg": "kb-gl-tl", "scholen": "afstemmen"},
         {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "scholen": "afstemmen"},
         {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "scholen": "weet-niet"},
     ]),
    ("werkende volwassene die een erkend deel van een opleiding wil, een mbo-certificaat (000)",
     "derde-leerweg-certificaat", [
         {"doelgroep": "volwassene", "wens": "certificaat"},
         {"doelgroep": "werkgever", "wens": "certificaat"},
         {"doelgroep": "volwassene", "wens": "weet-niet"},
     ]),
    ("werkzoekende voor wie een diploma en een certificaat nog te hoog gegrepen zijn (000, 003)",
     "praktijkleerroute", [
         {"doelgroep": "volwassene", "wens": "praktijkverklaring"},
         {"doelgroep": "werkgever", "wens": "praktijkverklaring"},
         {"doelgroep": "volwassene", "wens": "weet-niet"},
     ]),
    ("werkende volwassene die een volwaardig diploma wil, op maat naast het werk (000)",
     "derde-leerweg-diploma", [
         {"doelgroep": "volwassene", "wens": "diploma", "maatwerk": "op-maat"},
         {"doelgroep": "volwassene", "wens": "diploma", "maatwerk": "weet-niet"},
     ]),
    ("jongere met een vmbo-kb-diploma die bij een bedrijf wil werken en leren",
     "bbl", [
         {"doelgroep": "na-vmbo", "leervorm": "bedrijf"},
         {"doelgroep": "na-vmbo", "leervorm": "weet-niet"},
     ]),
    ("iemand van 19 die zonder diploma van school ging: jongere of volwassene? Eerst een gesprek",
     "eerst-gesprek", [
         {"doelgroep": "weet-niet"},
     ]),
]

# One realistic case per outcome, answered with full knowledge.
SCENARIOS: list[tuple[str, dict[str, str], str]] = [
    (description, variants[0], expected) for description, expected, variants in AMBIGUOUS
] + [
    ("vmbo-tl-leerling die na het diploma gewoon naar een opleiding op school met stage gaat",
     {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "scholen": "geen", "leervorm": "school"}, "bol"),
    ("jongere die nog twijfelt tussen school met stage en werken bij een bedrijf",
     {"doelgroep": "na-vmbo", "leervorm": "weet-niet"}, "bol-of-bbl"),
    ("volwassene die nog niet weet of het een diploma, certificaat of praktijkverklaring wordt",
     {"doelgroep": "volwassene", "wens": "weet-niet"}, "intake"),
    ("havo-leerling die naar het hbo wil: buiten wat de routewijzer kent",
     {"doelgroep": "buiten"}, "buiten-bereik"),
]


def walk(wizard: Wizard, answers: dict[str, str], description: str) -> Step:
    """Answer one question at a time, as a person would: each answer is to the next question."""
    given: dict[str, str] = {}
    for qid, oid in answers.items():
        step = next_step(wizard, given)
        assert step.question is not None and step.question.id == qid, (description, given)
        given[qid] = oid
    step = next_step(wizard, given)
    assert step.outcome is not None, (description, answers)
    return step


@pytest.mark.parametrize(("description", "answers", "expected"), SCENARIOS,
                         ids=[f"{s[2]}-{i}" for i, s in enumerate(SCENARIOS)])
def test_scenarios(wizard: Wizard, description: str, answers: dict[str, str],
                   expected: str) -> None:
    assert walk(wizard, answers, description).outcome.id == expected  # type: ignore[union-attr]


def test_scenarios_cover_every_outcome(wizard: Wizard) -> None:
    assert {s[2] for s in SCENARIOS} == set(wizard.outcomes)


@pytest.mark.parametrize(("description", "expected", "variants"), AMBIGUOUS,
                         ids=[a[1] for a in AMBIGUOUS])
def test_honest_alternative_answers_still_lead_somewhere_right(
        wizard: Wizard, description: str, expected: str,
        variants: list[dict[str, str]]) -> None:
    for answers in variants:
        step = walk(wizard, answers, description)
        outcome = step.outcome
        assert outcome is not None
        if outcome.id == expected:
            continue
        if step.unknowns and outcome.kind == "gesprek":
            continue  # not knowing what someone wants: first a conversation
        # Another route only with a first step that names the right one: never silently.
        name = ROUTE_NAMES[expected]
        assert any(name.lower() in s.lower() for s in step.settle), (description, answers,
                                                                      outcome.id, step.settle)


def test_unknown_answers_always_carry_their_settling_step(wizard: Wizard) -> None:
    for answers, _ in all_paths(wizard):
        step = next_step(wizard, answers)
        for q in step.unknowns:
            settle = q.option(answers[q.id]).settle  # type: ignore[union-attr]
            assert settle and settle in step.settle


def test_not_knowing_never_ends_outside_the_scope(wizard: Wizard) -> None:
    for answers, outcome in all_paths(wizard):
        if wizard.outcomes[outcome].kind == "buiten":
            assert not next_step(wizard, answers).unknowns, answers


def test_unknown_school_intent_asks_about_duo(wizard: Wizard) -> None:
    for qid in ("scholen", "scholen-glr"):
        settle = wizard.questions[qid].option("weet-niet").settle  # type: ignore[union-attr]
        assert "DUO" in settle and "samenwerkingsovereenkomst" in settle


def test_no_glr_or_lwt_from_kb_gl_tl(wizard: Wizard) -> None:
    ends = {o for a, o in all_paths(wizard) if a.get("leerweg") == "kb-gl-tl"}
    assert ends and not ends & {"geintegreerde-leerroute", "leerwerktraject"}
    step = next_step(wizard, {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "scholen": "route"})
    reason = next(r for r in step.reasons if "kb, gl of tl" in (r.reason or ""))
    assert "dlr-glr-verschil#verschil" in reason.cites
    assert "niet" in (reason.reason or "")


def test_glr_question_says_what_defines_the_glr(wizard: Wizard) -> None:
    help_text = wizard.questions["vmbo-diploma"].help
    assert "(een deel van) het vmbo-examen" in help_text
    assert "samen" in help_text and "startkwalificatie" in help_text
    settle = wizard.questions["niveau"].option("weet-niet").settle or ""  # type: ignore[union-attr]
    assert "alleen naar mbo-niveau 2" in settle


def test_bb_to_level_3_or_4_warns_and_needs_the_vmbo_diploma(wizard: Wizard) -> None:
    step = next_step(wizard, {**VMBO_BB, "niveau": "niveau-3-4", "scholen": "route"})
    assert step.outcome is not None and step.outcome.id == "doorlopende-leerroute"
    option = wizard.questions["niveau"].option("niveau-3-4")
    assert option is not None and "vmbo-diploma" in (option.reason or "")
    assert "mbo-basis#vmbo-leerwegen" in option.cites
    assert any("niveau 3 of 4" in s for s in step.settle)


def test_former_experiments_are_explained_and_cited(wizard: Wizard) -> None:
    for qid in ("scholen", "scholen-glr"):
        option = wizard.questions[qid].option("experiment")
        assert option is not None
        assert "2021/2022" in (option.reason or "")
        assert set(option.cites) == {"experimenten-en-pilots#einde-experimenten",
                                     "dlr-melden-bij-duo#pilots-niet-automatisch"}
        assert "RIO" in (option.settle or "") and "automatisch" in (option.settle or "")


def test_labels_do_not_hide_the_leerwerktraject(wizard: Wizard) -> None:
    labels = [o.label for o in wizard.questions["programma"].options]
    assert any("leerwerktraject" in label.lower() for label in labels)
    assert wizard.questions["programma"].option("lwt").next == "leerwerktraject"  # type: ignore


def test_adults_are_asked_what_they_want_not_what_is_feasible(wizard: Wizard) -> None:
    question = wizard.questions["wens"]
    assert "haalbaar" not in question.text
    ends = {o.id: o.next for o in question.options}
    assert ends == {"diploma": "maatwerk", "certificaat": "derde-leerweg-certificaat",
                    "praktijkverklaring": "praktijkleerroute", "weet-niet": "intake"}
    # The praktijkleerroute keeps its condition: a diploma or certificate is not feasible yet.
    assert "nog niet haalbaar" in wizard.outcomes["praktijkleerroute"].why


def test_first_question_guides_age_employers_schools_and_scope(wizard: Wizard) -> None:
    question = wizard.questions["doelgroep"]
    assert "leeftijd" in question.help and "19" in question.help
    ends = {o.id: o.next for o in question.options}
    assert ends["werkgever"] == "wens" and ends["scholen"] == "leerweg"
    assert ends["buiten"] == "buiten-bereik" and ends["weet-niet"] == "eerst-gesprek"


def test_out_of_scope_refers_on_with_registered_sources(wizard: Wizard, kb) -> None:
    outcome = wizard.outcomes["buiten-bereik"]
    assert outcome.kind == "buiten"
    text = " ".join(r.text for r in outcome.refers).lower()
    for topic in ("hbo", "havo", "vwo", "studiefinanciering", "inburgering"):
        assert topic in text
    for ref in outcome.refers:
        assert kb.sources[ref.source].url.startswith("https://")


def test_outcomes_do_not_send_a_helpdesk_to_the_helpdesk(wizard: Wizard) -> None:
    for outcome in wizard.outcomes.values():
        text = " ".join((outcome.why, *outcome.next_steps, *outcome.good_to_know)).lower()
        assert "helpdesk" not in text and "medewerker. die" not in text, outcome.id


def test_glr_outcome_keeps_the_sources_limits(wizard: Wizard) -> None:
    glr = wizard.outcomes["geintegreerde-leerroute"]
    know = " ".join(glr.good_to_know)
    assert "studiesucces" in know and "(VSV)" in know  # 004: only "op deze onderdelen"
    arrange = " ".join(glr.arrange).lower()
    for must in ("melding bij duo", "samenwerkingsovereenkomst", "onderwijsprogramma",
                 "overstapopties"):  # 004: all four, before a pupil can start at any moment
        assert must in arrange, must


def test_leerlijn_does_not_say_an_lwt_needs_no_agreement(wizard: Wizard) -> None:
    arrange = " ".join(wizard.outcomes["doorlopende-leerlijn"].arrange)
    assert "leerwerktraject" in arrange and "samenwerkingsovereenkomst" in arrange


# Sentences with an obligation word, each checked against the source that says so.
OBLIGATIONS = {
    "verplicht een samenwerkingsovereenkomst te sluiten": "004: GLR, 'verplicht om een "
                                                           "samenwerkingsovereenkomst af te sluiten'",
    "BPV is in het mbo verplicht": "004: 'BPV op het mbo is verplicht'",
    "altijd samen met een mbo-school": "004: LWT 'moet dat altijd doen in samenwerking met het mbo'",
}
OBLIGATION = re.compile(r"\b(moet|moeten|verplicht|altijd)\b", re.IGNORECASE)


def test_no_new_obligations_without_a_source(wizard: Wizard) -> None:
    """'kan' never becomes 'moet': every obligation word sits in a sentence checked above."""
    for line, text in reader_texts(wizard):
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            if OBLIGATION.search(sentence):
                assert any(key in sentence for key in OBLIGATIONS), (line, sentence)


def test_reader_text_is_not_copied_from_the_seeds(wizard: Wizard) -> None:
    seeds = Settings(embedder="fake").seeds_dir
    if seeds is None or not seeds.is_dir():
        pytest.skip("seed documents not present (set ASSISTANT_SEEDS_DIR)")
    assert copied_runs(wizard, seeds) == []


def test_copied_runs_are_found(wizard: Wizard, tmp_path) -> None:
    why = wizard.outcomes["bol"].why
    (tmp_path / "000_bron.txt").write_text("Inleiding. " + why.upper() + " Slot.", encoding="utf-8")
    problems = copied_runs(wizard, tmp_path)
    assert problems and all("words copied from 000_bron.txt:1" in p.message for p in problems)
    (tmp_path / "000_bron.txt").write_text(" ".join(why.split()[:7]), encoding="utf-8")
    assert copied_runs(wizard, tmp_path) == []  # seven shared words are allowed


def test_every_way_to_a_route_or_conversation_has_a_cited_reason(wizard: Wizard) -> None:
    """The result says why for the path taken, with the sections that say so."""
    for answers, outcome in all_paths(wizard):
        if wizard.outcomes[outcome].kind == "buiten":
            continue
        step = next_step(wizard, answers)
        assert any(r.cites for r in step.reasons), (answers, outcome)
