"""`kb check`: everything that can be wrong in kb/, as errors (fail) and warnings (an editor's look)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.content.currency import Clock, system_clock
from assistant.content.editorial import b1_checks, strength_checks
from assistant.content.kb import ExtraCheck, KnowledgeBase, cross_check, load_outside_part, load_parts
from assistant.content.problems import KBError, Problem, display_path, errors, line_of, warning
from assistant.content.reader_text import editor_wording_checks
from assistant.content.seeds import load_seeds
from assistant.content.text import answer_units, holds_words, markdown_to_text
from assistant.content.wording import load_allowed, near_verbatim_checks, shared_wording_checks


def currency_checks(kb: KnowledgeBase, today: Clock) -> list[Problem]:
    """How current each article is: a Stand line for readers, dates that make sense on `today`."""
    day = today()
    problems: list[Problem] = []
    for art in kb.articles:
        if not art.stand:
            problems.append(Problem(art.path, 1, "no 'stand': readers cannot see how current the rules are"))
        if art.valid_until is not None and art.valid_until < day:
            problems.append(warning(art.path, line_of(art.lines, "valid_until"),
                                    f"valid_until {art.valid_until.isoformat()} has passed: answers from this "
                                    "article say the information may be out of date; review or update it"))
        if art.valid_from is not None and art.valid_from > day:
            problems.append(warning(art.path, line_of(art.lines, "valid_from"),
                                    f"valid_from {art.valid_from.isoformat()} is still to come"))
        for name, value in (("last_reviewed", art.last_reviewed), ("as_of", art.as_of)):
            if value is not None and value > day:
                problems.append(Problem(art.path, line_of(art.lines, name),
                                        f"{name} {value.isoformat()} lies in the future"))
    return problems


def source_checks(kb: KnowledgeBase, kb_dir: Path) -> list[Problem]:
    """Every statement has a registered source: ids only, per section where given, and for every definition."""
    problems: list[Problem] = []
    for art in kb.articles:
        for src in art.sources:
            if src.id is None:
                problems.append(Problem(art.path, src.line, f"inline source {src.title!r}: register it in "
                                        "kb/sources.yaml and cite it by id"))
        for anchor, ids in art.section_sources.items():
            for sid in ids:
                if sid not in kb.sources:
                    problems.append(Problem(art.path, line_of(art.lines, "section_sources", anchor),
                                            f"section {anchor!r}: source {sid!r} is not in kb/sources.yaml"))
    glossary_file = display_path(kb_dir / "glossary.yaml")
    for term in kb.glossary:
        if not term.sources:
            problems.append(Problem(glossary_file, term.line, f"{term.term!r}: the definition names no source"))
        if term.search_aliases and not term.editor_notes:
            problems.append(Problem(glossary_file, term.line,
                                    f"{term.term!r}: say in 'editor_notes' why the search aliases are kept"))
    return problems


def phrasing_answer_checks(kb: KnowledgeBase) -> list[Problem]:
    """A phrasing's answer words that occur in more than one sentence (or list) of its section: the
    answer shows the first, which may not be the one meant."""
    problems: list[Problem] = []
    for art in kb.articles:
        for anchor, answers in art.phrasing_answers.items():
            section = art.section(anchor)
            if section is None:
                continue
            units = [u.text() for u in answer_units(markdown_to_text(section.body))]
            for q, words in answers.items():
                found = sum(holds_words(u, words) for u in units)
                if found > 1:
                    problems.append(warning(art.path, line_of(art.lines, "phrasings", anchor),
                                            f"the answer {words!r} of phrasing {q!r} is in {found} sentences of "
                                            f"section {anchor!r}: give words of the one that answers it"))
    return problems


def wording_checks(kb: KnowledgeBase, kb_dir: Path, seeds_dir: Path | None) -> list[Problem]:
    """Reader text: editor wording, B1 sentence length, and against the seeds (when the folder is there)
    copied runs, near copies, 'kan' → 'moet'."""
    problems = editor_wording_checks(kb, kb_dir) + b1_checks(kb, kb_dir)
    try:
        allowed = load_allowed(kb_dir)
    except KBError as exc:
        return problems + exc.problems
    seeds = load_seeds(seeds_dir)
    if seeds:
        problems += shared_wording_checks(kb, kb_dir, seeds, allowed)
        problems += near_verbatim_checks(kb, kb_dir, seeds)
        problems += strength_checks(kb, kb_dir, seeds)
    return problems


def inspect_kb(
    kb_dir: Path, seeds_dir: Path | None = None, extra_checks: Sequence[ExtraCheck] = (),
    clock: Clock = system_clock,
) -> tuple[KnowledgeBase, list[Problem]]:
    """Load what can be loaded and list every problem, errors and warnings; `extra_checks` add files of
    higher stages (the wizard); `clock` says what day it is for valid_until and last_reviewed."""
    articles, glossary, sources, problems = load_parts(kb_dir)
    outside, outside_problems = load_outside_part(kb_dir, sources)
    kb = KnowledgeBase(articles, glossary, sources, outside)
    problems += outside_problems
    problems += cross_check(kb, kb_dir, seeds_dir)
    problems += currency_checks(kb, clock)
    problems += source_checks(kb, kb_dir)
    problems += phrasing_answer_checks(kb)
    problems += wording_checks(kb, kb_dir, seeds_dir)
    for check in extra_checks:
        problems += check(kb, kb_dir)
    return kb, sorted(set(problems))


def check_kb(kb_dir: Path, seeds_dir: Path | None = None, clock: Clock = system_clock) -> list[Problem]:
    """The errors in the whole knowledge base; an empty list means `kb check` passes."""
    return errors(inspect_kb(kb_dir, seeds_dir, clock=clock)[1])
