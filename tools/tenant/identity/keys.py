"""The provider's RSA signing key: generated at first start, kept on disk, published as a JWKS."""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_KEY_FILE = "signing-key.pem"


@dataclass(frozen=True)
class SigningKey:
    """A private key with its key id (the RFC 7638 thumbprint of its public part)."""

    private_key: rsa.RSAPrivateKey
    kid: str

    def public_jwk(self) -> dict[str, str]:
        """The public key as a JSON Web Key."""
        numbers = self.private_key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": self.kid,
            "n": _b64url_uint(numbers.n),
            "e": _b64url_uint(numbers.e),
        }


def load_or_create_signing_key(folder: Path) -> SigningKey:
    """Load the key kept in `folder`, creating it (mode 0600) on first use."""
    path = folder / _KEY_FILE
    folder.mkdir(parents=True, exist_ok=True)
    # Whoever holds this key mints any user's token: its folder and file are the server's alone.
    folder.chmod(0o700)
    if path.exists() and path.stat().st_mode & 0o077:
        path.chmod(0o600)
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Write then rename, so that two processes starting together never read half a key.
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".key-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # fails if another process won the race; keep theirs
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise TypeError(f"{path} does not hold an RSA private key")
    return SigningKey(private_key=loaded, kid=_thumbprint(loaded))


def _thumbprint(key: rsa.RSAPrivateKey) -> str:
    numbers = key.public_key().public_numbers()
    canonical = f'{{"e":"{_b64url_uint(numbers.e)}","kty":"RSA","n":"{_b64url_uint(numbers.n)}"}}'
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
