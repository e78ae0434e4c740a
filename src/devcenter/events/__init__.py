"""Change events: the audit log projected as an ordered feed, and signed webhooks."""
