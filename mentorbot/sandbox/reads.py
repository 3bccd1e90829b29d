"""The read endpoints: lookups, the mentions and user timelines, recent search.

Each handler takes a :class:`Ctx` and returns a :class:`Result` (status, body, and the resources
the body carried, for the meter). Lists are newest first; pagination tokens encode "ids below N",
so a chain of tokens visits every post once even while new posts arrive.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Callable, Iterable

from .auth import Caller
from .problems import invalid_request, not_authorized_for_resource, resource_not_found
from .query import QueryError, compile_query
from .render import Rendered, parse_fields, render_posts, render_users
from .world import PostRecord, World, iso, snowflake_floor, snowflake_time

__all__ = ["Ctx", "Result", "READS", "check_id"]

_ID = re.compile(r"^[0-9]{1,19}$")
_USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
SEARCH_DAYS = 7
MENTIONS_CAP = 800
USER_TWEETS_CAP = 3200


@dataclass(slots=True)
class Ctx:
    world: World
    now: datetime
    caller: Caller
    params: dict[str, str]
    path: dict[str, str]
    json: Any = None
    duplicate_window: float | None = None


@dataclass(slots=True)
class Result:
    status: int
    body: dict[str, Any]
    post_ids: list[str] = field(default_factory=list)
    user_ids: list[str] = field(default_factory=list)
    owned: bool = False
    write_id: str | None = None  # the post a write created or touched
    charge: str | None = None  # the meter kind of a write that was applied


def check_id(name: str, value: str) -> str:
    if not _ID.match(value or ""):
        raise invalid_request(name, [value], f"The `{name}` query parameter value [{value}] does not match "
                                             f"^[0-9]{{1,19}}$")
    return value


def _list_param(ctx: Ctx, name: str, pattern: re.Pattern[str]) -> list[str]:
    raw = ctx.params.get(name)
    if not raw:
        raise invalid_request(name, [], f"The `{name}` query parameter can not be empty")
    values = raw.split(",")
    if len(values) > 100:
        raise invalid_request(name, [raw], f"The number of values in the `{name}` query parameter list "
                                           f"[{len(values)}] is not between 1 and 100")
    for value in values:
        if not pattern.match(value):
            raise invalid_request(name, [value], f"The `{name}` query parameter value [{value}] does not "
                                                 f"match {pattern.pattern}")
    return list(dict.fromkeys(values))


def _body(rendered: Rendered, *, single: bool = False, errors: list[dict] | None = None,
          meta: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if rendered.data:
        body["data"] = rendered.data[0] if single else rendered.data
    if rendered.includes:
        body["includes"] = rendered.includes
    if errors:
        body["errors"] = errors
    if meta is not None:
        body["meta"] = meta
    return body


def _result(rendered: Rendered, body: dict[str, Any], *, owned: bool = False) -> Result:
    return Result(200, body, post_ids=list(rendered.post_ids), user_ids=list(rendered.user_ids), owned=owned)


# users --------------------------------------------------------------------------------------
def users_me(ctx: Ctx) -> Result:
    user = ctx.world.users[ctx.caller.user_id or ""]
    rendered = render_users([user], parse_fields(ctx.params, users_endpoint=True), ctx.world)
    return _result(rendered, _body(rendered, single=True), owned=True)


def _users(ctx: Ctx, refs: list[str], parameter: str, by_name: bool, single: bool) -> Result:
    fields = parse_fields(ctx.params, users_endpoint=True)
    found, errors = [], []
    for ref in refs:
        user = ctx.world.user_by_username(ref) if by_name else ctx.world.users.get(ref)
        if user is None:
            errors.append(resource_not_found("user", parameter, ref))
        else:
            found.append(user)
    rendered = render_users(found, fields, ctx.world)
    return _result(rendered, _body(rendered, single=single, errors=errors))


def user_by_id(ctx: Ctx) -> Result:
    return _users(ctx, [check_id("id", ctx.path["id"])], "id", False, True)


def user_by_username(ctx: Ctx) -> Result:
    name = ctx.path["username"]
    if not _USERNAME.match(name):
        raise invalid_request("username", [name], f"The `username` query parameter value [{name}] does not "
                                                  f"match {_USERNAME.pattern}")
    return _users(ctx, [name], "username", True, True)


def users_by_ids(ctx: Ctx) -> Result:
    return _users(ctx, _list_param(ctx, "ids", _ID), "ids", False, False)


def users_by_usernames(ctx: Ctx) -> Result:
    return _users(ctx, _list_param(ctx, "usernames", _USERNAME), "usernames", True, False)


# posts by id ------------------------------------------------------------------------------
def _posts(ctx: Ctx, ids: list[str], parameter: str, single: bool) -> Result:
    fields = parse_fields(ctx.params)
    found, errors = [], []
    for pid in ids:
        post = ctx.world.post(pid)
        if post is None:
            errors.append(resource_not_found("tweet", parameter, pid))
        elif not ctx.world.visible(post, ctx.caller.user_id):
            errors.append(not_authorized_for_resource("tweet", parameter, pid))
        else:
            found.append(post)
    rendered = render_posts(found, fields, ctx.world, ctx.caller.user_id)
    return _result(rendered, _body(rendered, single=single, errors=errors))


def tweet_by_id(ctx: Ctx) -> Result:
    return _posts(ctx, [check_id("id", ctx.path["id"])], "id", True)


def tweets_by_ids(ctx: Ctx) -> Result:
    return _posts(ctx, _list_param(ctx, "ids", _ID), "ids", False)


# timelines ----------------------------------------------------------------------------------
def _time_param(ctx: Ctx, name: str) -> datetime | None:
    raw = ctx.params.get(name)
    if raw is None:
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if when.tzinfo is None:
            raise ValueError
    except ValueError:
        raise invalid_request(name, [raw], f"Invalid '{name}':'{raw}'. '{name}' must be a valid RFC3339 "
                                           f"date-time (YYYY-MM-DDTHH:mm:ssZ)") from None
    return when


def _int_param(ctx: Ctx, name: str, low: int, high: int, default: int) -> int:
    raw = ctx.params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise invalid_request(name, [raw], f"The `{name}` query parameter value [{raw}] is not between "
                                           f"{low} and {high}")
    return value


def _token(post_id: str) -> str:
    return "7140dibdnow9c7btw" + _b36(int(post_id))


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def _untoken(name: str, token: str) -> int:
    try:
        if not token.startswith("7140dibdnow9c7btw"):
            raise ValueError
        return int(token[len("7140dibdnow9c7btw"):], 36)
    except ValueError:
        raise invalid_request(name, [token], f"The `{name}` query parameter value [{token}] is not a "
                                             f"valid token") from None


def _page(ctx: Ctx, candidates: Iterable[PostRecord], *, token_name: str, low: int, cap: int,
          owned: bool = False) -> Result:
    """Filter (since/until ids and times), paginate and render a newest-first candidate stream."""
    max_results = _int_param(ctx, "max_results", low, 100, 10)
    since = int(check_id("since_id", ctx.params["since_id"])) if "since_id" in ctx.params else None
    until = int(check_id("until_id", ctx.params["until_id"])) if "until_id" in ctx.params else None
    start, end = _time_param(ctx, "start_time"), _time_param(ctx, "end_time")
    if start and end and end <= start:
        raise invalid_request("end_time", [ctx.params["end_time"]],
                              f"Invalid 'end_time':'{ctx.params['end_time']}'. 'end_time' must be after "
                              f"'start_time'")
    below = _untoken(token_name, ctx.params[token_name]) if token_name in ctx.params else None
    fields = parse_fields(ctx.params)
    picked: list[PostRecord] = []
    more = False
    for index, post in enumerate(candidates):
        if index >= cap:
            break
        key = int(post.id)
        if (since is not None and key <= since) or (until is not None and key >= until):
            continue
        if (start and post.created_at < start) or (end and post.created_at >= end):
            continue
        if below is not None and key >= below:
            continue
        if len(picked) == max_results:
            more = True
            break
        picked.append(post)
    if not picked:
        return Result(200, {"meta": {"result_count": 0}}, owned=owned)
    rendered = render_posts(picked, fields, ctx.world, ctx.caller.user_id)
    meta: dict[str, Any] = {"newest_id": picked[0].id, "oldest_id": picked[-1].id, "result_count": len(picked)}
    if more:
        meta["next_token"] = _token(picked[-1].id)
    return _result(rendered, _body(rendered, meta=meta), owned=owned)


def _live(ctx: Ctx, ids: list[int], keep: Callable[[PostRecord], bool]) -> Iterable[PostRecord]:
    for post in ctx.world.newest_first(ids):
        if post.created_at <= ctx.now and ctx.world.visible(post, ctx.caller.user_id) and keep(post):
            yield post


def _timeline_owner(ctx: Ctx):
    uid = check_id("id", ctx.path["id"])
    user = ctx.world.users.get(uid)
    if user is None:
        return None, Result(200, {"errors": [resource_not_found("user", "id", uid)]})
    return user, None


def mentions(ctx: Ctx) -> Result:
    user, missing = _timeline_owner(ctx)
    if user is None:
        return missing  # type: ignore[return-value]
    stream = _live(ctx, ctx.world.inbox(user), lambda p: p.author_id != user.id)
    return _page(ctx, stream, token_name="pagination_token", low=5, cap=MENTIONS_CAP,
                 owned=ctx.caller.user_id == user.id)


def user_tweets(ctx: Ctx) -> Result:
    user, missing = _timeline_owner(ctx)
    if user is None:
        return missing  # type: ignore[return-value]
    exclude = set(filter(None, ctx.params.get("exclude", "").split(",")))
    if exclude - {"replies", "retweets"}:
        bad = sorted(exclude - {"replies", "retweets"})[0]
        raise invalid_request("exclude", [bad], f"The `exclude` query parameter value [{bad}] is not one of "
                                                f"[replies,retweets]")

    def keep(post: PostRecord) -> bool:
        return not (("replies" in exclude and post.is_reply) or ("retweets" in exclude and post.is_retweet))

    return _page(ctx, _live(ctx, ctx.world.authored(user), keep), token_name="pagination_token", low=5,
                 cap=USER_TWEETS_CAP, owned=ctx.caller.user_id == user.id)


@lru_cache(maxsize=256)
def _compiled(query: str) -> Callable[[Any], bool]:
    return compile_query(query)


def search_recent(ctx: Ctx) -> Result:
    query = ctx.params.get("query")
    if not query:
        raise invalid_request("query", [], "The `query` query parameter can not be empty")
    try:
        matches = _compiled(query)
    except QueryError as error:
        raise invalid_request("query", [query], error.message) from None
    cutoff = ctx.now - timedelta(days=SEARCH_DAYS)
    if "since_id" in ctx.params and snowflake_time(check_id("since_id", ctx.params["since_id"])) < cutoff:
        raise invalid_request("since_id", [ctx.params["since_id"]],
                              f"'since_id' must be a tweet id created after {iso(cutoff)}. Please use a "
                              f"'since_id' that is larger than {snowflake_floor(cutoff)}")
    start, end = _time_param(ctx, "start_time"), _time_param(ctx, "end_time")
    if start and start < cutoff:
        raw = ctx.params["start_time"]
        raise invalid_request("start_time", [raw], f"Invalid 'start_time':'{raw}'. 'start_time' must be on or "
                                                   f"after {iso(cutoff)}")
    if end and end > ctx.now - timedelta(seconds=10):
        raw = ctx.params["end_time"]
        raise invalid_request("end_time", [raw], f"Invalid 'end_time':'{raw}'. 'end_time' must be a minimum "
                                                 f"of 10 seconds prior to the request time.")
    if ctx.params.get("sort_order", "recency") not in ("recency", "relevancy"):
        raw = ctx.params["sort_order"]
        raise invalid_request("sort_order", [raw], f"The `sort_order` query parameter value [{raw}] is not one "
                                                   f"of [recency,relevancy]")
    token_name = "pagination_token" if "pagination_token" in ctx.params else "next_token"

    def stream() -> Iterable[PostRecord]:
        for post in ctx.world.newest_first():
            if post.created_at < cutoff:
                break  # ids grow with time: everything further is older
            if (post.created_at <= ctx.now and not post.is_retweet
                    and ctx.world.visible(post, ctx.caller.user_id) and matches(post)):
                yield post

    return _page(ctx, stream(), token_name=token_name, low=10, cap=10**9)


# route key -> (handler, allowed query parameters besides the field parameters)
READS: dict[str, tuple[Callable[[Ctx], Result], tuple[str, ...]]] = {
    "GET /2/users/me": (users_me, ()),
    "GET /2/users/:id": (user_by_id, ()),
    "GET /2/users/by/username/:username": (user_by_username, ()),
    "GET /2/users": (users_by_ids, ("ids",)),
    "GET /2/users/by": (users_by_usernames, ("usernames",)),
    "GET /2/tweets/:id": (tweet_by_id, ()),
    "GET /2/tweets": (tweets_by_ids, ("ids",)),
    "GET /2/users/:id/mentions": (mentions, ("since_id", "until_id", "max_results", "pagination_token",
                                             "start_time", "end_time")),
    "GET /2/users/:id/tweets": (user_tweets, ("since_id", "until_id", "max_results", "pagination_token",
                                              "exclude", "start_time", "end_time")),
    "GET /2/tweets/search/recent": (search_recent, ("query", "start_time", "end_time", "since_id", "until_id",
                                                    "max_results", "next_token", "pagination_token",
                                                    "sort_order")),
}
