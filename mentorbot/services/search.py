"""Reading participants' posts with the program hashtag (recent search), for amplification and
statistics. Never a reason to reply: a hashtag is not consent, a mention is.

Queries name the participants (``from:``), so the bot pays only for their posts, not for everyone
who uses the hashtag. Posts that mention the bot are left to the mentions timeline.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from loguru import logger

from ..clock import Clock
from ..domain.campaign import Campaign
from ..domain.model import Page, Post, User, id_key
from ..domain.queries import participant_queries
from ..errors import InvalidRequest
from ..ports import Platform, Store

__all__ = ["HashtagSearch", "SearchReport", "SEARCH"]

SEARCH = "search"
#: (post, author) -> outcome to record; runs inside the transaction that marks the post seen.
OnPost = Callable[[Post, User | None], str]


@dataclass
class SearchReport:
    queries: int = 0
    read: int = 0
    handled: int = 0
    outcomes: Counter = field(default_factory=Counter)


class HashtagSearch:
    def __init__(self, store: Store, platform: Platform, campaign: Campaign, clock: Clock, *,
                 bot: User, on_post: OnPost):
        self.store, self.platform, self.campaign, self.clock = store, platform, campaign, clock
        self.bot, self.on_post = bot, on_post
        self._log = logger.bind(campaign=campaign.id)

    def queries(self) -> list[str]:
        handles = [p.handle for p in self.store.participants(self.campaign.id, status="active")]
        return participant_queries(self.campaign.hashtags, handles, bot=self.bot.username) if handles else []

    def poll(self) -> SearchReport:
        report = SearchReport()
        since = self.store.cursor(self.campaign.id, SEARCH)
        pages: list[Page] = []
        for query in self.queries():
            report.queries += 1
            pages += self._search(query, since)
        posts = {p.id: (p, page.author(p)) for page in pages for p in page.posts}
        report.read = len(posts)
        if not posts:
            return report
        with self.store.transaction():
            for post_id in sorted(posts, key=id_key):
                post, author = posts[post_id]
                if post.mentions_user(self.bot.username) or self.store.is_seen(self.campaign.id, post.id):
                    continue  # mentions are the mentions timeline's to handle
                outcome = self.on_post(post, author)
                self.store.mark_seen(self.campaign.id, post.id, author_id=post.author_id, kind="search",
                                     outcome=outcome, intent=None, at=self.clock.now())
                report.handled += 1
                report.outcomes[outcome] += 1
            self.store.set_cursor(self.campaign.id, SEARCH, max(posts, key=id_key), self.clock.now())
        return report

    def _search(self, query: str, since: str | None) -> list[Page]:
        try:
            return list(self.platform.iter_search_recent(query, since_id=since, max_results=100))
        except InvalidRequest as exc:
            if since is None or "since_id" not in str(exc):
                raise
            # The cursor fell out of search's 7-day window: read the window from its start.
            self._log.info("search cursor older than 7 days; reading the whole window")
            return list(self.platform.iter_search_recent(query, max_results=100))
