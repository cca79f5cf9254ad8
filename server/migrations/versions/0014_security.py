"""Tool and robot security: declared stdio servers, reviewer-set annotations, data classes, robot changes.

- A registered server is a declaration until it is reviewed: `package`/`package_version` (or an
  administrator's allow-listed `command`), whether it may use the network, its hosting and the most
  sensitive data class it may receive, the permissions asked for its tools (`requested`);
  `inspected_at`/`inspected_by` say when a reviewer had it started (in its sandbox) and its tools
  listed.
- Each tool carries the reviewer's `review` (`read_only`, `destructive`), never the server's own hints.
- Stdio servers registered before by a free command line are suspended: they must be declared again.
- A robot definition changed by a tool developer is a pending `robot_changes` row until the robot's
  owner service and the security officer (two distinct people) approve it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the declaration, review and robot-change columns and table."""
    op.execute(
        """
        ALTER TABLE tool_servers
            ADD COLUMN package          text,
            ADD COLUMN package_version  text,
            ADD COLUMN network          boolean NOT NULL DEFAULT false,
            ADD COLUMN hosting          text NOT NULL DEFAULT 'on_prem'
                                        CHECK (hosting IN ('hds', 'on_prem', 'eu_cloud', 'non_eu')),
            ADD COLUMN data_class       text NOT NULL DEFAULT 'public'
                                        CHECK (data_class IN ('public', 'internal', 'personal', 'health')),
            ADD COLUMN inspected_at     timestamptz,
            ADD COLUMN inspected_by     text,
            ADD COLUMN requested        jsonb NOT NULL DEFAULT '{}';

        ALTER TABLE tool_definitions ADD COLUMN review jsonb;

        -- Built-in servers are Ariane's own code: hosted with it, they may receive anything.
        UPDATE tool_servers SET hosting = 'on_prem', data_class = 'health', inspected_at = created_at,
                                inspected_by = 'ariane'
        WHERE transport = 'builtin';
        -- What the server declared about itself is no longer trusted: every registered tool is held for
        -- confirmation until a reviewer marks it read-only.
        UPDATE tool_definitions SET confirmation = true
        WHERE server IN (SELECT name FROM tool_servers WHERE transport <> 'builtin');
        UPDATE tool_servers SET inspected_at = created_at, inspected_by = registered_by
        WHERE transport = 'http';
        UPDATE tool_servers SET status = 'suspended', health = 'failing',
                                health_detail = 'Commande libre : à déclarer de nouveau (paquet et version).'
        WHERE transport = 'stdio';

        CREATE TABLE robot_changes (
            id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            robot_id              text NOT NULL,
            spec                  jsonb NOT NULL,
            digest                text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
            proposed_by           text NOT NULL,
            status                text NOT NULL DEFAULT 'pending'
                                  CHECK (status IN ('pending', 'active', 'rejected', 'superseded')),
            owner_approved_by     text,
            security_approved_by  text,
            rejected_by           text,
            reason                text,
            created_at            timestamptz NOT NULL DEFAULT now(),
            decided_at            timestamptz,
            CHECK (owner_approved_by IS NULL OR owner_approved_by <> proposed_by),
            CHECK (security_approved_by IS NULL OR security_approved_by <> proposed_by),
            CHECK (owner_approved_by IS NULL OR security_approved_by IS NULL
                   OR owner_approved_by <> security_approved_by)
        );
        -- What the approver of a launch is shown and what the job is bound to: the definition's digest.
        ALTER TABLE approvals ADD COLUMN robot_digest text;

        CREATE INDEX robot_changes_robot_idx ON robot_changes (robot_id, created_at DESC);
        CREATE UNIQUE INDEX robot_changes_one_pending ON robot_changes (robot_id) WHERE status = 'pending';
        """
    )


def downgrade() -> None:
    """Drop what upgrade added."""
    op.execute(
        """
        DROP TABLE robot_changes;
        ALTER TABLE approvals DROP COLUMN robot_digest;
        ALTER TABLE tool_definitions DROP COLUMN review;
        ALTER TABLE tool_servers DROP COLUMN package, DROP COLUMN package_version, DROP COLUMN network,
            DROP COLUMN hosting, DROP COLUMN data_class, DROP COLUMN inspected_at, DROP COLUMN inspected_by,
            DROP COLUMN requested;
        """
    )
