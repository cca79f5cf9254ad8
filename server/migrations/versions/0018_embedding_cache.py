"""Embeddings computed once per content: a cache of the local model's vectors by text digest.

Every replica and the embedder deployment share it, so a transcript's cues or a document's chunks are
embedded once, not at every turn. It is a cache: UNLOGGED (no WAL, lost in a crash, never restored from a
backup) and its rows expire (the gateway deletes rows older than `ARIANE_GATEWAY_EMBEDDING_CACHE_DAYS`).
`model` names the weights and their version, so that other weights never meet these vectors.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE UNLOGGED TABLE embedding_cache (
            model text NOT NULL,
            digest bytea NOT NULL,
            vector bytea NOT NULL,
            tokens integer NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (model, digest)
        )
        """
    )
    op.execute("CREATE INDEX embedding_cache_created_at ON embedding_cache (created_at)")


def downgrade() -> None:
    op.execute("DROP TABLE embedding_cache")
