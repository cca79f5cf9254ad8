"""Anchors: the chain head signed with a key kept outside the database, appended to a file.

A superuser who rewrites the store can recompute every hash, but cannot sign: the anchors file (and
the public key beside it) lets `verify` prove that the store still holds what it held when each
anchor was written. Ed25519 keys are created at first use, private key mode 0600.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from server.audit.chain import canonical

KEY_FILE = "anchor-key.pem"
PUBLIC_KEY_FILE = "anchor-key.pub.pem"
ANCHORS_FILE = "anchors.jsonl"


@dataclass(frozen=True)
class Anchor:
    """The chain value at `seq` of the store `store` (the chain value of its first record)."""

    store: str
    seq: int
    chain: str
    at: float
    signature: str

    def payload(self) -> bytes:
        """What is signed."""
        return canonical({"store": self.store, "seq": self.seq, "chain": self.chain, "at": self.at}).encode()


class AnchorKeyError(ValueError):
    """The anchor key setting is not an Ed25519 private key in PEM."""


def load_anchor_key(pem: bytes) -> Ed25519PrivateKey:
    """The Ed25519 private key of a PEM (PKCS#8, unencrypted).

    Raises:
        AnchorKeyError: not such a key.
    """
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise AnchorKeyError("ARIANE_AUDIT_ANCHOR_KEY is not a PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise AnchorKeyError("ARIANE_AUDIT_ANCHOR_KEY is not an Ed25519 key")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    """The public key in PEM, as exported with evidence bundles."""
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


class AnchorBook:
    """The anchors folder: signing key, public key and the anchors written so far.

    With `key_pem` (the `ARIANE_AUDIT_ANCHOR_KEY` setting, the same for every replica) that key signs
    and checks; without, a key file is created in the folder at first use (`ariane up`).
    """

    def __init__(self, folder: Path, key_pem: bytes | None = None) -> None:
        self.folder = folder
        self._given = load_anchor_key(key_pem) if key_pem else None

    def _private_key(self) -> Ed25519PrivateKey:
        if self._given is not None:
            return self._given
        path = self.folder / KEY_FILE
        if path.exists():
            if path.stat().st_mode & 0o077:  # a key others could read signs anchors for them too
                path.chmod(0o600)
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            assert isinstance(key, Ed25519PrivateKey)
            return key
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.touch(mode=0o600)
        path.write_bytes(pem)
        public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        (self.folder / PUBLIC_KEY_FILE).write_bytes(public)
        return key

    def public_key(self) -> Ed25519PublicKey | None:
        """The key anchors are checked with, or None when no anchor was ever written here."""
        if self._given is not None:
            return self._given.public_key()
        path = self.folder / PUBLIC_KEY_FILE
        if not path.exists():
            return None
        key = serialization.load_pem_public_key(path.read_bytes())
        assert isinstance(key, Ed25519PublicKey)
        return key

    def write(self, store: bytes, seq: int, chain: bytes) -> Anchor:
        """Sign and append an anchor of the chain head."""
        unsigned = Anchor(store.hex(), seq, chain.hex(), round(time.time(), 3), "")
        signature = self._private_key().sign(unsigned.payload()).hex()
        anchor = Anchor(unsigned.store, seq, unsigned.chain, unsigned.at, signature)
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ANCHORS_FILE).open("a", encoding="utf-8") as file:
            file.write(canonical(anchor.__dict__) + "\n")
        return anchor

    def all(self) -> list[Anchor]:
        """Every anchor on file, oldest first."""
        path = self.folder / ANCHORS_FILE
        if not path.exists():
            return []
        anchors = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data: dict[str, Any] = json.loads(line)
                anchors.append(Anchor(**data))
        return anchors

    def read(self, store: bytes) -> list[Anchor]:
        """The anchors of one store, oldest first."""
        return [anchor for anchor in self.all() if anchor.store == store.hex()]

    def signed(self, anchor: Anchor) -> bool:
        """True when the anchor's signature is the key's."""
        return self.verifies(anchor.payload(), anchor.signature)

    def sign(self, payload: bytes) -> str:
        """Sign other evidence (retention cuts) with the anchor key; hex signature."""
        return self._private_key().sign(payload).hex()

    def verifies(self, payload: bytes, signature: str) -> bool:
        """True when `signature` (hex) is the anchor key's over `payload`."""
        key = self.public_key()
        if key is None:
            return False
        try:
            key.verify(bytes.fromhex(signature), payload)
        except (InvalidSignature, ValueError):
            return False
        return True
