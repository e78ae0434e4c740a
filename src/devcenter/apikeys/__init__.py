"""API keys: hashed bearer secrets for the decision API and the developer/staff APIs."""
