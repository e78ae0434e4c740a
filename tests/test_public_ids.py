"""Public ids: the prefix, then 20 characters of Crockford base32, each uniform over 32."""

from __future__ import annotations

import re
from collections import Counter

from devcenter.public_ids import new_public_id

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def test_a_public_id_is_the_prefix_and_20_crockford_characters() -> None:
    public_id = new_public_id("ptn")
    assert re.fullmatch(r"ptn_[0-9a-hjkmnp-tv-z]{20}", public_id), public_id


def test_every_position_takes_every_character_about_equally_often() -> None:
    # 3,200 ids: each character is expected 100 times at each position.
    ids = [new_public_id("acc")[4:] for _ in range(3_200)]
    assert len(set(ids)) == len(ids)
    for position in range(20):
        counts = Counter(public_id[position] for public_id in ids)
        assert set(counts) == set(ALPHABET), position
        # Binomial(3200, 1/32): mean 100, sd 9.8; 45 and 160 are more than 5.5 sd away.
        assert min(counts.values()) > 45, (position, counts)
        assert max(counts.values()) < 160, (position, counts)
