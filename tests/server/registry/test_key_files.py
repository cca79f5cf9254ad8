"""The keys a sandboxed server must never read are the server's alone: identity provider, audit, registry."""

from pathlib import Path

from server.audit.anchors import AnchorKey
from server.registry.sealing import SecretBox
from tools.tenant.identity.keys import load_or_create_signing_key


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_new_keys_are_readable_by_their_owner_only(tmp_path):
    load_or_create_signing_key(tmp_path / "tenant")
    AnchorKey(tmp_path / "audit").sign(b"anchor")  # the key file is made at first signature
    SecretBox.from_settings(None, tmp_path)

    keys = [
        p for p in tmp_path.rglob("*") if p.is_file() and ".pub." not in p.name
    ]  # public keys may be read
    assert len(keys) == 3
    assert {_mode(p) for p in keys} == {0o600}
    assert {_mode(tmp_path / folder) for folder in ("tenant", "audit", "registry")} == {0o700}


def test_a_key_left_readable_by_others_is_closed_when_loaded(tmp_path):
    load_or_create_signing_key(tmp_path / "tenant")
    key = next((tmp_path / "tenant").iterdir())
    key.chmod(0o644)
    (tmp_path / "tenant").chmod(0o755)

    load_or_create_signing_key(tmp_path / "tenant")

    assert (_mode(key), _mode(tmp_path / "tenant")) == (0o600, 0o700)
