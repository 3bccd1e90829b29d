"""What a post to the bot calls for: the screening rules and the Decision value.

Pure: the service passes in everything (the post, its author, the campaign, when the author was
forgotten), and writes whatever the Decision says in one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .campaign import Campaign
from .model import Post, User
from .records import Action, Participant

__all__ = ["Decision", "screen"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The meaning of one post and everything it calls for.

    ``outcome`` is recorded in posts_seen (e.g. "joined", "stopped", "ignored:no_intent");
    ``events`` are (kind, data) pairs for the audit trail (ids only, no personal data).
    """

    outcome: str
    intent: str | None = None
    source_post_id: str | None = None
    participant: Participant | None = None  # saved as given (a join or an update)
    status: tuple[str, datetime | None] | None = None  # the author's new status, paused_until
    cancel_planned: bool = False  # cancel every planned action naming the author (opt-out)
    end_matches: bool = False  # end the author's proposed and active matches (they left)
    forget: bool = False  # erase everything about the author (after the reply is planned)
    actions: tuple[Action, ...] = ()
    events: tuple[tuple[str, dict[str, Any]], ...] = ()
    #: (match id, new status, check-in answer or None): declines and check-in answers
    match_updates: tuple[tuple[int, str, str | None], ...] = ()
    evidence: tuple[str, ...] = ()


def screen(post: Post, author: User | None, *, campaign: Campaign, bot_id: str,
           forgotten_at: datetime | None = None) -> str | None:
    """Why the bot must not act on ``post`` at all, or None when it may consider it.

    The order matters only for the recorded reason; any match means: record and ignore.
    """
    if post.author_id == bot_id:
        return "ignored:own_post"
    if post.is_repost:
        return "ignored:repost"
    if author is None:
        return "ignored:unknown_author"
    if author.username.lower() in campaign.moderation.known_bots:
        return "ignored:other_bot"
    if author.username.lower() in campaign.moderation.blocked_accounts:
        return "ignored:blocked_account"
    if author.protected:
        return "ignored:protected"
    if post.created_at is not None and post.created_at < campaign.start:
        return "ignored:before_start"
    if forgotten_at is not None and (post.created_at is None or post.created_at <= forgotten_at):
        return "ignored:forgotten"
    if campaign.moderation.blocked_word_in(post.text):
        return "ignored:blocked_word"
    return None
