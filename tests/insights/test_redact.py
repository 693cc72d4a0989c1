"""Personal data is removed from free text before it is stored or logged."""

from __future__ import annotations

import pytest

from assistant.insights.redact import BSN, EMAIL, IBAN, PHONE, elfproef, iban_valid, redact, vocabulary


@pytest.mark.parametrize("text", [
    "jan.de-vries@school.nl", "J.Jansen+dlr@ROC-Midden.NL", "info@sub.domein.example.com",
])
def test_email(text: str) -> None:
    assert redact(f"Mail {text} graag.") == f"Mail {EMAIL} graag."


@pytest.mark.parametrize("text", [
    "0612345678", "06-12345678", "06 12345678", "06 1234 5678", "06-12 34 56 78", "06.12.34.56.78",
    "+31612345678", "+31 6 12345678", "+31 (0)6 12345678", "+316-12345678", "0031612345678",
    "0031 6 1234 5678", "020-1234567", "020 123 4567", "0201234567", "0575-123456",
    "(020) 123 4567",
    "+31 20 123 4567", "+32 470 12 34 56", "+44 20 7946 0958",
])
def test_phone(text: str) -> None:
    assert redact(f"Bel {text} na 16 uur.") == f"Bel {PHONE} na 16 uur."


@pytest.mark.parametrize(
    "text", ["111222333", "123456782", "123.456.782", "1234 56 782", "123-456-782"]
)
def test_bsn_with_elfproef(text: str) -> None:
    assert redact(f"BSN {text}.") == f"BSN {BSN}."


@pytest.mark.parametrize("text", [
    "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "nl91 abna 0417 1643 00",
    "NL02RABO0123456789", "DE89 3704 0044 0532 0130 00", "BE68539007547034",
    "NL12ABCD0123456789",  # a Dutch-shaped IBAN with a typo is still redacted
])
def test_iban(text: str) -> None:
    assert redact(f"Rekening {text} graag.") == f"Rekening {IBAN} graag."


@pytest.mark.parametrize("text", [
    "Tot 15 oktober 2024 kunt u melden.",
    "Het bedrag is 123456789 euro.",  # nine digits that fail the elfproef
    "Crebo 25180 en BRIN 25LX, mbo-niveau 2, 3 of 4.",
    "Geldig van 2023-08-01 tot 2025-07-31, 20230801.",
    "Zie artikel 7.2.7 WEB en 8.3 WVO; 12,5% van 3.000 leerlingen.",
    "Leerjaar 3 en 4, 1600 uur, 40 weken, 0 euro.",
    "Een DLR (doorlopende leerroute) en GLR.",
])
def test_leaves_ordinary_text_alone(text: str) -> None:
    assert redact(text) == text


def test_everything_at_once() -> None:
    text = ("Ik ben a.b@c.nl, tel +31 6 12345678, BSN 111222333, IBAN NL91ABNA0417164300. "
            "Vraag over de DLR.")
    expected = f"Ik ben {EMAIL}, tel {PHONE}, BSN {BSN}, IBAN {IBAN}. Vraag over de DLR."
    assert redact(text) == expected


def test_checks() -> None:
    assert elfproef("111222333") and elfproef("123456782")
    assert not elfproef("123456789") and not elfproef("000000000") and not elfproef("12345678")
    assert iban_valid("NL91ABNA0417164300") and not iban_valid("NL92ABNA0417164300")


def test_empty() -> None:
    assert redact("") == ""


# ---- names and addresses (the question log and feedback) ----

KNOWN = vocabulary(["wat is de derde leerweg kan een deelnemer doen mbo dlr praktijkverklaring mijn leerling"])


@pytest.mark.parametrize(("text", "expected"), [
    ("Mijn naam is Jan de Vries, wat is de DLR?", "Mijn naam is [naam], wat is de DLR?"),
    ("Ik heet Fatima Yilmaz en ik wil mbo doen.", "Ik heet [naam] en ik wil mbo doen."),
    ("Ik ben Pieter van der Berg. Kan dat?", "Ik ben [naam]. Kan dat?"),
    ("Kan mijn leerling Sanne Bakker de derde leerweg doen?", "Kan mijn leerling [naam] de derde leerweg doen?"),
    ("Mevrouw El Amrani vraagt naar de DLR.", "Mevrouw [naam] vraagt naar de DLR."),
    ("Met vriendelijke groet, Anna-Lisa Jansen", "Met vriendelijke groet, [naam]"),
    ("dhr. Öztürk wil een praktijkverklaring", "dhr. [naam] wil een praktijkverklaring"),
    ("Ik woon op de Kerkstraat 12a in Utrecht.", "Ik woon op de [adres] in Utrecht."),
    ("Adres: Burgemeester Visserlaan 101-3, 3512 AB", "Adres: Burgemeester [adres], [postcode]"),
])
def test_names_after_a_cue_and_addresses(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_ik_ben_without_a_name_is_kept() -> None:
    text = "Ik ben docent en ik ben benieuwd naar de derde leerweg 2."
    assert redact(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("Kan Fatima Yilmaz de derde leerweg doen?", "Kan [naam] de derde leerweg doen?"),
    ("Wat is de DLR van Jeroen?", "Wat is de DLR van [naam]?"),
    ("Wat is de derde leerweg in Amsterdam?", "Wat is de derde leerweg in [naam]?"),
])
def test_capitalised_words_outside_the_kb_are_names(text: str, expected: str) -> None:
    assert redact(text, KNOWN) == expected
    assert redact(text) == text  # without the vocabulary only cued names go


def test_kb_words_and_abbreviations_stay() -> None:
    text = "Wat is de Derde Leerweg? Kan een MBO-deelnemer een Praktijkverklaring doen? DLR en BBL."
    assert redact(text, KNOWN) == text


def test_sentence_start_is_a_name_only_where_a_person_is_meant() -> None:
    assert redact("Bel me op 06-12345678.", KNOWN) == f"Bel me op {PHONE}."
    assert redact("Fatima Yilmaz wil de derde leerweg doen.", KNOWN) == "[naam] wil de derde leerweg doen."
