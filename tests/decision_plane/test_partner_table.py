"""PartnerTable: the decision plane's id -> state map, checked against a plain dict."""

from __future__ import annotations

import random
import threading

import pytest

from devcenter.decision_plane.partner_table import MIN_SIZE, MISSING, PartnerTable


def ids(count: int, prefix: str = "ptn_") -> list[str]:
    return [f"{prefix}{index:020d}" for index in range(count)]


def test_built_from_pairs_it_answers_like_a_dict():
    pairs = [(public_id, 1 + index % 7) for index, public_id in enumerate(ids(5_000))]
    table, expected = PartnerTable(pairs), dict(pairs)
    asked = [*expected, *ids(500, "ptn_unknown_"), "", "p", "ptn_"]
    random.Random(3).shuffle(asked)  # noqa: S311 (a fixed order, not a secret)

    assert table.get_many(asked) == [expected.get(i, MISSING) for i in asked]
    assert [table.get(i) for i in asked] == [expected.get(i, MISSING) for i in asked]
    assert len(table) == 5_000
    assert table.size >= 10_000  # at most half full


def test_an_empty_table_answers_missing():
    table = PartnerTable()

    assert table.get_many(["ptn_a", ""]) == [MISSING, MISSING]
    assert table.get("ptn_a", 99) == 99
    assert table.get(None, 7) == 7  # type: ignore[arg-type]
    assert table.get_many([]) == []
    assert len(table) == 0
    assert table.size == MIN_SIZE


def test_set_change_and_remove_one_by_one():
    table = PartnerTable([("ptn_a", 1)])

    table["ptn_b"] = 2
    table["ptn_a"] = 3
    removed = table.pop("ptn_b")
    table["ptn_c"] = MISSING  # the same as removing: nothing to remove

    assert removed == 2
    assert table.pop("ptn_b") is None
    assert table.get_many(["ptn_a", "ptn_b", "ptn_c"]) == [3, MISSING, MISSING]
    assert ("ptn_a" in table, "ptn_b" in table, 5 in table) == (True, False, False)
    assert table["ptn_a"] == 3
    with pytest.raises(KeyError):
        table["ptn_b"]
    table["ptn_b"] = 4  # back again, in its old slot
    assert table.get("ptn_b") == 4
    assert len(table) == 2


def test_it_grows_and_keeps_every_entry():
    table = PartnerTable()
    expected = {}
    for index, public_id in enumerate(ids(3 * MIN_SIZE)):
        table[public_id] = 1 + index % 5
        expected[public_id] = 1 + index % 5
        if index % 7 == 0:
            table.pop(public_id)
            del expected[public_id]

    assert table.get_many(list(expected)) == list(expected.values())
    assert len(table) == len(expected)
    assert table.size >= 2 * len(expected)


def test_ids_that_share_a_first_fingerprint_slot_are_told_apart():
    """Linear probing: many ids in one table of MIN_SIZE slots collide on slots all the time."""
    many = ids(MIN_SIZE // 2 - 1)
    table = PartnerTable((public_id, 1 + n % 3) for n, public_id in enumerate(many))

    assert table.size == MIN_SIZE
    assert table.get_many(many) == [1 + n % 3 for n in range(len(many))]


def test_readers_never_see_a_wrong_state_while_one_writer_grows_the_table():
    """The event loop reads while the catch-up thread writes: every answer is old or new."""
    stable = {public_id: 1 + n % 4 for n, public_id in enumerate(ids(2_000, "ptn_stable_"))}
    table = PartnerTable(stable.items())
    asked = list(stable)
    done = threading.Event()
    wrong: list[str] = []

    def write() -> None:
        for n, public_id in enumerate(ids(20_000, "ptn_new_")):
            table[public_id] = 5 + n % 2  # grows the table several times
        done.set()

    def read() -> None:
        while not done.is_set():
            if table.get_many(asked) != list(stable.values()):
                wrong.append("batch")
            if table.get(asked[-1]) != stable[asked[-1]]:
                wrong.append("single")

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert wrong == []
    assert len(table) == 22_000


def test_built_in_chunks_it_keeps_every_pair(monkeypatch):
    from devcenter.decision_plane import partner_table

    monkeypatch.setattr(partner_table, "BUILD_CHUNK", 64)
    pairs = [(public_id, 1 + n % 3) for n, public_id in enumerate(ids(1_000))]

    table = PartnerTable(iter(pairs))

    assert table.get_many([i for i, _ in pairs]) == [state for _, state in pairs]
    assert len(table) == 1_000


def test_a_linked_table_keeps_each_links_fingerprint_through_growth():
    from devcenter.decision_plane.partner_table import fingerprint

    triples = [(f"reg_{n:06d}", 1 + n % 5, f"ck_{n:06d}" if n % 3 else None) for n in range(3000)]
    table = PartnerTable(triples, linked=True)
    clients = table.linked_table()

    assert table.link_of("reg_000001") == fingerprint("ck_000001")
    assert table.link_of("reg_000003") is None
    assert clients.get("ck_000002") == 1 + 2 % 5
    assert clients.get("ck_000003") == MISSING  # never linked
    assert len(clients) == 2000

    for n in range(3000, 6000):  # grows the table several times
        table.put(f"reg_{n:06d}", 2, f"ck_{n:06d}")
    table.put("reg_000001", 3, None)

    assert table.link_of("reg_005999") == fingerprint("ck_005999")
    assert table.link_of("reg_000002") == fingerprint("ck_000002")
    assert table.link_of("reg_000001") is None
    assert table.get("reg_000001") == 3
    assert clients.pop_fingerprint(fingerprint("ck_000002")) == 1 + 2 % 5
    assert clients.get("ck_000002") == MISSING


def test_put_needs_a_linked_table():
    with pytest.raises(ValueError, match="linked"):
        PartnerTable().put("reg_a", 1, "ck_a")
