"""Encryption of registered servers' secrets (bearer tokens, OAuth client secrets, environment)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr


class SecretBox:
    """Fernet (AES-128-CBC + HMAC-SHA256) with one key per deployment."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def from_settings(cls, key: SecretStr | None, data_dir: Path) -> SecretBox:
        """The configured key, else a key file under `data_dir/registry`, created on first use (0600)."""
        if key is not None:
            return cls(key.get_secret_value().encode())
        path = data_dir / "registry" / "secret.key"
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(Fernet.generate_key())
        return cls(path.read_bytes().strip())

    def seal(self, secrets: dict[str, Any]) -> bytes | None:
        """The secrets encrypted, or None when there are none."""
        return self._fernet.encrypt(json.dumps(secrets).encode()) if secrets else None

    def open(self, sealed: bytes | None) -> dict[str, Any]:
        """The secrets back; {} when none were stored.

        Raises:
            ValueError: the key changed since they were sealed.
        """
        if not sealed:
            return {}
        try:
            opened: dict[str, Any] = json.loads(self._fernet.decrypt(bytes(sealed)))
        except InvalidToken:
            raise ValueError("registry secrets cannot be decrypted with the configured key") from None
        return opened
