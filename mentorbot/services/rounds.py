"""Matching rounds, approvals and check-ins: the calendar jobs that pair people and follow up.

A round reads every active participant and every match, solves the whole cohort at once
(:func:`mentorbot.domain.matching.solve`), stores each pair with its explanation, and plans one
introduction per pair, all in one transaction. With ``matching.require_approval`` the pairs wait
as "proposed" until an organizer approves them (``mentorbot matches approve``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from loguru import logger

from ..clock import Clock
from ..domain.campaign import Campaign
from ..domain.classify import Classifier
from ..domain.matching import solve
from ..domain.records import Action, Match, Participant
from ..domain.rounds import (OPEN, cancelled_because_pair_ended, check_in, check_in_key, cohort, intro_key,
                             introduction, pair_ended_reason, pair_post_keys)
from ..domain.vocabulary import Vocabulary
from ..ports import Store
from .outbox import DRY_RUN_REASON

__all__ = ["MatchingRound", "RoundReport"]


@dataclass
class RoundReport:
    mentees: int = 0  # waiting at the start of the round
    mentors: int = 0  # with a free seat
    matched: int = 0
    introductions: int = 0
    released: int = 0  # matches ended because their introduction was never sent
    check_ins: int = 0
    pairs: list[tuple[str, str, float]] = field(default_factory=list)


class MatchingRound:
    def __init__(self, store: Store, campaign: Campaign, vocabulary: Vocabulary, clock: Clock,
                 classifier: Classifier | None = None):
        self.store, self.campaign, self.vocabulary, self.clock = store, campaign, vocabulary, clock
        self._classifier = classifier
        self._log = logger.bind(campaign=campaign.id)

    # --- the round ----------------------------------------------------------------------------

    def run(self) -> RoundReport:
        """Pair every waiting mentee the cohort allows; plan the introductions."""
        report, now, cid = RoundReport(), self.clock.now(), self.campaign.id
        with self.store.transaction():
            report.released = self._release_unsent(now)
            people = {p.person_id: p for p in self.store.participants(cid)}
            matches = self.store.matches(cid)
            group = cohort(people.values(), matches, self.campaign, self._preferred,
                           never_introduced=self._never_introduced(matches))
            report.mentees = len(group.mentees)
            report.mentors = sum(1 for m in group.mentors if m.load < m.capacity)
            if not group.mentees or not group.mentors:
                self._log.info("matching round: {} waiting mentee(s), {} mentor(s) with room: nothing to do",
                               report.mentees, report.mentors)
                return report
            solution = solve(group.mentees, group.mentors, vocabulary=self.vocabulary,
                             matching=self.campaign.matching, max_load=self.campaign.limits.mentees_per_mentor,
                             allow_preference=self.campaign.allow_stated_preference)
            status = "proposed" if self.campaign.matching.require_approval else "active"
            for pair in solution.pairs:
                match = Match(campaign_id=cid, mentee_id=pair.mentee, mentor_id=pair.mentor, proposed_at=now,
                              score=round(pair.score, 3), reasons=tuple(pair.reasons), status=status)
                match_id = self.store.add_match(match)
                self.store.record_event("match_proposed", now, campaign_id=cid, subject_id=pair.mentee,
                                        data={"match": match_id, "mentor": pair.mentor,
                                              "score": round(pair.score, 3), "status": status})
                report.matched += 1
                report.pairs.append((people[pair.mentee].handle, people[pair.mentor].handle, pair.score))
                if status == "active":
                    report.introductions += self._introduce(replace(match, id=match_id), people, now)
        self._log.info("matching round: {} of {} waiting mentee(s) matched ({} introduction(s) planned{})",
                       report.matched, report.mentees, report.introductions,
                       ", awaiting organizer approval" if status == "proposed" else "")
        for mentee, mentor, score in report.pairs:
            self._log.info("matched @{} with mentor @{} (score {:.2f})", mentee, mentor, score)
        return report

    def approve(self, match_ids: list[int]) -> list[int]:
        """Approve proposed matches (organizer); plan their introductions. The ids approved."""
        now, cid, done = self.clock.now(), self.campaign.id, []
        with self.store.transaction():
            people = {p.person_id: p for p in self.store.participants(cid)}
            for match_id in match_ids:
                match = self.store.match(match_id)
                if match is None or match.campaign_id != cid or match.status != "proposed":
                    continue
                if any(people.get(pid) is None or people[pid].status != "active"
                       for pid in (match.mentee_id, match.mentor_id)):
                    self._log.info("match {} not approved: one of the pair is not active now", match_id)
                    continue
                self.store.set_match_status(match_id, "active", now)
                self.store.record_event("match_approved", now, campaign_id=cid, subject_id=match.mentee_id,
                                        data={"match": match_id})
                self._introduce(match, people, now)
                done.append(match_id)
        return done

    def end(self, match_id: int, *, status: str = "ended", reason: str = "organizer") -> bool:
        """End a proposed or active match (organizer); its pending posts are cancelled."""
        now = self.clock.now()
        with self.store.transaction():
            match = self.store.match(match_id)
            if match is None or match.campaign_id != self.campaign.id or match.status not in OPEN:
                return False
            self.store.set_match_status(match_id, status, now)
            for key in pair_post_keys(match_id):
                self.store.cancel(key, pair_ended_reason(status, reason), now)
            self.store.record_event(f"match_{status}", now, campaign_id=self.campaign.id,
                                    subject_id=match.mentee_id, data={"match": match_id, "by": reason})
        return True

    # --- check-ins ------------------------------------------------------------------------------

    def check_ins(self) -> int:
        """Plan one check-in for each active pair introduced at least check_in_after_days ago."""
        days = self.campaign.schedule.check_in_after_days
        if days <= 0:
            return 0
        now, cid, planned = self.clock.now(), self.campaign.id, 0
        with self.store.transaction():
            people: dict[str, Participant] | None = None
            for match in self.store.matches(cid, status="active"):
                intro = self.store.action(intro_key(match.id or 0))
                if intro is None or intro.status != "done" or self.store.action(check_in_key(match.id or 0)):
                    continue
                if (intro.updated_at or intro.created_at) > now - timedelta(days=days):
                    continue
                people = people or {p.person_id: p for p in self.store.participants(cid, status="active")}
                mentee, mentor = people.get(match.mentee_id), people.get(match.mentor_id)
                if mentee is None or mentor is None:
                    continue  # one of them is paused or gone: no mention
                if self.store.plan(check_in(match, mentee, mentor, campaign=self.campaign, now=now)):
                    planned += 1
        if planned:
            self._log.info("planned {} check-in(s) for pairs introduced {}+ days ago", planned, days)
        return planned

    # --- helpers ------------------------------------------------------------------------------

    def _introduce(self, match: Match, people: dict[str, Participant], now: datetime) -> int:
        mentee, mentor = people.get(match.mentee_id), people.get(match.mentor_id)
        if mentee is None or mentor is None:
            return 0
        action = introduction(match, mentee, mentor, campaign=self.campaign, vocabulary=self.vocabulary,
                              now=now)
        return int(self.store.plan(action))

    def _release_unsent(self, now: datetime) -> int:
        """End active matches whose introduction was cancelled or refused (someone paused or
        left before it went out): the mentee waits for this round again, the seat is freed."""
        released = 0
        for match in self.store.matches(self.campaign.id, status="active"):
            intro = self._unsent_intro(match)
            if intro is not None and not (intro.error or "").startswith(DRY_RUN_REASON):  # a rehearsal
                self.store.set_match_status(match.id or 0, "ended", now)
                self.store.record_event("match_ended", now, campaign_id=self.campaign.id,
                                        subject_id=match.mentee_id,
                                        data={"match": match.id, "why": f"introduction {intro.status}"})
                released += 1
        return released

    def _never_introduced(self, matches: list[Match]) -> frozenset[int]:
        """Ended pairs whose introduction never went out because someone paused or left (not
        because an organizer or a reply ended them): no reason to keep them apart."""
        return frozenset(m.id for m in matches if m.id is not None and m.status == "ended"
                         and (intro := self._unsent_intro(m)) is not None
                         and not cancelled_because_pair_ended(intro.error))

    def _unsent_intro(self, match: Match) -> Action | None:
        """The pair's introduction when it was cancelled or refused instead of posted."""
        intro = self.store.action(intro_key(match.id or 0))
        return intro if intro is not None and intro.status in ("cancelled", "refused") else None

    def _preferred(self, text: str) -> frozenset[str]:
        """The vocabulary ids (specialties, stage) a stated preference names, in the person's words."""
        if self._classifier is None:
            self._classifier = Classifier(self.vocabulary)
        cls = self._classifier.classify(text, "")
        return frozenset(cls.specialties) | ({cls.stage} if cls.stage else frozenset())
