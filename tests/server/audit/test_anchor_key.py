"""The anchor key given by the settings: every replica signs with it, any replica's anchors verify."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

from server.audit.anchors import AnchorBook, AnchorKeyError


def _pem(key) -> bytes:  # type: ignore[no-untyped-def]
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_anchors_signed_by_one_replica_verify_on_another_with_the_shared_key(tmp_path):
    pem = _pem(Ed25519PrivateKey.generate())
    first, second = AnchorBook(tmp_path / "a", pem), AnchorBook(tmp_path / "b", pem)
    own = AnchorBook(tmp_path / "c")  # a key file of its own, as `ariane up` makes

    anchor = first.write(b"\x01" * 16, 42, b"\x02" * 32)

    assert second.signed(anchor)
    assert not own.signed(anchor)
    assert own.public_key() is None  # nothing written there, no key file yet
    assert not (tmp_path / "a" / "anchor-key.pem").exists()  # the given key is never written to disk


def test_an_anchor_key_that_is_not_ed25519_is_refused(tmp_path):
    with pytest.raises(AnchorKeyError, match="not an Ed25519 key"):
        AnchorBook(tmp_path, _pem(generate_private_key(public_exponent=65537, key_size=2048)))
    with pytest.raises(AnchorKeyError, match="not a PEM private key"):
        AnchorBook(tmp_path, b"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
