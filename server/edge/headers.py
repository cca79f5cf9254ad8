"""The security headers of every answer: a content security policy without inline scripts, no framing.

No sniffing, no referrer either. Styles may be inline: Fluent UI (Griffel) inserts its rules at run
time. The web app talks to the identity provider's token endpoint itself (authorization code +
PKCE), hence its origin in `connect-src`.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def security_headers(issuer: str) -> list[tuple[bytes, bytes]]:
    """The headers, for an app whose users sign in at `issuer`."""
    parts = urlsplit(issuer)
    identity = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' {identity}".strip(),
            f"form-action 'self' {identity}".strip(),
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]
