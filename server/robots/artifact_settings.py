"""Where robot job files are kept (`ARIANE_ARTIFACTS__*`): PostgreSQL large objects or an S3 bucket."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, SecretStr, model_validator


class ArtifactBackend(StrEnum):
    """`postgres`: large objects in Ariane's database; `s3`: an S3-compatible object store."""

    POSTGRES = "postgres"
    S3 = "s3"


class ArtifactSettings(BaseModel):
    """The store of the files robot jobs produce, read by every replica."""

    store: ArtifactBackend = Field(
        ArtifactBackend.POSTGRES,
        description="`postgres` (large objects in Ariane's database, the default) or `s3` "
        "(an S3-compatible store: MinIO, Ceph, Garage, a cloud provider's, through `S3_*`).",
    )
    retention_days: int = Field(
        0,
        ge=0,
        description="Days a finished job's files are kept; then a worker deletes them from the store "
        "(large objects unlinked, objects deleted). 0: kept for ever.",
    )
    s3_endpoint: str | None = Field(
        None, description="Base URL of the S3-compatible service (path-style: `ENDPOINT/BUCKET/KEY`)."
    )
    s3_bucket: str = Field("", description="Bucket the files go to (it must exist).")
    s3_region: str = Field("us-east-1", description="Region the requests are signed for (SigV4).")
    s3_access_key_id: str = Field("", description="Access key id of the account writing the files.")
    s3_secret_access_key: SecretStr = Field(SecretStr(""), description="Secret access key of that account.")
    s3_prefix: str = Field("ariane/", description="Prefix of the object keys (`PREFIX/jobs/JOB_ID/NAME`).")

    @model_validator(mode="after")
    def _s3_complete(self) -> ArtifactSettings:
        if self.store is ArtifactBackend.S3:
            missing = [
                name
                for name, value in (
                    ("S3_ENDPOINT", self.s3_endpoint),
                    ("S3_BUCKET", self.s3_bucket),
                    ("S3_ACCESS_KEY_ID", self.s3_access_key_id),
                    ("S3_SECRET_ACCESS_KEY", self.s3_secret_access_key.get_secret_value()),
                )
                if not value
            ]
            if missing:
                names = ", ".join(f"ARIANE_ARTIFACTS__{name}" for name in missing)
                raise ValueError(f"ARIANE_ARTIFACTS__STORE=s3 needs {names}")
        return self
