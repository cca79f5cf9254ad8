"""The tenant's telemetry: none.

The tenant stands in for Microsoft 365, which writes nothing into Ariane's trail. Run in the same
process as Ariane (`ariane up`, tests, benchmarks), its FastAPI apps would otherwise trace each Graph
request into the calling run's trace (the context is shared in process): half of a chat turn's spans
and of its tracing cost, for Graph internals an auditor never reads (the tool servers' spans say what
was called).
"""

from typing import Any

UNTRACED: Any = {"tracing": False, "operation_spans": False}
