"""Registrable services and their rules (issue 9), read from the policy file and checked.

`load_registration_rules` turns the `[registrations]`, `[[registration_statuses]]`,
`[[registration_moves]]`, `[[registration_fields]]` and `[[registrable]]` sections into one
`RegistrationRules`: which services a partner registers, each one's fields, images, listing
needs and credentials, the listing pipeline and the name rule. Anything inconsistent is a
`PolicyFileError` naming the place, like the rest of the file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from devcenter.policy.errors import PolicyInputError
from devcenter.policy.model import Label

if TYPE_CHECKING:
    from devcenter.policy.loader import Service, _Reader

SECTIONS = frozenset(
    {
        "registrations",
        "registration_statuses",
        "registration_moves",
        "registration_fields",
        "registrable",
    }
)
FIELD_TYPES = (
    "text",
    "long_text",
    "url",
    "email",
    "url_list",
    "redirect_uris",
    "options",
    "community",
    "registration",
)
OPTION_SOURCES = ("platforms", "kinds", "devices")
CREDENTIAL_KINDS = ("consumer_key", "oauth_client", "check_key", "none")
MIN_USERS = "min_users"  # a listing need: the platform-reported user count
NO_CREDENTIALS = "none"


def normalised_name(name: str) -> str:
    """Return `name` as the name rule compares it: NFKC, case folded, trimmed."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


@dataclass(frozen=True, slots=True)
class RegistrationField:
    """A field some registrable service carries; see the policy file's comment."""

    code: str
    type: str
    label: Label
    max_length: int | None
    options: str | None  # for `options`: the service attribute listing the choices
    of: str | None  # for `registration`: the service of the registration referred to
    agency: bool
    subset_of: str | None = None  # an `options` field whose choices this one's must be among
    requires_status: str | None = None  # only a registration in this status may set it


@dataclass(frozen=True, slots=True)
class Registrable:
    """What registering one service takes."""

    service: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    images: tuple[str, ...]
    listing_requires: tuple[str, ...]
    credentials: str
    confirm_contact_email: bool
    enrolments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegistrationRules:
    """Every rule about registrations, checked at load."""

    forbidden_name_prefixes: tuple[str, ...]  # normalised
    relisting_cooldown_days: int
    community_max_registrations: int
    image_kinds: tuple[str, ...]
    max_screenshots: int
    initial_status: str
    suspended_status: str
    statuses: Mapping[str, Label]
    moves: Mapping[tuple[str, str], bool]  # (from, to) -> only after the cool-down
    fields: Mapping[str, RegistrationField]
    registrable: Mapping[str, Registrable]
    options: Mapping[tuple[str, str], tuple[str, ...]]  # (service, field) -> allowed choices

    def services(self) -> tuple[str, ...]:
        """Return the registrable services, in the policy file's order."""
        return tuple(self.registrable)

    def enrolment_services(self) -> tuple[str, ...]:
        """Return the services that are enrolments of a registration (payment_program)."""
        return tuple(dict.fromkeys(e for r in self.registrable.values() for e in r.enrolments))

    def of(self, service: str) -> Registrable:
        """Return the rules of registrable `service`; PolicyInputError for any other service."""
        found = self.registrable.get(service)
        if found is None:
            raise PolicyInputError("service", f"{service!r} is not a registrable service")
        return found

    def name_allowed(self, name: str) -> bool:
        """Return whether `name` does not start with the platform's own name (any case/width)."""
        name = normalised_name(name)
        return not any(name.startswith(prefix) for prefix in self.forbidden_name_prefixes)

    def move(self, from_status: str, to_status: str) -> bool | None:
        """Return None when the pipeline has no such move, else whether it waits a cool-down."""
        return self.moves.get((from_status, to_status))

    def choices(self, service: str, field: str) -> tuple[str, ...]:
        """Return the choices of an `options` field for `service`."""
        return self.options.get((service, field), ())

    def describe(self) -> dict[str, Any]:
        """Return the registration rules as plain JSON-ready data (the policy endpoint)."""
        return {
            "forbidden_name_prefixes": list(self.forbidden_name_prefixes),
            "relisting_cooldown_days": self.relisting_cooldown_days,
            "community_max_registrations": self.community_max_registrations,
            "image_kinds": list(self.image_kinds),
            "max_screenshots": self.max_screenshots,
            "initial_status": self.initial_status,
            "suspended_status": self.suspended_status,
            "statuses": [
                {"code": code, "label": label.as_dict()} for code, label in self.statuses.items()
            ],
            "moves": [
                {"from": source, "to": target, "after_cooldown": wait}
                for (source, target), wait in self.moves.items()
            ],
            "fields": [
                {
                    "code": f.code,
                    "type": f.type,
                    "label": f.label.as_dict(),
                    "max_length": f.max_length,
                    "agency": f.agency,
                    "subset_of": f.subset_of,
                    "requires_status": f.requires_status,
                }
                for f in self.fields.values()
            ],
            "registrable": [
                {
                    "service": r.service,
                    "fields": list(r.fields),
                    "required": list(r.required),
                    "images": list(r.images),
                    "listing_requires": list(r.listing_requires),
                    "credentials": r.credentials,
                    "confirm_contact_email": r.confirm_contact_email,
                    "enrolments": list(r.enrolments),
                    "choices": {
                        field: list(self.choices(r.service, field))
                        for field in r.fields
                        if (r.service, field) in self.options
                    },
                }
                for r in self.registrable.values()
            ],
        }


def load_registration_rules(
    r: _Reader, doc: Mapping[str, Any], services: tuple[Service, ...]
) -> RegistrationRules:
    """Check and return the registration sections of a policy file."""
    head = r.table(doc.get("registrations"), "registrations")
    statuses = _statuses(r, doc)
    image_kinds = r.texts(head, "image_kinds", "registrations")
    if not image_kinds:
        raise r.fail("registrations.image_kinds", "at least one image kind is required")
    initial = r.one_of(
        r.text(head, "initial_status", "registrations"),
        statuses,
        "registrations.initial_status",
        "registration status",
    )
    suspended = r.one_of(
        r.text(head, "suspended_status", "registrations"),
        statuses,
        "registrations.suspended_status",
        "registration status",
    )
    fields = _fields(r, doc, statuses)
    by_code = {s.code: s for s in services}
    registrable = _registrable(r, doc, by_code, fields, image_kinds)
    _check_references(r, doc, fields, registrable)
    return RegistrationRules(
        forbidden_name_prefixes=_prefixes(r, head),
        relisting_cooldown_days=_count(r, head, "relisting_cooldown_days", 0),
        community_max_registrations=_count(r, head, "community_max_registrations", 1),
        image_kinds=image_kinds,
        max_screenshots=_count(r, head, "max_screenshots", 1),
        initial_status=initial,
        suspended_status=suspended,
        statuses=statuses,
        moves=_moves(r, doc, statuses, initial, suspended),
        fields=fields,
        registrable=registrable,
        options=_options(registrable, fields, by_code),
    )


def _prefixes(r: _Reader, head: Mapping[str, Any]) -> tuple[str, ...]:
    prefixes = r.texts(head, "forbidden_name_prefixes", "registrations")
    normalised = tuple(normalised_name(p) for p in prefixes)
    if not normalised or not all(normalised):
        raise r.fail("registrations.forbidden_name_prefixes", "must list non-blank names")
    return normalised


def _count(r: _Reader, head: Mapping[str, Any], key: str, minimum: int) -> int:
    value = head.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise r.fail(f"registrations.{key}", f"must be an integer of at least {minimum}")
    return value


def _statuses(r: _Reader, doc: Mapping[str, Any]) -> dict[str, Label]:
    entries = r.entries(doc, "registration_statuses")
    codes = [r.text(e, "code", where) for where, e in entries]
    r.unique(codes, "registration_statuses")
    return {code: r.label(e, where) for code, (where, e) in zip(codes, entries, strict=True)}


def _moves(
    r: _Reader, doc: Mapping[str, Any], statuses: Mapping[str, Label], initial: str, suspended: str
) -> dict[tuple[str, str], bool]:
    result: dict[tuple[str, str], bool] = {}
    for where, e in r.entries(doc, "registration_moves"):
        source = r.one_of(r.text(e, "from", where), statuses, f"{where}.from", "status")
        target = r.one_of(r.text(e, "to", where), statuses, f"{where}.to", "status")
        if source == target:
            raise r.fail(where, "a move must change the status")
        if target == initial:
            raise r.fail(f"{where}.to", f"nothing returns to {initial!r}")
        if suspended in (source, target):
            raise r.fail(where, f"{suspended!r} follows the partner, not the pipeline")
        if (source, target) in result:
            raise r.fail(where, f"duplicate move {source} -> {target}")
        result[(source, target)] = r.flag(e, "after_cooldown", where, default=False)
    return result


def _fields(
    r: _Reader, doc: Mapping[str, Any], statuses: Mapping[str, Label]
) -> dict[str, RegistrationField]:
    result: dict[str, RegistrationField] = {}
    entries = r.entries(doc, "registration_fields")
    r.unique([r.text(e, "code", where) for where, e in entries], "registration_fields")
    for where, e in entries:
        kind = r.one_of(r.text(e, "type", where), FIELD_TYPES, f"{where}.type", "field type")
        max_length = e.get("max_length")
        if kind in ("text", "long_text") and (
            not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
        ):
            raise r.fail(f"{where}.max_length", "a text field needs a positive max_length")
        options = None
        if kind == "options":
            options = r.one_of(
                r.text(e, "options", where), OPTION_SOURCES, f"{where}.options", "option source"
            )
        of = r.text(e, "of", where) if kind == "registration" else None
        code = r.text(e, "code", where)
        result[code] = RegistrationField(
            code=code,
            type=kind,
            label=r.label(e, where),
            max_length=max_length if isinstance(max_length, int) else None,
            options=options,
            of=of,
            agency=r.flag(e, "agency", where, default=False),
            subset_of=r.text(e, "subset_of", where) if "subset_of" in e else None,
            requires_status=(
                r.one_of(
                    r.text(e, "requires_status", where),
                    statuses,
                    f"{where}.requires_status",
                    "registration status",
                )
                if "requires_status" in e
                else None
            ),
        )
    for where, e in entries:
        field = result[r.text(e, "code", where)]
        if field.subset_of is None:
            continue
        other = result.get(field.subset_of)
        if field.type != "options" or other is None or other.options != field.options:
            raise r.fail(f"{where}.subset_of", "must name an options field with the same choices")
    return result


def _registrable(
    r: _Reader,
    doc: Mapping[str, Any],
    services: Mapping[str, Service],
    fields: Mapping[str, RegistrationField],
    image_kinds: tuple[str, ...],
) -> dict[str, Registrable]:
    result: dict[str, Registrable] = {}
    for where, e in r.entries(doc, "registrable"):
        service = r.one_of(r.text(e, "service", where), services, f"{where}.service", "service")
        if service in result:
            raise r.fail(f"{where}.service", f"duplicate registrable service {service!r}")
        entry = _registrable_entry(r, e, where, service, fields, image_kinds)
        for code in entry.fields:
            if fields[code].agency and not services[service].agency_registration:
                raise r.fail(
                    f"{where}.fields", f"{code!r}: only an agency-registrable service takes it"
                )
            if fields[code].options and not getattr(services[service], fields[code].options or ""):
                raise r.fail(f"{where}.fields", f"{code!r}: the service lists no choices")
        for enrolment in entry.enrolments:
            r.one_of(enrolment, services, f"{where}.enrolments", "service")
        result[service] = entry
    return result


def _registrable_entry(
    r: _Reader,
    e: Mapping[str, Any],
    where: str,
    service: str,
    fields: Mapping[str, RegistrationField],
    image_kinds: tuple[str, ...],
) -> Registrable:
    carried = r.texts(e, "fields", where)
    for code in carried:
        r.one_of(code, fields, f"{where}.fields", "registration field")
    if "required" not in e:
        raise r.fail(f"{where}.required", "must list the fields creation needs (maybe none)")
    required = r.texts(e, "required", where)
    for code in required:
        r.one_of(code, carried, f"{where}.required", "field of this service")
    images = r.texts(e, "images", where)
    for kind in images:
        r.one_of(kind, image_kinds, f"{where}.images", "image kind")
    listing = r.texts(e, "listing_requires", where)
    for need in listing:
        r.one_of(need, (*carried, *images, MIN_USERS), f"{where}.listing_requires", "need")
    confirm = r.flag(e, "confirm_contact_email", where, default=False)
    if confirm and not any(fields[c].type == "email" for c in carried):
        raise r.fail(f"{where}.confirm_contact_email", "the service carries no e-mail field")
    return Registrable(
        service=service,
        fields=carried,
        required=required,
        images=images,
        listing_requires=listing,
        credentials=r.one_of(
            r.text(e, "credentials", where),
            CREDENTIAL_KINDS,
            f"{where}.credentials",
            "credential kind",
        ),
        confirm_contact_email=confirm,
        enrolments=r.texts(e, "enrolments", where),
    )


def _check_references(
    r: _Reader,
    doc: Mapping[str, Any],
    fields: Mapping[str, RegistrationField],
    registrable: Mapping[str, Registrable],
) -> None:
    """A `registration` field names a registrable service; an enrolment is no registration."""
    enrolled = {s for entry in registrable.values() for s in entry.enrolments}
    for i, service in enumerate(registrable):
        if service in enrolled:
            raise r.fail(f"registrable[{i}].service", f"{service!r} is an enrolment")
    matrix = doc.get("service_matrix", {})
    for i, service in enumerate(registrable):
        if matrix.get(service, {}).get("none") is True:
            raise r.fail(f"registrable[{i}].service", f"{service!r} needs no registration")
    for i, field in enumerate(fields.values()):
        if field.of is not None and field.of not in registrable:
            raise r.fail(f"registration_fields[{i}].of", f"{field.of!r} is not registrable")


def _options(
    registrable: Mapping[str, Registrable],
    fields: Mapping[str, RegistrationField],
    services: Mapping[str, Service],
) -> dict[tuple[str, str], tuple[str, ...]]:
    result: dict[tuple[str, str], tuple[str, ...]] = {}
    for service, entry in registrable.items():
        for code in entry.fields:
            source = fields[code].options
            if source is not None:
                result[(service, code)] = tuple(getattr(services[service], source))
    return result
