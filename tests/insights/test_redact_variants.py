"""A corpus of odd but real ways to write phone numbers, BSNs and IBANs: none may stay in clear."""

from __future__ import annotations

import re

import pytest

from assistant.insights.redact import BSN, IBAN, PHONE, redact

PHONES = [
    "06–12345678",  # en dash
    "06 – 12 34 56 78",
    "06—12345678",  # em dash
    "020/1234567", "020 / 123 45 67",
    "06\u00a012345678",  # no-break space
    "06\u2009123\u200945\u2009678",  # thin spaces
    "06  12345678",  # two spaces
    "+31\u00a06\u00a012345678",
    "0031–6–12345678",
]
BSNS = ["BSN,123456782", "BSN-123456782", "bsn:111222333", "nummer 123–456–782", "123\u00a0456\u00a0782",
        "(111222333)", "BSN 1234 56 782,"]
IBANS = ["NL91 ABNA 0417 1643 00", "NL91-ABNA-0417-1643-00", "NL91ABNA 0417164300", "NL91  ABNA  0417  1643  00",
         "DE89-3704-0044-0532-0130-00"]


def digits_left(text: str) -> int:
    return len(re.sub(r"\D", "", text))


@pytest.mark.parametrize("number", PHONES)
def test_phone_variants(number: str) -> None:
    out = redact(f"Bel mij op {number} na vieren.")
    assert PHONE in out and digits_left(out) == 0, out


@pytest.mark.parametrize("text", BSNS)
def test_bsn_variants(text: str) -> None:
    out = redact(f"Leerling {text} vraagt iets.")
    assert BSN in out and digits_left(out) == 0, out


@pytest.mark.parametrize("iban", IBANS)
def test_iban_variants(iban: str) -> None:
    out = redact(f"Maak over naar {iban} graag.")
    assert IBAN in out and digits_left(out) == 0, out


@pytest.mark.parametrize("text", [
    "Bekostiging 2024/2025 en 2025/2026.",  # school years with a slash are not phone numbers
    "Het bedrag is 12,123456789 euro.",
    "Crebo 25180 – niveau 2 – 1600 uur.",
])
def test_ordinary_numbers_stay(text: str) -> None:
    assert redact(text) == text
