"""The anchor key given by the settings: every replica signs with it, any replica's signatures verify."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

from server.audit.anchors import AnchorKey, AnchorKeyError


def _pem(key) -> bytes:  # type: ignore[no-untyped-def]
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_what_one_replica_signs_verifies_on_another_with_the_shared_key(tmp_path):
    pem = _pem(Ed25519PrivateKey.generate())
    first, second = AnchorKey(tmp_path / "a", pem), AnchorKey(tmp_path / "b", pem)
    own = AnchorKey(tmp_path / "c")  # a key file of its own, as `ariane up` makes

    signature = first.sign(b"anchor")

    assert second.verifies(b"anchor", signature)
    assert not second.verifies(b"another anchor", signature)
    assert own.public_key() is None  # nothing signed there, no key file yet
    assert not own.verifies(b"anchor", signature)
    assert not (tmp_path / "a" / "anchor-key.pem").exists()  # the given key is never written to disk


def test_the_embedded_key_file_is_made_at_first_signature_and_kept_private(tmp_path):
    key = AnchorKey(tmp_path / "audit")

    signature = key.sign(b"anchor")

    assert (tmp_path / "audit" / "anchor-key.pem").stat().st_mode & 0o777 == 0o600
    assert AnchorKey(tmp_path / "audit").verifies(b"anchor", signature)  # the next start reads it back


def test_an_anchor_key_that_is_not_ed25519_is_refused(tmp_path):
    with pytest.raises(AnchorKeyError, match="not an Ed25519 key"):
        AnchorKey(tmp_path, _pem(generate_private_key(public_exponent=65537, key_size=2048)))
    with pytest.raises(AnchorKeyError, match="not a PEM private key"):
        AnchorKey(tmp_path, b"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
