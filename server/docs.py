"""The interactive API documentation (Swagger UI), off unless `ARIANE_API_DOCS` is set.

Its assets come from the `swagger-ui-bundle` package, served by Ariane itself: no page of Ariane
loads anything from a public CDN (FastAPI's default page does), and the page runs under the same
content security policy as the rest (no inline script: the initialiser is a file of its own).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Ariane — API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>"""
_INIT = 'window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"});\n'


def install_docs(app: FastAPI) -> None:
    """Serve `/docs` from the local assets."""
    import swagger_ui_bundle  # type: ignore[import-untyped]

    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(_PAGE)

    @app.get("/docs/init.js", include_in_schema=False)
    async def init() -> Response:
        return Response(_INIT, media_type="text/javascript")
