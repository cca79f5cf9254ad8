"""Knowledge: documents, chunks with embeddings (HNSW) and French full-text index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        -- A collection is an assistant id; it exists as soon as it holds a document (no foreign key:
        -- assistants live in another revision, and a collection may be filled before it is bound).
        CREATE TABLE knowledge_documents (
            id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            collection   text NOT NULL,
            title        text NOT NULL,
            filename     text NOT NULL,
            media_type   text NOT NULL,
            source       text NOT NULL CHECK (source IN ('upload', 'sharepoint', 'seed')),
            source_item  text,
            url          text,
            content      bytea NOT NULL,
            sha256       text NOT NULL,
            size_bytes   integer NOT NULL,
            pages        integer NOT NULL DEFAULT 0,
            sections     integer NOT NULL DEFAULT 0,
            chunks       integer NOT NULL DEFAULT 0,
            characters   integer NOT NULL DEFAULT 0,
            created_by   text NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            indexed_at   timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX knowledge_documents_collection_idx ON knowledge_documents (collection, created_at);

        CREATE TABLE knowledge_chunks (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            document_id uuid NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
            collection  text NOT NULL,
            ordinal     integer NOT NULL,
            locator     text NOT NULL,
            page        integer,
            heading     text,
            text        text NOT NULL,
            embedding   vector(384) NOT NULL,
            tsv         tsvector GENERATED ALWAYS AS (to_tsvector('french', text)) STORED,
            UNIQUE (document_id, ordinal)
        );
        CREATE INDEX knowledge_chunks_collection_idx ON knowledge_chunks (collection);
        CREATE INDEX knowledge_chunks_embedding_idx ON knowledge_chunks
            USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
        CREATE INDEX knowledge_chunks_tsv_idx ON knowledge_chunks USING gin (tsv);

        -- How many chunks of a collection hold each lexeme (kept with the chunks, in their
        -- transaction): searches leave out words too common to discriminate (« temps », « travail »
        -- in a working-time collection), which would otherwise make full text rank most chunks.
        CREATE TABLE knowledge_lexemes (
            collection text NOT NULL,
            lexeme     text NOT NULL,
            chunks     integer NOT NULL CHECK (chunks >= 0),
            PRIMARY KEY (collection, lexeme)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE knowledge_lexemes; DROP TABLE knowledge_chunks; DROP TABLE knowledge_documents;")
