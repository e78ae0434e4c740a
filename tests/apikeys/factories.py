"""factory_boy factories for API keys (the raw key is ``dc_factory_<n>``)."""

from __future__ import annotations

import factory

from devcenter.apikeys.models import ApiKey, ApiKeyScope
from devcenter.apikeys.selectors import hash_key


class ApiKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiKey

    class Params:
        raw = factory.Sequence(lambda n: f"dc_factory_{n}")

    name = factory.Sequence(lambda n: f"key-{n}")
    scope = ApiKeyScope.DECISIONS
    prefix = factory.LazyAttribute(lambda o: o.raw[:8])
    secret_hash = factory.LazyAttribute(lambda o: hash_key(o.raw))
