"""The one place where tweepy and requests exceptions become mentorbot errors.

    tweepy.TooManyRequests (429)      RateLimited(retry_at) | UsageCapped (problems/usage-capped)
    402 | problems/credits-depleted   CreditsExhausted
    tweepy.Unauthorized (401)         AuthError(hint: which credentials)
    tweepy.Forbidden (403)            DuplicatePost | ReplyNotAllowed | AuthError (oauth1-permissions,
                                      unsupported-authentication, client-forbidden) | Refused
    tweepy.BadRequest (400)           PostTooLong | InvalidRequest
    tweepy.NotFound (404)             NotFound
    TwitterServerError (5xx),         PlatformUnavailable
    requests Timeout/ConnectionError

Messages come from the response body only (``errors[].message``, else ``detail``, else
``title``), never from the request, so that a token can never reach a log line.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

import requests
import tweepy

from ..errors import (AuthError, CreditsExhausted, DuplicatePost, InvalidRequest, NotFound,
                      PlatformError, PlatformUnavailable, PostTooLong, RateLimited, Refused,
                      ReplyNotAllowed, UsageCapped)

__all__ = ["map_error", "USER_AUTH_HINT", "APP_AUTH_HINT", "WRITE_PERMISSION_HINT"]

USER_AUTH_HINT = ("check X_CONSUMER_KEY/X_CONSUMER_SECRET and "
                  "X_ACCESS_TOKEN/X_ACCESS_TOKEN_SECRET (user calls)")
APP_AUTH_HINT = "check X_BEARER_TOKEN (search)"
WRITE_PERMISSION_HINT = ("the access token lacks write permission: set the app to Read and "
                         "Write in the developer portal and regenerate X_ACCESS_TOKEN / "
                         "X_ACCESS_TOKEN_SECRET")
_NEEDS_USER_AUTH_HINT = ("this endpoint needs OAuth 1.0a user context, not the bearer token: "
                         "set X_CONSUMER_KEY/X_CONSUMER_SECRET and "
                         "X_ACCESS_TOKEN/X_ACCESS_TOKEN_SECRET")
_NEEDS_APP_AUTH_HINT = "this endpoint needs app-only authentication: set X_BEARER_TOKEN"
_CLIENT_FORBIDDEN_HINT = "attach the app to a Project in the developer portal"
_MAX_MESSAGE = 300  # bodies are X's; keep a hostile or huge one out of the logs


def map_error(exc: BaseException, *, user_auth: bool, endpoint: str = "",
              secrets: Iterable[str] = ()) -> PlatformError:
    """The mentorbot error for ``exc`` (raise it ``from exc``); ``status`` is kept on it.

    ``user_auth`` says whether the call used OAuth 1.0a user context (it picks the auth hint);
    ``secrets`` are scrubbed from the message should a body ever echo one.
    """
    where = f"{endpoint}: " if endpoint else ""
    if isinstance(exc, tweepy.HTTPException):
        error = _from_response(exc, user_auth=user_auth, where=where, secrets=tuple(secrets))
    elif isinstance(exc, requests.Timeout):
        error = PlatformUnavailable(f"{where}timed out waiting for X")
    elif isinstance(exc, requests.RequestException):
        # ConnectionError and friends; their text names the URL, so say it in our words.
        error = PlatformUnavailable(f"{where}no response from X ({type(exc).__name__})")
    else:
        error = PlatformError(f"{where}unexpected {type(exc).__name__}")
    return error


def _from_response(exc: tweepy.HTTPException, *, user_auth: bool, where: str,
                   secrets: tuple[str, ...]) -> PlatformError:
    response = exc.response
    status = getattr(response, "status_code", None)
    body = _json(response)
    kind = str(body.get("type", "")).rsplit("/", 1)[-1]
    message = where + _scrub(_message(body, response), secrets)
    lowered = message.lower()
    auth_hint = USER_AUTH_HINT if user_auth else APP_AUTH_HINT

    if kind == "credits-depleted" or status == 402:
        return CreditsExhausted(message, status=status)
    if kind == "usage-capped":
        return UsageCapped(message, status=status)
    if isinstance(exc, tweepy.TooManyRequests) or status == 429:
        return RateLimited(message, retry_at=_retry_at(exc, response), status=status)
    if kind == "oauth1-permissions":
        return AuthError(message, hint=WRITE_PERMISSION_HINT, status=status)
    if kind == "unsupported-authentication":
        hint = _NEEDS_APP_AUTH_HINT if user_auth else _NEEDS_USER_AUTH_HINT
        return AuthError(message, hint=hint, status=status)
    if kind == "client-forbidden":
        return AuthError(message, hint=_CLIENT_FORBIDDEN_HINT, status=status)
    if isinstance(exc, tweepy.Unauthorized) or status == 401:
        return AuthError(message, hint=auth_hint, status=status)
    if isinstance(exc, tweepy.Forbidden) or status == 403:
        if "duplicate content" in lowered:
            return DuplicatePost(message, status=status)
        if "reply to this conversation is not allowed" in lowered:
            return ReplyNotAllowed(message, status=status)
        return Refused(message, status=status)
    if isinstance(exc, tweepy.BadRequest) or status == 400:
        if "tweet text is too long" in lowered:
            return PostTooLong(message, status=status)
        return InvalidRequest(message, status=status)
    if isinstance(exc, tweepy.NotFound) or status == 404:
        return NotFound(message, status=status)
    if isinstance(exc, tweepy.TwitterServerError) or (status or 0) >= 500 or status == 408:
        return PlatformUnavailable(message, status=status)
    if status is not None and 400 <= status < 500:
        return InvalidRequest(message, status=status)
    return PlatformError(message, status=status)


def _json(response: Any) -> Mapping[str, Any]:
    try:
        body = response.json()
    except (ValueError, AttributeError):
        return {}
    return body if isinstance(body, Mapping) else {}


def _message(body: Mapping[str, Any], response: Any) -> str:
    errors = body.get("errors")
    texts = [error["message"] for error in errors if isinstance(error, Mapping)
             and isinstance(error.get("message"), str)] if isinstance(errors, list) else []
    for candidate in ("; ".join(texts), body.get("detail"), body.get("title")):
        if isinstance(candidate, str) and candidate:
            return candidate[:_MAX_MESSAGE]
    status = getattr(response, "status_code", "?")
    return f"HTTP {status} {getattr(response, 'reason', '') or ''}".strip()


def _retry_at(exc: tweepy.HTTPException, response: Any) -> float | None:
    """When to try again: the 15-minute window's reset, or the 24-hour user limit's if spent."""
    headers = getattr(response, "headers", {}) or {}
    candidates = []
    reset = getattr(exc, "reset_time", None) or _int(headers.get("x-rate-limit-reset"))
    if reset is not None:
        candidates.append(reset)
    if _int(headers.get("x-user-limit-24hour-remaining")) == 0:
        daily = _int(headers.get("x-user-limit-24hour-reset"))
        if daily is not None:
            candidates.append(daily)
    return float(max(candidates)) if candidates else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _scrub(message: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "***")
    return message
