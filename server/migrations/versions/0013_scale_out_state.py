"""State shared by replicas: the process hosting each run, rate-limit windows, anchors, artifacts.

- `runs.owner`: the process (`processes.id`) running a run; when it dies, only its runs are closed.
- `rate_limit_calls`: the calls counted by sliding windows, whichever replica received them.
- `audit_anchors`: signed chain heads (the signing key stays outside the database, in the settings).
- `job_artifacts`: robot job files, readable from every replica (large objects).
- `schema_revisions`: each applied revision and whether it is additive (expand-only), so that a
  replica of the previous release can tell it may keep serving (`/readyz`) during a rolling update.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None
additive = True  # only adds: the code of 0012 runs on it unchanged


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE runs ADD COLUMN owner uuid;

        CREATE TABLE rate_limit_calls (
            bucket  text NOT NULL,
            at      timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        CREATE INDEX rate_limit_calls_idx ON rate_limit_calls (bucket, at);

        CREATE TABLE audit_anchors (
            id         bigserial PRIMARY KEY,
            store      text NOT NULL,
            seq        bigint NOT NULL,
            chain      text NOT NULL,
            at         double precision NOT NULL,
            signature  text NOT NULL
        );
        CREATE INDEX audit_anchors_store_idx ON audit_anchors (store, seq);

        CREATE TABLE job_artifacts (
            job_id      uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            name        text NOT NULL,
            content     oid NOT NULL,
            size        bigint NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (job_id, name)
        );

        CREATE TABLE schema_revisions (
            revision    text PRIMARY KEY,
            additive    boolean NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        );
        """
    )


def downgrade() -> None:
    op.execute(
        "SELECT lo_unlink(content) FROM job_artifacts; DROP TABLE job_artifacts; DROP TABLE audit_anchors; "
        "DROP TABLE schema_revisions; DROP TABLE rate_limit_calls; ALTER TABLE runs DROP COLUMN owner;"
    )
