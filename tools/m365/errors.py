"""Failures of a Graph call, by what the caller can do about them."""

from __future__ import annotations

from enum import StrEnum


class Failure(StrEnum):
    """Why Microsoft 365 did not answer as hoped."""

    NOT_FOUND = "not_found"  # missing, or hidden from this user (Graph does not tell them apart)
    ACCESS_DENIED = "access_denied"
    UNAUTHENTICATED = "unauthenticated"  # no user token, or one the identity provider refused
    BAD_REQUEST = "bad_request"
    UNAVAILABLE = "unavailable"  # unreachable, timed out, or a server error


class M365Error(Exception):
    """A Graph or token request failed; `failure` says how, `code` is Graph's or OAuth's code."""

    def __init__(self, failure: Failure, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.failure = failure
        self.code = code


_BY_STATUS = {
    400: Failure.BAD_REQUEST,
    401: Failure.UNAUTHENTICATED,
    403: Failure.ACCESS_DENIED,
    404: Failure.NOT_FOUND,
}


def failure_for_status(status: int | None) -> Failure:
    """The failure a Graph HTTP status means (5xx and unknown ones: unavailable)."""
    return _BY_STATUS.get(status or 0, Failure.UNAVAILABLE)
