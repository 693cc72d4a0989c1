"""Editorial rules: a possibility ('kan', 'mag') or an aim ('het streven is') never becomes a rule or a right.

Each sentence of reader text that states a duty, a guarantee or a right is set against the seed sentence
it most likely comes from; when that sentence only says 'kan', 'mag' or states an aim, an editor looks.
A warning, never an error: the comparison is by shared words and cannot be sure.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.content.kb import KnowledgeBase
from assistant.content.problems import Problem, warning
from assistant.content.reader_text import reader_texts
from assistant.content.seeds import Seed, fold, sentences, words

# A sentence that states a duty, a guarantee or a right …
_STRONG = re.compile(r"\b(moet|moeten|verplicht\w*|altijd|nooit|garantie|gegarandeerd|recht op|zeker|"
                     r"minstens|elke|iedere)\b")
# … where the source sentence it comes from states a possibility or a permission …
_WEAK = re.compile(r"\b(kan|kunnen|mag|mogen|zou|zouden|mogelijk\w*)\b")
# … or an aim: then the sentence must say it is an aim too.
_AIM = re.compile(r"\b(streven|streeft|inspann\w*|spannen|doel|doelen|ambitie\w*|beogen|beoogt|bedoeling)\b")
_AIM_TOO = re.compile(r"\b(streven|streeft|inspann\w*|spannen|doel\w*|ambitie\w*|beogen|beoogt|bedoeling|"
                      r"wil|willen|proberen|probeert|hopen|hoopt)\b")
_CONTENT_MIN = 4  # content words a kb sentence must share with a seed sentence to count as its source
_CONTENT_SHARE = 0.35
_STOPWORDS = ("de het een en van in op te voor met aan als dat die dit deze bij door om ook niet naar uit "
              "over dan wat wie hoe waar zijn is was wordt worden heeft hebben u uw hun zij ze er nog al "
              "of tot per maar")
_STOP = frozenset(_STOPWORDS.split())


def _content(tokens: list[str]) -> set[str]:
    return {t for t in tokens if t not in _STOP and len(t) > 2}


def _seed_sentences(seeds: list[Seed]) -> list[tuple[str, int, str, set[str]]]:
    """(seed file, line, the folded sentence, its content words) for every seed sentence."""
    return [(seed.name, n, fold(sent), _content(words(sent))) for seed in seeds for n, sent in seed.sentences()]


def strength_checks(kb: KnowledgeBase, kb_dir: Path, seeds: list[Seed]) -> list[Problem]:
    """Warn where a sentence says 'moet', 'altijd' or 'recht op' and its closest seed sentence says 'kan' or
    'mag', or where the seed states an aim ('het streven is') and the sentence states a fact."""
    seed_sentences = _seed_sentences(seeds)
    problems = []
    for rt in reader_texts(kb, kb_dir):
        if rt.what.startswith(("heading", "synonym")):
            continue
        for offset, sent in sentences(rt.text):
            mine = _content(words(sent))
            if len(mine) < _CONTENT_MIN:
                continue
            seed, n, source, theirs = max(seed_sentences, key=lambda s: len(mine & s[3]), default=("", 0, "", set()))
            shared = len(mine & theirs)
            if shared < _CONTENT_MIN or shared < _CONTENT_SHARE * len(mine):
                continue
            folded = fold(sent)
            added = sorted({w for w in _STRONG.findall(folded) if not re.search(rf"\b{re.escape(w)}\b", source)})
            weak = sorted({m.group() for m in _WEAK.finditer(source)})
            aims = sorted({m.group() for m in _AIM.finditer(source)})
            if added and (weak or aims):
                problems.append(warning(rt.file, rt.line_at(offset),
                                        f"{rt.what}: says {', '.join(added)} where {seed}:{n} says "
                                        f"{', '.join(weak + aims)}: did 'kan' become 'moet', or an aim a rule?"))
            elif aims and not _AIM_TOO.search(folded):
                problems.append(warning(rt.file, rt.line_at(offset),
                                        f"{rt.what}: {seed}:{n} states an aim ({', '.join(aims)}); "
                                        "this sentence states it as a fact or a right"))
    return problems


B1_WORDS = 25  # B1: a sentence longer than this is split in two
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


def b1_checks(kb: KnowledgeBase, kb_dir: Path) -> list[Problem]:
    """Warn on reader sentences of more than B1_WORDS words (link targets not counted)."""
    problems = []
    for rt in reader_texts(kb, kb_dir):
        text = _LINK_TARGET.sub(lambda m: "]" + " " * (len(m.group()) - 1), rt.text)  # offsets stay valid
        for offset, sent in sentences(text):
            n = len(sent.split())
            if n > B1_WORDS:
                problems.append(warning(rt.file, rt.line_at(offset),
                                        f"{rt.what}: a sentence of {n} words; B1 keeps sentences to {B1_WORDS}"))
    return problems
