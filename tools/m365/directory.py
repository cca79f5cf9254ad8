"""The organisation's directory through msgraph-sdk: who each account is, their service and job category.

msgraph-sdk (the `m365` extra) is imported when the directory is read, not with this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tools.m365.client import GraphAccess

_SELECT = [
    "id", "displayName", "mail", "userPrincipalName", "department", "jobTitle", "employeeType",
    "onPremisesSamAccountName",
]  # fmt: skip
_PAGE = 999
_MAX_PAGES = 200  # 200 000 people: bounded so that a paging bug cannot loop forever


@dataclass(frozen=True)
class DirectoryPerson:
    """What the directory says of a person (job category: Entra's `employeeType`)."""

    display_name: str
    mail: str
    principal_name: str
    account_name: str
    department: str
    job_category: str


async def list_people(graph: GraphAccess, user_token: str) -> list[DirectoryPerson]:
    """Everyone in the directory, read as the user (any member may read basic profiles).

    Raises:
        M365Error: Graph refused or could not be reached.
    """
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder

    client = graph.client_for(user_token)
    query = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(select=_SELECT, top=_PAGE)
    page = await graph.call(client.users.get(RequestConfiguration(query_parameters=query)))
    users = list(page.value or []) if page else []
    for _ in range(_MAX_PAGES):
        if not page or not page.odata_next_link:
            break
        page = await graph.call(client.users.with_url(page.odata_next_link).get())
        users.extend(page.value or [] if page else [])
    return [
        DirectoryPerson(
            display_name=user.display_name or "",
            mail=(user.mail or "").lower(),
            principal_name=(user.user_principal_name or "").lower(),
            account_name=(user.on_premises_sam_account_name or "").lower(),
            department=user.department or "",
            job_category=user.employee_type or "",
        )
        for user in users
    ]
