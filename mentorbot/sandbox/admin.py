"""The sandbox's admin API: JSON over HTTP under ``/sandbox/``, no auth, loopback clients only.

It drives the same state as the Python API (:class:`mentorbot.sandbox.Sandbox`). Admin requests
are never rate-limited, metered or faulted, and are not counted in ``/sandbox/requests``.

| request | body / query | answer |
|---|---|---|
| ``POST /sandbox/users`` | ``{username, name, description, protected, read_only, created_at}`` | 201 account: user fields + ``access_token``, ``access_token_secret`` |
| ``GET /sandbox/users`` | | ``{"users": [user...]}`` (no tokens) |
| ``GET /sandbox/users/:id_or_username`` | | user with tokens |
| ``PATCH /sandbox/users/:id_or_username`` | ``{description, protected, name}`` (any of them) | user |
| ``POST /sandbox/posts`` | ``{author (id or username), text, reply_to, quote_of, created_at}`` | 201 post: ``{id, author_id, username, text, created_at, in_reply_to, quote_of, retweet_of, deleted}`` |
| ``POST /sandbox/reposts`` | ``{author, post_id}`` | 201 the repost |
| ``DELETE /sandbox/posts/:id`` | | ``{"deleted": true}``, 404 if no live post |
| ``GET /sandbox/posts`` | ``?author=&include_deleted=true`` | ``{"posts": [post...]}`` oldest first |
| ``GET /sandbox/writes`` | | ``{"writes": [...]}``: every write tried through /2, with ``refused`` and ``reason`` |
| ``GET /sandbox/meter`` | | ``{total_usd, by_kind, counts, spending_limit_usd}`` |
| ``GET /sandbox/requests`` | | ``{total, by_route: {"GET /2/users/:id/mentions": {"200": n}}, refused_writes, faults}`` |
| ``GET``/``POST /sandbox/faults`` | ``{rate, kinds, seed, hold_seconds, after_commit_share}`` | the fault settings |
| ``GET /sandbox/clock`` | | ``{now, timestamp, virtual}`` |
| ``POST /sandbox/clock/advance`` | ``{seconds}`` | the clock (400 on a real clock) |
| ``GET /sandbox/app`` | | ``{consumer_key, consumer_secret, bearer_token}`` |
| ``GET /sandbox/env`` | ``?account=<id or username>&base_url=`` | ``{"env": ".env lines"}`` |

Errors are Problem-like bodies: 400 for a bad body, 404 for an unknown route, user or post.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Callable

from .world import iso

if TYPE_CHECKING:
    from .sandbox import Sandbox

__all__ = ["handle_admin"]

Reply = tuple[int, dict[str, Any]]


class _Bad(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def _problem(status: int, detail: str) -> Reply:
    title = {400: "Invalid Request", 403: "Forbidden", 404: "Not Found Error"}.get(status, "Error")
    return status, {"title": title, "detail": detail, "type": "about:blank", "status": status}


def _json(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise _Bad(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise _Bad(400, "the body must be a JSON object")
    return data


def _require(data: dict[str, Any], key: str) -> Any:
    if data.get(key) in (None, ""):
        raise _Bad(400, f"'{key}' is required")
    return data[key]


def _account(sb: Sandbox, ref: str) -> dict[str, Any]:
    acct = sb.account(ref)
    return {**sb.user(ref), "access_token": acct.access_token, "access_token_secret": acct.access_token_secret}


def _clock(sb: Sandbox) -> dict[str, Any]:
    now = sb.clock.now()
    return {"now": iso(now), "timestamp": now.timestamp(), "virtual": hasattr(sb.clock, "advance")}


def _create_user(sb: Sandbox, data: dict[str, Any]) -> Reply:
    acct = sb.create_user(str(_require(data, "username")), name=str(data.get("name") or ""),
                          description=str(data.get("description") or ""),
                          protected=bool(data.get("protected", False)), created_at=data.get("created_at"),
                          read_only=bool(data.get("read_only", False)))
    return 201, _account(sb, acct.id)


def _create_post(sb: Sandbox, data: dict[str, Any]) -> Reply:
    return 201, sb.post(str(_require(data, "author")), str(_require(data, "text")),
                        reply_to=data.get("reply_to"), quote_of=data.get("quote_of"),
                        created_at=data.get("created_at"))


def _advance(sb: Sandbox, data: dict[str, Any]) -> Reply:
    try:
        seconds = float(_require(data, "seconds"))
    except (TypeError, ValueError):
        raise _Bad(400, "'seconds' must be a number") from None
    sb.advance(seconds)
    return 200, _clock(sb)


def _faults(sb: Sandbox, data: dict[str, Any]) -> Reply:
    sb.set_faults(rate=float(data.get("rate", 0.2)), kinds=tuple(data.get("kinds", ("429", "500", "503", "timeout"))),
                  seed=int(data.get("seed", 1)), hold_seconds=float(data.get("hold_seconds", 2.0)),
                  after_commit_share=float(data.get("after_commit_share", 0.0)))
    return 200, sb.faults()


def _env(sb: Sandbox, params: dict[str, str]) -> Reply:
    base = params.get("base_url") or ""
    return 200, {"env": sb.env_lines(str(_require(params, "account")), base)}


_Handler = Callable[["Sandbox", dict[str, str], dict[str, str], bytes], Reply]
_ROUTES: list[tuple[str, re.Pattern[str], _Handler]] = [
    ("POST", re.compile(r"^/sandbox/users$"), lambda sb, m, q, b: _create_user(sb, _json(b))),
    ("GET", re.compile(r"^/sandbox/users$"),
     lambda sb, m, q, b: (200, {"users": sb.users()})),
    ("GET", re.compile(r"^/sandbox/users/(?P<ref>[^/]+)$"), lambda sb, m, q, b: (200, _account(sb, m["ref"]))),
    ("PATCH", re.compile(r"^/sandbox/users/(?P<ref>[^/]+)$"),
     lambda sb, m, q, b: (200, sb.update_user(m["ref"], **{k: v for k, v in _json(b).items()
                                                          if k in ("description", "protected", "name")}))),
    ("POST", re.compile(r"^/sandbox/posts$"), lambda sb, m, q, b: _create_post(sb, _json(b))),
    ("POST", re.compile(r"^/sandbox/reposts$"),
     lambda sb, m, q, b: (201, sb.repost(str(_require(_json(b), "author")), str(_require(_json(b), "post_id"))))),
    ("DELETE", re.compile(r"^/sandbox/posts/(?P<id>[0-9]+)$"),
     lambda sb, m, q, b: (200, {"deleted": True}) if sb.delete_post(m["id"]) else _problem(404, "no such post")),
    ("GET", re.compile(r"^/sandbox/posts$"),
     lambda sb, m, q, b: (200, {"posts": sb.posts(q.get("author") or None,
                                                  include_deleted=q.get("include_deleted") == "true")})),
    ("GET", re.compile(r"^/sandbox/writes$"), lambda sb, m, q, b: (200, {"writes": sb.writes()})),
    ("GET", re.compile(r"^/sandbox/meter$"), lambda sb, m, q, b: (200, sb.meter())),
    ("GET", re.compile(r"^/sandbox/requests$"), lambda sb, m, q, b: (200, sb.requests())),
    ("GET", re.compile(r"^/sandbox/faults$"), lambda sb, m, q, b: (200, sb.faults())),
    ("POST", re.compile(r"^/sandbox/faults$"), lambda sb, m, q, b: _faults(sb, _json(b))),
    ("GET", re.compile(r"^/sandbox/clock$"), lambda sb, m, q, b: (200, _clock(sb))),
    ("POST", re.compile(r"^/sandbox/clock/advance$"), lambda sb, m, q, b: _advance(sb, _json(b))),
    ("GET", re.compile(r"^/sandbox/app$"),
     lambda sb, m, q, b: (200, {"consumer_key": sb.app.consumer_key, "consumer_secret": sb.app.consumer_secret,
                                "bearer_token": sb.app.bearer_token})),
    ("GET", re.compile(r"^/sandbox/env$"), lambda sb, m, q, b: _env(sb, q)),
]


def handle_admin(sb: Sandbox, method: str, path: str, params: dict[str, str], body: bytes) -> Reply:
    """Answer one admin request: ``(status, JSON body)``."""
    path = path.rstrip("/")
    for route_method, pattern, handler in _ROUTES:
        found = pattern.match(path)
        if found and route_method == method:
            try:
                return handler(sb, found.groupdict(), params, body)
            except _Bad as bad:
                return _problem(bad.status, bad.detail)
            except KeyError as missing:
                return _problem(404, str(missing.args[0]) if missing.args else "not found")
            except (ValueError, TypeError) as wrong:
                return _problem(400, str(wrong))
    return _problem(404, f"no admin route {method} {path}")
