"""Automations: mail triggers and schedules that launch a robot on behalf of their owner, and their firings.

`automations` holds what to watch (a mailbox and its filter, or a cron expression on a wall clock),
the robot to launch, its owner (the requester of every launch) and its state: `pending` until one of
the robot's approvers approves the automation itself, then `active` or `paused`. The mail cursor
(Graph's delta link) and the last slot run are kept here, so that every replica continues from them.

`automation_firings` records each thing that fired an automation, once: the key is the message id
or the slot's wall-clock time, unique per automation (a second delivery, another replica, a retried
round add nothing). A firing points to the approval it asked for, hence to the job.

Revision ID: 0029
Revises: 0030
Create Date: 2026-12-05
"""

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None
additive = True  # only adds tables: the code of 0028 runs on it unchanged


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE automations (
            id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
            kind         text NOT NULL CHECK (kind IN ('mail', 'schedule')),
            status       text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'active', 'paused', 'rejected')),
            owner_id     uuid NOT NULL REFERENCES users (id),
            created_by   uuid NOT NULL REFERENCES users (id),
            robot_id     text NOT NULL REFERENCES robots (id),
            inputs       jsonb NOT NULL DEFAULT '{}',
            mailbox      text,
            filter       jsonb NOT NULL DEFAULT '{}',
            cron         text,
            catch_up     boolean NOT NULL DEFAULT true,
            notify       text[] NOT NULL DEFAULT '{}',
            approved_by  uuid REFERENCES users (id),
            decided_at   timestamptz,
            delta_link   text,
            last_slot    timestamptz,
            created_at   timestamptz NOT NULL DEFAULT now(),
            updated_at   timestamptz NOT NULL DEFAULT now(),
            CHECK ((kind = 'mail') = (mailbox IS NOT NULL)),
            CHECK ((kind = 'schedule') = (cron IS NOT NULL)),
            CHECK (approved_by IS NULL OR approved_by NOT IN (owner_id, created_by))
        );
        CREATE INDEX automations_status_idx ON automations (kind, status);

        CREATE TABLE automation_firings (
            id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            automation_id  uuid NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
            key            text NOT NULL,
            origin         text NOT NULL CHECK (origin IN ('mail', 'schedule', 'manual')),
            status         text NOT NULL DEFAULT 'queued'
                           CHECK (status IN ('queued', 'awaiting_approval', 'running', 'succeeded',
                                             'failed', 'rejected', 'ignored')),
            detail         text NOT NULL DEFAULT '',
            message        jsonb,
            inputs         jsonb,
            approval_id    uuid REFERENCES approvals (id),
            reply_sent_at  timestamptz,
            created_at     timestamptz NOT NULL DEFAULT now(),
            finished_at    timestamptz,
            UNIQUE (automation_id, key)
        );
        CREATE INDEX automation_firings_open_idx ON automation_firings (status)
            WHERE finished_at IS NULL;
        CREATE INDEX automation_firings_history_idx ON automation_firings (automation_id, created_at DESC);
        -- A firing's approval is found again by its checkpoint key (`automation:<firing id>`).
        CREATE INDEX approvals_checkpoint_idx ON approvals (checkpoint_key);
        """
    )


def downgrade() -> None:
    op.execute("DROP INDEX approvals_checkpoint_idx; DROP TABLE automation_firings; DROP TABLE automations;")
