"""The write endpoints: create (post, reply), delete, repost and undo repost.

``POST /2/tweets`` checks, in X's order after auth and rate limit: empty text (400), over 280
weighted characters (400), a reply to a missing post (400), quoting (403: not available to
self-serve apps since 2026-04-20), the reply gate (403), duplicate content (403).
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..domain.text import fits
from .problems import (ApiError, forbidden, invalid_request, reply_gate, duplicate, resource_not_found,
                       too_long)
from .reads import Ctx, Result, check_id
from .world import PostRecord, UserRecord, World

__all__ = ["WRITES", "write_intent", "reply_allowed", "find_duplicate"]


def reply_allowed(world: World, replier: UserRecord, parent: PostRecord) -> bool:
    """X's reply gate: the parent's author mentioned or otherwise engaged the replier."""
    if parent.author_id == replier.id or replier.username.lower() in parent.mentions:
        return True
    for ref in (parent.reply_to, parent.quote_of):  # a reply to, or a quote of, the replier's post
        engaged = world.posts.get(ref) if ref else None
        if engaged is not None and engaged.author_id == replier.id:
            return True
    return False


def find_duplicate(world: World, author: UserRecord, text: str, ctx: Ctx) -> PostRecord | None:
    wanted = text.strip()
    since = ctx.now - timedelta(seconds=ctx.duplicate_window) if ctx.duplicate_window is not None else None
    for post in world.newest_first(world.authored(author)):
        if since is not None and post.created_at < since:
            break
        if not post.deleted and not post.is_retweet and post.raw_text.strip() == wanted:
            return post
    return None


def _request_body(ctx: Ctx) -> dict[str, Any]:
    if not isinstance(ctx.json, dict):
        raise invalid_request("body", [], "The request body must be a JSON object")
    return ctx.json


def _missing_post(parameter: str, value: str) -> ApiError:
    body = {**resource_not_found("tweet", parameter, value), "status": 404}
    return ApiError(404, body, reason="not_found")


def create_post(ctx: Ctx) -> Result:
    body = _request_body(ctx)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise invalid_request("text", [text if isinstance(text, str) else ""],
                              "Post text must not be empty", reason="empty")
    if not fits(text):
        raise too_long(text)
    world = ctx.world
    author = world.users[ctx.caller.user_id or ""]
    parent = None
    reply = body.get("reply")
    if reply is not None:
        parent_id = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
        parent_id = check_id("reply.in_reply_to_tweet_id", str(parent_id or ""))
        parent = world.post(parent_id)
        if parent is None or not world.visible(parent, author.id):
            raise invalid_request("reply.in_reply_to_tweet_id", [parent_id],
                                  "The post you are replying to has been deleted or is not visible to you.",
                                  reason="reply_target_missing")
    if body.get("quote_tweet_id") is not None:
        raise forbidden("Quote posts are not available to your client application.", reason="quote_not_allowed")
    if parent is not None and not reply_allowed(world, author, parent):
        raise reply_gate()
    if find_duplicate(world, author, text, ctx) is not None:
        raise duplicate()
    post = world.add_post(author, text, created_at=ctx.now, reply_to=parent)
    if post.has_links:
        charge = "post_create_url"
    elif parent is not None and parent.author_id != author.id and reply_allowed(world, author, parent):
        charge = "reply"  # to someone who summoned the bot (mentioned it, or answered or quoted it)
    else:
        charge = "post_create"
    return Result(201, {"data": {"id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id]}},
                  write_id=post.id, charge=charge)


def delete_post(ctx: Ctx) -> Result:
    pid = check_id("id", ctx.path["id"])
    post = ctx.world.post(pid)
    if post is None:
        raise _missing_post("id", pid)
    if post.author_id != ctx.caller.user_id:
        raise forbidden("You are not authorized to delete this Tweet.", reason="not_author")
    ctx.world.delete_post(post)
    return Result(200, {"data": {"deleted": True}}, write_id=pid, charge="delete")


def _own_path(ctx: Ctx) -> UserRecord:
    uid = check_id("id", ctx.path["id"])
    if uid != ctx.caller.user_id:
        raise forbidden("You are not permitted to perform this action on behalf of another user.",
                        reason="not_owner")
    return ctx.world.users[uid]


def repost(ctx: Ctx) -> Result:
    user = _own_path(ctx)
    body = _request_body(ctx)
    tid = check_id("tweet_id", str(body.get("tweet_id") or ""))
    target = ctx.world.post(tid)
    if target is None or not ctx.world.visible(target, user.id):
        raise _missing_post("tweet_id", tid)
    if target.retweet_of is not None:  # reposting a repost reposts the original
        target = ctx.world.post(target.retweet_of) or target
    existing = ctx.world.find_repost(user.id, target.id)
    if existing is not None:
        return Result(200, {"data": {"retweeted": True}}, write_id=existing.id)
    created = ctx.world.add_post(user, "", created_at=ctx.now, retweet_of=target)
    return Result(200, {"data": {"retweeted": True}}, write_id=created.id, charge="repost")


def unrepost(ctx: Ctx) -> Result:
    user = _own_path(ctx)
    tid = check_id("source_tweet_id", ctx.path["source_tweet_id"])
    existing = ctx.world.find_repost(user.id, tid)
    if existing is None:
        return Result(200, {"data": {"retweeted": False}})
    ctx.world.delete_post(existing)
    return Result(200, {"data": {"retweeted": False}}, write_id=existing.id, charge="unrepost")


def write_intent(endpoint: str, path: dict[str, str], body: Any) -> dict[str, Any]:
    """What a write request asked for, read before any check (for the write log)."""
    body = body if isinstance(body, dict) else {}
    intent: dict[str, Any] = {"kind": "", "text": None, "reply_to": None, "repost_of": None, "target": None}
    if endpoint == "POST /2/tweets":
        reply = body.get("reply")
        reply_to = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
        text = body.get("text")
        intent.update(kind="reply" if reply_to else "create", text=text if isinstance(text, str) else None,
                      reply_to=str(reply_to) if reply_to else None)
    elif endpoint == "DELETE /2/tweets/:id":
        intent.update(kind="delete", target=path.get("id"))
    elif endpoint == "POST /2/users/:id/retweets":
        tid = body.get("tweet_id")
        intent.update(kind="repost", repost_of=str(tid) if tid else None, target=str(tid) if tid else None)
    elif endpoint == "DELETE /2/users/:id/retweets/:source_tweet_id":
        intent.update(kind="unrepost", target=path.get("source_tweet_id"))
    return intent


# route key -> handler (writes take no query parameters)
WRITES = {
    "POST /2/tweets": create_post,
    "DELETE /2/tweets/:id": delete_post,
    "POST /2/users/:id/retweets": repost,
    "DELETE /2/users/:id/retweets/:source_tweet_id": unrepost,
}
