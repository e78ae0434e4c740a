"""What operators need: readiness, the database-down answer of Django's routes, metrics."""
