"""Pure parsing of X API v2 JSON bodies into mentorbot's value types.

No I/O here: the X adapter hands in decoded bodies and headers. One malformed item never
costs a page: it is skipped with a warning naming its id. A body that is not a JSON object at
all is a broken response, reported as :class:`PlatformUnavailable`.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any, Mapping

from loguru import logger

from ..domain.model import CreatedPost, Page, Post, RateLimit, User
from ..errors import PlatformUnavailable

__all__ = [
    "MalformedItem",
    "decode_body",
    "parse_user",
    "parse_post",
    "parse_page",
    "parse_users",
    "parse_created",
    "parse_flag",
    "parse_rate_limit",
    "read_ids",
]

_ID = re.compile(r"[0-9]{1,19}")
_NOT_FOUND = "https://api.twitter.com/2/problems/resource-not-found"
# Errors about what was looked up (not about an expansion such as referenced_tweets.id).
_LOOKUP_PARAMETERS = {"id", "ids", "username", "usernames", None}
_REFERENCE_FIELDS = {"replied_to": "replied_to_id", "quoted": "quoted_id", "retweeted": "retweeted_id"}


class MalformedItem(ValueError):
    """One post or user object lacks a required field or has a field of the wrong type."""


def decode_body(content: bytes | str | None) -> dict[str, Any]:
    """The JSON object of a response body; anything else is a broken response."""
    try:
        body = json.loads(content or b"")
    except ValueError:
        raise PlatformUnavailable("malformed response: the body is not JSON") from None
    return _require_object(body)


def parse_user(obj: Mapping[str, Any]) -> User:
    """A ``User`` from one X user object; raises :class:`MalformedItem`."""
    if not isinstance(obj, Mapping):
        raise MalformedItem(f"a user is a {type(obj).__name__}, not an object")
    return User(
        id=_id(obj, "id", required=True),
        username=_str(obj, "username", required=True),
        name=_str(obj, "name") or "",
        description=_str(obj, "description") or "",
        protected=_bool(obj, "protected"),
        created_at=_datetime(obj, "created_at"),
    )


def parse_post(obj: Mapping[str, Any]) -> Post:
    """A ``Post`` from one X tweet object; raises :class:`MalformedItem`."""
    if not isinstance(obj, Mapping):
        raise MalformedItem(f"a post is a {type(obj).__name__}, not an object")
    references = _references(obj)
    entities = obj.get("entities") or {}
    if not isinstance(entities, Mapping):
        raise MalformedItem("entities is not an object")
    return Post(
        id=_id(obj, "id", required=True),
        text=_str(obj, "text", required=True),
        author_id=_id(obj, "author_id"),
        created_at=_datetime(obj, "created_at"),
        conversation_id=_id(obj, "conversation_id"),
        in_reply_to_user_id=_id(obj, "in_reply_to_user_id"),
        mentions=_entity_values(entities, "mentions", "username"),
        hashtags=_entity_values(entities, "hashtags", "tag"),
        lang=_str(obj, "lang"),
        **references,
    )


def parse_page(body: Any) -> Page:
    """A ``Page`` from a timeline, search or lookup body (``data`` a list or one object)."""
    body = _require_object(body)
    data = body.get("data")
    items = data if isinstance(data, list) else ([data] if isinstance(data, Mapping) else [])
    includes = body.get("includes") if isinstance(body.get("includes"), Mapping) else {}
    meta = body.get("meta") if isinstance(body.get("meta"), Mapping) else {}
    users = {user.id: user for user in _parse_all(includes.get("users"), parse_user, "user")}
    return Page(
        posts=tuple(_parse_all(items, parse_post, "post")),
        users=users,
        newest_id=_meta_id(meta, "newest_id"),
        oldest_id=_meta_id(meta, "oldest_id"),
        next_token=meta.get("next_token") if isinstance(meta.get("next_token"), str) else None,
        missing=_missing(body),
    )


def parse_users(body: Any) -> tuple[list[User], tuple[str, ...]]:
    """Users of a ``/2/users`` or ``/2/users/me`` body, and the ids or names not found."""
    body = _require_object(body)
    data = body.get("data")
    items = data if isinstance(data, list) else ([data] if isinstance(data, Mapping) else [])
    return _parse_all(items, parse_user, "user"), _missing(body)


def parse_created(body: Any) -> CreatedPost:
    """The ``{"data": {"id", "text"}}`` answer to ``POST /2/tweets``."""
    data = _require_object(body).get("data")
    try:
        if not isinstance(data, Mapping):
            raise MalformedItem("no data object")
        return CreatedPost(id=_id(data, "id", required=True), text=_str(data, "text", required=True))
    except MalformedItem as exc:
        raise PlatformUnavailable(f"malformed response to POST /2/tweets: {exc}") from None


def parse_flag(body: Any, key: str) -> bool:
    """``data.<key>`` of a write answer (``deleted``, ``retweeted``); must be a boolean."""
    data = _require_object(body).get("data")
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, bool):
        raise PlatformUnavailable(f"malformed response: data.{key} is not a boolean")
    return value


def parse_rate_limit(endpoint: str, headers: Mapping[str, str]) -> RateLimit | None:
    """The ``x-rate-limit-*`` headers of a response, or None when they are absent or garbled."""
    try:
        return RateLimit(endpoint=endpoint,
                         limit=int(headers["x-rate-limit-limit"]),
                         remaining=int(headers["x-rate-limit-remaining"]),
                         reset_at=float(int(headers["x-rate-limit-reset"])))
    except (KeyError, TypeError, ValueError):
        return None


def read_ids(body: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Ids of the posts and users a read carried (``data`` and ``includes``), for metering.

    ``data`` counts as posts when its items have ``text``, as users when they have
    ``username``. Garbage is ignored: metering must never fail a call.
    """
    if not isinstance(body, Mapping):
        return (), ()
    posts: dict[str, None] = {}
    users: dict[str, None] = {}
    data = body.get("data")
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            if "text" in item:
                posts[item["id"]] = None
            elif "username" in item:
                users[item["id"]] = None
    includes = body.get("includes") if isinstance(body.get("includes"), Mapping) else {}
    for key, seen in (("tweets", posts), ("users", users)):
        items = includes.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                seen[item["id"]] = None
    return tuple(posts), tuple(users)


def _require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise PlatformUnavailable(
            f"malformed response: the body is a JSON {type(body).__name__}, not an object")
    return body


def _parse_all(items: Any, parse, kind: str) -> list:
    parsed = []
    for item in items if isinstance(items, list) else []:
        try:
            parsed.append(parse(item))
        except MalformedItem as exc:
            item_id = item.get("id") if isinstance(item, Mapping) else None
            logger.warning("skipping malformed {} {}: {}", kind,
                           item_id if isinstance(item_id, str | int) else "without id", exc)
    return parsed


def _missing(body: Mapping[str, Any]) -> tuple[str, ...]:
    errors = body.get("errors")
    missing = []
    for error in errors if isinstance(errors, list) else []:
        if (isinstance(error, Mapping) and error.get("type") == _NOT_FOUND
                and error.get("parameter") in _LOOKUP_PARAMETERS):
            value = error.get("resource_id", error.get("value"))
            if isinstance(value, str) and value not in missing:
                missing.append(value)
    return tuple(missing)


def _references(obj: Mapping[str, Any]) -> dict[str, str]:
    refs = obj.get("referenced_tweets") or []
    if not isinstance(refs, list):
        raise MalformedItem("referenced_tweets is not a list")
    found: dict[str, str] = {}
    for ref in refs:
        if not isinstance(ref, Mapping):
            raise MalformedItem("a referenced tweet is not an object")
        field_name = _REFERENCE_FIELDS.get(ref.get("type"))
        if field_name:  # unknown reference types are ignored, not fatal
            found[field_name] = _id(ref, "id", required=True)
    return found


def _entity_values(entities: Mapping[str, Any], kind: str, key: str) -> tuple[str, ...]:
    items = entities.get(kind) or []
    if not isinstance(items, list):
        raise MalformedItem(f"entities.{kind} is not a list")
    values: dict[str, None] = {}
    for item in items:
        value = item.get(key) if isinstance(item, Mapping) else None
        if not isinstance(value, str) or not value:
            raise MalformedItem(f"an entities.{kind} item has no {key}")
        values[value.lower()] = None
    return tuple(values)


def _id(obj: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise MalformedItem(f"{key} is {'missing' if value is None else 'not a digit string'}")
    return value


def _str(obj: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value and key != "text"):
        raise MalformedItem(f"{key} is {'missing' if value is None else 'not a string'}")
    return value


def _bool(obj: Mapping[str, Any], key: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise MalformedItem(f"{key} is not a boolean")
    return value


def _datetime(obj: Mapping[str, Any], key: str) -> datetime | None:
    value = obj.get(key)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)  # X sends "2022-10-07T22:43:18.000Z"
    except (TypeError, ValueError):
        raise MalformedItem(f"{key} is not an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _meta_id(meta: Mapping[str, Any], key: str) -> str | None:
    value = meta.get(key)
    return value if isinstance(value, str) and _ID.fullmatch(value) else None
