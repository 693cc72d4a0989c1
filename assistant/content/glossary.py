"""The glossary and the source registry: declarative YAML in kb/, validated on load."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.content.problems import KBError, Problem, display_path, line_of, load_yaml


@dataclass(frozen=True)
class Term:
    """A term of the field with its abbreviations, synonyms and definition."""

    term: str
    definition: str
    abbreviations: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    see: str | None = None
    sources: tuple[str, ...] = ()
    group: str | None = None  # terms of one group can stand in for each other in a follow-up question
    line: int = 1
    # Words people type that no source uses: found by search, never shown as "Ook genoemd".
    search_aliases: tuple[str, ...] = ()
    editor_notes: tuple[str, ...] = ()  # for editors only, never rendered

    @property
    def names(self) -> tuple[str, ...]:
        """Every way of writing this term, search aliases included."""
        return (self.term, *self.abbreviations, *self.synonyms, *self.search_aliases)

    @property
    def anchor(self) -> str:
        """Stable anchor of the term on the glossary page; accents folded (geïntegreerde → geintegreerde)."""
        plain = "".join(ch for ch in unicodedata.normalize("NFKD", self.term.lower())
                        if not unicodedata.combining(ch))
        return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")

    @property
    def old_anchor(self) -> str:
        """The anchor before accents were folded ('ge-ntegreerde-…'): kept so old links still land."""
        return re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


@dataclass(frozen=True)
class Source:
    """A document an article may cite: a seed file or a public web page."""

    id: str
    title: str
    seed: str | None = None
    url: str | None = None
    date: str | None = None
    line: int = 1
    checked: date | None = None  # when an editor last checked a public page (url sources)
    editor_notes: tuple[str, ...] = ()  # for editors only, never rendered


# "en bij de geïntegreerde route?" after a question about the DLR swaps one route for another.
GROUPS = ("route", "leerweg", "bewijs", "fase", "school", "register", "document")


def _texts(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def load_glossary(path: Path) -> list[Term]:
    """Load kb/glossary.yaml; raise KBError naming the line of every bad entry."""
    data, lines = load_yaml(path)
    name = display_path(path)
    problems: list[Problem] = []
    terms: list[Term] = []
    if not isinstance(data, list):
        raise KBError([Problem(name, 1, "the glossary must be a YAML list of terms")])
    seen: dict[str, int] = {}
    for i, entry in enumerate(data):
        line = line_of(lines, i)
        if not isinstance(entry, dict):
            problems.append(Problem(name, line, "each glossary entry must be a mapping"))
            continue
        unknown = set(entry) - {"term", "definition", "abbreviations", "synonyms", "see", "sources", "group",
                                "search_aliases", "editor_notes"}
        for key in sorted(unknown):
            problems.append(Problem(name, line_of(lines, i, key), f"unknown field {key!r}"))
        term, definition = entry.get("term"), entry.get("definition")
        if not isinstance(term, str) or not term.strip():
            problems.append(Problem(name, line, "'term' is required and must be text"))
            continue
        if not isinstance(definition, str) or not definition.strip():
            problems.append(Problem(name, line, f"{term!r}: 'definition' is required and must be text"))
            continue
        fields = {k: _texts(entry.get(k)) for k in ("abbreviations", "synonyms", "sources", "search_aliases")}
        fields["editor_notes"] = _texts([entry["editor_notes"]] if isinstance(entry.get("editor_notes"), str)
                                        else entry.get("editor_notes"))
        for key, value in fields.items():
            if value is None:
                problems.append(Problem(name, line_of(lines, i, key), f"{term!r}: '{key}' must be a list of text"))
        see = entry.get("see")
        if see is not None and not (isinstance(see, str) and see.startswith("/kb/")):
            problems.append(Problem(name, line_of(lines, i, "see"), f"{term!r}: 'see' must be a /kb/ link"))
            see = None
        group = entry.get("group")
        if group is not None and group not in GROUPS:
            problems.append(Problem(name, line_of(lines, i, "group"),
                                    f"{term!r}: 'group' must be one of {', '.join(GROUPS)}"))
            group = None
        key = term.strip().lower()
        if key in seen:
            problems.append(Problem(name, line, f"term {term!r} also defined on line {seen[key]}"))
        seen[key] = line
        terms.append(Term(term=term.strip(), definition=" ".join(definition.split()),
                          abbreviations=fields["abbreviations"] or (), synonyms=fields["synonyms"] or (),
                          see=see, sources=fields["sources"] or (), group=group, line=line,
                          search_aliases=fields["search_aliases"] or (),
                          editor_notes=fields["editor_notes"] or ()))
    if problems:
        raise KBError(problems)
    return terms


SOURCE_FIELDS = {"id", "title", "seed", "url", "date", "checked", "editor_notes"}


def load_sources(path: Path) -> dict[str, Source]:
    """Load kb/sources.yaml into a mapping id → Source."""
    data, lines = load_yaml(path)
    name = display_path(path)
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    if not isinstance(data, list):
        raise KBError([Problem(name, 1, "sources.yaml must be a YAML list")])
    for i, entry in enumerate(data):
        line = line_of(lines, i)
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(Problem(name, line, "each source needs an 'id'"))
            continue
        sid = entry["id"]
        if not isinstance(entry.get("title"), str):
            problems.append(Problem(name, line, f"source {sid!r} needs a 'title'"))
        seed, url = entry.get("seed"), entry.get("url")
        if not seed and not url:
            problems.append(Problem(name, line, f"source {sid!r} needs 'seed' or 'url'"))
        if url and not str(url).startswith("https://"):
            problems.append(Problem(name, line_of(lines, i, "url"), f"source {sid!r}: url must be https://"))
        if sid in sources:
            problems.append(Problem(name, line, f"duplicate source id {sid!r}"))
        for key in sorted(set(entry) - SOURCE_FIELDS):
            problems.append(Problem(name, line_of(lines, i, key), f"source {sid!r}: unknown field {key!r}"))
        checked = entry.get("checked")
        if checked is not None and not isinstance(checked, date):
            problems.append(Problem(name, line_of(lines, i, "checked"),
                                    f"source {sid!r}: 'checked' must be a date (YYYY-MM-DD)"))
            checked = None
        notes = entry.get("editor_notes")
        notes = _texts([notes] if isinstance(notes, str) else notes)
        if notes is None:
            problems.append(Problem(name, line_of(lines, i, "editor_notes"),
                                    f"source {sid!r}: 'editor_notes' must be a list of text"))
        sources[sid] = Source(id=sid, title=str(entry.get("title", "")), seed=seed, url=url,
                              date=str(entry["date"]) if entry.get("date") else None, line=line,
                              checked=checked, editor_notes=notes or ())
    if problems:
        raise KBError(problems)
    return sources
