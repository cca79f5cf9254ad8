"""The Graph v1.0 subset as an ASGI app, mounted by the tenant at `/v1.0`."""

from __future__ import annotations

from fastapi import FastAPI

from tools.tenant.directory import Directory
from tools.tenant.graph import calendar, files, meetings, search_routes, users
from tools.tenant.graph import mail as mail_routes
from tools.tenant.graph import subscriptions as subscription_routes
from tools.tenant.graph.errors import install_graph_error_handlers
from tools.tenant.graph.search import SearchIndex
from tools.tenant.graph.state import GraphState
from tools.tenant.graph.store import Content
from tools.tenant.graph.subscription_store import Subscriptions
from tools.tenant.identity.issuer import TokenIssuer
from tools.tenant.mail import MailStore, load_mail
from tools.tenant.telemetry import UNTRACED


def create_graph_app(
    directory: Directory, content: Content, tokens: TokenIssuer, base_url: str, mail: MailStore | None = None,
    subscriptions: Subscriptions | None = None,
) -> FastAPI:  # fmt: skip
    """Graph's routes over the tenant's data; `base_url` is where clients reach `/v1.0`.

    `mail`: the tenant's mailboxes (default: the seeded mail only, nothing kept across restarts);
    `subscriptions`: its change notifications (default: none kept across restarts).
    """
    mail = mail if mail is not None else load_mail(directory)
    subscriptions = subscriptions or Subscriptions(directory.tenant.id)
    mail.listeners.append(subscriptions.message_created)
    app = FastAPI(
        title="Microsoft Graph v1.0 (tenant local)",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        telemetry=UNTRACED,
    )
    app.state.graph = GraphState(
        directory=directory, content=content, index=SearchIndex(content), tokens=tokens, base_url=base_url,
        mail=mail, subscriptions=subscriptions,
    )  # fmt: skip
    install_graph_error_handlers(app)
    for module in (users, calendar, meetings, files, search_routes, mail_routes, subscription_routes):
        app.include_router(module.router)
    return app
