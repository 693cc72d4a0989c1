"""Parse curated Markdown articles (front matter + `## Heading {#anchor}` sections) into values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
from markdown_it import MarkdownIt

from assistant.content.problems import KBError, Problem, display_path, line_of, yaml_lines
from assistant.content.text import holds_words, markdown_to_text

THEMES = ("derde leerweg", "doorlopende leerroutes", "praktijkleren", "algemeen")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING_ANCHOR_RE = re.compile(r"^(?P<text>.*?)\s*\{#(?P<anchor>[^}\s]*)\}\s*$")
_md = MarkdownIt("commonmark")
STAND_CHARS = 240  # the Stand line is one short line under an answer


@dataclass(frozen=True)
class SourceRef:
    """A source named by an article: an id in kb/sources.yaml or an inline public source."""

    id: str | None = None
    title: str | None = None
    url: str | None = None
    line: int = 1


@dataclass(frozen=True)
class Section:
    """One `##` section: the unit that is retrieved and cited."""

    anchor: str
    heading: str
    body: str
    line: int
    body_line: int = 0  # file line where `body` starts (for file:line problems inside the text)


@dataclass(frozen=True)
class Article:
    """A parsed knowledge-base article."""

    slug: str
    title: str
    summary: str
    themes: tuple[str, ...]
    audience: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    last_reviewed: date
    sections: tuple[Section, ...]
    path: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    related: tuple[str, ...] = ()
    phrasings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Per section: a phrasing's answer, words of the one sentence (or list) of the section that answers it.
    phrasing_answers: dict[str, dict[str, str]] = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict, repr=False, compare=False)
    # How current the rules are, for readers ("Stand: …" is added by the page); "" when not yet written.
    stand: str = ""
    as_of: date | None = None  # the date the sources describe, when they give one
    # Notes for editors only: never rendered, never indexed, never in an answer.
    editor_notes: tuple[str, ...] = ()
    # Sources of single sections, when a section rests on other sources than the article as a whole.
    section_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def section(self, anchor: str) -> Section | None:
        """The section with this anchor, if any."""
        return next((s for s in self.sections if s.anchor == anchor), None)

    def expired(self, today: date) -> bool:
        """True when the rules of this article no longer applied on `today` (valid_until has passed)."""
        return self.valid_until is not None and self.valid_until < today

    def sources_of(self, anchor: str) -> tuple[str, ...]:
        """Ids of the sources a section rests on: its own `section_sources`, else the article's ids."""
        own = self.section_sources.get(anchor)
        return own if own else tuple(s.id for s in self.sources if s.id)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return list(value)
    return None


def _phrasings(value: Any) -> list[tuple[str, str]] | None:
    """A section's phrasings as (question, answer words or ""): each a text or {q: …, answer: …}."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    out: list[tuple[str, str]] = []
    for item in value:
        if isinstance(item, str) and item.strip():
            out.append((item, ""))
        elif isinstance(item, dict) and set(item) == {"q", "answer"} and all(
                isinstance(item[k], str) and item[k].strip() for k in ("q", "answer")):
            out.append((item["q"], item["answer"]))
        else:
            return None
    return out


def split_sections(body: str, first_line: int, file: str) -> tuple[list[Section], list[Problem]]:
    """Split a Markdown body into `##` sections, using markdown-it so code blocks are respected."""
    problems: list[Problem] = []
    lines = body.split("\n")
    starts: list[tuple[int, str]] = []
    for tok_i, tok in enumerate(tokens := _md.parse(body)):
        if tok.type == "heading_open" and tok.tag == "h2" and tok.map:
            starts.append((tok.map[0], tokens[tok_i + 1].content))
        elif tok.type == "heading_open" and tok.tag == "h1" and tok.map:
            problems.append(Problem(file, first_line + tok.map[0], "use '##' headings, not '#'"))
    head = "\n".join(lines[: starts[0][0]] if starts else lines).strip()
    if head:
        problems.append(Problem(file, first_line, "text before the first '##' section"))
    if not starts:
        problems.append(Problem(file, first_line, "article has no '##' sections"))
    sections: list[Section] = []
    for i, (start, inline) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines)
        line = first_line + start
        m = HEADING_ANCHOR_RE.match(inline)
        if not m:
            problems.append(Problem(file, line, f"heading {inline!r} has no '{{#anchor}}'"))
            continue
        anchor, heading = m["anchor"], m["text"].strip()
        if not SLUG_RE.match(anchor):
            problems.append(Problem(file, line, f"anchor {anchor!r}: use lowercase a-z, 0-9 and '-'"))
        raw = lines[start + 1 : end]
        text = "\n".join(raw).strip()
        if not text:
            problems.append(Problem(file, line, f"section {anchor!r} is empty"))
        lead = next((n for n, r in enumerate(raw) if r.strip()), 0)
        sections.append(Section(anchor=anchor, heading=heading, body=text, line=line, body_line=line + 1 + lead))
    return sections, problems


def parse_article(text: str, path: str = "<article>") -> Article:
    """Parse and validate one article's own content; raise KBError listing every problem."""
    problems: list[Problem] = []
    if not text.startswith("---"):
        raise KBError([Problem(path, 1, "missing YAML front matter (the file must start with '---')")])
    try:
        post = frontmatter.loads(text)
    except Exception as exc:  # noqa: BLE001 - the YAML library raises several types
        mark = getattr(exc, "problem_mark", None)
        raise KBError([Problem(path, (mark.line + 2) if mark else 1, f"invalid front matter: {exc}")]) from exc
    meta = post.metadata
    fm_text, _, rest = text[3:].partition("\n---")
    lines = yaml_lines(fm_text)  # fm_text starts on the '---' line, so YAML line n is file line n+1
    body = rest.split("\n", 1)[1] if "\n" in rest else ""
    body_first = fm_text.count("\n") + 3

    def err(message: str, *key: Any) -> None:
        problems.append(Problem(path, line_of(lines, *key), message))

    for name in ("slug", "title", "summary"):
        if not isinstance(meta.get(name), str) or not meta[name].strip():
            err(f"front matter: '{name}' is required and must be text", name)
    slug = meta.get("slug") if isinstance(meta.get("slug"), str) else ""
    if slug and not SLUG_RE.match(slug):
        err(f"slug {slug!r}: use lowercase a-z, 0-9 and '-'", "slug")
    stem = Path(path).stem
    if slug and path != "<article>" and stem != slug:
        err(f"slug {slug!r} differs from the file name {stem!r}", "slug")
    themes = _str_list(meta.get("themes"))
    if not themes:
        err(f"front matter: 'themes' must list one or more of {', '.join(THEMES)}", "themes")
    else:
        for i, theme in enumerate(themes):
            if theme not in THEMES:
                err(f"unknown theme {theme!r}; use one of {', '.join(THEMES)}", "themes", i)
    audience = _str_list(meta.get("audience"))
    if not audience:
        err("front matter: 'audience' must list at least one group", "audience")
    sources: list[SourceRef] = []
    raw_sources = meta.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        err("front matter: 'sources' must list at least one source", "sources")
    else:
        for i, src in enumerate(raw_sources):
            line = line_of(lines, "sources", i)
            if isinstance(src, str):
                sources.append(SourceRef(id=src, line=line))
            elif isinstance(src, dict) and isinstance(src.get("title"), str) and isinstance(src.get("url"), str):
                if not src["url"].startswith("https://"):
                    err(f"source url {src['url']!r} must start with https://", "sources", i)
                sources.append(SourceRef(title=src["title"], url=src["url"], line=line))
            else:
                err("a source is an id from kb/sources.yaml or {title, url}", "sources", i)
    stand = meta.get("stand", "")
    if not isinstance(stand, str):
        err("front matter: 'stand' must be one line of text", "stand")
        stand = ""
    stand = " ".join(stand.split())
    if re.match(r"(?i)stand\s*:", stand):
        err("front matter: write 'stand' without the word 'Stand:' (the page adds it)", "stand")
    if len(stand) > STAND_CHARS:
        err(f"front matter: 'stand' is {len(stand)} characters; keep it under {STAND_CHARS}", "stand")
    notes = _str_list(meta.get("editor_notes")) if meta.get("editor_notes") is not None else []
    if notes is None:
        err("front matter: 'editor_notes' must be a list of text", "editor_notes")
        notes = []
    section_sources: dict[str, tuple[str, ...]] = {}
    raw_ss = meta.get("section_sources", {}) or {}
    if not isinstance(raw_ss, dict):
        err("front matter: 'section_sources' must map section anchors to lists of source ids", "section_sources")
    else:
        for anchor, ids in raw_ss.items():
            id_list = _str_list(ids)
            if not id_list:
                err(f"section_sources for {anchor!r} must list source ids", "section_sources", anchor)
            else:
                section_sources[str(anchor)] = tuple(id_list)
    reviewed = _as_date(meta.get("last_reviewed"))
    if reviewed is None:
        err("front matter: 'last_reviewed' must be a date (YYYY-MM-DD)", "last_reviewed")
    valid = {}
    for name in ("valid_from", "valid_until", "as_of"):
        if name in meta:
            valid[name] = _as_date(meta[name])
            if valid[name] is None:
                err(f"front matter: '{name}' must be a date (YYYY-MM-DD)", name)
    if valid.get("valid_from") and valid.get("valid_until") and valid["valid_from"] > valid["valid_until"]:
        err("valid_from is after valid_until", "valid_from")
    related = _str_list(meta.get("related", [])) if meta.get("related") else []
    if related is None:
        err("front matter: 'related' must be a list of slugs", "related")
        related = []
    phrasings: dict[str, tuple[str, ...]] = {}
    phrasing_answers: dict[str, dict[str, str]] = {}
    raw_phr = meta.get("phrasings", {}) or {}
    if not isinstance(raw_phr, dict):
        err("front matter: 'phrasings' must map section anchors to lists of questions", "phrasings")
    else:
        for anchor, qs in raw_phr.items():
            parsed = _phrasings(qs)
            if parsed is None:
                err(f"phrasings for {anchor!r} must be a list of questions, each a text or "
                    "{q: question, answer: words of the sentence that answers it}", "phrasings", anchor)
            else:
                phrasings[str(anchor)] = tuple(q for q, _ in parsed)
                phrasing_answers[str(anchor)] = {q: a for q, a in parsed if a}
    known = {"slug", "title", "summary", "themes", "audience", "sources", "last_reviewed",
             "valid_from", "valid_until", "as_of", "related", "phrasings", "stand", "editor_notes",
             "section_sources"}
    for key in meta:
        if key not in known:
            err(f"unknown front matter field {key!r}", key)

    sections, sec_problems = split_sections(body, body_first, path)
    problems += sec_problems
    seen: set[str] = set()
    for s in sections:
        if s.anchor in seen:
            problems.append(Problem(path, s.line, f"duplicate anchor {s.anchor!r}"))
        seen.add(s.anchor)
    for anchor in phrasings:
        if anchor not in seen:
            err(f"phrasings name anchor {anchor!r}, which is not a section here", "phrasings", anchor)
    by_anchor = {s.anchor: s for s in sections}
    for anchor, answers in phrasing_answers.items():
        if anchor in by_anchor:
            text = markdown_to_text(by_anchor[anchor].body)
            for q, words in answers.items():
                if not holds_words(text, words):
                    err(f"the answer {words!r} of phrasing {q!r} is not in section {anchor!r} "
                        "(give words of the sentence that answers it, as readers see them)", "phrasings", anchor)
    for anchor in section_sources:
        if anchor not in seen:
            err(f"section_sources name anchor {anchor!r}, which is not a section here", "section_sources", anchor)
    if problems:
        raise KBError(problems)
    return Article(
        slug=slug, title=meta["title"].strip(), summary=meta["summary"].strip(),
        themes=tuple(themes or ()), audience=tuple(audience or ()), sources=tuple(sources),
        last_reviewed=reviewed, sections=tuple(sections), path=path,  # type: ignore[arg-type]
        valid_from=valid.get("valid_from"), valid_until=valid.get("valid_until"),
        related=tuple(related), phrasings=phrasings, phrasing_answers=phrasing_answers, lines=lines,
        stand=stand, as_of=valid.get("as_of"),
        editor_notes=tuple(notes), section_sources=section_sources,
    )


def load_articles(kb_dir: Path) -> tuple[list[Article], list[Problem]]:
    """Parse every kb/articles/*.md; return the good articles and all problems found."""
    articles: list[Article] = []
    problems: list[Problem] = []
    folder = kb_dir / "articles"
    if not folder.is_dir():
        return [], [Problem(display_path(folder), 1, "folder with articles is missing")]
    for path in sorted(folder.glob("*.md")):
        name = display_path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, 1, f"cannot read as UTF-8 text: {exc}"))
            continue
        try:
            articles.append(parse_article(text, name))
        except KBError as exc:
            problems += exc.problems
    return articles, problems
