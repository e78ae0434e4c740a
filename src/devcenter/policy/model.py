"""Immutable values the policy core hands out: labels, unlock steps, decisions, questions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Label:
    """A text in Japanese (the default) and English."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in `lang`, Japanese unless English is asked for."""
        return self.en if lang == "en" else self.ja

    def as_dict(self) -> dict[str, str]:
        """Return the label as `{"ja": ..., "en": ...}`."""
        return {"ja": self.ja, "en": self.en}


@dataclass(frozen=True, slots=True)
class Step:
    """One move a partner can make: `step` (the step code) leads to partner type `to`."""

    step: str
    to: str

    def as_dict(self) -> dict[str, str]:
        """Return the step as the API shows it."""
        return {"step": self.step, "to": self.to}


UnlockPaths = tuple[tuple[Step, ...], ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to one question, shared and immutable.

    `unlockable` is true when the thing is allowed now or some sequence of moves allows it;
    `unlock` lists those sequences, shortest first (empty when allowed now, or when nothing can
    ever allow it). `json` is the decision serialised once, with the policy version, so that
    the API can answer by joining bytes.
    """

    allowed: bool
    code: str
    reason: Label
    unlockable: bool
    unlock: UnlockPaths
    policy_version: str
    json: bytes = field(default=b"", compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the decision as the API shows it."""
        return {
            "allowed": self.allowed,
            "code": self.code,
            "reason": self.reason.as_dict(),
            "unlockable": self.unlockable,
            "unlock": [[step.as_dict() for step in path] for path in self.unlock],
            "policy_version": self.policy_version,
        }


def make_decision(
    *,
    allowed: bool,
    code: str,
    reason: Label,
    unlock: UnlockPaths,
    policy_version: str,
) -> Decision:
    """Build a decision with its JSON serialised once."""
    unlockable = allowed or bool(unlock)
    draft = Decision(allowed, code, reason, unlockable, unlock, policy_version)
    encoded = json.dumps(draft.as_dict(), ensure_ascii=False, separators=(",", ":"))
    return Decision(allowed, code, reason, unlockable, unlock, policy_version, encoded.encode())


@dataclass(frozen=True, slots=True)
class Actor:
    """The account that acts: its kind, its id and the partner it belongs to (if any)."""

    account: str
    id: str
    partner: str | None = None


@dataclass(frozen=True, slots=True)
class AccountTarget:
    """An account acted upon."""

    account: str
    id: str
    partner: str | None = None


@dataclass(frozen=True, slots=True)
class CommunityTarget:
    """A community acted upon; `support_app_partner` is set for an app's support community."""

    id: str | None = None
    support_app_partner: str | None = None
