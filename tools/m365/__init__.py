"""Microsoft 365 access for the tools: msgraph-sdk clients acting on behalf of the calling user.

`GraphAccess` (msgraph-sdk, the `m365` extra) is imported on first use, so that the errors and
settings stay importable in images without msgraph-sdk (the embedder gateway).
"""

from typing import TYPE_CHECKING, Any

from tools.m365.errors import Failure, M365Error
from tools.m365.settings import M365Settings
from tools.m365.timing import GraphClock

if TYPE_CHECKING:
    from tools.m365.client import GraphAccess

__all__ = ["Failure", "GraphAccess", "GraphClock", "M365Error", "M365Settings"]


def __getattr__(name: str) -> Any:
    if name == "GraphAccess":
        from tools.m365.client import GraphAccess

        return GraphAccess
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
