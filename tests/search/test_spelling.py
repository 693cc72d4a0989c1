"""Spelling variants of knowledge-base words are read as those words."""

from __future__ import annotations

from assistant.search.spelling import Speller

KB_TEXT = ["De geïntegreerde leerroute en de doorlopende leerroute.", "Er is geen urennorm in de derde leerweg.",
           "Een praktijkverklaring, de bekostiging en de samenwerkingsovereenkomst.", "leerweg traject"]


def test_one_edit_away_is_corrected() -> None:
    s = Speller(KB_TEXT)
    assert s.correct("geintegeerde leerroute") == "geintegreerde leerroute"  # a letter left out
    assert s.correct("doorlopnede route") == "doorlopende route"  # two letters swapped
    assert s.correct("geen urenorm") == "geen urennorm"
    assert s.correct("praktijkverklaing") == "praktijkverklaring"
    assert s.correct("samenwerkingsovereenkomts") == "samenwerkingsovereenkomst"


def test_known_and_short_words_stay_and_text_is_kept_when_nothing_changes() -> None:
    s = Speller(KB_TEXT)
    assert s.correct("Wat is de Geïntegreerde leerroute?") == "Wat is de Geïntegreerde leerroute?"
    assert s.correct("wat voor weer wordt het morgen") == "wat voor weer wordt het morgen"  # short: not touched
    assert s.correct("studiefinanciering") == "studiefinanciering"  # nothing one edit away


def test_unknown_compound_of_known_words_is_split() -> None:
    assert Speller(KB_TEXT).correct("leerwegtraject") == "leerweg traject"
    # the second part may be the stem of a known word ("traject" of "trajecten")
    assert Speller(["De derde leerweg kent trajecten."]).correct("derde-leerwegtraject") == "derde-leerweg traject"
