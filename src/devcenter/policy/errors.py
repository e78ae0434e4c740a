"""Errors raised by the policy core."""

from __future__ import annotations


class PolicyFileError(ValueError):
    """The policy file is invalid; the message names the place (and line, when known)."""

    def __init__(self, where: str, problem: str, line: int | None = None) -> None:
        self.where = where
        self.problem = problem
        self.line = line
        at = f"{where} (line {line})" if line else where
        super().__init__(f"policy file: {at}: {problem}")


class PolicyInputError(ValueError):
    """A question to the engine names an unknown code or is malformed.

    `field` is the name of the offending field, as the API reports it.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
