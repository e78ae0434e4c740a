"""Typed input every API operation shares, with the constraints stated in the OpenAPI document.

An integer path parameter is a database key, so it is bounded to what every database stores
(a signed 64-bit integer): a larger id names nothing and is a 404, the same on SQLite and
PostgreSQL (never an `OverflowError`). A path parameter that does not parse at all is a 404
too (see `devcenter.api_support.errors`). Free text a service refuses when blank states so in
the schema (`NOT_BLANK`: at least one character that is not white space).

No text holds U+0000: PostgreSQL cannot store it (nor look it up), so every text and every
string path id states `NO_NUL` (an id with one is a 404, a text a 422) on every database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from annotated_types import MaxLen
from pydantic import Field, StringConstraints, ValidatorFunctionWrapHandler, WrapValidator
from pydantic import ValidationError as PydanticValidationError

from devcenter.errors import DomainError

DB_ID_MAX = 2**63 - 1  # the largest key of a signed 64-bit column (PostgreSQL bigint, SQLite)
# Searched, not anchored: some character is not white space as Python's `str.strip()` sees it.
# Spelled out rather than `\S`, whose meaning differs between the JSON Schema (ECMA-262), Rust
# (pydantic) and Python regular expressions (U+001C–U+001F, U+0085, U+FEFF).
_WHITE_SPACE = (
    r"\t\n\u000b\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
NO_NUL = r"^[^\u0000]*$"
# No U+0000 anywhere, and one character that is neither U+0000 nor white space.
NOT_BLANK = rf"^[^\u0000]*[^\u0000{_WHITE_SPACE}][^\u0000]*$"

DbId = Annotated[int, Field(ge=1, le=DB_ID_MAX)]

__all__ = ["DB_ID_MAX", "DbId", "MaxLen", "NoNul", "NotBlank", "PathText", "refused_as"]


# Metadata of a required free text: `Annotated[str, NotBlank, MaxLen(200)]`.
NotBlank = StringConstraints(min_length=1, pattern=NOT_BLANK)
# Metadata of any other text: `Annotated[str, NoNul, MaxLen(30)]`.
NoNul = StringConstraints(pattern=NO_NUL)
# A string path id (`ptn_…`, `apl_…`, …): anything without U+0000; what names nothing is a 404.
PathText = Annotated[str, NoNul]


def refused_as(error: Callable[[], DomainError]) -> WrapValidator:
    """Return a validator that refuses invalid input with the service's own `error` code.

    The constraint itself stays in the schema (and in the OpenAPI document); only the error
    body changes from the generic `invalid_field` to the code the service would have raised
    (`invalid_role`, `card_token_invalid`, …), so clients see one code whichever layer refuses.
    """

    def validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except PydanticValidationError:
            raise error() from None

    return WrapValidator(validate)
