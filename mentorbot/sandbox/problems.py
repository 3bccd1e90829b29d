"""The error bodies X sends (RFC 7807 "Problem" objects), and the exception that carries them.

Bodies are copied from X's real responses (see shared/x-api/README.md); handlers raise
:class:`ApiError` and the request pipeline turns it into a response.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "INVALID_REQUEST",
    "NOT_FOUND_TYPE",
    "invalid_request",
    "too_long",
    "unauthorized",
    "unsupported_authentication",
    "oauth1_permissions",
    "forbidden",
    "reply_gate",
    "duplicate",
    "too_many_requests",
    "usage_capped",
    "credits_depleted",
    "server_error",
    "not_found",
    "resource_not_found",
    "not_authorized_for_resource",
]

INVALID_REQUEST = "https://api.twitter.com/2/problems/invalid-request"
NOT_FOUND_TYPE = "https://api.twitter.com/2/problems/resource-not-found"
_INVALID_DETAIL = "One or more parameters to your request was invalid."


class ApiError(Exception):
    """An HTTP error response: ``status`` and a JSON ``body``; ``reason`` names it in the write log."""

    def __init__(self, status: int, body: dict[str, Any], *, reason: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(f"{status} {body.get('title', '')}")
        self.status = status
        self.body = body
        self.reason = reason
        self.headers = dict(headers or {})


def invalid_request(parameter: str, values: list[str], message: str, *,
                    reason: str = "invalid") -> ApiError:
    body = {"errors": [{"parameters": {parameter: values}, "message": message}],
            "title": "Invalid Request", "detail": _INVALID_DETAIL, "type": INVALID_REQUEST}
    return ApiError(400, body, reason=reason)


def too_long(text: str) -> ApiError:
    return invalid_request(
        "text", [text],
        "Your Tweet text is too long. For more information on how Twitter determines text length "
        "see https://github.com/twitter/twitter-text.",
        reason="too_long")


def unauthorized() -> ApiError:
    return ApiError(401, {"title": "Unauthorized", "type": "about:blank", "status": 401,
                          "detail": "Unauthorized"}, reason="unauthorized")


def unsupported_authentication() -> ApiError:
    return ApiError(403, {
        "title": "Unsupported Authentication",
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
                  "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
        "type": "https://api.twitter.com/2/problems/unsupported-authentication",
        "status": 403}, reason="unsupported_authentication")


def oauth1_permissions() -> ApiError:
    return ApiError(403, {
        "title": "Forbidden",
        "detail": "Your client app is not configured with the appropriate oauth1 app permissions "
                  "for this endpoint.",
        "type": "https://api.twitter.com/2/problems/oauth1-permissions",
        "status": 403}, reason="permissions")


def forbidden(detail: str, *, reason: str) -> ApiError:
    return ApiError(403, {"detail": detail, "type": "about:blank", "title": "Forbidden",
                          "status": 403}, reason=reason)


def reply_gate() -> ApiError:
    return ApiError(403, {
        "title": "Forbidden", "status": 403,
        "detail": "Reply to this conversation is not allowed because you have not been mentioned or "
                  "otherwise engaged by the author of the post you are replying to.",
        "type": "about:blank"}, reason="reply_gate")


def duplicate() -> ApiError:
    return ApiError(403, {"detail": "You are not allowed to create a Tweet with duplicate content.",
                          "type": "about:blank", "title": "Forbidden", "status": 403},
                    reason="duplicate")


def too_many_requests(headers: dict[str, str] | None = None, *,
                      reason: str = "rate_limited") -> ApiError:
    return ApiError(429, {"title": "Too Many Requests", "detail": "Too Many Requests",
                          "type": "about:blank", "status": 429}, reason=reason, headers=headers)


def usage_capped() -> ApiError:
    return ApiError(429, {"title": "UsageCapExceeded", "period": "Monthly", "scope": "Product",
                          "detail": "Usage cap exceeded: Monthly product cap",
                          "type": "https://api.twitter.com/2/problems/usage-capped"},
                    reason="usage_capped")


def credits_depleted() -> ApiError:
    return ApiError(402, {
        "title": "CreditsDepleted",
        "detail": "Your enrolled account does not have any credits to fulfill this request.",
        "type": "https://api.twitter.com/2/problems/credits-depleted",
        "status": 402}, reason="credits")


def server_error(status: int, *, reason: str | None = None) -> ApiError:
    title = "Service Unavailable" if status == 503 else "Internal Server Error"
    return ApiError(status, {"title": title, "detail": title, "type": "about:blank",
                             "status": status}, reason=reason)


def not_found(detail: str = "The requested resource could not be found.") -> ApiError:
    """A plain 404 (unknown route)."""
    return ApiError(404, {"title": "Not Found Error", "detail": detail, "type": "about:blank",
                          "status": 404}, reason="not_found")


def resource_not_found(resource_type: str, parameter: str, value: str) -> dict[str, Any]:
    """One entry of a 200 response's ``errors`` (or a 404 body): the resource does not exist."""
    what = "tweet" if resource_type == "tweet" else "user"
    key = "username" if parameter in ("username", "usernames") else "id"
    return {"value": value, "detail": f"Could not find {what} with {key}: [{value}].",
            "title": "Not Found Error", "resource_type": resource_type, "parameter": parameter,
            "resource_id": value, "type": NOT_FOUND_TYPE}


def not_authorized_for_resource(resource_type: str, parameter: str, value: str) -> dict[str, Any]:
    """One ``errors`` entry for a protected account's post seen by someone else."""
    what = "Tweet" if resource_type == "tweet" else "user"
    return {"value": value, "detail": f"Sorry, you are not authorized to see the {what} with id: [{value}].",
            "title": "Authorization Error", "resource_type": resource_type, "parameter": parameter,
            "resource_id": value,
            "type": "https://api.twitter.com/2/problems/not-authorized-for-resource"}
