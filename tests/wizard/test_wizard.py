"""The route wizard: tree checks, the pure engine, realistic scenarios, the API and the pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from assistant.content.kb import KnowledgeBase, load_kb
from assistant.content.problems import KBError
from assistant.settings import ROOT, Settings
from assistant.wizard.check import check_wizard_file, load_wizard
from assistant.wizard.tree import (
    Wizard,
    WizardError,
    decode_answers,
    next_step,
    permalink,
    to_mermaid,
)

WIZARD = ROOT / "kb" / "wizard.yaml"
FIXTURES = Path(__file__).parent / "fixtures"

# ---------------------------------------------------------------------------------------------
# Realistic situations, written from the source documents (shared/seeds/000, 001, 003, 004).
# Each: (description, answers in the order the wizard asks them, expected outcome).
SCENARIOS: list[tuple[str, dict[str, str], str]] = [
    ("vmbo-bb-leerling die volgens vmbo en mbo samen meer kans heeft op mbo 2 zonder "
     "vmbo-examen (004: geïntegreerde route)",
     {"doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "ja", "bb-niveau": "niveau-2",
      "zonder-vmbo-examen": "ja"}, "geintegreerde-leerroute"),
    ("vmbo-bb-leerling naar mbo 2 in een route met één docententeam, die wel het vmbo-diploma "
     "haalt (004: DLR en GLR kunnen allebei naar niveau 2)",
     {"doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "ja", "bb-niveau": "niveau-2",
      "zonder-vmbo-examen": "nee"}, "doorlopende-leerroute"),
    ("vmbo-bb-leerling in een route naar mbo 3; een GLR kan alleen naar niveau 2 (001)",
     {"doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "ja",
      "bb-niveau": "niveau-3-4"}, "doorlopende-leerroute"),
    ("vmbo-kb-leerling in een techniekroute naar mbo 3 met gespreid examen, zoals de oude "
     "vakmanschapsroute (002, 004)",
     {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "wettelijke-ruimte": "ja"},
     "doorlopende-leerroute"),
    ("LWT-leerlingen die alleen Nederlands en het beroepsgerichte programma volgen; de school "
     "houdt het leerwerktraject aan (004)",
     {"doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "nee",
      "leerwerktraject-vraag": "ja"}, "leerwerktraject"),
    ("gl/tl-school die met het mbo alleen de programma's inhoudelijk afstemt, zonder "
     "samenwerkingsovereenkomst (004: doorlopende leerlijn)",
     {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "wettelijke-ruimte": "alleen-afstemmen"},
     "doorlopende-leerlijn"),
    ("vmbo-bb-school die eerst alleen de inhoud met het mbo afstemt, als start van een "
     "latere leerroute (004)",
     {"doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "alleen-afstemmen"},
     "doorlopende-leerlijn"),
    ("vmbo-tl-leerling die na het diploma gewoon naar een mbo-opleiding op school met stage gaat",
     {"doelgroep": "vmbo", "leerweg": "kb-gl-tl", "wettelijke-ruimte": "nee",
      "bol-of-bbl": "school"}, "bol"),
    ("jongere met vmbo-kb-diploma die bij een bedrijf wil werken en een deel van de week "
     "naar school gaat",
     {"doelgroep": "na-vmbo", "bol-of-bbl": "bedrijf"}, "bbl"),
    ("vmbo-bb-leerling met het hele programma, zonder route, die daarna naar de BOL gaat",
     {"doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "nee",
      "leerwerktraject-vraag": "nee", "bol-of-bbl": "school"}, "bol"),
    ("werkzoekende volwassene voor wie een diploma (ook entree) en een certificaat voorlopig "
     "niet haalbaar zijn (000, 003: praktijkleerroute op maat)",
     {"doelgroep": "volwassene", "diploma-haalbaar": "nee", "certificaat-haalbaar": "nee"},
     "praktijkleerroute"),
    ("werkende volwassene voor wie een deel van een kwalificatie wel haalbaar is (000: "
     "mbo-certificaat in de derde leerweg)",
     {"doelgroep": "volwassene", "diploma-haalbaar": "nee", "certificaat-haalbaar": "ja"},
     "derde-leerweg-certificaat"),
    ("werkende volwassene die een volwaardig diploma wil, op maat, zonder vaste urennorm of "
     "studieduur (000: derde leerweg)",
     {"doelgroep": "volwassene", "diploma-haalbaar": "ja", "maatwerk-nodig": "ja"},
     "derde-leerweg-diploma"),
    ("volwassene die een gewone BBL-opleiding naast zijn werk wil doen",
     {"doelgroep": "volwassene", "diploma-haalbaar": "ja", "maatwerk-nodig": "nee",
      "bol-of-bbl": "bedrijf"}, "bbl"),
    ("havo-leerling: geen van de routes in de wizard past",
     {"doelgroep": "anders"}, "geen-route"),
    ("werkzoekende van wie nog niet duidelijk is wat haalbaar is: eerst een gesprek",
     {"doelgroep": "volwassene", "diploma-haalbaar": "weet-niet"}, "geen-route"),
]


@pytest.fixture(scope="module")
def wizard() -> Wizard:
    return load_wizard(WIZARD)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    settings = Settings(embedder="fake")
    return load_kb(settings.kb_dir, settings.seeds_dir)


class _StubEngine:
    """Just enough of the engine for the wizard routes (they only need the knowledge base)."""

    index_version = "test"

    def __init__(self, settings: Settings, kb: KnowledgeBase):
        self.settings, self.kb = settings, kb

    def ask(self, question: str, context: list[str] | None = None):  # pragma: no cover
        raise NotImplementedError

    async def ask_async(self, question: str, context: list[str] | None = None):  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory):
    from assistant.webapp.app import create_app

    settings = Settings(embedder="fake",
                        feedback_db=tmp_path_factory.mktemp("wizard") / "feedback.sqlite3")
    with TestClient(create_app(settings, _StubEngine(settings, kb))) as c:
        yield c


def all_paths(wizard: Wizard) -> list[tuple[dict[str, str], str]]:
    """Every path from start to an outcome, as (answers, outcome id)."""
    paths: list[tuple[dict[str, str], str]] = []

    def walk(node: str, answers: dict[str, str]) -> None:
        if node in wizard.outcomes:
            paths.append((answers, node))
            return
        for opt in wizard.questions[node].options:
            walk(opt.next, {**answers, node: opt.id})

    walk(wizard.start, {})
    return paths


# --- the real tree ---------------------------------------------------------------------------

def test_real_wizard_is_clean(kb: KnowledgeBase) -> None:
    assert check_wizard_file(WIZARD, kb) == []


def test_real_wizard_has_the_required_outcomes(wizard: Wizard) -> None:
    required = {"doorlopende-leerroute", "geintegreerde-leerroute", "derde-leerweg-diploma",
                "derde-leerweg-certificaat", "praktijkleerroute", "leerwerktraject", "bol", "bbl",
                "doorlopende-leerlijn", "geen-route"}
    assert required <= set(wizard.outcomes)
    for outcome in wizard.outcomes.values():
        assert outcome.why and outcome.next_steps and outcome.cites
        if outcome.id != "geen-route":
            assert outcome.conditions
    assert wizard.outcomes["geen-route"].contact


def test_dlr_and_glr_outcomes_name_the_obligations(wizard: Wizard) -> None:
    for oid in ("doorlopende-leerroute", "geintegreerde-leerroute"):
        text = " ".join(wizard.outcomes[oid].conditions)
        for must in ("samenwerkingsovereenkomst", "overstapoptie", "PTA/OER", "RIO", "ROD"):
            assert must in text, (oid, must)
    assert "derde leerjaar" in " ".join(wizard.outcomes["doorlopende-leerroute"].conditions)
    assert "per kwalificatie" in " ".join(wizard.outcomes["derde-leerweg-diploma"].conditions)


def test_questions_have_help_and_every_option_is_labelled(wizard: Wizard) -> None:
    for q in wizard.questions.values():
        assert q.text.endswith("?") and q.help
        assert len(q.options) >= 2
        assert all(o.label for o in q.options)


def test_every_outcome_is_on_some_path(wizard: Wizard) -> None:
    assert {oid for _, oid in all_paths(wizard)} == set(wizard.outcomes)


# --- the engine ------------------------------------------------------------------------------

def test_first_step_and_numbering(wizard: Wizard) -> None:
    step = next_step(wizard, {})
    assert step.question is not None and step.question.id == "doelgroep"
    longest = max(len(a) for a, _ in all_paths(wizard))
    assert (step.number, step.total) == (1, longest)
    step = next_step(wizard, {"doelgroep": "volwassene"})
    assert step.question is not None and step.question.id == "diploma-haalbaar"
    assert step.number == 2 and step.total == 4  # volwassene → diploma → maatwerk → bol/bbl


def test_numbering_never_passes_the_total(wizard: Wizard) -> None:
    for answers, _ in all_paths(wizard):
        items = list(answers.items())
        for i in range(len(items)):
            step = next_step(wizard, dict(items[:i]))
            assert step.question is not None and 1 <= step.number <= step.total
            assert step.number == i + 1
            assert step.total >= len(items)


def test_outcome_with_reasons_in_path_order(wizard: Wizard) -> None:
    answers = SCENARIOS[0][1]
    step = next_step(wizard, answers)
    assert step.outcome is not None and step.outcome.id == "geintegreerde-leerroute"
    assert step.answers == answers
    assert len(step.reasons) == len(answers)
    assert "basisberoepsgerichte" in step.reasons[1]


def test_answer_order_does_not_matter(wizard: Wizard) -> None:
    answers = SCENARIOS[0][1]
    reordered = dict(reversed(list(answers.items())))
    assert next_step(wizard, reordered).outcome == next_step(wizard, answers).outcome


@pytest.mark.parametrize(("answers", "message"), [
    ({"bestaat-niet": "ja"}, "Onbekende vraag"),
    ({"doelgroep": "bestaat-niet"}, "Onbekend antwoord"),
    ({"doelgroep": "volwassene", "leerweg": "bb"}, "horen niet bij"),
    ({"leerweg": "bb"}, "horen niet bij"),
])
def test_engine_rejects_bad_answers(wizard: Wizard, answers: dict[str, str], message: str) -> None:
    with pytest.raises(WizardError, match=message):
        next_step(wizard, answers)


def test_permalink_round_trip(wizard: Wizard) -> None:
    for answers, outcome in all_paths(wizard):
        link = permalink(next_step(wizard, answers))
        assert link.startswith("/wizard/result?")
        decoded = decode_answers(parse_qsl(urlsplit(link).query))
        assert decoded == answers
        assert next_step(wizard, decoded).outcome.id == outcome  # type: ignore[union-attr]


def test_decode_skips_controls_and_refuses_two_answers() -> None:
    assert decode_answers([("a", "1"), ("_vraag", "a"), ("_weergave", "print")]) == {"a": "1"}
    with pytest.raises(WizardError, match="twee antwoorden"):
        decode_answers([("a", "1"), ("a", "2")])


def test_mermaid(wizard: Wizard) -> None:
    chart = to_mermaid(wizard)
    assert chart.startswith("flowchart TD")
    assert chart.count(" --> ") == sum(len(q.options) for q in wizard.questions.values())
    assert 'q_doelgroep{"Voor wie zoekt u een route?"}' in chart
    assert "o_geen_route([" in chart


@pytest.mark.parametrize(("description", "answers", "expected"), SCENARIOS,
                         ids=[s[2] + "-" + str(i) for i, s in enumerate(SCENARIOS)])
def test_scenarios(wizard: Wizard, description: str, answers: dict[str, str],
                   expected: str) -> None:
    # Answer one question at a time, as a person would: each answer must be the next question.
    given: dict[str, str] = {}
    for qid, oid in answers.items():
        step = next_step(wizard, given)
        assert step.question is not None and step.question.id == qid, description
        given[qid] = oid
    step = next_step(wizard, given)
    assert step.outcome is not None and step.outcome.id == expected, description


def test_scenarios_cover_every_outcome(wizard: Wizard) -> None:
    assert len(SCENARIOS) >= 10
    assert {s[2] for s in SCENARIOS} == set(wizard.outcomes)


# --- the checker on broken trees -------------------------------------------------------------

def _messages(name: str, kb: KnowledgeBase) -> list[str]:
    problems = check_wizard_file(FIXTURES / name, kb)
    assert all(p.file.endswith(name) and p.line > 1 for p in problems), problems
    return [p.message for p in problems]


def test_valid_fixture_is_clean(kb: KnowledgeBase) -> None:
    assert check_wizard_file(FIXTURES / "valid.yaml", kb) == []


def test_check_finds_dead_ends(kb: KnowledgeBase) -> None:
    messages = _messages("dead_end.yaml", kb)
    assert any("'vraag-b' has no options (dead end)" in m for m in messages)
    assert any("vraag-a/nee has no 'next' (dead end)" in m for m in messages)


def test_check_finds_a_cycle(kb: KnowledgeBase) -> None:
    messages = _messages("cycle.yaml", kb)
    assert any(m.startswith("cycle: vraag-a → vraag-b → vraag-c → vraag-a") for m in messages)


def test_check_finds_missing_citations(kb: KnowledgeBase) -> None:
    problems = check_wizard_file(FIXTURES / "missing_citation.yaml", kb)
    assert [(p.line, p.message) for p in problems] == [
        (19, "outcome 'uitkomst-een' cites 'dlr-wat-is-het#bestaat-niet': "
             "that section does not exist"),
        (20, "outcome 'uitkomst-een' cites 'geen-artikel#ergens': that article does not exist"),
    ]


def test_check_finds_unreachable_nodes(kb: KnowledgeBase) -> None:
    messages = _messages("unreachable.yaml", kb)
    assert "outcome 'uitkomst-vergeten' cannot be reached from start" in messages
    assert "question 'vraag-los' cannot be reached from start" in messages


def test_check_finds_unknown_targets(kb: KnowledgeBase) -> None:
    problems = check_wizard_file(FIXTURES / "unknown_target.yaml", kb)
    assert [(p.line, p.message) for p in problems] == [
        (11, "option vraag-a/nee leads to 'uitkomst-bestaat-niet', "
             "which is no question or outcome"),
    ]


def test_check_finds_bad_fields(kb: KnowledgeBase) -> None:
    messages = " | ".join(_messages("bad_fields.yaml", kb))
    for part in ("'help' is required", "unknown field 'kleur'", "option id 'ja' is used twice",
                 "id 'Fout_Id'", "'label' is required", "'why' is required",
                 "'next_steps' must not be empty", "write it as <slug>#<anchor>"):
        assert part in messages


def test_load_refuses_broken_trees_with_file_and_line() -> None:
    for name in ("dead_end.yaml", "cycle.yaml", "unreachable.yaml", "unknown_target.yaml"):
        with pytest.raises(KBError) as info:
            load_wizard(FIXTURES / name)
        assert all(p.line > 1 for p in info.value.problems)
    with pytest.raises(KBError, match="invalid YAML"):
        load_wizard(Path(__file__))  # Python is not YAML


def test_cli_wizard_check(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli.main import main

    assert main(["wizard", "check"]) == 0
    assert "wizard check: ok" in capsys.readouterr().out
    assert main(["wizard", "check", "--mermaid"]) == 0
    assert capsys.readouterr().out.startswith("flowchart TD")
    kb_copy = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb_copy)
    shutil.copy(FIXTURES / "cycle.yaml", kb_copy / "wizard.yaml")
    monkeypatch.setenv("ASSISTANT_KB_DIR", str(kb_copy))
    assert main(["wizard", "check"]) == 1
    assert "cycle: vraag-a" in capsys.readouterr().err
    # `kb check` includes the wizard too (the wizard's check is injected, content does not import it).
    assert main(["kb", "check"]) == 1
    assert "cycle: vraag-a" in capsys.readouterr().err


# --- the API ---------------------------------------------------------------------------------

def test_api_first_question(client: TestClient) -> None:
    body = client.get("/api/wizard").json()
    q = body["question"]
    assert q["id"] == "doelgroep" and q["text"] and q["help"]
    assert {"id", "label"} == set(q["options"][0])
    assert body["step"] == 1


def test_api_every_outcome_reachable(client: TestClient, wizard: Wizard) -> None:
    reached: dict[str, dict] = {}
    for answers, outcome in all_paths(wizard):
        if outcome in reached:
            continue
        response = client.post("/api/wizard", json={"answers": answers})
        assert response.status_code == 200
        reached[outcome] = response.json()
    assert set(reached) == set(wizard.outcomes)
    for oid, body in reached.items():
        out = body["outcome"]
        assert out["id"] == oid
        assert {"id", "title", "why", "conditions", "next_steps", "citations"} <= set(out)
        for cite in out["citations"]:
            assert re.fullmatch(r"/kb/[a-z0-9-]+#[a-z0-9-]+", cite["url"])
            assert " – " in cite["title"]
        assert body["permalink"].startswith("/wizard/result?")


def test_api_scenarios_step_by_step(client: TestClient) -> None:
    for description, answers, expected in SCENARIOS:
        given: dict[str, str] = {}
        for qid, oid in answers.items():
            body = client.post("/api/wizard", json={"answers": given}).json()
            assert body["question"]["id"] == qid, description
            assert oid in {o["id"] for o in body["question"]["options"]}
            given[qid] = oid
        body = client.post("/api/wizard", json={"answers": given}).json()
        assert body["outcome"]["id"] == expected, description


def test_api_glr_helpdesk_case(client: TestClient) -> None:
    """The issue's first 'done' case: a vmbo-bb pupil better off at mbo 2 without the exam."""
    body = client.post("/api/wizard", json={"answers": SCENARIOS[0][1]}).json()
    out = body["outcome"]
    assert out["id"] == "geintegreerde-leerroute"
    assert any("samenwerkingsovereenkomst" in c for c in out["conditions"])
    assert {"url": "/kb/dlr-glr-verschil#wanneer-glr",
            "title": "Verschil tussen doorlopende en geïntegreerde leerroute – "
                     "Voor welke leerlingen is een GLR bedoeld?"} in out["citations"]
    assert client.get(body["permalink"]).status_code == 200


@pytest.mark.parametrize(("payload", "fragment"), [
    ({"answers": {"onbekend": "ja"}}, "Onbekende vraag"),
    ({"answers": {"doelgroep": "onbekend"}}, "Onbekend antwoord"),
    ({"answers": {"leerweg": "bb"}}, "horen niet bij"),
    ({"answers": ["doelgroep"]}, "moet een object zijn"),
    ({"answers": {"doelgroep": 3}}, "moet een object zijn"),
])
def test_api_422_in_dutch(client: TestClient, payload: dict, fragment: str) -> None:
    response = client.post("/api/wizard", json=payload)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert response.json()["field"] == "answers"


def test_api_without_answers_gives_first_question(client: TestClient) -> None:
    assert client.post("/api/wizard", json={}).json()["question"]["id"] == "doelgroep"


# --- the pages -------------------------------------------------------------------------------

def test_page_first_question(client: TestClient) -> None:
    html = client.get("/wizard").text
    assert '<form class="wizard-form" method="get" action="/wizard"' in html
    assert "<fieldset" in html and "<legend>" in html
    assert "Stap 1 van 5" in html
    assert 'type="radio" id="doelgroep-vmbo" name="doelgroep" value="vmbo"' in html
    assert '<label for="doelgroep-vmbo">' in html
    assert 'aria-describedby="hulp-doelgroep"' in html
    assert "Vorige vraag" not in html


def test_page_without_choice_shows_error(client: TestClient) -> None:
    response = client.get("/wizard?doelgroep=vmbo&_vraag=leerweg")
    assert response.status_code == 422
    html = response.text
    assert 'class="field-error" role="alert"' in html and "Kies een antwoord" in html
    assert 'aria-describedby="hulp-leerweg fout-leerweg"' in html
    assert 'aria-invalid="true"' in html


def test_page_carries_answers_and_back_link(client: TestClient) -> None:
    html = client.get("/wizard?doelgroep=vmbo&leerweg=bb&_vraag=leerweg").text
    assert "Stap 3 van 5" in html
    assert '<input type="hidden" name="doelgroep" value="vmbo">' in html
    assert '<input type="hidden" name="leerweg" value="bb">' in html
    assert 'href="/wizard?doelgroep=vmbo">Vorige vraag' in html
    assert 'href="/wizard">Opnieuw beginnen' in html


def test_page_complete_answers_redirect_to_permalink(client: TestClient) -> None:
    query = "doelgroep=volwassene&diploma-haalbaar=nee&certificaat-haalbaar=nee&_vraag=x"
    response = client.get(f"/wizard?{query}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/wizard/result?doelgroep=volwassene&diploma-haalbaar=nee&certificaat-haalbaar=nee")


def test_result_page(client: TestClient) -> None:
    link = "/wizard/result?doelgroep=volwassene&diploma-haalbaar=nee&certificaat-haalbaar=nee"
    html = client.get(link).text
    assert "Praktijkleerroute op maat" in html
    for heading in ("Waarom deze route?", "Voorwaarden en verplichtingen", "Volgende stappen",
                    "Bronnen", "Link naar dit advies"):
        assert heading in html
    assert 'href="/kb/praktijkleerroute-praktijkverklaring#voor-wie"' in html
    assert link.replace("&", "&amp;") in html
    assert "wizard.css" in html
    assert "_weergave=print" in html
    assert client.get(link).text == html  # the permalink shows the same result again


def test_result_print_view_and_contact(client: TestClient) -> None:
    html = client.get("/wizard/result?doelgroep=anders&_weergave=print").text
    assert "wizard-print-view" in html and "Terug naar de gewone weergave" in html
    assert "Contact:" in html


def test_result_with_incomplete_answers_goes_back_to_the_wizard(client: TestClient) -> None:
    response = client.get("/wizard/result?doelgroep=vmbo", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/wizard?doelgroep=vmbo"


def test_broken_link_page(client: TestClient) -> None:
    response = client.get("/wizard/result?doelgroep=vmbo&leerweg=hbo")
    assert response.status_code == 422
    assert "Deze link werkt niet" in response.text and "Onbekend antwoord" in response.text
