"""The built web app, served at `/` with a fallback to `index.html` for client-side routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.contract import allowed_methods
from server.errors import NotFoundError
from server.messages import MESSAGES

# Paths owned by the server: an unknown path under them is a JSON 404, never the web app.
_SERVER_PREFIXES = ("api/", "v1/", "mcp/", "auth/config", "healthz", "readyz", "openapi.json", "docs")

_NOT_BUILT = """<!doctype html><html lang="fr"><meta charset="utf-8"><title>Ariane</title>
<body style="font-family:system-ui;margin:48px"><h1>Ariane</h1>
<p>L'interface web n'est pas construite. Lancez <code>make run</code> (ou <code>npm run build</code>
dans <code>web/</code>).</p></body></html>"""


def web_router(dist: Path) -> APIRouter:
    """Serve files of `dist`; any other GET outside the server's prefixes gets `index.html`."""
    router = APIRouter(include_in_schema=False)
    root = dist.resolve()

    @router.get("/{path:path}")
    async def web_app(path: str, request: Request) -> Response:
        if path.startswith(_SERVER_PREFIXES):
            methods = allowed_methods(request)
            if methods:  # a server path that has other methods than GET: 405, not the web app
                raise StarletteHTTPException(405, headers={"Allow": ", ".join(methods)})
            raise NotFoundError(MESSAGES("error.not_found_path"))
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(_NOT_BUILT, status_code=503)
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            # Hashed assets never change; index.html must be revalidated to pick up new builds.
            cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return router
