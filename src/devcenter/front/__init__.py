"""The front door: the first ASGI app every request meets, in front of the decision plane.

It bounds every request body by route class while it streams (before Django spools a byte),
refuses an unauthenticated upload before reading it, and applies the production protections
(allowed hosts, HTTPS redirect, HSTS, nosniff, frame and referrer headers) to the routes the
decision plane answers without Django. It is also the Django app that owns the shared cache
table (rate limits, lockouts).
"""
