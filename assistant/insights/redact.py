"""Remove personal data from free text before it is stored or logged.

Always: e-mail, phone, BSN, IBAN, postcodes, street addresses and names after a cue ("mijn naam is",
"ik ben", "leerling", "mevrouw", "met vriendelijke groet"; after "mijn naam is", "ik heet" and
"mijn zoon/dochter/…" also a name typed in lower case). With the knowledge base's vocabulary
(`redact(text, known)`): also every capitalised word the knowledge base does not use, which
catches names without a cue ("Kan Fatima Yilmaz de derde leerweg doen?"); at the start of a
sentence only where a person is meant ("Fatima zit in vmbo bb", "Jan wil weten …"), so an
ordinary first word stays. First names the knowledge base itself mentions ("Jan Dijkhuis") count
as names in that person context too; its places and organisations stay.
"""

from __future__ import annotations

import re

EMAIL = "[e-mailadres]"
PHONE = "[telefoonnummer]"
BSN = "[BSN]"
IBAN = "[IBAN]"
NAME = "[naam]"
ADDRESS = "[adres]"
POSTCODE = "[postcode]"

# Between digits: nothing, or up to three of space (also no-break and thin spaces), dot, dash
# (also en and em dash) and slash: "06 – 1234 5678", "020/123 45 67", "06\u00a012345678".
_SEP = r"[ \u00a0\u2007\u2009\u202f.\-\u2010-\u2015/]{0,3}"
_EMAIL_RE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# An IBAN: country code, two check digits, then 11-30 letters/digits, optionally in groups of four.
_IBAN_RE = re.compile(
    r"(?<![a-z0-9])([a-z]{2}[0-9]{2}(?:[ \-]{0,2}[a-z0-9]{4}){2,7}(?:[ \-]{0,2}[a-z0-9]{1,3})?)(?![a-z0-9])",
    re.IGNORECASE,
)
_NL_IBAN_RE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
# Dutch numbers: 0 + nine digits, or +31 / 0031 (optionally "(0)") + nine digits; any single
# space, dot or dash between digits. Other international numbers: + and 8-14 digits.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:"
    rf"(?:\+|00)31{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}\d){{8}}"
    rf"|0{_SEP}?[1-9](?:{_SEP}\d){{8}}"
    rf"|\(0\d{{2,3}}\){_SEP}\d(?:{_SEP}\d){{5,6}}"
    rf"|\+[1-9]\d{{0,2}}{_SEP}(?:\(0\){_SEP})?\d(?:{_SEP}\d){{6,12}}"
    r")(?!\w)"
)
# Nine digits, possibly grouped (123456782, 1234.56.782, 123 456 782); checked with the elfproef.
# Not part of a longer number ("12,123456782" is a decimal), but after a comma or dash is fine.
_BSN_RE = re.compile(rf"(?<!\d)(?<!\d[.,])(\d(?:{_SEP}\d){{8}})(?!\d|[.,\-]\d)")


def iban_valid(candidate: str) -> bool:
    """True when the text passes the IBAN mod-97 check."""
    s = candidate.replace(" ", "").upper()
    if not 15 <= len(s) <= 34 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    digits = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(digits) % 97 == 1


def elfproef(digits: str) -> bool:
    """True when nine digits pass the BSN eleven test (elfproef)."""
    if not digits.isdigit() or len(digits) != 9:
        return False
    d = digits
    if d == "000000000":
        return False
    total = sum(int(c) * w for c, w in zip(d[:8], range(9, 1, -1), strict=True)) - int(d[8])
    return total % 11 == 0


def _iban(match: re.Match[str]) -> str:
    raw = match.group(1)
    parts = re.split(r"[ \-]+", raw)
    # The pattern may run on into the next word ("BE68539007547034 graag"): try shorter prefixes.
    for end in range(len(parts), 0, -1):
        compact = "".join(parts[:end]).upper()
        if iban_valid(compact) or _NL_IBAN_RE.fullmatch(compact):
            rest = " ".join(parts[end:])
            return IBAN + (" " + rest if rest else "")
    return raw


def _bsn(match: re.Match[str]) -> str:
    raw = match.group(1)
    return BSN if elfproef(re.sub(r"\D", "", raw)) else raw


def redact(text: str, known: frozenset[str] | None = None) -> str:
    """Return text with personal data replaced by placeholders ("[e-mailadres]", "[naam]", …).

    `known`: lower-case words of the knowledge base (from `vocabulary`, which also knows the kb's
    own first names); capitalised words outside it count as names.
    """
    if not text:
        return text
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _IBAN_RE.sub(_iban, text)
    text = _PHONE_RE.sub(PHONE, text)
    text = _BSN_RE.sub(_bsn, text)
    text = _POSTCODE_RE.sub(POSTCODE, text)
    text = _STREET_RE.sub(lambda m: m.group(0) if _known_street(m, known) else ADDRESS, text)
    text = _CUED_NAME_RE.sub(lambda m: m.group("cue") + NAME, text)
    text = _LOWER_CUED_RE.sub(lambda m: m.group("cue") + NAME if _lower_name(m, known) else m.group(0), text)
    if known is not None:
        text = _CAPITALISED_RE.sub(lambda m: NAME if _is_name(m, known) else m.group(0), text)
        proper = getattr(known, "proper", frozenset())  # "[naam] Dijkhuis": the rest of a name the kb uses
        text = _AFTER_NAME_RE.sub(lambda m: NAME if m.group(1).lower() in proper else m.group(0), text)
    return _NAMES_RUN_RE.sub(NAME, text)


# ---- names and addresses ----

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|in|op|la|le|du|da|di|el|al|bin|ben|von|zu)"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}][{_LOWER}'’]+)?"
_FULL_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD})*"
_CUES = (
    r"mijn\s+naam\s+is|ik\s+heet|ik\s+ben|hier\s+is|naam\s*:|met\s+vriendelijke\s+groet(?:en)?\s*,?"
    r"|vriendelijke\s+groet(?:en)?\s*,?|groet(?:en|jes)?\s*,|mvg\s*,?|gr\.?\s*,"
    r"|meneer|mevrouw|mevr\.?|dhr\.?|mw\.?|de\s+heer|juf|meester"
    r"|mijn\s+(?:zoon|dochter|kind|leerling|student|cursist|collega|deelnemer|man|vrouw|partner)"
    r"|leerling|student|cursist|deelnemer|collega"
)
_CUED_NAME_RE = re.compile(rf"(?P<cue>\b(?i:{_CUES})\s+)(?P<name>{_FULL_NAME})")
# Cues after which a lower-case word may still be a name ("mijn dochter fatima zit …").
_LOWER_CUES = r"mijn\s+naam\s+is|ik\s+heet|mijn\s+(?:zoon|dochter|kind|pupil|neef|nicht|kleinzoon|kleindochter)"
_LOWER_CUED_RE = re.compile(rf"(?P<cue>\b(?i:{_LOWER_CUES})\s+)(?P<name>[{_LOWER}][{_LOWER}'’]+)(?![\w-])")

_CAPITALISED_RE = re.compile(rf"(?<![\w\[-])[{_UPPER}][{_LOWER}'’]+(?![\w\]-])")
_AFTER_NAME_RE = re.compile(rf"\[naam\] ({_NAME_WORD})(?![\w-])")
_NAMES_RUN_RE = re.compile(rf"\[naam\](?:\s+(?:{_PARTICLE}\s+)*\[naam\])+")
_POSTCODE_RE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
_STREET_SUFFIX = (r"straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|steeg|dreef|markt|baan|allee|wal|"
                  r"erf|ring|hoven|park")
_STREET_RE = re.compile(
    rf"\b[{_UPPER}{_LOWER}'’-]{{2,}}(?:{_STREET_SUFFIX})\s+\d{{1,3}}(?!\d)(?:\s?[a-zA-Z]\b|-\d{{1,3}}\b)?",
    re.IGNORECASE,
)
# Words that start a sentence or greet without being names, beyond the knowledge base's own words.
_COMMON_WORDS = """
hallo hoi beste goedemorgen goedemiddag goedenavond dag bedankt dank graag alvast vraagje vraag ja
nee oké ok sorry excuus help hulp klopt waarom wanneer welke welk wie wat waar hoe hoeveel hoelang
mag mogen moet moeten kan kunnen kun wil willen zou zouden is zijn heeft hebben krijgt krijgen geldt
gelden wordt worden bestaat weet weten zit valt telt kost betaalt ik wij we jij je u hij zij ze mijn
onze ons school leerling leerlingen student studenten docent ouders maandag dinsdag woensdag
donderdag vrijdag zaterdag zondag januari februari maart april mei juni juli augustus september
oktober november december nederland nederlands engels
"""
_COMMON = frozenset(_COMMON_WORDS.split())
# Verbs that mostly have a person as subject: a word before one is a name ("Jan wil …", "Fatima zit
# …"). Not "is", "kan", "gaat" and the like: "Stufi is toch …", "Examens gaan …" have other subjects.
_PERSON_VERB_WORDS = """
wil wilde willen zit zat heeft had doet deed volgt krijgt kreeg vraagt vroeg twijfelt woont werkt zoekt denkt
dacht weet wist haalt haalde leert studeert zegt zei vindt hoopt slaagt zakt zakte kiest koos
"""
_PERSON_VERBS = frozenset(_PERSON_VERB_WORDS.split())
# Verbs of a question that put a person after them: "Kan Jan …", "Wat moet Jan doen?".
_ASKING_VERB_WORDS = "kan kon mag mocht moet moest zou gaat ging komt kwam wordt werd is was blijft " + (
    _PERSON_VERB_WORDS)
_ASKING_VERBS = frozenset(_ASKING_VERB_WORDS.split())
# Before one of the knowledge base's first names only these mark a person: "Kan Jan …", "Wat moet Jan doen?"
# ("Wat zegt Jan Dijkhuis?" asks about the kb's own Jan).
_MODAL_VERBS = frozenset(["kan", "kon", "mag", "mocht", "moet", "moest", "zou", "wil", "wilde"])


def _ordinary(word: str, known: frozenset[str]) -> bool:
    """A word of the knowledge base (not one of its own names), or a common Dutch word."""
    low = word.lower()
    if low in _COMMON or low in _STOPWORDS or low in _ASKING_VERBS:
        return True
    return low in known and low not in getattr(known, "names", ())


def _word_after(text: str, end: int) -> str | None:
    """The word right after position end (one space between), or None."""
    found = re.match(rf" ([{_UPPER}{_LOWER}'’]+)", text[end:])
    return found.group(1) if found else None


def _is_name(match: re.Match[str], known: frozenset[str]) -> bool:
    """Whether a capitalised word is a name (see the module docstring).

    Within a sentence, a word the knowledge base does not use is a name. At the start of a
    sentence, and for the knowledge base's own first names ("Jan"), only where a person is meant: a
    second unknown capitalised word follows ("Fatima Yilmaz"), a verb follows ("Jan wil …") or,
    within the sentence, a modal verb precedes ("Wat moet Jan doen?"), an age follows ("Jan is
    16"), or "en" and another name follow.
    """
    word, text = match.group(0), match.string
    low = word.lower()
    if low in _COMMON or low in _STOPWORDS or low in _ASKING_VERBS:
        return False
    kb_name = low in getattr(known, "names", ())  # "Jan" of "Jan Dijkhuis": a name only where a person is meant
    if low in known and not kb_name:
        return False
    before = text[: match.start()].rstrip()
    starts = not before or before[-1] in ".!?:;\n\"'("
    after = _word_after(text, match.end())
    if after is not None and after.lower() in _PERSON_VERBS:
        return True
    if re.match(r" (?:is|was|wordt) \d{1,2}(?!\d|[.,:]\d)", text[match.end():]):  # an age: "Jan is 16, …"
        return True
    if not starts:
        previous = re.search(rf"([{_UPPER}{_LOWER}'’]+)\s*$", before)
        return not kb_name or (previous is not None and previous.group(1).lower() in _MODAL_VERBS)
    if kb_name or after is None:
        return False
    if after.lower() == "en":  # "Fatima en Jan willen …"
        after = _word_after(text, match.end() + 3)
        return after is not None and after[0].isupper() and not _ordinary(after, known)
    return after[0].isupper() and not _ordinary(after, known)


def _lower_name(match: re.Match[str], known: frozenset[str] | None) -> bool:
    """A lower-case word after a cue that is a name: after "mijn naam is" and "ik heet" any but a
    common Dutch word; after "mijn zoon/dochter/…" one the knowledge base does not use that a verb
    follows ("mijn dochter fatima zit …", but "is mijn kind leerplichtig" and "krijgt mijn zoon
    stufi op …" stay). After "ik ben" a lower-case word stays: "ik ben benieuwd", "ik ben werkloos".
    """
    name, cue = match.group("name"), match.group("cue").lower().split()
    if name in _COMMON or name in _STOPWORDS or name in _ASKING_VERBS:
        return False
    if cue[:2] in (["mijn", "naam"], ["ik", "heet"]):
        return True
    after = _word_after(match.string, match.end())
    return (known is None or not _ordinary(name, known)) and after is not None and after in _PERSON_VERBS


def _known_street(match: re.Match[str], known: frozenset[str] | None) -> bool:
    """'derde leerweg 2' is not an address: the street-like word is a knowledge-base word."""
    word = match.group(0).split()[0].lower()
    return word.endswith("leerweg") or (known is not None and word in known)


def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH

    return frozenset(STOPWORDS_DUTCH)


_STOPWORDS = _stopwords()


class Vocabulary(frozenset):
    """Lower-case words of the knowledge base, with the words it only writes capitalised kept apart.

    `proper`: words only ever capitalised, not in capitals ("Dijkhuis", "Utrecht", not "DUO");
    `names`: those among them that stand right before another one ("Jan Dijkhuis", "Microsoft
    Teams"): first names, the kind a reader may also use for a person of their own.
    """

    proper: frozenset[str]
    names: frozenset[str]

    def __new__(cls, words: object = (), proper: object = (), names: object = ()) -> Vocabulary:
        """A frozenset of words that also carries the knowledge base's proper nouns and first names."""
        self = super().__new__(cls, words)  # type: ignore[arg-type]
        self.proper = frozenset(proper)  # type: ignore[arg-type]
        self.names = frozenset(names)  # type: ignore[arg-type]
        return self


def vocabulary(texts: list[str]) -> Vocabulary:
    """The lower-case words of some texts (the knowledge base): capitalised words outside are names."""
    words = [w for t in texts for w in re.findall(rf"[{_UPPER}{_LOWER}'’]+", t)]
    lower = {w for w in words if w[0].islower()}
    proper = {w.lower() for w in words if w[0].isupper() and not w.isupper() and w.lower() not in lower}
    pairs = (m.groups() for t in texts for m in re.finditer(rf"(?=\b({_NAME_WORD}) ({_NAME_WORD})\b)", t))
    names = {a.lower() for a, b in pairs if a.lower() in proper and b.lower() in proper}
    return Vocabulary((w.lower() for w in words), proper, names)
