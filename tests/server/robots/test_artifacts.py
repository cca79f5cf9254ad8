"""Robot job files in the shared store: large objects or S3 objects, deleted under the retention policy."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr, ValidationError

from server.robots.artifact_settings import ArtifactBackend, ArtifactSettings
from server.robots.artifacts import LargeObjects, S3Objects, artifact_store, purge_expired
from server.robots.s3 import S3Error, sign
from tests.fakes.s3_store import FakeS3Store
from tools.database import Pool, open_pool

pytestmark = pytest.mark.anyio

EXAMPLE_KEY = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    opened = await open_pool(database_url, max_size=4)
    yield opened
    await opened.close()


async def _job(pool: Pool, finished_days_ago: int | None, artifacts: list[str], n: int = 1) -> str:
    """A finished (or running, with None) job of a robot, with the rows it needs."""
    async with pool.connection() as conn:
        await conn.execute("INSERT INTO robots (id, spec) VALUES ('robot-test', '{}') ON CONFLICT DO NOTHING")
        user = await (
            await conn.execute(
                "INSERT INTO users (issuer, subject, email, display_name) VALUES ('t', %s, %s, 'Agent') "
                "ON CONFLICT (issuer, subject) DO UPDATE SET email = EXCLUDED.email RETURNING id",
                (f"s{n}", f"agent{n}@chru-exemple.fr"),
            )
        ).fetchone()
        assert user is not None
        approval = await (
            await conn.execute(
                "INSERT INTO approvals (robot_id, robot_version, checkpoint_key, requester_id, inputs, "
                "digest, expires_at) VALUES ('robot-test', 1, 'k', %s, '{}', %s, now()) RETURNING id",
                (user["id"], "0" * 64),
            )
        ).fetchone()
        assert approval is not None
        status = "running" if finished_days_ago is None else "succeeded"
        job = await (
            await conn.execute(
                "INSERT INTO jobs (approval_id, robot_id, runner, status, inputs, digest, artifacts, "
                "finished_at) VALUES (%s, 'robot-test', 'local', %s, '{}', %s, to_jsonb(%s::text[]), "
                "now() - make_interval(days => %s)) RETURNING id::text",
                (approval["id"], status, "0" * 64, artifacts, finished_days_ago or 0),
            )
        ).fetchone()
    assert job is not None
    return str(job["id"])


async def _large_objects(pool: Pool) -> int:
    async with pool.connection() as conn:
        row = await (await conn.execute("SELECT count(*) AS n FROM pg_largeobject_metadata")).fetchone()
    assert row is not None
    return int(row["n"])


async def test_the_signature_is_the_one_aws_documents_for_its_examples() -> None:
    """AWS's Signature Version 4 examples (GET with a range, PUT of `test$file.text`)."""
    key_id, secret = EXAMPLE_KEY
    day = datetime(2013, 5, 24, tzinfo=UTC)
    empty = hashlib.sha256(b"").hexdigest()
    got = sign(
        "GET", "https://examplebucket.s3.amazonaws.com/test.txt", {"Range": "bytes=0-9"}, empty,
        region="us-east-1", access_key_id=key_id, secret_access_key=secret, now=day,
    )  # fmt: skip
    body = hashlib.sha256(b"Welcome to Amazon S3.").hexdigest()
    put = sign(
        "PUT", "https://examplebucket.s3.amazonaws.com/test%24file.text",
        {"Date": "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY"}, body,
        region="us-east-1", access_key_id=key_id, secret_access_key=secret, now=day,
    )  # fmt: skip
    assert got["Authorization"].endswith(
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )
    assert put["Authorization"].endswith(
        "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
    )
    assert "wJalrXUtnFEMI" not in repr(got) + repr(put)


async def test_large_objects_go_with_their_rows_and_the_retention_purge_leaves_none(pool: Pool) -> None:
    store = LargeObjects(pool)
    old = await _job(pool, 40, ["bordereau.csv", "log.html"])
    recent = await _job(pool, 1, ["bordereau.csv"])
    await store.put(old, "bordereau.csv", b"v1")
    await store.put(old, "bordereau.csv", b"v2")  # replaced: the first object is unlinked
    await store.put(old, "log.html", b"<html/>")
    await store.put(recent, "bordereau.csv", b"recent")
    assert (await _large_objects(pool), await store.get(old, "bordereau.csv")) == (3, b"v2")

    purged = await purge_expired(pool, store, 30)

    assert (purged, await _large_objects(pool)) == (1, 1)
    assert (await store.get(old, "bordereau.csv"), await store.get(recent, "bordereau.csv")) == (
        None,
        b"recent",
    )
    async with pool.connection() as conn:
        marks = await (
            await conn.execute("SELECT id::text, artifacts_purged_at IS NOT NULL AS purged FROM jobs")
        ).fetchall()
    assert {row["id"]: row["purged"] for row in marks} == {old: True, recent: False}
    assert await purge_expired(pool, store, 30) == 0  # once


async def test_a_job_deleted_with_its_files_leaves_no_large_object(pool: Pool) -> None:
    store = LargeObjects(pool)
    job = await _job(pool, None, ["lignes.csv"])
    await store.put(job, "lignes.csv", b"LAB-2026-00013")
    async with pool.connection() as conn:
        await conn.execute("DELETE FROM jobs WHERE id = %s", (job,))
    assert await _large_objects(pool) == 0


async def test_s3_objects_are_written_read_and_deleted_by_the_retention_purge(pool: Pool) -> None:
    fake = FakeS3Store(*EXAMPLE_KEY, region="eu-west-3")
    settings = ArtifactSettings(
        store=ArtifactBackend.S3, retention_days=30, s3_endpoint="https://s3.chru-exemple.fr",
        s3_bucket="ariane-jobs", s3_region="eu-west-3", s3_access_key_id=EXAMPLE_KEY[0],
        s3_secret_access_key=SecretStr(EXAMPLE_KEY[1]),
    )  # fmt: skip
    store = artifact_store(settings, pool, transport=fake.transport())
    assert isinstance(store, S3Objects)
    old = await _job(pool, 40, ["état des lieux.csv"])
    running = await _job(pool, None, ["lignes.csv"])
    await store.put(old, "état des lieux.csv", b"v1")
    await store.put(running, "lignes.csv", b"en cours")

    assert await store.get(old, "état des lieux.csv") == b"v1"
    assert await store.get(old, "absent.csv") is None
    assert set(fake.objects) == {
        f"ariane-jobs/ariane/jobs/{old}/état des lieux.csv",
        f"ariane-jobs/ariane/jobs/{running}/lignes.csv",
    }
    assert await purge_expired(pool, store, settings.retention_days) == 1
    assert set(fake.objects) == {f"ariane-jobs/ariane/jobs/{running}/lignes.csv"}
    assert await _large_objects(pool) == 0  # nothing went to the database


async def test_a_store_that_refuses_the_signature_is_an_error_not_an_empty_file(pool: Pool) -> None:
    fake = FakeS3Store("AKIAIOSFODNN7EXAMPLE", "another-secret")
    settings = ArtifactSettings(
        store=ArtifactBackend.S3, s3_endpoint="https://s3.chru-exemple.fr", s3_bucket="b",
        s3_access_key_id="AKIAIOSFODNN7EXAMPLE", s3_secret_access_key=SecretStr("wrong"),
    )  # fmt: skip
    store = artifact_store(settings, pool, transport=fake.transport())
    with pytest.raises(S3Error) as refused:
        await store.get("00000000-0000-0000-0000-000000000000", "x.csv")
    assert refused.value.status == 403
    assert "wrong" not in str(refused.value)


async def test_the_s3_store_needs_its_endpoint_bucket_and_keys() -> None:
    with pytest.raises(ValidationError) as invalid:
        ArtifactSettings(store=ArtifactBackend.S3, s3_bucket="b")
    assert "ARIANE_ARTIFACTS__S3_ENDPOINT, ARIANE_ARTIFACTS__S3_ACCESS_KEY_ID, " in str(invalid.value)
