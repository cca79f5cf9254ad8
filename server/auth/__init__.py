"""Authentication: OpenID Connect bearer tokens, users and roles."""
