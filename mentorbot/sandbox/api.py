"""The /2 request pipeline: route, authenticate, inject faults, rate-limit, meter, handle, log.

Order, as X applies it: authentication (401), the kind of auth the endpoint accepts (403),
write permission (403), an injected fault (unless it strikes after the commit), the rate limit
(429), the spending limit (402) and monthly cap (429), parameter checks (400), then the
endpoint's own checks. Every response carries the ``x-rate-limit-*`` headers.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .auth import Caller, authenticate
from .faults import Fault
from .problems import (ApiError, invalid_request, not_found, oauth1_permissions, server_error,
                       too_many_requests, unsupported_authentication)
from .reads import READS, Ctx, Result
from .render import FIELD_PARAMS
from .world import iso
from .writes import WRITES, write_intent

if TYPE_CHECKING:
    from .sandbox import Sandbox

__all__ = ["ApiRequest", "ApiResponse", "match_route", "handle_api", "ROUTES"]

_SEG = r"([^/]+)"
# (method, pattern, endpoint key, names of the path parameters); the first match wins.
ROUTES: list[tuple[str, re.Pattern[str], str, tuple[str, ...]]] = [
    (m, re.compile(f"^{p}$"), key, names) for m, p, key, names in (
        ("GET", "/2/users/me", "GET /2/users/me", ()),
        ("GET", f"/2/users/by/username/{_SEG}", "GET /2/users/by/username/:username", ("username",)),
        ("GET", "/2/users/by", "GET /2/users/by", ()),
        ("GET", f"/2/users/{_SEG}/mentions", "GET /2/users/:id/mentions", ("id",)),
        ("GET", f"/2/users/{_SEG}/tweets", "GET /2/users/:id/tweets", ("id",)),
        ("GET", f"/2/users/{_SEG}", "GET /2/users/:id", ("id",)),
        ("GET", "/2/users", "GET /2/users", ()),
        ("GET", "/2/tweets/search/recent", "GET /2/tweets/search/recent", ()),
        ("GET", f"/2/tweets/{_SEG}", "GET /2/tweets/:id", ("id",)),
        ("GET", "/2/tweets", "GET /2/tweets", ()),
        ("POST", "/2/tweets", "POST /2/tweets", ()),
        ("DELETE", f"/2/tweets/{_SEG}", "DELETE /2/tweets/:id", ("id",)),
        ("POST", f"/2/users/{_SEG}/retweets", "POST /2/users/:id/retweets", ("id",)),
        ("DELETE", f"/2/users/{_SEG}/retweets/{_SEG}", "DELETE /2/users/:id/retweets/:source_tweet_id",
         ("id", "source_tweet_id")),
    )
]
USER_CONTEXT_ONLY = frozenset({"GET /2/users/me", *WRITES})
_BAD_JSON = object()  # a body that did not parse (400 once auth and limits have passed)
READS_POSTS = frozenset({"GET /2/tweets", "GET /2/tweets/:id", "GET /2/users/:id/mentions",
                         "GET /2/users/:id/tweets", "GET /2/tweets/search/recent"})


@dataclass(frozen=True, slots=True)
class ApiRequest:
    method: str
    path: str  # without the query string
    query: str  # raw, still percent-encoded
    params: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    host: str = "127.0.0.1"  # the Host header, for OAuth signatures made for the server's own URL


@dataclass(slots=True)
class ApiResponse:
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str] = field(default_factory=dict)
    hold_seconds: float = 0.0  # a "timeout" fault: wait this long (outside the lock) before answering


def match_route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    path = path.rstrip("/") or "/"
    for route_method, pattern, key, names in ROUTES:
        found = pattern.match(path)
        if found and route_method == method:
            return key, dict(zip(names, found.groups()))
    return None


def _fault_error(fault: Fault, sb: Sandbox, endpoint: str, caller: Caller, now: float) -> ApiError:
    if fault.kind == "429":
        limit = sb._limiter.limit(endpoint, caller.limit_key)
        headers = {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": "0",
                   "x-rate-limit-reset": str(int(now) + fault.reset_in)}
        return too_many_requests(headers, reason="fault:429")
    status = 500 if fault.kind == "500" else 503
    return server_error(status, reason=f"fault:{fault.kind}")


def _check_params(endpoint: str, params: dict[str, str]) -> None:
    allowed = READS[endpoint][1] + FIELD_PARAMS
    for name, value in params.items():
        if name not in allowed:
            raise invalid_request(name, [value], f"The query parameter [{name}] is not one of "
                                                 f"[{','.join(allowed)}]")


def handle_api(sb: Sandbox, req: ApiRequest) -> ApiResponse:
    """Answer one /2 request. The caller holds the sandbox's lock."""
    now = sb.clock.now()
    ts = now.timestamp()
    routed = match_route(req.method, req.path)
    if routed is None:
        sb._count_request(f"{req.method} (unknown route)", 404)
        error = not_found()
        return ApiResponse(404, error.body, sb._limiter.peek("", "app", ts).headers())
    endpoint, path_params = routed
    is_write = endpoint in WRITES
    body_json: Any = None
    if req.body and "json" in req.headers.get("content-type", ""):
        try:
            body_json = json.loads(req.body)
        except ValueError:
            body_json = _BAD_JSON
    intent = write_intent(endpoint, path_params, body_json) if is_write else None
    caller: Caller | None = None
    limit_headers: dict[str, str] | None = None
    fault: Fault | None = None
    logged = False
    extra: dict[str, str] = {}
    try:
        caller = authenticate(sb._world, method=req.method, path=req.path, query=req.query,
                              headers=req.headers, body=req.body, host=req.host)
        if caller.user_id is not None:
            extra["x-access-level"] = "read" if caller.read_only else "read-write"
        if endpoint in USER_CONTEXT_ONLY and caller.is_app:
            raise unsupported_authentication()
        if is_write and caller.read_only:
            raise oauth1_permissions()
        fault = sb._faults.draw(is_write=is_write)
        if fault is not None and not fault.after_commit:
            raise _fault_error(fault, sb, endpoint, caller, ts)
        limit_headers = sb._limiter.hit(endpoint, caller.limit_key, ts)
        sb._meter.check(now, reads_posts=endpoint in READS_POSTS)
        if body_json is _BAD_JSON:
            raise invalid_request("body", [], "The request body is not valid JSON")
        if is_write:
            handler = WRITES[endpoint]
        else:
            _check_params(endpoint, req.params)
            handler = READS[endpoint][0]
        ctx = Ctx(sb._world, now, caller, dict(req.params), path_params, body_json, sb.duplicate_window)
        result: Result = handler(ctx)
        if is_write:
            if result.charge:
                sb._meter.charge_write(result.charge)
        else:
            sb._meter.charge_reads(now, post_ids=result.post_ids, user_ids=result.user_ids, owned=result.owned)
        if fault is not None:  # after the commit: the write happened, the client hears an error
            error = _fault_error(fault, sb, endpoint, caller, ts)
            if intent is not None:
                sb._log_write(intent, caller, now, refused=False, reason=error.reason, status=error.status,
                              post_id=result.write_id)
                logged = True
            raise error
        if intent is not None:
            sb._log_write(intent, caller, now, refused=False, reason=None, status=result.status,
                          post_id=result.write_id)
        response = ApiResponse(result.status, result.body, {**limit_headers, **extra})
    except ApiError as error:
        if intent is not None and not logged:
            sb._log_write(intent, caller, now, refused=True, reason=error.reason, status=error.status)
        key = caller.limit_key if caller is not None else "app"
        headers = error.headers or limit_headers or sb._limiter.headers(endpoint, key, ts)
        hold = sb._faults.hold_seconds if (fault is not None and fault.kind == "timeout"
                                          and error.reason == "fault:timeout") else 0.0
        response = ApiResponse(error.status, error.body, {**headers, **extra}, hold)
        if error.reason and error.reason.startswith("fault:"):
            sb._count_fault(error.reason)
    sb._count_request(endpoint, response.status)
    return response


def write_record(intent: dict[str, Any], caller: Caller | None, sb: Sandbox, when, *, refused: bool,
                 reason: str | None, status: int, post_id: str | None) -> dict[str, Any]:
    """One entry of ``Sandbox.writes()``."""
    user = sb._world.users.get(caller.user_id) if caller is not None and caller.user_id else None
    return {"id": post_id if intent["kind"] in ("create", "reply", "repost") else None,
            "author_id": user.id if user else None, "author": user.username if user else None,
            "kind": intent["kind"], "text": intent["text"], "reply_to": intent["reply_to"],
            "repost_of": intent["repost_of"], "target": intent["target"],
            "created_at": iso(when), "refused": refused, "reason": reason, "status": status}
