"""Load the whole knowledge base (articles, glossary, sources) and check it as one consistent set."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.content.articles import Article, load_articles
from assistant.content.glossary import Source, Term, load_glossary, load_sources
from assistant.content.outside import OutsideTopic, load_outside
from assistant.content.problems import KBError, Problem, display_path, errors

LINK_RE = re.compile(r"\]\((/kb/[^)\s]*)\)")
ANY_LINK_RE = re.compile(r"\]\(([^)\s]+)\)")


@dataclass
class KnowledgeBase:
    """Everything Routewijzer knows, loaded and cross-checked."""

    articles: list[Article]
    glossary: list[Term]
    sources: dict[str, Source]
    outside: list[OutsideTopic] = field(default_factory=list)  # nearby topics kb/ leaves to others
    by_slug: dict[str, Article] = field(init=False)

    def __post_init__(self) -> None:
        self.by_slug = {a.slug: a for a in self.articles}

    def resolve(self, link: str) -> bool:
        """True when a `/kb/<slug>[#anchor]` link points at an existing article (and section)."""
        target = link.removeprefix("/kb/")
        slug, _, anchor = target.partition("#")
        article = self.by_slug.get(slug)
        if article is None:
            return False
        return not anchor or article.section(anchor) is not None


# A check that a higher stage adds to `kb check` (the wizard), called with the loaded kb and kb_dir.
ExtraCheck = Callable[[KnowledgeBase, Path], list[Problem]]


def load_parts(kb_dir: Path) -> tuple[list[Article], list[Term], dict[str, Source], list[Problem]]:
    """Load articles, glossary and sources, each as far as it can be loaded, with their problems."""
    articles, problems = load_articles(kb_dir)
    glossary: list[Term] = []
    sources: dict[str, Source] = {}
    for loader, name in ((load_glossary, "glossary.yaml"), (load_sources, "sources.yaml")):
        path = kb_dir / name
        if not path.exists():
            problems.append(Problem(display_path(path), 1, "file is missing"))
            continue
        try:
            result = loader(path)
        except KBError as exc:
            problems += exc.problems
            continue
        if name == "glossary.yaml":
            glossary = result  # type: ignore[assignment]
        else:
            sources = result  # type: ignore[assignment]
    return articles, glossary, sources, problems


def cross_check(kb: KnowledgeBase, kb_dir: Path, seeds_dir: Path | None) -> list[Problem]:
    """Checks that span files: slugs, links, related articles, sources and seed coverage."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for art in kb.articles:
        if art.slug in seen:
            problems.append(Problem(art.path, 1, f"slug {art.slug!r} also used by {seen[art.slug]}"))
        seen[art.slug] = art.path
        for i, rel in enumerate(art.related):
            if rel not in kb.by_slug:
                problems.append(Problem(art.path, art.lines.get(("related", i), 1),
                                        f"related article {rel!r} does not exist"))
        for src in art.sources:
            if src.id is not None and src.id not in kb.sources:
                problems.append(Problem(art.path, src.line, f"source {src.id!r} is not in kb/sources.yaml"))
        try:
            text = Path(art.path).read_text(encoding="utf-8")
        except OSError:
            text = ""
        for n, line in enumerate(text.split("\n"), start=1):
            for target in ANY_LINK_RE.findall(line):
                if target.startswith("/kb/"):
                    if not kb.resolve(target):
                        problems.append(Problem(art.path, n, f"link {target!r} does not resolve"))
                elif not target.startswith(("https://", "mailto:", "/wizard", "/glossary", "#")):
                    problems.append(Problem(art.path, n, f"link {target!r}: use /kb/…, https:// or mailto:"))
    glossary_file = display_path(kb_dir / "glossary.yaml")
    for term in kb.glossary:
        if term.see and not kb.resolve(term.see):
            problems.append(Problem(glossary_file, term.line, f"{term.term!r}: link {term.see!r} does not resolve"))
        for sid in term.sources:
            if sid not in kb.sources:
                problems.append(Problem(glossary_file, term.line, f"{term.term!r}: source {sid!r} unknown"))
    sources_file = display_path(kb_dir / "sources.yaml")
    cited = {s.id for a in kb.articles for s in a.sources if s.id}
    seed_files = {s.seed: s for s in kb.sources.values() if s.seed}
    for src in kb.sources.values():
        if src.seed and seeds_dir is not None and seeds_dir.is_dir() and not (seeds_dir / src.seed).exists():
            problems.append(Problem(sources_file, src.line, f"seed file {src.seed!r} not found in {seeds_dir}"))
        if src.seed and src.id not in cited:
            problems.append(Problem(sources_file, src.line, f"seed {src.seed!r} is not cited by any article"))
    if seeds_dir is not None and seeds_dir.is_dir():
        for seed in sorted(p.name for p in seeds_dir.glob("*.txt")):
            if seed not in seed_files:
                problems.append(Problem(sources_file, 1, f"seed document {seed!r} has no entry here"))
    return problems


def load_outside_part(kb_dir: Path, sources: dict[str, Source]) -> tuple[list[OutsideTopic], list[Problem]]:
    """kb/outside.yaml, as far as it loads, with its problems."""
    try:
        return load_outside(kb_dir / "outside.yaml", sources), []
    except KBError as exc:
        return [], exc.problems


def load_kb(kb_dir: Path, seeds_dir: Path | None = None) -> KnowledgeBase:
    """Load the knowledge base for serving; refuse to start on any problem."""
    articles, glossary, sources, problems = load_parts(kb_dir)
    outside, outside_problems = load_outside_part(kb_dir, sources)
    problems += outside_problems
    kb = KnowledgeBase(articles, glossary, sources, outside)
    problems = errors(problems + cross_check(kb, kb_dir, seeds_dir))
    if problems:
        raise KBError(problems)
    return kb
