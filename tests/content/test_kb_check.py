"""kb check on the real knowledge base and on small broken fixtures."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assistant.content.articles import parse_article
from assistant.content.checks import check_kb
from assistant.content.kb import load_kb
from assistant.content.problems import KBError
from assistant.settings import ROOT, Settings

GOOD = textwrap.dedent("""\
    ---
    slug: voorbeeld
    title: Een voorbeeld
    summary: Kort.
    themes: [algemeen]
    audience: [helpdesk]
    sources: [seed-004]
    last_reviewed: 2026-11-22
    phrasings:
      eerste:
        - Hoe zit dat?
    ---

    ## Eerste vraag {#eerste}

    Antwoord.

    ## Tweede vraag {#tweede}

    Nog een antwoord met een [link](/kb/voorbeeld#eerste).
    """)


def test_real_kb_is_clean() -> None:
    settings = Settings()
    assert check_kb(settings.kb_dir, settings.seeds_dir) == []
    kb = load_kb(settings.kb_dir, settings.seeds_dir)
    assert len(kb.articles) >= 15
    cited_seeds = {s.id for a in kb.articles for s in a.sources if s.id and s.id.startswith("seed-")}
    assert cited_seeds == {f"seed-00{i}" for i in range(5)}


def test_cli_kb_check_ok() -> None:
    out = subprocess.run([sys.executable, "-m", "assistant", "kb", "check"], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "articles" in out.stdout


def test_parse_good_article() -> None:
    article = parse_article(GOOD, "kb/articles/voorbeeld.md")
    assert [s.anchor for s in article.sections] == ["eerste", "tweede"]
    assert article.sections[0].heading == "Eerste vraag"
    assert article.sections[0].line == 14
    assert article.phrasings == {"eerste": ("Hoe zit dat?",)}


def test_a_phrasing_may_name_the_sentence_that_answers_it() -> None:
    text = GOOD.replace("    - Hoe zit dat?\n", "    - Hoe zit dat?\n    - q: Waar staat het antwoord?\n"
                        "      answer: ANTWOORD\n")
    article = parse_article(text, "kb/articles/voorbeeld.md")
    assert article.phrasings == {"eerste": ("Hoe zit dat?", "Waar staat het antwoord?")}
    assert article.phrasing_answers == {"eerste": {"Waar staat het antwoord?": "ANTWOORD"}}
    with pytest.raises(KBError, match="answer 'Elders' of phrasing 'Waar staat het antwoord\\?' is not in section"):
        parse_article(text.replace("answer: ANTWOORD", "answer: Elders"), "kb/articles/voorbeeld.md")
    with pytest.raises(KBError, match="must be a list of questions"):
        parse_article(text.replace("answer: ANTWOORD", "antwoord: ANTWOORD"), "kb/articles/voorbeeld.md")


def test_answer_words_in_two_sentences_get_a_warning() -> None:
    from types import SimpleNamespace

    from assistant.content.checks import phrasing_answer_checks

    named = "    - Hoe zit dat?\n    - q: Waar staat het?\n      answer: antwoord\n"
    text = GOOD.replace("    - Hoe zit dat?\n", named)
    text = text.replace("Nog een antwoord met een", "Nog een antwoord. Een ander antwoord met een")
    one = parse_article(text, "kb/articles/voorbeeld.md")
    assert phrasing_answer_checks(SimpleNamespace(articles=[one])) == []  # 'eerste' has one sentence
    two = parse_article(text.replace("Antwoord.", "Antwoord. Nog een antwoord."), "kb/articles/voorbeeld.md")
    (problem,) = phrasing_answer_checks(SimpleNamespace(articles=[two]))
    assert problem.level == "warning" and "is in 2 sentences of section 'eerste'" in problem.message


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("last_reviewed: 2026-11-22", "last_reviewed: gisteren"), 8, "last_reviewed"),
        (("themes: [algemeen]", "themes: [koken]"), 5, "unknown theme 'koken'"),
        (("## Tweede vraag {#tweede}", "## Tweede vraag"), 18, "has no '{#anchor}'"),
        (("## Tweede vraag {#tweede}", "## Tweede vraag {#eerste}"), 18, "duplicate anchor 'eerste'"),
        (("  eerste:\n", "  derde:\n"), 10, "anchor 'derde'"),
        (("slug: voorbeeld", "slug: Voorbeeld_1"), 2, "slug 'Voorbeeld_1'"),
        (("summary: Kort.\n", ""), 2, "'summary' is required"),
        (("sources: [seed-004]", "sources: []"), 7, "'sources' must list"),
    ],
)
def test_broken_article_names_line(change: tuple[str, str], line: int, message: str) -> None:
    text = GOOD.replace(*change)
    with pytest.raises(KBError) as err:
        parse_article(text, "kb/articles/voorbeeld.md")
    found = [p for p in err.value.problems if message in p.message]
    assert found, err.value.problems
    assert found[0].line == line
    assert found[0].file == "kb/articles/voorbeeld.md"


def test_missing_front_matter() -> None:
    with pytest.raises(KBError, match="front matter"):
        parse_article("## Kop {#kop}\n\nTekst\n", "x.md")


def _copy_kb(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    (kb / "wizard.yaml").unlink(missing_ok=True)
    return kb


def test_cross_checks_catch_broken_links_sources_and_seeds(tmp_path: Path) -> None:
    kb = _copy_kb(tmp_path)
    (kb / "articles" / "voorbeeld.md").write_text(
        GOOD.replace("[link](/kb/voorbeeld#eerste)", "[link](/kb/bestaat-niet#x)")
        .replace("sources: [seed-004]", "sources: [seed-999]")
        .replace("phrasings:", "related: [nergens]\nphrasings:"),
        encoding="utf-8",
    )
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT.parent / "shared" / "seeds", seeds) if (ROOT.parent / "shared" / "seeds").is_dir() \
        else seeds.mkdir()
    (seeds / "005_nieuw.txt").write_text("nieuw", encoding="utf-8")
    messages = [str(p) for p in check_kb(kb, seeds)]
    assert any("voorbeeld.md:21: link '/kb/bestaat-niet#x' does not resolve" in m for m in messages), messages
    assert any("source 'seed-999' is not in kb/sources.yaml" in m for m in messages)
    assert any("related article 'nergens' does not exist" in m for m in messages)
    assert any("seed document '005_nieuw.txt' has no entry" in m for m in messages)


def test_uncited_seed_and_bad_glossary(tmp_path: Path) -> None:
    kb = _copy_kb(tmp_path)
    for path in (kb / "articles").glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("seed-003", "seed-004"), encoding="utf-8")
    (kb / "glossary.yaml").write_text("- term: DLR\n  definition: x\n- term: dlr\n  definition: y\n"
                                      "- term: BOL\n", encoding="utf-8")
    messages = [str(p) for p in check_kb(kb, None)]
    assert any("003_f4318e0aacd505d5.txt' is not cited" in m for m in messages), messages
    assert any("glossary.yaml:3: term 'dlr' also defined on line 1" in m for m in messages), messages
    assert any("glossary.yaml:5: 'BOL': 'definition' is required" in m for m in messages), messages


def test_cli_exits_nonzero_on_problems(tmp_path: Path) -> None:
    kb = _copy_kb(tmp_path)
    (kb / "articles" / "kapot.md").write_text("geen front matter\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "assistant", "kb", "check"], capture_output=True, text=True,
                         cwd=ROOT, env={"ASSISTANT_KB_DIR": str(kb), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 1
    assert "kapot.md:1: missing YAML front matter" in out.stderr
