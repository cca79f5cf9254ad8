"""The files robot jobs produce, readable from every replica: PostgreSQL large objects or S3 objects.

The worker that ran a job copies its files here (its folder is not the replicas' disk); any replica
serves them. After `ARIANE_ARTIFACTS__RETENTION_DAYS` a worker deletes a finished job's files
(`artifact_retention_task`): large objects are unlinked with their rows (a trigger of migration 0030
unlinks whatever row goes, so no large object is left without one), S3 objects are deleted.
"""

from __future__ import annotations

import logging
from typing import Protocol

import httpx

from server.robots import repository
from server.robots.artifact_settings import ArtifactBackend, ArtifactSettings
from server.robots.s3 import S3Bucket
from server.work import PeriodicTask
from tools.database import Pool

logger = logging.getLogger(__name__)

RETENTION_SECONDS = 6 * 3600.0
RETENTION_BATCH = 200


class ArtifactStore(Protocol):
    """Where a job's files are kept."""

    async def put(self, job_id: str, name: str, content: bytes) -> None:
        """Keep a file (replacing one of the same name)."""

    async def get(self, job_id: str, name: str) -> bytes | None:
        """A kept file, or None."""

    async def remove(self, job_id: str, names: list[str]) -> None:
        """Delete every file of a job (`names`: those its result listed)."""


class LargeObjects:
    """Files as large objects in Ariane's database (`job_artifacts`)."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def put(self, job_id: str, name: str, content: bytes) -> None:
        """Keep a file (replacing one of the same name)."""
        await repository.store_artifact(self._pool, job_id, name, content)

    async def get(self, job_id: str, name: str) -> bytes | None:
        """A kept file, or None."""
        return await repository.read_artifact(self._pool, job_id, name)

    async def remove(self, job_id: str, names: list[str]) -> None:
        """Delete every file of a job."""
        del names  # every row of the job goes, listed or not
        await repository.delete_artifacts(self._pool, job_id)


class S3Objects:
    """Files as objects `PREFIX/jobs/JOB_ID/NAME` of an S3 bucket."""

    def __init__(self, bucket: S3Bucket, prefix: str) -> None:
        self._bucket = bucket
        self._prefix = prefix

    def key(self, job_id: str, name: str) -> str:
        """The object key of a job's file."""
        return f"{self._prefix}jobs/{job_id}/{name}"

    async def put(self, job_id: str, name: str, content: bytes) -> None:
        """Keep a file (replacing one of the same name)."""
        await self._bucket.put(self.key(job_id, name), content)

    async def get(self, job_id: str, name: str) -> bytes | None:
        """A kept file, or None."""
        return await self._bucket.get(self.key(job_id, name))

    async def remove(self, job_id: str, names: list[str]) -> None:
        """Delete the files the job's result listed."""
        for name in names:
            await self._bucket.delete(self.key(job_id, name))


def artifact_store(
    settings: ArtifactSettings, pool: Pool, transport: httpx.AsyncBaseTransport | None = None
) -> ArtifactStore:
    """The store the settings choose."""
    if settings.store is ArtifactBackend.POSTGRES:
        return LargeObjects(pool)
    assert settings.s3_endpoint is not None  # checked by the settings
    bucket = S3Bucket(
        endpoint=settings.s3_endpoint,
        bucket=settings.s3_bucket,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key.get_secret_value(),
        transport=transport,
    )
    return S3Objects(bucket, settings.s3_prefix)


async def purge_expired(pool: Pool, store: ArtifactStore, days: int) -> int:
    """Delete the files of jobs finished more than `days` days ago; the number of jobs purged."""
    purged = 0
    while batch := await repository.jobs_with_expired_artifacts(pool, days, RETENTION_BATCH):
        for job_id, names in batch:
            await store.remove(job_id, names)
            await repository.mark_artifacts_purged(pool, job_id)
            purged += 1
    return purged


def artifact_retention_task(pool: Pool, store: ArtifactStore, days: int) -> PeriodicTask | None:
    """The periodic purge of old job files (None when they are kept for ever)."""
    if days <= 0:
        return None

    async def run() -> None:
        purged = await purge_expired(pool, store, days)
        if purged:
            logger.info("robots: files of %d jobs finished over %d days ago deleted", purged, days)

    return PeriodicTask("robots.artifact_retention", RETENTION_SECONDS, run, first_delay=120.0)
