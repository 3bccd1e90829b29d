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
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable, Iterable

from loguru import logger

from ..clock import Clock
from ..domain.campaign import Campaign
from ..domain.intake import Decision, screen
from ..domain.model import Page, Post, User
from ..domain.records import Participant
from ..domain.rounds import OPEN, pair_ended_reason, pair_post_keys
from ..ports import Platform, Store

__all__ = ["MentionIngest", "IngestReport", "Interpreter", "PageView", "apply_decision"]

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
        # Not waiting for the disk: a page lost to a power cut is read again (its cursor is lost
        # with it), and nothing it planned can have been sent before a durable commit.
        with self.store.transaction(durable=False):
            view = PageView(self.store, self.campaign.id, page)
            for post in page.oldest_first():
                if view.is_seen(post.id):
                    continue
                outcome = self._handle_post(post, page.author(post), view)
                report.handled += 1
                report.outcomes[outcome] += 1
            if page.newest_id:
                self.store.set_cursor(self.campaign.id, MENTIONS, page.newest_id, self.clock.now())

    def _handle_post(self, post: Post, author: User | None, view: PageView) -> str:
        """Screen, interpret and apply one post inside the page's transaction; return its outcome."""
        now = self.clock.now()
        forgotten = view.forgotten_at(post.author_id) if post.author_id else None
        reason = screen(post, author, campaign=self.campaign, bot_id=self.bot.id,
                        forgotten_at=forgotten)
        if reason is not None:
            self.store.mark_seen(self.campaign.id, post.id, author_id=post.author_id, kind="mention",
                                 outcome=reason, intent=None, at=now)
            view.handled(post)
            self._log.debug("post {}: {}", post.id, reason)
            return reason
        assert author is not None
        decision = None
        try:
            with self.store.transaction():  # a savepoint: one bad post never spoils its page
                self.store.upsert_person(author, now)
                decision = self.interpret(post, author, view)
                # Seen before applying: forgetting a person must also erase this very row.
                self.store.mark_seen(self.campaign.id, post.id, author_id=author.id, kind="mention",
                                     outcome=decision.outcome, intent=decision.intent, at=now)
                apply_decision(self.store, self.campaign.id, author, decision, now)
        except Exception as exc:  # logged and skipped: never a crash of the loop
            view.handled(post, decision)
            self._log.exception("post {} could not be handled: {!r}", post.id, exc)
            self.store.mark_seen(self.campaign.id, post.id, author_id=post.author_id, kind="mention",
                                 outcome=f"error:{type(exc).__name__}", intent=None, at=now)
            return "error"
        view.handled(post, decision)
        # One line per decision, saying why; the reasons are joined only if the line is written.
        self._log.info("@{} post {}: {}{}", author.username, post.id, decision.outcome,
                       _Why(decision.evidence))
        return decision.outcome


class _Why:
    """The " (why; why)" tail of a decision's log line: loguru formats it only when it writes."""

    __slots__ = ("evidence",)

    def __init__(self, evidence: tuple[str, ...]):
        self.evidence = evidence

    def __format__(self, spec: str) -> str:
        return f" ({'; '.join(self.evidence)})" if self.evidence else ""


class PageView:
    """The store as the posts of one page see it, inside the page's transaction.

    Every post asks the same things: was it seen, was its author forgotten, is the author a
    participant, how many replies have they had today and ever. Asked post by post that is five
    queries each; here each is one query for the whole page, made the first time it is needed.

    An answer read for the page is trusted for a person only until a post of the page changes
    something about them: once their post is handled, or an action naming them is planned, their
    questions go to the store again. A post that erases someone (which deletes rows naming other
    people too) turns the page's answers off altogether. Everything else passes straight through
    to the store, so the view is a Store wherever the interpreter needs one.
    """

    def __init__(self, store: Store, campaign_id: str, page: Page):
        self._store, self._campaign_id = store, campaign_id
        self._posts = {post.id for post in page.posts}
        self._people = {post.author_id for post in page.posts if post.author_id}
        self._changed: set[str] = set()  # people a handled post may have changed
        self._off = False
        self._seen: set[str] | None = None
        self._forgotten: dict[str, datetime] | None = None
        self._participants: dict[str, Participant] | None = None
        self._counts: dict[tuple[str, datetime | None], dict[str, int]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def _fresh(self, person_id: str) -> bool:
        return not self._off and person_id in self._people and person_id not in self._changed

    def _unchanged(self) -> Iterable[str]:
        return sorted(self._people - self._changed)

    def handled(self, post: Post, decision: Decision | None = None) -> None:
        """``post`` was handled (or failed): forget what the page read about whom it touched."""
        if self._seen is not None:
            self._seen.add(post.id)
        if post.author_id:
            self._changed.add(post.author_id)
        if decision is None:
            return
        if decision.forget:
            self._off = True
        if decision.participant is not None:
            self._changed.add(decision.participant.person_id)
        for action in decision.actions:
            self._changed.update(action.person_ids)

    def is_seen(self, post_id: str) -> bool:
        if self._off or post_id not in self._posts:
            return self._store.is_seen(self._campaign_id, post_id)
        if self._seen is None:
            self._seen = self._store.seen_among(self._campaign_id, sorted(self._posts))
        return post_id in self._seen

    def forgotten_at(self, person_id: str) -> datetime | None:
        if not self._fresh(person_id):
            return self._store.forgotten_at(person_id)
        if self._forgotten is None:
            self._forgotten = self._store.forgotten_among(self._unchanged())
        return self._forgotten.get(person_id)

    def participant(self, campaign_id: str, person_id: str) -> Participant | None:
        if campaign_id != self._campaign_id or not self._fresh(person_id):
            return self._store.participant(campaign_id, person_id)
        if self._participants is None:
            self._participants = self._store.participants_among(campaign_id, self._unchanged())
        return self._participants.get(person_id)

    def count_actions_for_person(self, campaign_id: str, person_id: str, kind: str,
                                 since: datetime | None = None) -> int:
        if campaign_id != self._campaign_id or not self._fresh(person_id):
            return self._store.count_actions_for_person(campaign_id, person_id, kind, since)
        counts = self._counts.get((kind, since))
        if counts is None:
            counts = self._counts[kind, since] = self._store.count_actions_for_people(
                campaign_id, self._unchanged(), kind, since)
        return counts.get(person_id, 0)


@lru_cache(maxsize=64)
def _campaign_log(campaign_id: str) -> Any:
    """The logger bound to a campaign, bound once (binding copies the logger)."""
    return logger.bind(campaign=campaign_id)


def apply_decision(store: Store, campaign_id: str, author: User, decision: Decision, now) -> None:
    """Write what a decision says, in the caller's transaction.

    Order matters for an erasure: everything naming the person is changed or recorded first, then
    the person is forgotten, and only then is the confirmation planned (it names no one).
    """
    log = _campaign_log(campaign_id)
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
        if status not in OPEN:  # the pair is over: its introduction or check-in must not go out
            for key in pair_post_keys(match_id):
                store.cancel(key, pair_ended_reason(status), now)
    for kind, data in decision.events:
        store.record_event(kind, now, campaign_id=campaign_id, subject_id=author.id,
                           source_post_id=decision.source_post_id, data=data)
    if decision.forget:
        store.forget_person(author.id, now)
        store.record_event("person_erased", now, campaign_id=campaign_id)
        log.info("erased everything about a person, as asked (post {})", decision.source_post_id)
    for action in decision.actions:
        store.plan(action)
