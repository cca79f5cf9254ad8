"""`/subscriptions`: change notifications on messages, as Graph offers them for Outlook.

`POST` creates one on `users/{id | address}/mailFolders('{folder}')/messages` (or `…/messages` for
every folder, `me/…` delegated) for `changeType` `created`, once its `notificationUrl` passed the
validation handshake (else 400 `ValidationError`, nothing kept); the caller must be able to read the
mailbox (`Mail.Read`, as for reading it). `expirationDateTime` is at most 10 080 minutes ahead, as
Graph bounds it for messages; `PATCH` renews it, `DELETE` ends the subscription. A subscription is
its creator's: another caller gets 404, as for a subscription that does not exist or has expired.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.tenant.graph.errors import GraphError, bad_request
from tools.tenant.graph.mail import _box
from tools.tenant.graph.mail_access import MailCaller, MailCallerDep
from tools.tenant.graph.mail_shapes import folder_name
from tools.tenant.graph.shapes import Json, utc_text
from tools.tenant.graph.state import GraphState, State
from tools.tenant.graph.subscription_store import Subscription

router = APIRouter()
MAX_MINUTES = 10_080  # Graph's bound for Outlook messages
_RESOURCE = re.compile(
    r"^/?(?:(?P<me>me)|users/(?P<user>[^/()']+)|users\('(?P<quoted>[^/()']+)'\))"
    r"(?:/mailFolders(?:\('(?P<folder>[^/()']+)'\)|/(?P<segment>[^/()']+)))?/messages/?$",
    re.IGNORECASE,
)


class _Created(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    change_type: str = Field(alias="changeType", max_length=100)
    notification_url: str = Field(alias="notificationUrl", max_length=2048)
    resource: str = Field(max_length=1000)
    expiration: datetime = Field(alias="expirationDateTime")
    client_state: str | None = Field(None, alias="clientState", max_length=128)


class _Renewed(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    expiration: datetime = Field(alias="expirationDateTime")


async def _body(model: type[BaseModel], request: Request) -> Any:
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in error["loc"]) for error in exc.errors())
        raise bad_request(f"Invalid subscription: {fields}.") from None


def _owner(caller: MailCaller) -> str:
    if caller.app is not None:
        return caller.app
    assert caller.user is not None
    return caller.user.id


def _expiration(value: datetime) -> datetime:
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    now = datetime.now(UTC)
    if moment <= now:
        raise bad_request("Subscription expiration must be in the future.")
    if moment > now + timedelta(minutes=MAX_MINUTES):
        raise GraphError(
            400, "ExtensionError", f"Subscription expiration can only be {MAX_MINUTES} minutes in the future."
        )
    return moment.astimezone(UTC)


def _target(state: GraphState, caller: MailCaller, resource: str) -> tuple[str, str | None]:
    match = _RESOURCE.match(resource.strip())
    if match is None:
        raise bad_request(f"Resource '{resource}' is not supported for change notifications.")
    box = _box(state, caller, None if match["me"] else match["user"] or match["quoted"])
    key = match["folder"] or match["segment"]
    if key is None:
        return box.id, None
    folder = folder_name(box, key)
    if folder is None:
        raise GraphError(404, "ErrorItemNotFound", "The specified folder could not be found in the store.")
    return box.id, folder


def _json(state: GraphState, subscription: Subscription) -> Json:
    return {
        "@odata.context": f"{state.base_url}/$metadata#subscriptions/$entity",
        "id": subscription.id,
        "resource": subscription.resource,
        "applicationId": subscription.application_id,
        "changeType": subscription.change_type,
        "clientState": subscription.client_state,
        "notificationUrl": subscription.notification_url,
        "lifecycleNotificationUrl": None,
        "expirationDateTime": utc_text(subscription.expiration),
        "creatorId": subscription.creator_id,
        "includeResourceData": False,
        "latestSupportedTlsVersion": "v1_2",
        "encryptionCertificate": None,
        "encryptionCertificateId": None,
        "notificationQueryOptions": None,
        "notificationUrlAppId": None,
    }


def _mine(state: GraphState, caller: MailCaller, subscription_id: str) -> Subscription:
    found = state.subscriptions.get(subscription_id, _owner(caller))
    if found is None:
        raise GraphError(404, "ResourceNotFound", f"The object '{subscription_id}' doesn't exist.")
    return found


@router.post("/subscriptions")
async def create_subscription(request: Request, state: State, caller: MailCallerDep) -> Response:
    """Create a subscription once its notification URL answered the validation handshake (201)."""
    body: _Created = await _body(_Created, request)
    if {part.strip().lower() for part in body.change_type.split(",")} != {"created"}:
        raise bad_request("The local tenant notifies changeType 'created' on messages only.")
    url = urlsplit(body.notification_url)
    if url.scheme not in {"http", "https"} or not url.hostname:
        raise bad_request("The notificationUrl must be an absolute http(s) URL.")
    expiration = _expiration(body.expiration)
    mailbox_id, folder = _target(state, caller, body.resource)
    if not await state.subscriptions.notifier.validate(body.notification_url):
        raise GraphError(
            400, "ValidationError", "Subscription validation request failed. Notification endpoint must "
            "respond with 200 OK to validation request.",
        )  # fmt: skip
    owner = _owner(caller)
    subscription = Subscription(
        id=state.subscriptions.new_id(), resource=body.resource, change_type="created",
        notification_url=body.notification_url, client_state=body.client_state, expiration=expiration,
        owner=owner, application_id=caller.app or "", creator_id=owner, mailbox_id=mailbox_id,
        folder=folder,
    )  # fmt: skip
    state.subscriptions.add(subscription)
    return JSONResponse(_json(state, subscription), status_code=201)


@router.get("/subscriptions")
async def list_subscriptions(state: State, caller: MailCallerDep) -> Json:
    """The caller's active subscriptions."""
    values = [_json(state, s) for s in state.subscriptions.owned_by(_owner(caller))]
    for value in values:
        value.pop("@odata.context")
    return {"@odata.context": f"{state.base_url}/$metadata#subscriptions", "value": values}


@router.get("/subscriptions/{subscription_id}")
async def get_subscription(subscription_id: str, state: State, caller: MailCallerDep) -> Json:
    """One of the caller's subscriptions."""
    return _json(state, _mine(state, caller, subscription_id))


@router.patch("/subscriptions/{subscription_id}")
async def renew_subscription(
    subscription_id: str, request: Request, state: State, caller: MailCallerDep
) -> Json:
    """Renew: a new `expirationDateTime` (bounded as at creation)."""
    found = _mine(state, caller, subscription_id)
    body: _Renewed = await _body(_Renewed, request)
    return _json(state, state.subscriptions.renew(found, _expiration(body.expiration)))


@router.delete("/subscriptions/{subscription_id}")
async def delete_subscription(subscription_id: str, state: State, caller: MailCallerDep) -> Response:
    """End a subscription (204)."""
    state.subscriptions.remove(_mine(state, caller, subscription_id).id)
    return Response(status_code=204)
