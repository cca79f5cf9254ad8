"""Knowledge: full text meets a question's words whatever their accents (« hopital », « hôpital »).

Each lexeme of a collection gets its accent-free form (a generated column, indexed with the
collection): a search maps the question's lexemes to the collection's by that form. Staff type
without accents on phones and keyboards, and the question's thesaurus words are written without
them; PostgreSQL's `french` configuration stems but keeps accents, so « hebergement » missed
« hébergement ». Additive: the previous release neither reads nor writes the column (generated).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None
additive = True

# The same pair as server/knowledge/repository.py (a migration never imports application code).
_ACCENTS = "àâäáãåéèêëíìîïóòôöõúùûüýÿçñ"
_PLAIN = "aaaaaaeeeeiiiiooooouuuuyycn"


def upgrade() -> None:
    op.execute(
        f"""
        ALTER TABLE knowledge_lexemes ADD COLUMN folded text
            GENERATED ALWAYS AS (translate(lexeme, '{_ACCENTS}', '{_PLAIN}')) STORED;
        CREATE INDEX knowledge_lexemes_folded_idx ON knowledge_lexemes (collection, folded);
        """
    )


def downgrade() -> None:
    op.execute("DROP INDEX knowledge_lexemes_folded_idx; ALTER TABLE knowledge_lexemes DROP COLUMN folded;")
