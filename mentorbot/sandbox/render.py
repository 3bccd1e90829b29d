"""Response bodies: X's field selection (``tweet.fields``, ``user.fields``, ``expansions``).

A post with no fields asked is ``{id, text, edit_history_tweet_ids}``; a user is
``{id, name, username}``. Expansions collect ``includes.users`` and ``includes.tweets``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .problems import invalid_request
from .world import PostRecord, UserRecord, World, iso

__all__ = ["Fields", "parse_fields", "render_post", "render_user", "Rendered", "render_posts",
           "render_users", "TWEET_FIELDS", "USER_FIELDS", "TWEET_EXPANSIONS", "USER_EXPANSIONS",
           "FIELD_PARAMS"]

TWEET_FIELDS = ("article", "attachments", "author_id", "card_uri", "community_id", "context_annotations",
                "conversation_id", "created_at", "display_text_range", "edit_controls",
                "edit_history_tweet_ids", "entities", "geo", "id", "in_reply_to_user_id", "lang",
                "media_metadata", "non_public_metrics", "note_tweet", "organic_metrics",
                "possibly_sensitive", "promoted_metrics", "public_metrics", "referenced_tweets",
                "reply_settings", "scopes", "source", "suggested_source_links",
                "suggested_source_links_with_counts", "text", "withheld")
USER_FIELDS = ("affiliation", "confirmed_email", "connection_status", "created_at", "description",
               "entities", "id", "is_identity_verified", "location", "most_recent_tweet_id", "name",
               "parody", "pinned_tweet_id", "profile_banner_url", "profile_image_url", "protected",
               "public_metrics", "receives_your_dm", "subscription", "subscription_type", "url",
               "username", "verified", "verified_followers_count", "verified_type", "withheld")
TWEET_EXPANSIONS = ("article.cover_media", "article.media_entities", "attachments.media_keys",
                    "attachments.media_source_tweet", "attachments.poll_ids", "author_id",
                    "edit_history_tweet_ids", "entities.mentions.username", "geo.place_id",
                    "in_reply_to_user_id", "entities.note.mentions.username", "referenced_tweets.id",
                    "referenced_tweets.id.attachments.media_keys", "referenced_tweets.id.author_id")
USER_EXPANSIONS = ("affiliation.user_id", "most_recent_tweet_id", "pinned_tweet_id")
# Accepted everywhere and ignored: the sandbox has no media, places or polls.
FIELD_PARAMS = ("expansions", "tweet.fields", "user.fields", "media.fields", "place.fields", "poll.fields")
_DEFAULT_AVATAR = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"


@dataclass(frozen=True, slots=True)
class Fields:
    tweet: frozenset[str] = frozenset()
    user: frozenset[str] = frozenset()
    expansions: frozenset[str] = frozenset()


def _split(params: Mapping[str, str], name: str, allowed: Iterable[str]) -> frozenset[str]:
    raw = params.get(name)
    if raw is None:
        return frozenset()
    values = [v for v in raw.split(",")]
    allowed = tuple(allowed)
    for value in values:
        if value not in allowed:
            raise invalid_request(name, [value], f"The `{name}` query parameter value [{value}] is not one "
                                                 f"of [{','.join(allowed)}]")
    return frozenset(values)


def parse_fields(params: Mapping[str, str], *, users_endpoint: bool = False) -> Fields:
    """Read and validate the field-selection parameters (400 on a value X does not know)."""
    return Fields(tweet=_split(params, "tweet.fields", TWEET_FIELDS),
                  user=_split(params, "user.fields", USER_FIELDS),
                  expansions=_split(params, "expansions",
                                    USER_EXPANSIONS if users_endpoint else TWEET_EXPANSIONS))


def render_post(post: PostRecord, fields: frozenset[str], world: World) -> dict[str, Any]:
    out: dict[str, Any] = {"id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id]}
    if "author_id" in fields:
        out["author_id"] = post.author_id
    if "created_at" in fields:
        out["created_at"] = iso(post.created_at)
    if "conversation_id" in fields:
        out["conversation_id"] = post.conversation_id
    if "in_reply_to_user_id" in fields and post.in_reply_to_user_id:
        out["in_reply_to_user_id"] = post.in_reply_to_user_id
    if "referenced_tweets" in fields and post.referenced():
        out["referenced_tweets"] = post.referenced()
    if "entities" in fields and post.entities:
        out["entities"] = post.entities
    if "lang" in fields and post.lang:
        out["lang"] = post.lang
    if "possibly_sensitive" in fields:
        out["possibly_sensitive"] = False
    if "reply_settings" in fields:
        out["reply_settings"] = "everyone"
    if "display_text_range" in fields:
        out["display_text_range"] = [0, len(post.text)]
    if "public_metrics" in fields:
        out["public_metrics"] = {"retweet_count": world.count("retweet", post.id),
                                 "reply_count": world.count("reply", post.id), "like_count": 0,
                                 "quote_count": world.count("quote", post.id), "bookmark_count": 0,
                                 "impression_count": 0}
    return out


def render_user(user: UserRecord, fields: frozenset[str], world: World) -> dict[str, Any]:
    out: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
    if "description" in fields:
        out["description"] = user.description
    if "protected" in fields:
        out["protected"] = user.protected
    if "created_at" in fields:
        out["created_at"] = iso(user.created_at)
    if "verified" in fields:
        out["verified"] = False
    if "verified_type" in fields:
        out["verified_type"] = "none"
    if "profile_image_url" in fields:
        out["profile_image_url"] = _DEFAULT_AVATAR
    if "url" in fields:
        out["url"] = ""
    if "public_metrics" in fields:
        out["public_metrics"] = {"followers_count": 0, "following_count": 0,
                                 "tweet_count": world.post_count(user), "listed_count": 0, "like_count": 0}
    if "most_recent_tweet_id" in fields:
        authored = world.authored(user)
        live = [k for k in reversed(authored) if not world.posts[str(k)].deleted]
        if live:
            out["most_recent_tweet_id"] = str(live[0])
    return out


@dataclass(slots=True)
class Rendered:
    """A rendered page plus the resources it carried (what the meter charges for)."""

    data: list[dict[str, Any]] = field(default_factory=list)
    includes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    post_ids: list[str] = field(default_factory=list)
    user_ids: list[str] = field(default_factory=list)


def render_posts(posts: list[PostRecord], fields: Fields, world: World, viewer: str | None) -> Rendered:
    out = Rendered(data=[render_post(p, fields.tweet, world) for p in posts], post_ids=[p.id for p in posts])
    user_ids: dict[str, None] = {}
    tweets: dict[str, PostRecord] = {}
    exp = fields.expansions
    for post in posts:
        if "author_id" in exp:
            user_ids[post.author_id] = None
        if "in_reply_to_user_id" in exp and post.in_reply_to_user_id:
            user_ids[post.in_reply_to_user_id] = None
        if "entities.mentions.username" in exp:
            for mention in post.entities.get("mentions", []):
                found = world.user_by_username(mention["username"])
                if found:
                    user_ids[found.id] = None
        if "referenced_tweets.id" in exp or "referenced_tweets.id.author_id" in exp:
            for ref in post.referenced():
                target = world.post(ref["id"])
                if target is not None and world.visible(target, viewer):
                    if "referenced_tweets.id" in exp:
                        tweets.setdefault(target.id, target)
                    if "referenced_tweets.id.author_id" in exp:
                        user_ids[target.author_id] = None
    users = [world.users[uid] for uid in user_ids if uid in world.users]
    if users:
        out.includes["users"] = [render_user(u, fields.user, world) for u in users]
        out.user_ids = [u.id for u in users]
    if tweets:
        out.includes["tweets"] = [render_post(t, fields.tweet, world) for t in tweets.values()]
        out.post_ids += [t for t in tweets if t not in out.post_ids]
    return out


def render_users(users: list[UserRecord], fields: Fields, world: World) -> Rendered:
    out = Rendered(data=[render_user(u, fields.user, world) for u in users], user_ids=[u.id for u in users])
    if "most_recent_tweet_id" in fields.expansions:
        tweets = []
        for user in users:
            live = [k for k in reversed(world.authored(user)) if not world.posts[str(k)].deleted]
            if live:
                tweets.append(world.posts[str(live[0])])
        if tweets:
            out.includes["tweets"] = [render_post(t, fields.tweet, world) for t in tweets]
            out.post_ids = [t.id for t in tweets]
    return out
