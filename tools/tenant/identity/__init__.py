"""Local OpenID Connect provider playing Entra ID for the fictional tenant."""

from tools.tenant.identity.issuer import (
    GRAPH_AUDIENCE,
    GRAPH_SCOPES,
    IdentityError,
    TokenIssuer,
    issuer_for,
)

__all__ = ["GRAPH_AUDIENCE", "GRAPH_SCOPES", "IdentityError", "TokenIssuer", "issuer_for"]
