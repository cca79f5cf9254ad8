"""Automations that post a message in the owner's conversation or send a mail, without a robot.

An automation's `action` says what a firing does: `robot` (a robot request with its approval, as
before), `chat` (a message in a conversation of the owner's, the automation's own: `thread_id`) or
`mail` (a mail to the automation's `notify` addresses). `message` is the text of the last two, with
placeholders filled from what fired it. `robot_id` becomes optional: only a robot action has one.

`model`: the model a robot's automation asks, through the gateway: a mail trigger's reads the robot's
inputs in the message (the rules read them otherwise, and still do for what the model does not
give), a schedule's interprets the robot's report for its readers (the report's own ranking
otherwise). Each firing keeps what the model answered (`automation_firings.extraction`,
`.interpretation`), for the approver, the readers and the audit's replay.

Expand only: the code of 0031 reads automations joined to their robot, so it never sees the new
ones (no robot), and every existing row is a robot action by the column's default.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06
"""

from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None
additive = True  # adds defaulted columns and relaxes a NOT NULL: the code of 0031 runs on it unchanged


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE automations
            ADD COLUMN action text NOT NULL DEFAULT 'robot' CHECK (action IN ('robot', 'chat', 'mail')),
            ADD COLUMN message text CHECK (message IS NULL OR length(message) BETWEEN 1 AND 4000),
            ADD COLUMN thread_id uuid REFERENCES threads (id) ON DELETE SET NULL,
            ADD COLUMN model text CHECK (length(model) BETWEEN 1 AND 200),
            ALTER COLUMN robot_id DROP NOT NULL,
            ADD CONSTRAINT automations_action_target CHECK (
                (action = 'robot') = (robot_id IS NOT NULL)
                AND (action = 'robot' OR message IS NOT NULL));
        ALTER TABLE automation_firings ADD COLUMN extraction jsonb, ADD COLUMN interpretation jsonb;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DELETE FROM automations WHERE action <> 'robot';
        ALTER TABLE automation_firings DROP COLUMN extraction, DROP COLUMN interpretation;
        ALTER TABLE automations DROP CONSTRAINT automations_action_target,
            DROP COLUMN model, DROP COLUMN thread_id, DROP COLUMN message, DROP COLUMN action,
            ALTER COLUMN robot_id SET NOT NULL;
        """
    )
