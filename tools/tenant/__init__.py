"""The local Microsoft 365 tenant: an OpenID Connect provider playing Entra ID, with fictional data."""
