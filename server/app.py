"""The FastAPI application: lifespan (pool, HTTP client, token verifier) and routers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
import httpx2
from fastapi import FastAPI
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

from agents.runner import AgentEndpoints, AgentRunner
from agents.toolbox import HttpToolConnector
from agents.turn import TurnRunner
from server import __version__
from server.admin.routes import router as admin_router
from server.assistants.catalog import known_tools
from server.assistants.knowledge_guard import AssistantKnowledgeGuard
from server.assistants.policy import catalogue_source
from server.assistants.routes import router as assistants_router
from server.assistants.service import AssistantService
from server.attachments.routes import router as attachments_router
from server.attachments.service import AttachmentService
from server.attachments.service import reading_limits as attachment_reading
from server.audit.launch_recording import LaunchAuditor
from server.audit.routes import router as audit_router
from server.audit.runtime import TelemetryOptions, audit_runtime
from server.auth.issuer import configured_issuer
from server.auth.mcp_gate import McpGate
from server.auth.oidc import TokenVerifier
from server.auth.routes import router as auth_router
from server.auth.service import Authenticator
from server.automations.routes import router as automations_router
from server.automations.runner import register_automations
from server.automations.runtime import build_automations
from server.background import CHANNELS, worker_registry, working
from server.batches.recording import BatchAuditor
from server.batches.routes import router as batches_router
from server.batches.runtime import batches_running, gateway_catalogue
from server.chat.hub import RunHub
from server.chat.routes import router as chat_router
from server.chat.service import ChatService
from server.confirmations.routes import router as confirmations_router
from server.context import AppContext
from server.contract import install_contract
from server.conversations.routes import router as conversations_router
from server.docs import install_docs
from server.documents.routes import router as documents_router
from server.edge.headers import security_headers
from server.edge.middleware import EdgeLimits, EdgeMiddleware
from server.errors import install_error_handlers
from server.gateway.app import GatewayOptions, create_v1_app, follow_caches, gateway_runtime
from server.governance.alerting import shared_graph
from server.governance.routes import router as governance_router
from server.governance.runtime import build_governance, gateway_policy, seed_sample_report
from server.governance.shadow.routes import SHADOW_UPLOAD_PATH
from server.governance.shadow.routes import router as shadow_router
from server.health.routes import router as health_router
from server.intake.routes import router as intake_router
from server.intake.runtime import build_intake, dpi_open, register_intake
from server.knowledge.routes import router as knowledge_router
from server.knowledge.service import knowledge_service
from server.meetings.routes import router as meetings_router
from server.notifications.routes import router as notifications_router
from server.registry.builtins import seed_builtins
from server.registry.routes import router as registry_router
from server.registry.runtime import RegisteredToolConnector, RegistryRuntime
from server.registry.setup import registry_runtime
from server.robots.jobs import JobWatch
from server.robots.routes import router as robots_router
from server.robots.runtime import (
    build_job_executor,
    build_robots_service,
    seed_robot_catalogue,
)
from server.robots.work import register_sweep
from server.settings import Settings
from server.telemetry import APP_TELEMETRY
from server.web import web_router
from server.work import Cache, CacheNotices, Notifications, Presence, WorkRegistry
from tools.database import Pool, open_pool
from tools.mcp_common.caller import CallerSource
from tools.mcp_common.embedded import embedded_tool_host
from tools.robots.access import RobotsApi, RobotsBackend
from tools.robots.server import build_server as build_robots_server


def agent_runner(
    app: FastAPI, settings: Settings, pool: Pool, in_process: bool, registry: RegistryRuntime | None = None
) -> AgentRunner:
    """The agents, reaching this server's gateway and tool servers over HTTP as the caller.

    With a `registry`, each run gets the tools it grants, and reaches registered servers too.
    """
    base_url = settings.internal_url
    # One transport (connection pool) for every run's gateway calls, and one for its tool calls.
    model_transport = httpx.ASGITransport(app=app) if in_process else httpx.AsyncHTTPTransport()
    tool_transport = httpx2.ASGITransport(app=app) if in_process else None
    # A tool may read a SharePoint document in its bounded reader for up to the reading's wall time:
    # the run waits for that reader's own verdict (`document_too_complex`) rather than timing out first.
    own_tools = HttpToolConnector(
        base_url, transport=tool_transport, timeout=max(30.0, settings.reading.timeout_seconds + 15.0)
    )
    endpoints = AgentEndpoints(
        base_url=base_url,
        tools=RegisteredToolConnector(own_tools, registry) if registry else own_tools,
        model_transport=model_transport,
        tool_guards=registry,
    )
    return AgentRunner(endpoints, checkpointer=AsyncPostgresSaver(conn=pool))


class _Late:
    """An ASGI app resolved at call time (the app a transport targets is built after the transport)."""

    def __init__(self, resolve: Callable[[], Any]) -> None:
        self._resolve = resolve

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self._resolve()(scope, receive, send)


def create_app(
    settings: Settings,
    *,
    identity_transport: httpx.AsyncBaseTransport | None = None,
    turn_runner: TurnRunner | None = None,
    gateway: GatewayOptions | None = None,
    agents_in_process: bool = False,
    seed_knowledge: bool = False,
    telemetry: TelemetryOptions | None = None,
    background: bool = True,
    seed: bool = True,
) -> FastAPI:
    """Build the app. The database must already be migrated (`ariane up` and `ariane db migrate` do it).

    `identity_transport` lets tests reach an in-process identity provider instead of the network;
    `turn_runner` replaces the agents (tests drive the chat API with a scripted one);
    `gateway` injects the gateway's upstream transport, tracer provider or embedder;
    `agents_in_process` makes the agents reach `/v1` and `/mcp` through the app itself, not the network;
    `seed_knowledge` indexes the built-in assistants' documents when absent (`ariane up`);
    `telemetry` adds span processors (tests) or turns the audit trail off (benchmarks only);
    `background` runs the worker's work in this process too (`ariane up`, tests); off, this process
    only sweeps approvals and reports decisions (`ariane serve`, beside `ariane worker` processes);
    `seed` adds the robot catalogue's new robots at start (off for `ariane serve`: `ariane db migrate`
    does it once per rollout).
    """
    v1 = create_v1_app()
    # The knowledge and robots tools call this app's `/api`: through the app itself when agents run in
    # process. The robots server reads the robots domain there, as it does run alone (no shared pool).
    api_transport = httpx.ASGITransport(app=_Late(lambda: app)) if agents_in_process else None
    robots_api = RobotsApi(settings.internal_url, transport=api_transport)
    robots_server = build_robots_server(
        RobotsBackend(robots_api, settings.robots_approval_ttl_minutes), CallerSource()
    )
    tools = embedded_tool_host(
        settings.tenant_url,
        transport=identity_transport,
        api_url=settings.internal_url,
        api_transport=api_transport,
        extra={"robots": robots_server},
        reading=settings.reading,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.database_url is None:
            raise RuntimeError("create_app needs settings.database_url (ariane up resolves the embedded one)")
        url = settings.database_url.get_secret_value()
        pool = await open_pool(url, max_size=settings.db_pool_max)
        notifications = Notifications(url, CHANNELS)
        app.state.caches = CacheNotices(notifications)
        await notifications.start()
        async with httpx.AsyncClient(transport=identity_transport) as http:
            issuer = configured_issuer(settings)
            verifier = TokenVerifier(issuer, settings.oidc_audience, http)
            presence = Presence.of_this_process("up" if background else "serve")
            hub = RunHub(pool, presence.id, notifications, settings.work_lease_seconds)
            # `serve` starts no program: its stdio servers run in the tool runner (`ariane runner`).
            app.state.registry = registry_runtime(settings, pool, tools.servers, local_stdio=background)
            await seed_builtins(app.state.registry.registry)  # built-in servers: active, pinned as they are
            agents = agent_runner(app, settings, pool, agents_in_process, app.state.registry)
            runner = turn_runner or agents
            registry = app.state.registry.registry

            async def assistant_tools() -> Mapping[str, str]:  # built-in servers and approved ones
                return known_tools(await registry.active_servers())

            assistants = AssistantService(
                pool,
                catalogue_source(lambda: getattr(app.state, "gateway", None)),
                assistant_tools,
                settings.gateway_policy_refresh_seconds,
            )
            app.state.caches.on(Cache.ASSISTANT, assistants.forget)
            authenticator = Authenticator(verifier, pool, settings.role_groups)
            watch = JobWatch(notifications)
            robots = build_robots_service(settings, pool, hub, agents, watch)
            app.state.governance = build_governance(settings, pool, tools.graph, gateway_policy(app.state))
            intake = build_intake(settings.intake, pool, settings.tenant_url, identity_transport)
            app.state.intake = intake[0]
            automation_runner, app.state.automations = build_automations(settings, pool, tools.graph)
            if background:
                executor = build_job_executor(settings, pool, watch)
                work = worker_registry(
                    settings, pool, executor, registry, app.state.governance.drift, shared_graph(tools.graph)
                )
                register_intake(work, intake[0], settings.intake)
                register_automations(work, automation_runner, settings.automations)
            else:
                work = WorkRegistry()
            register_sweep(work, robots, settings.robots_sweep_seconds)
            knowledge = knowledge_service(
                settings,
                pool,
                agents.endpoints.tools,
                lambda: app.state.gateway,
                AssistantKnowledgeGuard(assistants),
            )
            attachments = AttachmentService(
                pool,
                knowledge.embedder,
                settings.attachment_max_bytes,
                settings.intake,
                reading=attachment_reading(settings.reading),
            )
            app.state.context = AppContext(
                settings=settings,
                pool=pool,
                http=http,
                auth=authenticator,
                issuer=issuer,
                chat=ChatService(
                    pool, hub, runner, settings.fixed_now, assistants, robots.record_approval, attachments
                ),
                agents=agents,
                tools=agents.endpoints.tools,
                knowledge=knowledge,
                attachments=attachments,
                assistants=assistants,
                robots=robots,
                local_documents=tools.graph.settings.target == "local",
            )
            try:
                auth = app.state.context.auth

                async def policy_version() -> int | None:
                    loaded = await app.state.gateway.store.current()
                    return int(loaded.version)

                async with (
                    audit_runtime(
                        settings,
                        pool,
                        tool_servers=tools.servers,
                        policy_version=policy_version,
                        model_transport=agents.endpoints.model_transport,
                        options=telemetry,
                    ) as audit,  # first in, last out: it stores the spans of everything below
                    gateway_runtime(v1, settings, pool, auth.authenticate, gateway) as app.state.gateway,
                    tools.running(),  # the MCP servers' session managers
                    working(settings, pool, work, presence, notifications) as worker,
                    dpi_open(intake[1]),
                    batches_running(
                        settings,
                        pool,
                        authenticate=auth.authenticate,
                        catalogue=lambda: gateway_catalogue(app),
                        auditor=BatchAuditor(audit.auditor) if audit.auditor else None,
                        model_transport=agents.endpoints.model_transport,
                        work=work if background else None,  # `ariane worker` runs them beside `serve`
                        names=lambda: app.state.gateway.names,
                    ) as (app.state.batches, app.state.batch_runs),
                ):
                    if worker is not None:  # batch runs were registered after it started: look now
                        worker.wake()
                    app.state.batch_graph = tools.graph
                    follow_caches(app.state.caches, app.state.gateway)
                    app.state.caches.on(Cache.REGISTRY, app.state.registry.changed)
                    app.state.caches.on(Cache.SHAREPOINT, app.state.context.knowledge.sharepoint.forget)
                    agents.auditor = audit.auditor
                    if audit.auditor is not None:  # resumed runs of robot exchanges, in the trail too
                        launches = LaunchAuditor(audit.auditor)
                        robots.reporter.auditor = automation_runner.auditor = launches
                    app.state.audit = audit.service
                    if seed:
                        await seed_robot_catalogue(settings, pool)
                    if seed_knowledge:
                        from server.knowledge.seed import seed_builtin_knowledge

                        await seed_builtin_knowledge(app.state.context.knowledge)
                        if settings.embedded_identity:
                            await seed_sample_report(app.state.governance, settings.data_dir)
                    try:
                        yield
                    finally:
                        await app.state.context.knowledge.embedder.settled()  # metering on its way
            finally:
                await hub.close()
                await notifications.close()
                await agents.aclose()
                await robots_api.aclose()
                await pool.close()

    app = FastAPI(
        title="Ariane",
        version=__version__,
        description="Plateforme d'assistants IA institutionnelle — API",
        lifespan=lifespan,
        docs_url=None,  # see `server/docs.py`: local assets only, off unless ARIANE_API_DOCS
        redoc_url=None,
        telemetry=APP_TELEMETRY,  # type: ignore[arg-type]
    )
    install_error_handlers(app)
    install_contract(app)
    app.add_middleware(
        EdgeMiddleware,
        limits=EdgeLimits(
            max_body_bytes=settings.max_body_bytes,
            # The larger of the two uploads' limits, and the form around the file.
            max_upload_bytes=max(settings.knowledge_max_upload_bytes, settings.attachment_max_bytes)
            + 256 * 1024,
            max_header_bytes=settings.max_header_bytes,
            max_headers=settings.max_headers,
            max_json_depth=settings.max_json_depth,
            streamed_paths=frozenset({SHADOW_UPLOAD_PATH}),
        ),
        headers=security_headers(configured_issuer(settings)),
    )
    # The LLM gateway, with its own (OpenAI) error envelope. First: every model call (each batch row,
    # each agent step) is matched against the routes in order, and /v1 is then found at once.
    app.mount("/v1", v1)
    if settings.api_docs:
        install_docs(app)
    app.include_router(health_router)
    app.include_router(auth_router)
    app.include_router(chat_router)
    app.include_router(assistants_router)
    app.include_router(meetings_router)
    app.include_router(admin_router)
    app.include_router(knowledge_router)
    app.include_router(robots_router)
    app.include_router(automations_router)
    app.include_router(audit_router)
    app.include_router(registry_router)
    app.include_router(confirmations_router)
    app.include_router(conversations_router)
    app.include_router(attachments_router)
    app.include_router(notifications_router)
    app.include_router(intake_router)
    app.include_router(batches_router)
    app.include_router(shadow_router)
    app.include_router(governance_router)
    app.include_router(documents_router)
    # Built-in MCP servers over streamable HTTP (/mcp/calendar, …), behind the configured issuer's check.
    app.mount("/mcp", McpGate(tools.asgi_app(), lambda: app.state.context.auth.authenticate))
    app.include_router(web_router(settings.web_dist))  # last: it catches every other GET
    return app
