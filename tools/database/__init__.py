"""PostgreSQL access shared by the server and the tool servers: embedded server and async pool."""

from tools.database.embedded import DatabaseUnavailableError, EmbeddedPostgres, sqlalchemy_url
from tools.database.ids import is_uuid
from tools.database.pool import Pool, open_pool

__all__ = ["DatabaseUnavailableError", "EmbeddedPostgres", "Pool", "is_uuid", "open_pool", "sqlalchemy_url"]
