"""Remove personal data (e-mail, phone, BSN, IBAN) from free text before it is stored or logged."""

from __future__ import annotations

import re

EMAIL = "[e-mailadres]"
PHONE = "[telefoonnummer]"
BSN = "[BSN]"
IBAN = "[IBAN]"

_SEP = r"[ .\-]?"
_EMAIL_RE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# An IBAN: country code, two check digits, then 11-30 letters/digits, optionally in groups of four.
_IBAN_RE = re.compile(
    r"(?<![a-z0-9])([a-z]{2}[0-9]{2}(?:[ ]?[a-z0-9]{4}){2,7}(?:[ ]?[a-z0-9]{1,3})?)(?![a-z0-9])",
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
_BSN_RE = re.compile(r"(?<![\d.,\-])(\d(?:[ .\-]?\d){8})(?![\d]|[.,\-]\d)")


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
    parts = raw.split(" ")
    # The pattern may run on into the next word ("BE68539007547034 graag"): try shorter prefixes.
    for end in range(len(parts), 0, -1):
        compact = "".join(parts[:end]).upper()
        if iban_valid(compact) or _NL_IBAN_RE.fullmatch(compact):
            rest = " ".join(parts[end:])
            return IBAN + (" " + rest if rest else "")
    return raw


def _bsn(match: re.Match[str]) -> str:
    raw = match.group(1)
    return BSN if elfproef(re.sub(r"[ .\-]", "", raw)) else raw


def redact(text: str) -> str:
    """Return text with e-mail addresses, phone numbers, BSNs and IBANs replaced by placeholders."""
    if not text:
        return text
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _IBAN_RE.sub(_iban, text)
    text = _PHONE_RE.sub(PHONE, text)
    return _BSN_RE.sub(_bsn, text)
