"""Amplification: reposts of mentees' wins, congratulations, #FollowFriday, calls for mentors.

Everything here plans actions for the outbox; nothing writes to X directly. Only active
participants who allow shout-outs are ever named, and :meth:`Amplifier.blocker` checks that
again right before each post or repost goes out (an opt-out between planning and sending wins).
"""
from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

from loguru import logger

from ..clock import Clock
from ..domain.campaign import Campaign
from ..domain.followfriday import Candidate, pack, select
from ..domain.records import Action, Participant
from ..domain.reposts import Taken, Win, amplifiable, cancel_reason, plan_slots
from ..domain.rounds import OPEN, match_id_from_key, pair_ended_reason
from ..domain.templates import at, format_date, render
from ..domain.vocabulary import Vocabulary
from ..errors import PlatformError
from ..ports import Platform, Store

__all__ = ["Amplifier"]

# Keys name the campaign: two campaigns in one database may both amplify the same post.
_REPOST, _CONGRATS, _FF, _CALL = "repost:", "congrats:", "ff:", "call:"


class Amplifier:
    def __init__(self, store: Store, campaign: Campaign, vocabulary: Vocabulary, clock: Clock,
                 platform: Platform | None = None):
        self.store, self.campaign, self.vocabulary, self.clock = store, campaign, vocabulary, clock
        self.platform = platform
        self._log = logger.bind(campaign=campaign.id)

    # --- wins ---------------------------------------------------------------------------------

    def win_actions(self, post_id: str, posted_at: datetime, person: Participant) -> tuple[Action, ...]:
        """The repost (at a time policy chooses) and the optional congratulation for one win."""
        c, now = self.campaign, self.clock.now()
        if not c.amplification.reposts or not amplifiable(person) \
                or self.store.action(f"{_REPOST}{c.id}:{post_id}") is not None:
            return ()
        limits = c.limits
        gap = timedelta(hours=limits.repost_gap_per_person_hours)
        taken = [Taken(pid, t) for pid, t in self.store.reposts_since(c.id, now - max(gap, timedelta(days=1)))]
        plan = plan_slots([Win(post_id, person.person_id, posted_at)], now=now, zone=c.zone,
                          quiet=c.quiet_hours, daily_cap=limits.reposts_per_day, gap_per_person=gap,
                          min_spacing=timedelta(minutes=limits.min_minutes_between_posts), taken=taken)
        if not plan.slots:
            reason = plan.skipped[0].reason if plan.skipped else "no slot"
            self._log.info("win {} of @{} not reposted: {}", post_id, person.handle, reason)
            return ()
        when = plan.slots[0].at
        actions = [Action(key=f"{_REPOST}{c.id}:{post_id}", campaign_id=c.id, kind="repost", target_post_id=post_id,
                          person_ids=(person.person_id,), optional=True, not_before=when, created_at=now)]
        congrats = self._congratulation(post_id, person, when + timedelta(minutes=limits.min_minutes_between_posts))
        if congrats is not None:
            actions.append(congrats)
        self._log.info("win {} of @{}: repost planned for {:%a %H:%M} UTC", post_id, person.handle, when)
        return tuple(actions)

    def _congratulation(self, post_id: str, person: Participant, when: datetime) -> Action | None:
        c = self.campaign
        if not c.amplification.congratulate:
            return None
        mentor = self._mentor_of(person) if c.amplification.congratulate_tags_mentor else None
        variants = [t for t in c.templates.variants("congratulate") if (mentor is not None) == ("{mentor}" in t)]
        variants = variants or [t for t in c.templates.variants("congratulate") if "{mentor}" not in t]
        # Start from a variant picked by the post id; skip any text already posted (X refuses a
        # duplicate, and a second win of the same person deserves other words anyway).
        used = set(self.store.action_texts(c.id, _CONGRATS))
        first = zlib.crc32(post_id.encode()) % len(variants)
        texts = (render(variants[(first + i) % len(variants)], hashtag=c.primary_hashtag, bot="@" + c.bot_handle,
                        mentee=at(person.handle), mentor=at(mentor.handle) if mentor else "")
                 for i in range(len(variants)))
        text = next((t for t in texts if t not in used), None)
        if text is None:
            self._log.info("win {} of @{}: no congratulation left that was not posted before", post_id,
                           person.handle)
            return None
        people = (person.person_id,) + ((mentor.person_id,) if mentor else ())
        return Action(key=f"{_CONGRATS}{c.id}:{post_id}", campaign_id=c.id, kind="post", text=text, person_ids=people,
                      optional=True, not_before=when, created_at=self.clock.now())

    def _mentor_of(self, mentee: Participant) -> Participant | None:
        for match in self.store.matches(self.campaign.id, status="active", person_id=mentee.person_id):
            if match.mentee_id == mentee.person_id:
                mentor = self.store.participant(self.campaign.id, match.mentor_id)
                if mentor is not None and mentor.status == "active" and mentor.shout_outs:
                    return mentor
        return None

    # --- #FollowFriday ------------------------------------------------------------------------

    def follow_friday(self) -> int:
        """Plan this week's edition: newcomers first, fair rotation, threaded under the first post."""
        c, now = self.campaign, self.clock.now()
        local = now.astimezone(c.zone)
        year, week, _ = local.isocalendar()
        edition = f"{year}-W{week:02d}"
        prefix = f"{_FF}{c.id}:{edition}:"
        if self.store.action(prefix + "1") is not None:
            return 0  # this week's edition is already planned
        counts, last = self.store.feature_counts(c.id), self.store.last_featured(c.id)
        since = max(last.values(), default=None)
        # An edition introduces people not featured yet (newcomers since the last edition, and any
        # a full edition left over, earliest first); everyone else was introduced already.
        people = [Candidate(p.person_id, p.handle, p.role, p.specialties, p.joined_at, 0, None)
                  for p in self.store.participants(c.id, status="active")
                  if p.shout_outs and not counts.get(p.person_id)]
        chosen = _pool_small_groups(select(people, since=since, limit=_edition_size(c)))
        if not chosen:
            return 0
        posts = pack(chosen, headers=c.templates.variants("follow_friday_header"), hashtag=c.primary_hashtag,
                     specialty_label=self.vocabulary.label, mentions_per_post=c.limits.mentions_per_post,
                     used_texts=self.store.action_texts(c.id, f"{_FF}{c.id}:"), edition_index=week,
                     values={"week": str(week), "date": format_date(local.date()), "bot": "@" + c.bot_handle})
        head = prefix + "1"
        with self.store.transaction():
            for n, post in enumerate(posts, start=1):
                key = prefix + str(n)
                self.store.plan(Action(key=key, campaign_id=c.id, kind="post", text=post.text,
                                       person_ids=post.person_ids, optional=True, not_before=now,
                                       created_at=now, thread_key=head if n > 1 else None))
                for person_id in post.person_ids:
                    self.store.record_feature(c.id, person_id, edition, now, key)
            self.store.record_event("follow_friday_planned", now, campaign_id=c.id,
                                    data={"edition": edition, "posts": len(posts),
                                          "people": sum(len(p.person_ids) for p in posts)})
        self._log.info("#FollowFriday {}: {} people in {} post(s)", edition,
                       sum(len(p.person_ids) for p in posts), len(posts))
        return len(posts)

    # --- calls for mentors --------------------------------------------------------------------

    def call_for_mentors(self) -> bool:
        """Plan the recurring call; replies to it arrive as mentions and are read as joins."""
        c, now = self.campaign, self.clock.now()
        local = now.astimezone(c.zone).date()
        key = f"{_CALL}{c.id}:{local.isoformat()}"
        if self.store.action(key) is not None:
            return False
        busy = {m.mentee_id for m in self.store.matches(c.id) if m.status in OPEN}
        waiting = sum(1 for p in self.store.participants(c.id, role="mentee", status="active")
                      if p.person_id not in busy)
        variants = c.templates.variants("call_for_mentors")
        text = render(variants[local.isocalendar()[1] % len(variants)], hashtag=c.primary_hashtag,
                      bot="@" + c.bot_handle, date=format_date(local), week=str(local.isocalendar()[1]),
                      waiting=str(waiting))
        planned = self.store.plan(Action(key=key, campaign_id=c.id, kind="post", text=text,
                                         not_before=now, created_at=now))
        if planned:
            self._log.info("call for mentors planned ({} mentee(s) waiting)", waiting)
        return planned

    # --- the last check before sending -------------------------------------------------------

    def blocker(self, action: Action) -> str | None:
        """Why a post or repost naming people must not go out now (None: it may).

        Everyone named must still be an active participant (optional posts: with shout-outs on);
        a repost's post must still exist.
        """
        if action.kind not in ("post", "repost") or not action.person_ids:
            return None
        match_id = match_id_from_key(action.key)
        if match_id is not None:
            match = self.store.match(match_id)
            if match is None or match.status not in OPEN:
                return pair_ended_reason(match.status if match else "gone")
        for person_id in action.person_ids:
            p = self.store.participant(self.campaign.id, person_id)
            active = p is not None and p.status == "active"
            consent = p is not None and (p.shout_outs or not action.optional)
            if not active or not consent:
                return cancel_reason(True, active, consent)
        if action.kind == "repost" and action.target_post_id and self.platform is not None:
            try:
                missing = self.platform.posts([action.target_post_id]).missing
            except PlatformError:
                return None  # cannot tell now: the repost itself will find out
            if action.target_post_id in missing:
                return cancel_reason(False, True, True)
        return None


def _pool_small_groups(chosen: list[Candidate]) -> list[Candidate]:
    """People alone in their specialty this week go in the general group: one post for the
    few, not one post per person."""
    firsts = Counter(c.specialties[0] for c in chosen if c.specialties)
    return [c if c.specialties and firsts[c.specialties[0]] > 1 else replace(c, specialties=())
            for c in chosen]


def _edition_size(c: Campaign) -> int:
    """At most five posts' worth of people per edition: a thread, not a flood."""
    return 5 * c.limits.mentions_per_post
