"""Safe Markdown → HTML for articles (markdown-it, no raw HTML, safe links, nh3) and Dutch dates."""

from __future__ import annotations

import re
from datetime import date

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

SAFE_SCHEMES = ("https:", "http:", "mailto:")
ALLOWED_TAGS = {
    "p", "a", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "h3", "h4", "h5",
    "h6", "br", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRS = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}, "ol": {"start"}}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
_ANCHOR_SUFFIX = re.compile(r"\s*\{#[^}]*\}\s*$")


def _validate_link(url: str) -> bool:
    """Allow site-relative links, in-page anchors and http(s)/mailto; refuse everything else."""
    u = url.strip().lower()
    if u.startswith("//"):
        return False
    if u.startswith(("/", "#")):
        return True
    return u.startswith(SAFE_SCHEMES)


def _make_md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


_md = _make_md()


def sanitize(html: str) -> str:
    """Clean HTML with nh3: a small allow-list of tags and safe URL schemes only."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def markdown_html(text: str) -> Markup:
    """Render article Markdown to sanitised HTML, safe to insert into a template."""
    return Markup(sanitize(_md.render(text)))  # noqa: S704 - sanitised by nh3 above


def strip_anchor(heading: str) -> str:
    """Remove a trailing `{#anchor}` from a heading text."""
    return _ANCHOR_SUFFIX.sub("", heading)


def dutch_date(value: date | str | None) -> str:
    """Format a date as '22 november 2026'; leave unparseable text as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def paragraphs(text: str) -> list[str]:
    """Split plain answer text into paragraphs on blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def answer_blocks(text: str) -> list[dict]:
    """Answer text as blocks to render: each paragraph's text and the list items ('- ') it ends with."""
    blocks = []
    for para in paragraphs(text):
        lines = [line.strip() for line in para.split("\n") if line.strip()]
        items = [line[2:] for line in lines if line.startswith("- ")]
        lead = " ".join(line for line in lines if not line.startswith("- "))
        blocks.append({"text": lead, "bullets": items})
    return blocks


_CITE_MARK = re.compile(r"\[(\d)\]")


def cite_links(text: str, turn: int | str, n_citations: int) -> Markup:
    """Escape answer text and turn its source marks ("… [2]") into links to that numbered source."""

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if not 1 <= n <= n_citations:
            return m.group(0)
        return f'<a class="cite-ref" href="#bron-{escape(turn)}-{n}" aria-label="Bron {n}">[{n}]</a>'

    return Markup(_CITE_MARK.sub(link, str(escape(text))))
