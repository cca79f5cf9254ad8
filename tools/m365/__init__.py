"""Microsoft 365 access for the tools: msgraph-sdk clients acting on behalf of the calling user."""

from tools.m365.client import GraphAccess
from tools.m365.errors import Failure, M365Error
from tools.m365.settings import M365Settings
from tools.m365.timing import GraphClock

__all__ = ["Failure", "GraphAccess", "GraphClock", "M365Error", "M365Settings"]
