"""Benchmark (k): the card expiry sweep (`devcenter cards notify`) over a large registry.

A fresh PostgreSQL database (`devcenter_bench_sweep_<pid>`, dropped afterwards) holds N
individual_card partners (default 100,000; `DEVCENTER_BENCH_SWEEP_CARDS`), each with its owner,
membership and verified card: one made through the services, the rest copied from it by SQL.
About 3 % of the cards expire within 30 days of the sweep's day. Figure: the time of
`card_expiry_notify(today=…)` in process (the candidates' query, then per card its partner's
row lock, the notice record, a notice per member, the `card.expiring` audit event and the
e-mail on commit), then of a second sweep the same day (nothing new: each card is checked and
skipped). Yardstick: one grouped query over the same rows (the expiring verified cards joined
to their members, counted per partner): what reading them costs without writing anything.

`python -m bench --only k [--quick]` (quick: 5,000 cards).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.report import Check, info, print_check
from bench.server import devcenter, server_environment
from bench.writes import _child_env, _drop, _recreate, _root, _without_password

FRESH_DATABASE = f"postgres://postgres@127.0.0.1:5432/devcenter_bench_sweep_{os.getpid()}"
TODAY = date(2027, 3, 10)  # cards valid through 2027-03 expire on 2027-04-01: 22 days later
EXPIRING_EVERY = 33  # one card in 33 (~3 %)


def run(quick: bool) -> list[Check]:
    """Run benchmark (k), print its lines; return its checks for the summary."""
    cards = int(os.environ.get("DEVCENTER_BENCH_SWEEP_CARDS", 5_000 if quick else 100_000))
    url = FRESH_DATABASE
    print(f"(k) card expiry sweep on PostgreSQL ({_without_password(url)})", flush=True)
    try:
        _recreate(url)
    except Exception as exc:  # noqa: BLE001 (any failure means: no PostgreSQL here)
        print(f"  skipped ({exc.__class__.__name__}: {exc})\n", flush=True)
        return []
    try:
        with tempfile.TemporaryDirectory(prefix="devcenter-bench-sweep-") as directory:
            env = server_environment(Path(directory)) | {"DATABASE_URL": url}
            devcenter("migrate", "--noinput", env=env)
            done = subprocess.run(  # noqa: S603 (this module, fixed arguments)
                [sys.executable, "-m", "bench.card_sweep", str(cards)],
                env=_child_env(env),
                cwd=_root(),
                capture_output=True,
                text=True,
                timeout=3600,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"bench.card_sweep failed:\n{done.stderr[-3000:]}")
            f = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        _drop(url)
    per_card = f["sweep_seconds"] * 1000 / max(f["told"], 1)
    print(
        f"  {f['cards']:,} cards, {f['expiring']:,} expiring: sweep {f['sweep_seconds']:.2f} s"
        f" ({f['told']:,} told, {per_card:.1f} ms a card told, CPU {f['sweep_cpu_ms']:.1f} ms"
        f" a card in Python), second sweep {f['again_seconds']:.2f} s;"
        f" grouped query {f['query_seconds'] * 1000:.0f} ms; load {f['load']}",
        flush=True,
    )
    checks = [
        info(
            "(k) sweep / grouped query",
            f"{f['sweep_seconds']:.2f} s",
            f"{f['query_seconds'] * 1000:.0f} ms",
            f["sweep_seconds"] / f["query_seconds"],
        ),
        info(
            "(k) 2nd sweep / grouped query",
            f"{f['again_seconds']:.2f} s",
            f"{f['query_seconds'] * 1000:.0f} ms",
            f["again_seconds"] / f["query_seconds"],
        ),
    ]
    for check in checks:
        print_check(check)
    print()
    return checks


# -- the child: Django set up ----------------------------------------------------------------

_COPY = """
WITH users AS (
  INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
    is_staff, is_active, date_joined)
  SELECT '!', false, 'sweep' || i, '', '', 'sweep' || i || '@example.com', false, true, now()
  FROM generate_series(1, %(count)s) AS i RETURNING id, username
), partners AS (
  INSERT INTO partners_partner (public_id, kind, partner_type, status, registration_name,
    legal_name, corporate_number, legal_entity_registered, representative_name,
    head_office_address, contact_email, contact_phone, created_at, updated_at, user_id)
  SELECT 'ptn_sweep' || u.id, p.kind, p.partner_type, p.status, 'sweep ' || u.id, p.legal_name,
    '', p.legal_entity_registered, p.representative_name, p.head_office_address,
    p.contact_email, p.contact_phone, now(), now(), u.id
  FROM users u, partners_partner p WHERE p.id = %(partner)s RETURNING id, user_id
), members AS (
  INSERT INTO partners_membership (role, created_at, user_id, partner_id)
  SELECT m.role, now(), p.user_id, p.id FROM partners p, partners_membership m
  WHERE m.partner_id = %(partner)s
)
INSERT INTO partners_card (public_id, token, brand, last4, exp_month, exp_year, fingerprint,
  status, failure_code, created_at, updated_at, partner_id)
SELECT 'card_sweep' || p.id, c.token, c.brand, c.last4,
  CASE WHEN p.id %% %(every)s = 0 THEN 3 ELSE 12 END,
  CASE WHEN p.id %% %(every)s = 0 THEN 2027 ELSE 2030 END,
  c.fingerprint, c.status, c.failure_code, now(), now(), p.id
FROM partners p, partners_card c WHERE c.partner_id = %(partner)s AND c.status = 'verified'
"""

_YARDSTICK = """
SELECT c.partner_id, count(m.id) FROM partners_card c
JOIN partners_membership m ON m.partner_id = c.partner_id
WHERE c.status = 'verified' AND (c.exp_year < %s OR (c.exp_year = %s AND c.exp_month < %s))
GROUP BY c.partner_id
"""


def child(count: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devcenter.settings")
    django.setup()
    from django.db import connection

    from bench.events import _individuals
    from devcenter.notices.card_expiry import card_expiry_notify
    from devcenter.partners.models import Card, CardStatus
    from devcenter.partners.services import card_register

    ((template, user),) = _individuals(1)
    card_register(partner_id=template.public_id, token="tok_visa", acting_user=user)  # noqa: S106
    Card.objects.filter(partner=template).update(exp_year=2030, exp_month=12)
    with connection.cursor() as cursor:
        cursor.execute(_COPY, {"count": count - 1, "partner": template.pk, "every": EXPIRING_EVERY})
        for table in ("auth_user", "partners_partner", "partners_membership", "partners_card"):
            cursor.execute(f"ANALYZE {table}")
    expiring = Card.objects.filter(status=CardStatus.VERIFIED, exp_year=2027).count()
    horizon = date(2027, 4, 9)  # TODAY + 30 days
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(_YARDSTICK, [horizon.year, horizon.year, horizon.month])
        grouped = cursor.fetchall()
    query_seconds = time.perf_counter() - started
    assert len(grouped) == expiring
    load = os.getloadavg()
    started, cpu = time.perf_counter(), time.process_time()
    told = card_expiry_notify(today=TODAY)
    sweep_seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    again = card_expiry_notify(today=TODAY)
    again_seconds = time.perf_counter() - started
    assert again == 0
    figures: dict[str, Any] = {
        "cards": count,
        "expiring": expiring,
        "told": told,
        "sweep_seconds": sweep_seconds,
        "sweep_cpu_ms": cpu * 1000 / max(told, 1),
        "again_seconds": again_seconds,
        "query_seconds": query_seconds,
        "load": " ".join(f"{x:.1f}" for x in load),
    }
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    child(int(sys.argv[1]))
