"""The catalogue editor: add, change or remove one AI service, each save a new catalogue version."""

from __future__ import annotations

from server.auth.schemas import User
from server.errors import NotFoundError
from server.governance.shadow.catalogue import CatalogueError, dump, with_service, without_service
from server.governance.shadow.schemas import CatalogueOut, ServiceIn
from server.governance.shadow.service import InvalidCatalogueError, ShadowService
from server.messages import MESSAGES


async def save_service(shadow: ShadowService, user: User, service_id: str, body: ServiceIn) -> CatalogueOut:
    """Add the service `service_id`, or replace it, as a new version of the catalogue.

    Raises:
        InvalidCatalogueError: the service, or the catalogue with it, does not validate (400).
    """
    _, catalogue, _ = await shadow.catalogue()
    fields = body.model_dump(exclude={"comment"})
    fields["domains"] = [domain.strip().lower() for domain in body.domains if domain.strip()]
    fields["country"] = body.country.strip()
    try:
        edited = with_service(catalogue, service_id, fields)
    except CatalogueError as exc:
        raise InvalidCatalogueError(exc.errors) from exc
    known = catalogue.service(service_id) is not None
    comment = body.comment.strip() or f"{'Service modifié' if known else 'Service ajouté'} : {service_id}"
    return await shadow.save_catalogue(user, dump(edited), comment)


async def remove_service(shadow: ShadowService, user: User, service_id: str) -> CatalogueOut:
    """Remove the service `service_id` as a new version of the catalogue.

    Raises:
        NotFoundError: `service_not_found`.
        InvalidCatalogueError: it is the last service (400).
    """
    _, catalogue, _ = await shadow.catalogue()
    try:
        edited = without_service(catalogue, service_id)
    except CatalogueError as exc:
        raise InvalidCatalogueError(exc.errors) from exc
    if edited is None:
        detail = MESSAGES("governance.service_not_found", service=service_id)
        raise NotFoundError(detail, code="service_not_found")
    return await shadow.save_catalogue(user, dump(edited), f"Service retiré : {service_id}")
