"""Sending planned actions: the only code that calls the platform's write methods.

Every action goes planned -> sending -> done (or refused / failed / cancelled). ``sending`` is
committed before the call, so a crash at any instant leaves one of three states:
- still planned: nothing was sent; it is sent later;
- sending: the call may or may not have reached X. :meth:`Sender.reconcile` looks for it on the
  bot's own timeline (same reply target and text, same text, or same reposted post) and marks it
  done, or puts it back to planned. Nothing is sent again before that check;
- done: the post exists and its id is recorded.
So a crash loses nothing and posts nothing twice. A call that fails without an answer
(timeout, 5xx) is treated like a crash: the action stays ``sending`` until reconciled.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from loguru import logger

from ..clock import Clock
from ..domain.campaign import Campaign
from ..domain.model import Post
from ..domain.policy import SendContext, backoff_delay, local_midnight_before, send_decision
from ..domain.pricing import write_cost
from ..domain.records import Action
from ..domain.registration import ERASURE_PREFIX
from ..errors import (AuthError, CreditsExhausted, DuplicatePost, InvalidRequest, NotFound,
                      PlatformError, PlatformUnavailable, PostTooLong, RateLimited,
                      ReplyNotAllowed, UsageCapped)
from ..ports import Platform, Store

__all__ = ["Sender", "SendReport", "normalize_text"]

_URL = re.compile(r"https?://\S+")
_SPACE = re.compile(r"\s+")
_SCHEDULED = ("post", "repost")  # spacing and quiet hours apply to these, not to replies
_PAUSE_ON_LIMIT = timedelta(minutes=15)


def normalize_text(text: str | None) -> str:
    """Text as compared during reconciliation: X wraps links in t.co and may trim spaces."""
    text = unicodedata.normalize("NFC", text or "")
    return _SPACE.sub(" ", _URL.sub("<url>", text)).strip()


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    waiting: int = 0
    dropped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    reconciled: int = 0
    stopped: str | None = None  # why the batch ended early (rate limit, credits...)


#: Why a dry run's actions end cancelled: nothing was refused, nothing was sent.
DRY_RUN_REASON = "dry run: not sent"


class Sender:
    """Sends a campaign's due actions within its policy (caps, spacing, quiet hours, budget)."""

    def __init__(self, store: Store, platform: Platform, campaign: Campaign, clock: Clock, *,
                 bot_id: str, spent_usd: callable, rng: random.Random | None = None,
                 dry_run: bool = False, precheck: Callable[[Action], str | None] | None = None):
        self.store, self.platform, self.campaign, self.clock = store, platform, campaign, clock
        self.bot_id = bot_id
        #: The last look before a post or repost goes out: a reason to cancel it, or None.
        self.precheck = precheck
        self._spent = spent_usd
        self._rng = rng or random.Random()
        self.dry_run = dry_run
        self._log = logger.bind(campaign=campaign.id)

    # --- after a crash or an unanswered call ------------------------------------------------

    def reconcile(self) -> int:
        """Settle every ``sending`` action against the bot's own timeline; return how many."""
        sending = self.store.actions_in_state("sending", self.campaign.id)
        if not sending:
            return 0
        own = self._own_recent_posts()
        now = self.clock.now()
        for action in sending:
            found = _find_sent(action, own)
            if found is not None:
                with self.store.transaction():
                    self.store.mark_done(action.key, found, now)
                    self._scrub_erasure(action.key)
                self._log.info("reconciled {}: it was sent (post {})", action.key, found)
            elif action.kind in ("delete", "undo_repost") and self._already_undone(action, own):
                self.store.mark_done(action.key, action.target_post_id, now)
                self._log.info("reconciled {}: already done", action.key)
            else:
                retry = now + timedelta(seconds=backoff_delay(action.attempts, self._rng.random()))
                self.store.mark_failed(action.key, "unconfirmed send, retrying", now, retry)
                self._log.info("reconciled {}: not on the timeline, retry at {:%H:%M}", action.key, retry)
        return len(sending)

    def _own_recent_posts(self) -> list[Post]:
        posts: list[Post] = []
        page = self.platform.own_posts(self.bot_id, max_results=100)
        posts.extend(page.posts)
        return posts

    def _already_undone(self, action: Action, own: list[Post]) -> bool:
        if action.kind == "undo_repost":
            return not any(p.retweeted_id == action.target_post_id for p in own)
        return action.target_post_id is not None and action.target_post_id in \
            self.platform.posts([action.target_post_id]).missing

    # --- the send loop ------------------------------------------------------------------------

    def send_due(self, limit: int = 20) -> SendReport:
        """Reconcile, then send due actions in order until ``limit``, a wait, or a stop."""
        report = SendReport()
        report.reconciled = self.reconcile()
        for action in self.store.due_actions(self.campaign.id, self.clock.now(), limit=limit):
            if not self._send_one(action, report):
                break
        return report

    def _context(self, now: datetime) -> SendContext:
        cid, midnight = self.campaign.id, local_midnight_before(now, self.campaign.zone)
        return SendContext(now=now, sent_today=self.store.count_done_since(cid, None, midnight),
                           reposts_today=self.store.count_done_since(cid, "repost", midnight),
                           last_post_at=self.store.last_done_at(cid, _SCHEDULED),
                           spent_usd=self._spent())

    def _send_one(self, action: Action, report: SendReport) -> bool:
        """Handle one due action; False stops the batch (the platform asked us to wait)."""
        now = self.clock.now()
        in_reply_to = action.in_reply_to
        if action.thread_key:
            parent = self.store.action(action.thread_key)
            if parent is None or parent.status in ("cancelled", "refused", "failed"):
                self.store.cancel(action.key, "thread parent was not posted", now)
                report.dropped.append(action.key)
                return True
            if parent.status != "done":
                self.store.defer(action.key, now + timedelta(minutes=1), "waiting for thread parent", now)
                report.waiting += 1
                return True
            in_reply_to = parent.result_id
        cost = write_cost(action.kind, action.text, is_reply=in_reply_to is not None)
        decision = send_decision(action, self.campaign, self._context(now), cost)
        if decision.verdict == "drop":
            self.store.cancel(action.key, decision.reason, now)
            self._log.info("dropped {}: {}", action.key, decision.reason)
            report.dropped.append(action.key)
            return True
        if decision.verdict == "wait":
            self.store.defer(action.key, decision.not_before, decision.reason, now)
            report.waiting += 1
            # Caps and budget hold for every later action too; quiet hours/spacing only for posts.
            return decision.reason not in ("daily_cap", "budget_exhausted")
        blocked = self.precheck(action) if self.precheck is not None else None
        if blocked:
            self.store.cancel(action.key, blocked, now)
            self._log.info("cancelled {} before sending: {}", action.key, blocked)
            report.dropped.append(action.key)
            return True
        if self.dry_run:
            self._log.info("DRY RUN would {} {}: {!r}", action.kind, action.key, action.text)
            with self.store.transaction():
                self.store.cancel(action.key, DRY_RUN_REASON, now)
                self._scrub_erasure(action.key)
            report.dropped.append(action.key)
            return True
        return self._call(action, in_reply_to, report)

    def _call(self, action: Action, in_reply_to: str | None, report: SendReport) -> bool:
        now = self.clock.now()
        if not self.store.mark_sending(action.key, now):
            return True  # someone else moved it (cancelled by an opt-out a moment ago)
        try:
            result = self._write(action, in_reply_to)
        except (DuplicatePost, ReplyNotAllowed, PostTooLong, NotFound) as exc:
            if isinstance(exc, DuplicatePost) and action.attempts:
                # An earlier attempt answered with an error (a 429 or 5xx) may have gone through
                # all the same: then the "duplicate" is this very post, and the action is done.
                found = _find_sent(action, self._own_recent_posts())
                if found is not None:
                    with self.store.transaction():
                        self.store.mark_done(action.key, found, self.clock.now())
                        self._scrub_erasure(action.key)
                    self._log.info("{} was already sent by an earlier attempt (post {})", action.key, found)
                    report.reconciled += 1
                    return True
            reason = {DuplicatePost: "duplicate", ReplyNotAllowed: "reply_gate",
                      PostTooLong: "too_long", NotFound: "not_found"}[type(exc)]
            with self.store.transaction():
                self.store.mark_refused(action.key, f"{reason}: {exc}", self.clock.now())
                self._scrub_erasure(action.key)
            self._log.warning("refused {} ({}): {}", action.key, reason, exc)
            report.refused.append(action.key)
            return True
        except RateLimited as exc:
            retry = _at(exc.retry_at) or now + _PAUSE_ON_LIMIT
            self.store.mark_failed(action.key, f"rate limited: {exc}", self.clock.now(), retry)
            report.stopped = f"rate limited until {retry:%H:%M}"
            self._log.warning("rate limited on {}; writes wait until {}", action.key, retry)
            return False
        except (CreditsExhausted, UsageCapped, AuthError) as exc:
            self.store.mark_failed(action.key, str(exc), self.clock.now(), now + timedelta(hours=1))
            report.stopped = type(exc).__name__
            self._log.error("cannot write ({}): {}", type(exc).__name__, exc)
            return False
        except PlatformUnavailable as exc:
            # No answer: the post may exist. Leave it "sending" for reconcile() to settle.
            self._log.warning("no answer for {} ({}); will reconcile before retrying", action.key, exc)
            report.failed.append(action.key)
            return False
        except (InvalidRequest, PlatformError) as exc:
            with self.store.transaction():
                self.store.mark_refused(action.key, f"invalid: {exc}", self.clock.now())
                self._scrub_erasure(action.key)
            self._log.error("X rejected {}: {}", action.key, exc)
            report.refused.append(action.key)
            return True
        with self.store.transaction():
            self.store.mark_done(action.key, result, self.clock.now())
            self._scrub_erasure(action.key)
        self._log.info("sent {} -> post {}", action.key, result)
        report.sent.append(action.key)
        return True

    def _scrub_erasure(self, key: str) -> None:
        """Blank an erasure's confirmation once it is settled (sent, refused or not sent at all):
        its text names the erased person, and nothing naming them may stay."""
        if key.startswith(ERASURE_PREFIX):
            self.store.scrub_action(key)

    def _write(self, action: Action, in_reply_to: str | None) -> str | None:
        if action.kind in ("reply", "post"):
            # A "post" answering the bot's own post (a thread, a check-in) is not a reply to someone
            # who summoned the bot, and X prices it as a new post.
            return self.platform.create_post(action.text or "", in_reply_to=in_reply_to,
                                             summoned=action.kind == "reply").id
        if action.kind == "repost":
            self.platform.repost(self.bot_id, action.target_post_id or "")
            return action.target_post_id
        if action.kind == "undo_repost":
            self.platform.undo_repost(self.bot_id, action.target_post_id or "")
            return action.target_post_id
        if action.kind == "delete":
            self.platform.delete_post(action.target_post_id or "")
            return action.target_post_id
        raise ValueError(f"unknown action kind {action.kind!r}")


def _find_sent(action: Action, own: list[Post]) -> str | None:
    """The id of the bot's post that this action created, if it is on the timeline."""
    if action.kind == "repost":
        return action.target_post_id if any(p.retweeted_id == action.target_post_id for p in own) else None
    if action.kind not in ("reply", "post"):
        return None
    wanted = normalize_text(action.text)
    for post in own:
        if post.retweeted_id or normalize_text(post.text) != wanted:
            continue
        if action.in_reply_to is None or post.replied_to_id == action.in_reply_to \
                or action.thread_key is not None:
            return post.id
    return None


def _at(unix: float | None) -> datetime | None:
    from datetime import timezone

    return datetime.fromtimestamp(unix, tz=timezone.utc) if unix else None
