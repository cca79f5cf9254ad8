"""Tool registry: registered MCP servers, their tool definitions, pins and permissions, and events.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE tool_servers (
            name             text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_-]{1,39}$'),
            transport        text NOT NULL CHECK (transport IN ('builtin', 'http', 'stdio')),
            url              text,
            command          text,
            args             text[] NOT NULL DEFAULT '{}',
            env_keys         text[] NOT NULL DEFAULT '{}',
            auth             jsonb NOT NULL DEFAULT '{"kind": "none"}',
            secrets          bytea,
            status           text NOT NULL CHECK (status IN ('pending_review', 'active', 'suspended')),
            protocol_version text,
            server_info      jsonb NOT NULL DEFAULT '{}',
            health           text NOT NULL DEFAULT 'unknown' CHECK (health IN ('unknown', 'ok', 'failing')),
            health_detail    text NOT NULL DEFAULT '',
            checked_at       timestamptz,
            registered_by    text NOT NULL,
            approved_by      text,
            approved_at      timestamptz,
            created_at       timestamptz NOT NULL DEFAULT now(),
            updated_at       timestamptz NOT NULL DEFAULT now()
        );

        -- One row per tool of a server: the definition it presents now, the one approved (pinned by
        -- its SHA-256 digest), the findings of the checks, who may use it and its runtime limits.
        CREATE TABLE tool_definitions (
            server              text NOT NULL REFERENCES tool_servers (name) ON DELETE CASCADE,
            name                text NOT NULL,
            definition          jsonb NOT NULL,
            digest              text NOT NULL,
            approved_definition jsonb,
            approved_digest     text,
            status              text NOT NULL
                                CHECK (status IN ('pending_review', 'active', 'suspended', 'flagged')),
            status_reason       text NOT NULL DEFAULT '',
            findings            jsonb NOT NULL DEFAULT '[]',
            roles               text[] NOT NULL DEFAULT '{}',
            services            text[] NOT NULL DEFAULT '{}',
            assistants          text[] NOT NULL DEFAULT '{}',
            confirmation        boolean NOT NULL,
            timeout_seconds     real NOT NULL CHECK (timeout_seconds > 0),
            rate_per_minute     integer NOT NULL CHECK (rate_per_minute > 0),
            max_result_bytes    integer NOT NULL CHECK (max_result_bytes > 0),
            updated_at          timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (server, name)
        );

        CREATE TABLE tool_registry_events (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            server     text NOT NULL,
            tool       text,
            kind       text NOT NULL,
            actor      text NOT NULL,
            detail     jsonb NOT NULL DEFAULT '{}',
            at         timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX tool_registry_events_server_idx ON tool_registry_events (server, at DESC);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE tool_registry_events; DROP TABLE tool_definitions; DROP TABLE tool_servers;")
