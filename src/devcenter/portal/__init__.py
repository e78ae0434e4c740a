"""The public face of the partner program: the landing page and the `policy`/`decide` commands.

Both only render what the policy core (`devcenter.policy`) decides; no rule lives here.
"""
