"""One span per graph node (`node {name}`), from LangGraph's callbacks, current while the node runs.

The handler runs inline (in the node's own task), so that the node's span can be made current there:
the tool and model calls the node makes are then its children in the run's trace.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import StatusCode

_tracer = trace.get_tracer("ariane.agents")


class NodeSpans(AsyncCallbackHandler):
    """Opens a span when a node starts and ends it when the node returns or fails."""

    run_inline = True

    def __init__(self) -> None:
        # Nodes are children of the span current when the graph starts, whatever context a node's
        # task was copied from.
        self._parent = otel_context.get_current()
        self._open: dict[UUID, trace.Span] = {}

    async def on_chain_start(
        self,
        serialized: dict[str, Any] | None,
        inputs: dict[str, Any] | Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """A node starts: open its span."""
        node = (metadata or {}).get("langgraph_node")
        if not node or kwargs.get("name") != node:
            return
        span = _tracer.start_span(
            f"node {node}",
            context=self._parent,
            attributes={
                "ariane.graph.node": str(node),
                "ariane.graph.step": int((metadata or {}).get("langgraph_step", 0)),
            },
        )
        # Current for the rest of the node's task; never detached, since LangGraph may end a node in
        # another context than the one it started in (the next node sets its own span anyway).
        otel_context.attach(trace.set_span_in_context(span))
        self._open[run_id] = span

    async def on_chain_end(self, outputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        """The node returned."""
        self._close(run_id, None)

    async def on_chain_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """The node failed."""
        self._close(run_id, error)

    def _close(self, run_id: UUID, error: BaseException | None) -> None:
        span = self._open.pop(run_id, None)
        if span is None:
            return
        if error is not None:
            span.set_status(StatusCode.ERROR, type(error).__name__)
        span.end()
