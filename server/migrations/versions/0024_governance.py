"""Governance: sheets of the AI systems, their history, evaluation runs and alerts, shadow-AI reports.

What Ariane knows of each system (assistants, models, tools, robots…) is read live from its own
tables; these tables hold what people complete (owner, purpose, risk, validation, status), the
history of every change, the scores of scheduled evaluations, and the proxy-log reports. A shadow-AI
report keeps counts per day, AI service and person: the person's identity sits in a table of its own
that only the security role's routes read.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04
"""

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None
additive = True  # only adds tables and a nullable column


def upgrade() -> None:
    """Create the governance and shadow-AI tables."""
    op.execute(
        """
        CREATE TABLE governance_sheets (
            system_id      text PRIMARY KEY CHECK (length(system_id) BETWEEN 3 AND 200),
            owner          text NOT NULL DEFAULT '',
            purpose        text NOT NULL DEFAULT '',
            audience       text NOT NULL DEFAULT '',
            risk_answers   jsonb NOT NULL DEFAULT '{}',
            validated_by   text NOT NULL DEFAULT '',
            validated_on   date,
            ethics_review  text NOT NULL DEFAULT '',
            status         text NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'in_service', 'suspended', 'retired')),
            notes          text NOT NULL DEFAULT '',
            score_floors   jsonb NOT NULL DEFAULT '{}',
            updated_by     text NOT NULL DEFAULT '',
            updated_at     timestamptz NOT NULL DEFAULT now()
        );

        -- Every change to a sheet, and what happened to the system (evaluations, alerts): append-only.
        CREATE TABLE governance_events (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            system_id  text NOT NULL,
            at         timestamptz NOT NULL DEFAULT now(),
            actor      text NOT NULL DEFAULT '',
            kind       text NOT NULL,
            detail     jsonb NOT NULL DEFAULT '{}'
        );
        CREATE INDEX governance_events_system_idx ON governance_events (system_id, at DESC);

        CREATE TABLE governance_eval_runs (
            id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            suite        text NOT NULL,
            assistant_id text NOT NULL,
            split        text NOT NULL DEFAULT '',
            reason       text NOT NULL,
            change       jsonb NOT NULL DEFAULT '{}',
            status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
            cases        integer NOT NULL DEFAULT 0,
            scores       jsonb NOT NULL DEFAULT '{}',
            error        text,
            started_at   timestamptz NOT NULL DEFAULT now(),
            finished_at  timestamptz
        );
        CREATE INDEX governance_eval_runs_assistant_idx
            ON governance_eval_runs (assistant_id, suite, started_at);

        -- One open alert per system, suite and score: a score that stays low does not alert again.
        CREATE TABLE governance_alerts (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            system_id   text NOT NULL,
            suite       text NOT NULL,
            scorer      text NOT NULL,
            kind        text NOT NULL CHECK (kind IN ('below_floor', 'drop')),
            value       double precision NOT NULL,
            previous    double precision,
            floor       double precision NOT NULL,
            run_id      uuid REFERENCES governance_eval_runs (id),
            recipients  text[] NOT NULL DEFAULT '{}',
            mailed      boolean NOT NULL DEFAULT false,
            opened_at   timestamptz NOT NULL DEFAULT now(),
            closed_at   timestamptz
        );
        CREATE UNIQUE INDEX governance_alerts_open_idx ON governance_alerts (system_id, suite, scorer)
            WHERE closed_at IS NULL;

        ALTER TABLE knowledge_documents ADD COLUMN review_by date;

        CREATE TABLE shadow_catalogue_versions (
            version    integer PRIMARY KEY CHECK (version >= 1),
            document   text NOT NULL,
            author     text NOT NULL,
            comment    text NOT NULL DEFAULT '',
            created_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE shadow_reports (
            id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
            source_format     text NOT NULL CHECK (source_format IN ('squid', 'csv')),
            uploaded_by       text NOT NULL,
            sample            boolean NOT NULL DEFAULT false,
            catalogue_version integer NOT NULL DEFAULT 0,
            lines             bigint NOT NULL DEFAULT 0,
            ai_lines          bigint NOT NULL DEFAULT 0,
            malformed         bigint NOT NULL DEFAULT 0,
            malformed_examples jsonb NOT NULL DEFAULT '[]',
            first_at          timestamptz,
            last_at           timestamptz,
            created_at        timestamptz NOT NULL DEFAULT now()
        );

        -- Who is behind a pseudonym: read only by the security role's routes.
        CREATE TABLE shadow_people (
            report_id    uuid NOT NULL REFERENCES shadow_reports (id) ON DELETE CASCADE,
            person       integer NOT NULL,
            login        text NOT NULL,
            display_name text NOT NULL DEFAULT '',
            service      text NOT NULL DEFAULT '',
            job_category text NOT NULL DEFAULT '',
            PRIMARY KEY (report_id, person)
        );

        CREATE TABLE shadow_counts (
            report_id  uuid NOT NULL REFERENCES shadow_reports (id) ON DELETE CASCADE,
            day        date NOT NULL,
            ai_service text NOT NULL,
            person     integer NOT NULL,
            requests   integer NOT NULL,
            bytes      bigint NOT NULL,
            PRIMARY KEY (report_id, day, ai_service, person)
        );
        """
    )


def downgrade() -> None:
    """Drop what upgrade made."""
    op.execute(
        """
        DROP TABLE shadow_counts;
        DROP TABLE shadow_people;
        DROP TABLE shadow_reports;
        DROP TABLE shadow_catalogue_versions;
        ALTER TABLE knowledge_documents DROP COLUMN review_by;
        DROP TABLE governance_alerts;
        DROP TABLE governance_eval_runs;
        DROP TABLE governance_events;
        DROP TABLE governance_sheets;
        """
    )
