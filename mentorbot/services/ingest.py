"""Reading the bot's mentions: every post handled exactly once, one transaction per page.

Pages arrive newest first; they are fetched completely (up to X's 800 newest), then handled
oldest page first, oldest post first. Each page is one transaction: the posts marked seen with
their outcome, what they mean stored, the actions they call for planned, and the cursor moved to
the page's newest id. A crash mid-page rolls the page back, and it is read again. A pagination
that fails half-way handles nothing (the cursor would skip the older, unread pages).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from loguru import logger

from ..clock import Clock
from ..domain.campaign import Campaign
from ..domain.intake import Decision, screen
from ..domain.model import Page, Post, User
from ..ports import Platform, Store

__all__ = ["MentionIngest", "IngestReport", "Interpreter", "apply_decision"]

MENTIONS = "mentions"
#: (post, author, store) -> Decision: what a screened-in post means and what it calls for.
Interpreter = Callable[[Post, User, Store], Decision]


@dataclass
class IngestReport:
    pages: int = 0
    read: int = 0
    handled: int = 0
    outcomes: Counter = field(default_factory=Counter)


class MentionIngest:
    def __init__(self, store: Store, platform: Platform, campaign: Campaign, clock: Clock, *,
                 bot: User, interpret: Interpreter):
        self.store, self.platform, self.campaign, self.clock = store, platform, campaign, clock
        self.bot = bot
        self.interpret = interpret
        self._log = logger.bind(campaign=campaign.id)

    def poll(self) -> IngestReport:
        """Read every new mention and handle it; return what happened."""
        report = IngestReport()
        since = self.store.cursor(self.campaign.id, MENTIONS)
        pages = list(self.platform.iter_mentions(self.bot.id, since_id=since, max_results=100))
        for page in reversed(pages):
            report.pages += 1
            report.read += len(page.posts)
            self.handle_page(page, report)
        return report

    def handle_page(self, page: Page, report: IngestReport) -> None:
        with self.store.transaction():
            for post in page.oldest_first():
                if self.store.is_seen(self.campaign.id, post.id):
                    continue
                outcome = self._handle_post(post, page.author(post))
                report.handled += 1
                report.outcomes[outcome] += 1
            if page.newest_id:
                self.store.set_cursor(self.campaign.id, MENTIONS, page.newest_id, self.clock.now())

    def _handle_post(self, post: Post, author: User | None) -> str:
        """Screen, interpret and apply one post inside the page's transaction; return its outcome."""
        now = self.clock.now()
        forgotten = self.store.forgotten_at(post.author_id) if post.author_id else None
        reason = screen(post, author, campaign=self.campaign, bot_id=self.bot.id,
                        forgotten_at=forgotten)
        if reason is not None:
            self.store.mark_seen(self.campaign.id, post.id, author_id=post.author_id, kind="mention",
                                 outcome=reason, intent=None, at=now)
            self._log.debug("post {}: {}", post.id, reason)
            return reason
        assert author is not None
        try:
            with self.store.transaction():  # a savepoint: one bad post never spoils its page
                self.store.upsert_person(author, now)
                decision = self.interpret(post, author, self.store)
                # Seen before applying: forgetting a person must also erase this very row.
                self.store.mark_seen(self.campaign.id, post.id, author_id=author.id, kind="mention",
                                     outcome=decision.outcome, intent=decision.intent, at=now)
                apply_decision(self.store, self.campaign.id, author, decision, now)
        except Exception as exc:  # logged and skipped: never a crash of the loop
            self._log.exception("post {} could not be handled: {!r}", post.id, exc)
            self.store.mark_seen(self.campaign.id, post.id, author_id=post.author_id, kind="mention",
                                 outcome=f"error:{type(exc).__name__}", intent=None, at=now)
            return "error"
        self._log.info("@{} post {}: {}{}", author.username, post.id, decision.outcome,
                       f" ({'; '.join(decision.evidence)})" if decision.evidence else "")
        return decision.outcome


def apply_decision(store: Store, campaign_id: str, author: User, decision: Decision, now) -> None:
    """Write what a decision says, in the caller's transaction.

    Order matters for an erasure: everything naming the person is changed or recorded first, then
    the person is forgotten, and only then is the confirmation planned (it names no one).
    """
    log = logger.bind(campaign=campaign_id)
    if decision.participant is not None:
        store.save_participant(decision.participant)
    if decision.status is not None:
        status, until = decision.status
        store.set_participant_status(campaign_id, author.id, status, now, paused_until=until)
    if decision.cancel_planned:
        n = store.cancel_for_person(campaign_id, author.id, decision.outcome, now)
        if n:
            log.info("cancelled {} planned action(s) naming @{}", n, author.username)
    if decision.end_matches:
        for match in store.matches(campaign_id, person_id=author.id):
            if match.status in ("proposed", "active"):
                store.set_match_status(match.id, "ended", now)
                store.record_event("match_ended", now, campaign_id=campaign_id, subject_id=author.id,
                                   source_post_id=decision.source_post_id, data={"match": match.id})
    for match_id, status, answer in decision.match_updates:
        store.set_match_status(match_id, status, now, check_in=answer)
    for kind, data in decision.events:
        store.record_event(kind, now, campaign_id=campaign_id, subject_id=author.id,
                           source_post_id=decision.source_post_id, data=data)
    if decision.forget:
        store.forget_person(author.id, now)
        store.record_event("person_erased", now, campaign_id=campaign_id)
        log.info("erased everything about a person, as asked (post {})", decision.source_post_id)
    for action in decision.actions:
        store.plan(action)
