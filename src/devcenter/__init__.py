"""devcenter: partner registration, entitlements and the decision API of a developer platform."""

__version__ = "0.1.0"
