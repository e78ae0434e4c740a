"""Typed input every API operation shares, with the constraints stated in the OpenAPI document.

An integer path parameter is a database key, so it is bounded to what every database stores
(a signed 64-bit integer): a larger id names nothing and is a 404, the same on SQLite and
PostgreSQL (never an `OverflowError`). A path parameter that does not parse at all is a 404
too (see `devcenter.api_support.errors`). Free text a service refuses when blank states so in
the schema (`NOT_BLANK`: at least one character that is not white space).
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
NOT_BLANK = (
    r"[^\t\n\u000b\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000]"
)

DbId = Annotated[int, Field(ge=1, le=DB_ID_MAX)]

__all__ = ["DB_ID_MAX", "DbId", "MaxLen", "NotBlank", "refused_as"]


# Metadata of a required free text: `Annotated[str, NotBlank, MaxLen(200)]`.
NotBlank = StringConstraints(min_length=1, pattern=NOT_BLANK)


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
