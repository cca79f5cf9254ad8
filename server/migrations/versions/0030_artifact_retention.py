"""Robot job files: no large object outlives its row, and the date a job's files were purged.

- A deferred trigger on `job_artifacts` unlinks the large object of every row deleted (by a
  retention purge, a job deleted with its rows) or replaced. Deferred to the commit and tolerant of
  an object already gone, because the previous release unlinks the old object itself before
  replacing a row: both releases work side by side during a rolling update.
- `jobs.artifacts_purged_at`: when a worker deleted the job's files under
  `ARIANE_ARTIFACTS__RETENTION_DAYS` (from PostgreSQL or the S3 store); NULL while they are kept.
- Large objects no row refers to (left by an earlier release) are unlinked once.

Revision ID: 0030
Revises: 0028
Create Date: 2026-12-05
"""

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None
additive = True  # only adds: the code of 0029 runs on it unchanged


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE jobs ADD COLUMN artifacts_purged_at timestamptz;

        CREATE FUNCTION job_artifacts_unlink() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW.content = OLD.content THEN
                RETURN NULL;
            END IF;
            IF EXISTS (SELECT 1 FROM pg_largeobject_metadata WHERE oid = OLD.content) THEN
                PERFORM lo_unlink(OLD.content);
            END IF;
            RETURN NULL;
        END $$;

        CREATE CONSTRAINT TRIGGER job_artifacts_unlink
            AFTER DELETE OR UPDATE OF content ON job_artifacts
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION job_artifacts_unlink();

        SELECT lo_unlink(m.oid) FROM pg_largeobject_metadata m
        WHERE NOT EXISTS (SELECT 1 FROM job_artifacts a WHERE a.content = m.oid);
        """
    )


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER job_artifacts_unlink ON job_artifacts; DROP FUNCTION job_artifacts_unlink(); "
        "ALTER TABLE jobs DROP COLUMN artifacts_purged_at;"
    )
