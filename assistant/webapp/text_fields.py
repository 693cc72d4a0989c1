"""One check for every text field the web app accepts: no control characters, no lone surrogates."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StrictStr
from pydantic_core import PydanticCustomError

from assistant.answers.types import has_invalid_chars

INVALID = "text_invalid"
BLANK = "text_blank"


def check_text(value: str) -> str:
    """Refuse NUL, other control characters and lone surrogates (they break tokenizer and export)."""
    if has_invalid_chars(value):
        raise PydanticCustomError(INVALID, "De tekst bevat ongeldige tekens.")
    return value


def check_filled(value: str) -> str:
    """Refuse text that is only whitespace (after the character check)."""
    check_text(value)
    if not value.strip():
        raise PydanticCustomError(BLANK, "Het veld is leeg.")
    return value


SafeText = Annotated[StrictStr, AfterValidator(check_text)]
FilledText = Annotated[StrictStr, AfterValidator(check_filled)]
