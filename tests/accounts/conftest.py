"""The registry's row-counting fixtures, shared with the partners tests."""

from tests.partners.conftest import last_event, row_counts

__all__ = ["last_event", "row_counts"]
