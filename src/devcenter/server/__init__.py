"""The production server command: ``devcenter serve``."""
