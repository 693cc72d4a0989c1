"""Content rules of issue 13: the Stand line, editor notes, sources by id, validity dates, warnings vs errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from assistant.content.articles import parse_article
from assistant.content.checks import check_kb, inspect_kb
from assistant.content.glossary import load_sources
from assistant.content.problems import KBError
from assistant.content.reader_text import editor_wording
from assistant.settings import ROOT

ARTICLE = textwrap.dedent("""\
    ---
    slug: voorbeeld
    title: Een voorbeeld
    summary: Kort.
    themes: [algemeen]
    audience: [helpdesk]
    sources: [seed-004]
    stand: FAQ bij het webinar van 16 mei (jaar niet genoemd)
    last_reviewed: 2022-06-01
    valid_until: 2022-07-31
    editor_notes:
      - Het jaar staat niet in de bron.
    section_sources:
      tweede: [seed-001]
    ---

    ## Eerste vraag {#eerste}

    Antwoord.

    ## Tweede vraag {#tweede}

    Nog een antwoord.
    """)
PATH = "kb/articles/voorbeeld.md"
STAND = "stand: FAQ bij het webinar van 16 mei (jaar niet genoemd)"


def test_new_fields_are_parsed() -> None:
    art = parse_article(ARTICLE, PATH)
    assert art.stand == "FAQ bij het webinar van 16 mei (jaar niet genoemd)"
    assert art.editor_notes == ("Het jaar staat niet in de bron.",)
    assert art.valid_until == date(2022, 7, 31)
    assert art.sources_of("tweede") == ("seed-001",)
    assert art.sources_of("eerste") == ("seed-004",)
    assert all("jaar staat niet" not in s.body for s in art.sections)


def test_expired_follows_the_clock() -> None:
    art = parse_article(ARTICLE, PATH)
    assert art.expired(date(2022, 8, 1))
    assert not art.expired(date(2022, 7, 31))


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ((STAND, 'stand: "Stand: FAQ"'), 8, "without the word 'Stand:'"),
        ((STAND, "stand: [a, b]"), 8, "'stand' must be"),
        (("stand: FAQ", "stand: " + "lang " * 60 + "FAQ"), 8, "keep it under 240"),
        (("  tweede: [seed-001]", "  derde: [seed-001]"), 14, "section_sources name anchor 'derde'"),
        (("  tweede: [seed-001]", "  tweede: []"), 14, "section_sources for 'tweede' must list"),
        (("valid_until: 2022-07-31", "valid_until: 2022"), 10, "'valid_until' must be a date"),
        (("valid_until: 2022-07-31", "as_of: mei"), 10, "'as_of' must be a date"),
        (("editor_notes:\n  - Het jaar staat niet in de bron.", "editor_notes: {a: 1}"), 11, "'editor_notes' must be"),
        (("stand: FAQ", "stnad: FAQ"), 8, "unknown front matter field 'stnad'"),
    ],
)
def test_bad_new_fields_name_their_line(change: tuple[str, str], line: int, message: str) -> None:
    text = ARTICLE.replace(*change)
    assert text != ARTICLE
    with pytest.raises(KBError) as err:
        parse_article(text, PATH)
    found = [p for p in err.value.problems if message in p.message]
    assert found, err.value.problems
    assert found[0].line == line


def _kb_with(tmp_path: Path, article: str) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    (kb / "wizard.yaml").unlink(missing_ok=True)
    (kb / "articles" / "voorbeeld.md").write_text(article, encoding="utf-8")
    return kb


def _mine(problems: list, level: str) -> list[str]:
    return [f"{p.line}: {p.message}" for p in problems if "voorbeeld" in p.file and p.level == level]


def test_expired_article_is_a_warning_only_after_its_date(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, ARTICLE)
    _, before = inspect_kb(kb, None, clock=lambda: date(2022, 7, 31))
    _, after = inspect_kb(kb, None, clock=lambda: date(2022, 8, 1))
    assert not any("valid_until" in m for m in _mine(before, "warning"))
    assert "10: valid_until 2022-07-31 has passed" in " ".join(_mine(after, "warning"))
    assert _mine(after, "error") == []
    assert [p for p in check_kb(kb, None, clock=lambda: date(2022, 8, 1)) if "voorbeeld" in p.file] == []


def test_review_date_in_the_future_is_an_error(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, ARTICLE)
    problems = check_kb(kb, None, clock=lambda: date(2022, 5, 31))
    assert [f"{p.line}: {p.message}" for p in problems if "voorbeeld" in p.file] == [
        "9: last_reviewed 2022-06-01 lies in the future"]


def test_missing_stand_and_inline_source_are_errors(tmp_path: Path) -> None:
    text = ARTICLE.replace("stand: FAQ bij het webinar van 16 mei (jaar niet genoemd)\n", "").replace(
        "sources: [seed-004]", "sources:\n  - seed-004\n  - title: DUO\n    url: https://duo.nl/x")
    _, problems = inspect_kb(_kb_with(tmp_path, text), None, clock=lambda: date(2022, 6, 1))
    errors = _mine(problems, "error")
    assert "1: no 'stand': readers cannot see how current the rules are" in errors
    assert any(e.startswith("9: inline source 'DUO'") for e in errors), errors
    assert _mine(problems, "warning") == []


def test_unknown_section_source_is_an_error(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, ARTICLE.replace("tweede: [seed-001]", "tweede: [seed-001, nergens]"))
    problems = check_kb(kb, None, clock=lambda: date(2026, 12, 1))
    assert [f"{p.line}: {p.message}" for p in problems if "voorbeeld" in p.file] == [
        "14: section 'tweede': source 'nergens' is not in kb/sources.yaml"]


def test_glossary_and_sources_fields(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, ARTICLE)
    (kb / "glossary.yaml").write_text(textwrap.dedent("""\
        - term: doorlopende leerroute
          definition: Een route.
          search_aliases: [vmbo-mbo-traject]
        - term: BOL
          definition: Leerweg.
          sources: [seed-001]
          search_aliases: [bol-opleiding]
          editor_notes: Mensen typen dit.
        """), encoding="utf-8")
    with (kb / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write("- id: duo\n  title: DUO\n  url: https://duo.nl/\n  checked: 2026-12-01\n")
    _, problems = inspect_kb(kb, None, clock=lambda: date(2026, 12, 7))
    messages = [str(p) for p in problems]
    assert any("glossary.yaml:1: 'doorlopende leerroute': the definition names no source" in m
               for m in messages), messages
    assert any("glossary.yaml:1: 'doorlopende leerroute': say in 'editor_notes'" in m for m in messages)
    assert not [m for m in messages if "glossary.yaml:4" in m], messages
    assert load_sources(kb / "sources.yaml")["duo"].checked == date(2026, 12, 1)


def test_unknown_source_field_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("- id: duo\n  title: DUO\n  url: https://duo.nl/\n  checked: gisteren\n  editr: x\n",
                    encoding="utf-8")
    with pytest.raises(KBError) as err:
        load_sources(path)
    assert [(p.line, p.message) for p in err.value.problems] == [
        (4, "source 'duo': 'checked' must be a date (YYYY-MM-DD)"), (5, "source 'duo': unknown field 'editr'")]


def _cli(kb: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", "kb", "check", *args], capture_output=True,
                          text=True, cwd=ROOT, env={"ASSISTANT_KB_DIR": str(kb), "PATH": "/usr/bin:/bin"})


def test_cli_warnings_pass_unless_strict(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, ARTICLE)
    ok = _cli(kb, "--today", "2026-12-07")
    assert ok.returncode == 0, ok.stderr
    assert "voorbeeld.md:10: warning: valid_until 2022-07-31 has passed" in ok.stderr
    assert "warning(s)" in ok.stdout
    assert _cli(kb, "--today", "2026-12-07", "--strict").returncode == 1
    early = _cli(kb, "--today", "2022-05-01")
    assert early.returncode == 1
    assert "voorbeeld.md:9: last_reviewed 2022-06-01 lies in the future" in early.stderr


# --- reader text: editor's notes and internal words -------------------------------------------------------

@pytest.mark.parametrize(("text", "found", "level"), [
    ("Dit klopt nog niet, TODO.", "'TODO'", "error"),
    ("Even navragen bij DUO.", "'navragen'", "error"),
    ("Dit moeten we nog checken.", "'nog checken'", "error"),
    ("Zo staat het in seed-004.", "'seed-004'", "error"),
    ("Zie 004_c37aea5ffef5cab9.txt voor meer.", "'004_c37aea5ffef5cab9'", "error"),
    ("Volgens bron 004 mag dat.", "'bron 004'", "error"),
    ("Vraag het de redactie.", "'redactie'", "error"),
    ("Het jaar staat niet in de bron.", "'staat niet in de bron'", "error"),
    ("Let op de woorden. In de bron staat soms iets anders.", "'Let op de woorden'", "error"),
    ("De bronnen zeggen niet wat er dan gebeurt.", "'De bronnen zeggen niet'", "error"),
    ("De bron noemt geen bedrag.", "'De bron noemt geen'", "error"),
])
def test_editor_wording_is_found(text: str, found: str, level: str) -> None:
    hits = editor_wording(text)
    assert [(msg.endswith(found), lvl) for _, msg, lvl in hits][:1] == [(True, level)], hits


@pytest.mark.parametrize("text", [
    "De school controleert of de leerling is ingeschreven.",
    "Vraag het na bij uw contactpersoon op de mbo-school.",
    "In 2004 begon het experiment; de bron van het geld is het Rijk.",
    "De checklist staat op de website van DUO.",
])
def test_plain_reader_text_passes(text: str) -> None:
    assert editor_wording(text) == []


def test_editor_notes_in_reader_text_fail_kb_check_at_their_line(tmp_path: Path) -> None:
    text = ARTICLE.replace(STAND, "stand: FAQ van 16 mei, TODO jaar").replace(
        "Nog een antwoord.", "Nog een antwoord.\n\nDe bron noemt geen datum. Even navragen.")
    kb = _kb_with(tmp_path, text)
    glossary = kb / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "Een manier om mbo-onderwijs aan volwassenen", "Een manier (zie seed-000) om mbo-onderwijs aan volwassenen"),
        encoding="utf-8")
    _, problems = inspect_kb(kb, None, clock=lambda: date(2026, 12, 7))
    mine = [str(p).split("voorbeeld.md:")[1] for p in problems if "voorbeeld" in p.file and "reader text" in p.message]
    assert mine == ["8: stand: a placeholder in reader text: 'TODO'",
                    "25: section tweede: an editor's note about the source in reader text: 'De bron noemt geen'",
                    "25: section tweede: an editor's to-do in reader text: 'navragen'"], mine
    assert any(p.file.endswith("glossary.yaml") and p.line == 4 and "'seed-000'" in p.message and p.is_error
               for p in problems), [str(p) for p in problems if "glossary" in p.file]


# --- the seeds: copied runs, near copies, 'kan' that became 'moet' -------------------------------------

SEED = ("Scholen kunnen met het leerbedrijf afspraken maken over de begeleiding van de leerling in de praktijk.\n"
        "Het streven is dat elke regio binnen twee jaar een eigen doorlopende leerroute aanbiedt aan jongeren.\n"
        "De Kennispunt Leven Lang Ontwikkelen organiseerde de bijeenkomst over de derde leerweg in juni.\n")


def _with_seed(tmp_path: Path, body: str) -> tuple[Path, Path]:
    kb = _kb_with(tmp_path, ARTICLE.replace("Nog een antwoord.", body))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "009_test.txt").write_text(SEED, encoding="utf-8")
    return kb, seeds


def _seed_warnings(kb: Path, seeds: Path) -> list[str]:
    _, problems = inspect_kb(kb, seeds, clock=lambda: date(2026, 12, 7))
    return [f"{p.line}: {p.message}" for p in problems if "voorbeeld" in p.file and "009_test" in p.message]


def test_eight_copied_words_are_reported_seven_are_not(tmp_path: Path) -> None:
    kb, seeds = _with_seed(tmp_path, "Uw school regelt de begeleiding van de leerling in de praktijk samen.")
    assert _seed_warnings(kb, seeds) == [
        "23: section tweede: 8 words shared with 009_test.txt:1: 'de begeleiding van de leerling in de praktijk'"]
    kb, seeds = _with_seed(tmp_path / "b", "Uw school regelt de begeleiding van de leerling in het bedrijf samen.")
    assert _seed_warnings(kb, seeds) == []


def test_allowed_names_count_as_one_word(tmp_path: Path) -> None:
    body = "Het Kennispunt Leven Lang Ontwikkelen organiseerde de bijeenkomst over de nieuwe leerweg."
    kb, seeds = _with_seed(tmp_path, body)
    (kb / "shared_wording_allow.yaml").unlink()
    assert any("words shared" in w for w in _seed_warnings(kb, seeds))
    (kb / "shared_wording_allow.yaml").write_text(
        "- phrase: Kennispunt Leven Lang Ontwikkelen\n  why: naam van een organisatie\n", encoding="utf-8")
    assert not any("words shared" in w for w in _seed_warnings(kb, seeds))


def test_bad_allow_list_names_its_line(tmp_path: Path) -> None:
    kb, seeds = _with_seed(tmp_path, "Tekst.")
    (kb / "shared_wording_allow.yaml").write_text(
        "- phrase: Connect Groen\n  why: naam\n- phrase: Groen\n  why: te kort\n- phrase: MBO Raad\n", encoding="utf-8")
    problems = check_kb(kb, seeds, clock=lambda: date(2026, 12, 7))
    assert [(p.line, p.message) for p in problems if p.file.endswith("shared_wording_allow.yaml")] == [
        (3, "'phrase' must be a name of two or more words"), (5, "'MBO Raad': say in 'why' what name this is")]


def test_shuffled_seed_sentence_is_near_verbatim(tmp_path: Path) -> None:
    kb, seeds = _with_seed(tmp_path, "Scholen kunnen met het leerbedrijf over de begeleiding van de leerling op de "
                                     "werkvloer afspraken maken.")
    assert _seed_warnings(kb, seeds) == ["23: section tweede: near-verbatim copy of 009_test.txt:1: write it anew"]


def test_kan_that_became_moet_is_a_warning(tmp_path: Path) -> None:
    kb, seeds = _with_seed(tmp_path, "Scholen moeten met het leerbedrijf afspraken maken over hoe zij de leerling "
                                     "begeleiden.")
    assert _seed_warnings(kb, seeds) == [
        "23: section tweede: says moeten where 009_test.txt:1 says kunnen: did 'kan' become 'moet', or an aim a rule?"]
    kb, seeds = _with_seed(tmp_path / "b", "Scholen kunnen samen met het leerbedrijf afspraken maken over hoe zij "
                                           "de leerling begeleiden.")
    assert _seed_warnings(kb, seeds) == []


def test_aim_stated_as_fact_is_a_warning(tmp_path: Path) -> None:
    kb, seeds = _with_seed(tmp_path, "Over twee jaar heeft elke regio voor jongeren een doorlopende leerroute.")
    assert _seed_warnings(kb, seeds) == [
        "23: section tweede: 009_test.txt:2 states an aim (streven); this sentence states it as a fact or a right"]
    kb, seeds = _with_seed(tmp_path / "b", "Het doel is dat elke regio binnen twee jaar jongeren een eigen "
                                           "doorlopende route biedt.")
    assert _seed_warnings(kb, seeds) == []


def test_long_sentences_are_a_b1_warning(tmp_path: Path) -> None:
    long = " ".join(["woord"] * 26) + "."
    link = "Lees [" + " ".join(["meer"] * 3) + "](https://www.rijksoverheid.nl/a.b.c/d.e) " + " ".join(["x"] * 20) + "."
    kb = _kb_with(tmp_path, ARTICLE.replace("Nog een antwoord.", f"{' '.join(['kort'] * 25)}.\n{link}\n\n{long}"))
    _, problems = inspect_kb(kb, None, clock=lambda: date(2026, 12, 7))
    assert [f"{p.line}: {p.message}" for p in problems if "voorbeeld" in p.file and "B1" in p.message] == [
        "26: section tweede: a sentence of 26 words; B1 keeps sentences to 25"]
