"""JSON shapes of Graph resources (camelCase, `@odata.type` where Graph sends it)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from tools.tenant.directory import Directory, User
from tools.tenant.graph.store import Document, EventRecord, OnlineMeetingRecord, SiteRecord, TranscriptRef

_MIME_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}
Json = dict[str, Any]


def utc_text(moment: datetime) -> str:
    """A DateTimeOffset as Graph writes it (`2025-06-19T07:00:00Z`); naive values are UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user_json(user: User) -> Json:
    """A user with Graph's default properties (and the department, which the tools show)."""
    return {
        "businessPhones": [],
        "displayName": user.display_name,
        "givenName": user.given_name,
        "jobTitle": user.job_title,
        "mail": user.mail,
        "mobilePhone": None,
        "officeLocation": user.office_location or None,
        "preferredLanguage": user.preferred_language,
        "surname": user.surname,
        "userPrincipalName": user.mail,
        "id": user.id,
        "department": user.department,
        "employeeType": user.job_category,
        "onPremisesSamAccountName": user.account_name,
    }


def _email_address(directory: Directory, mail: str) -> Json:
    user = directory.user_by_mail(mail)
    return {"name": user.display_name if user else mail, "address": mail}


def _date_time_zone(local: datetime, zone: tzinfo, out_zone: tzinfo, zone_name: str) -> Json:
    moment = local.replace(tzinfo=zone).astimezone(out_zone)
    return {"dateTime": moment.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": zone_name}


def event_json(
    event: EventRecord, directory: Directory, zone: tzinfo, out_zone: tzinfo, zone_name: str
) -> Json:
    """An event; times are given in `out_zone` (UTC unless the caller asked otherwise)."""
    meeting = event.online_meeting
    return {
        "@odata.etag": f'W/"{event.id}"',
        "id": event.id,
        "subject": event.subject,
        "bodyPreview": event.body_preview,
        "body": {"contentType": "text", "content": event.body_preview},
        "start": _date_time_zone(event.start, zone, out_zone, zone_name),
        "end": _date_time_zone(event.end, zone, out_zone, zone_name),
        "isAllDay": False,
        "isCancelled": False,
        "showAs": "busy",
        "type": "singleInstance",
        "location": {"displayName": event.location, "locationType": "default"},
        "organizer": {"emailAddress": _email_address(directory, event.organizer)},
        "attendees": [
            {
                "type": "required",
                "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
                "emailAddress": _email_address(directory, mail),
            }
            for mail in event.attendees
        ],
        "isOnlineMeeting": meeting is not None,
        "onlineMeetingProvider": "teamsForBusiness" if meeting else "unknown",
        "onlineMeeting": {"joinUrl": meeting.join_web_url} if meeting else None,
    }


def _identity(directory: Directory, mail: str) -> Json:
    user = directory.user_by_mail(mail)
    return {
        "user": {
            "id": user.id if user else None,
            "displayName": user.display_name if user else mail,
            "tenantId": directory.tenant.id,
            "userIdentityType": "aadUser",
        }
    }


def online_meeting_json(
    event: EventRecord, meeting: OnlineMeetingRecord, directory: Directory, zone: tzinfo
) -> Json:
    """An online meeting, with the event's times in UTC and its participants."""
    return {
        "id": meeting.id,
        "subject": event.subject,
        "startDateTime": utc_text(event.start.replace(tzinfo=zone)),
        "endDateTime": utc_text(event.end.replace(tzinfo=zone)),
        "joinWebUrl": meeting.join_web_url,
        "participants": {
            "organizer": {
                "upn": event.organizer,
                "role": "presenter",
                "identity": _identity(directory, event.organizer),
            },
            "attendees": [
                {"upn": mail, "role": "attendee", "identity": _identity(directory, mail)}
                for mail in event.attendees
            ],
        },
    }


def transcript_json(
    ref: TranscriptRef, event: EventRecord, meeting_id: str, directory: Directory, base: str
) -> Json:
    """A call transcript's metadata; its content is a separate request."""
    return {
        "id": ref.id,
        "meetingId": meeting_id,
        "createdDateTime": utc_text(ref.created),
        "transcriptContentUrl": f"{base}/me/onlineMeetings/{meeting_id}/transcripts/{ref.id}/content",
        "meetingOrganizer": {"application": None, "device": None, **_identity(directory, event.organizer)},
    }


def site_json(site: SiteRecord) -> Json:
    """A SharePoint site."""
    return {
        "id": site.id,
        "name": site.name,
        "displayName": site.display_name,
        "description": site.description,
        "webUrl": site.web_url,
        "siteCollection": {"hostname": site.web_url.split("/")[2] if "//" in site.web_url else ""},
    }


def drive_json(site: SiteRecord) -> Json:
    """The site's default document library."""
    return {
        "id": site.drive_id,
        "driveType": "documentLibrary",
        "name": "Documents",
        "webUrl": f"{site.web_url}/Shared%20Documents",
    }


def _people(directory: Directory, mail: str) -> Json:
    user = directory.user_by_mail(mail)
    return {"user": {"email": mail, "displayName": user.display_name if user else mail}}


def drive_item_json(document: Document, directory: Directory) -> Json:
    """A file of a library, typed as Graph types search resources."""
    site, item = document.site, document.item
    return {
        "@odata.type": "#microsoft.graph.driveItem",
        "id": item.id,
        "name": item.name,
        "size": len(document.content),
        # A version tag of the file as Graph gives one (it changes with the content): here its id,
        # modification time and size.
        "eTag": f'"{{{item.id}}},{int(item.modified.timestamp())}-{len(document.content)}"',
        "cTag": f'"c:{{{item.id}}},{int(item.modified.timestamp())}-{len(document.content)}"',
        "webUrl": f"{site.web_url}/Shared%20Documents/{quote(item.name)}",
        "createdDateTime": utc_text(item.created),
        "lastModifiedDateTime": utc_text(item.modified),
        "createdBy": _people(directory, item.author),
        "lastModifiedBy": _people(directory, item.author),
        "parentReference": {
            "driveType": "documentLibrary",
            "driveId": site.drive_id,
            "id": "root",
            "siteId": site.id,
            "path": f"/drives/{site.drive_id}/root:",
        },
        "file": {"mimeType": _MIME_TYPES.get(PurePath(item.name).suffix.lower(), "application/octet-stream")},
    }


def list_item_json(document: Document, directory: Directory) -> Json:
    """The same file seen as an item of the library's list."""
    site, item = document.site, document.item
    return {
        "@odata.type": "#microsoft.graph.listItem",
        "id": item.id,
        "webUrl": f"{site.web_url}/Shared%20Documents/{quote(item.name)}",
        "createdDateTime": utc_text(item.created),
        "lastModifiedDateTime": utc_text(item.modified),
        "createdBy": _people(directory, item.author),
        "lastModifiedBy": _people(directory, item.author),
        "parentReference": {"siteId": site.id, "id": site.drive_id},
        "sharepointIds": {"listItemId": item.id, "siteId": site.id, "siteUrl": site.web_url},
    }
