"""Joining and commands: what a classified post does to its author's participation.

Pure. Given the post, its author, what the classifier understood, the author's current
participation and a few facts the service looked up, :func:`decide` returns a Decision: the
participant to save, the status change, the one reply to plan, the consent events. Every change
of consent (join, stop, pause, resume, delete) is an event with its source post.

Rules of the platform kept here: a reply only ever answers the post that mentioned the bot (its
key is ``reply:<post id>``, so it is planned once); at most ``replies_per_person_per_day``
replies to one person (the command itself is still honoured); nothing about a person is ever
inferred beyond what the vocabulary lists (stage, specialties).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from .campaign import Campaign
from .classify import Classification
from .intake import Decision
from .model import Post, User
from .records import Action, Match, Participant
from .asking import NO_CHANGE, QUESTION_EVENT, answered, command, question_about, record
from .templates import (COMMANDS_TEXT, CONFIRM_FIRST, NO_SPECIALTY, ROLE_TEXTS, STATE_TEXTS,
                        UNKNOWN_STAGE, format_date, join_handles, join_labels, reply_text, until_text)
from .vocabulary import Vocabulary

__all__ = ["Facts", "decide", "ERASURE_PREFIX", "APPROVAL_PREFIX", "approval_reply"]

#: Key prefix of the reply confirming an erasure: the sender scrubs its text once sent, so
#: nothing naming the person outlives the reply.
ERASURE_PREFIX = "erasure:"
#: Key prefix of the reply that tells a mentor an organizer approved them (``approved:<post id>``).
APPROVAL_PREFIX = "approved:"
_CONSENT_EVENTS = {"join": "consent_given", "stop": "consent_withdrawn", "pause": "paused",
                   "resume": "resumed", "delete": "erased"}


@dataclass(frozen=True, slots=True)
class Facts:
    """What the service looked up for one post."""

    now: datetime
    participant: Participant | None  # the author's participation in this campaign, if any
    replies_today: int = 0  # replies already planned to this author since local midnight
    replies_ever: int = 0  # to rotate wordings for people who ask often
    context: str | None = None  # what the post replies to: "call", "intro", "checkin", "confirm"
    matched_handles: tuple[str, ...] = ()  # the author's current mentor or mentees
    open_matches: tuple[Match, ...] = ()  # the author's proposed and active matches (declines)
    context_match_id: int | None = None  # the match whose introduction or check-in this answers
    question: dict | None = None  # the bot's "did you mean...?" this post answers (asking.record)


def decide(post: Post, author: User, cls: Classification, *, campaign: Campaign,
           vocabulary: Vocabulary, facts: Facts) -> Decision:
    """The Decision for a post that passed screening."""
    p = facts.participant
    cls, question_match = answered(cls, facts.question)
    if question_match is not None:
        facts = replace(facts, context_match_id=question_match)
    intent = cls.intent
    handler = _HANDLERS.get(intent)
    if handler is None:
        return Decision(outcome=f"noted:{intent}" if intent != "none" else "ignored:no_intent",
                        intent=intent, source_post_id=post.id, evidence=cls.evidence)
    if p is None and intent not in ("join", "help", "delete"):
        return Decision(outcome=f"ignored:{intent}_not_participant", intent=intent,
                        source_post_id=post.id, evidence=cls.evidence)
    if p is not None and p.status == "blocked" and intent != "delete":
        # An organizer blocked them (`mentorbot participants block`): nothing they post undoes
        # that or earns a reply. Erasure is a right, so DELETE is still honoured.
        return Decision(outcome=f"ignored:{intent}_blocked", intent=intent,
                        source_post_id=post.id, evidence=cls.evidence)
    c = _Ctx(post, author, cls, campaign, vocabulary, facts)
    if not cls.guessed:
        return handler(c)
    if intent == "achievement":
        # A win read only by the learned reading is noted, never reposted: a repost is public,
        # and "finally got my diagnosis today" is news, not a win to celebrate.
        return Decision(outcome="noted:achievement_guessed", intent=intent, source_post_id=post.id,
                        evidence=cls.evidence)
    asked = question_about(cls, p, open_matches=len(facts.open_matches),
                           match_known=target_match(facts.open_matches, facts.context_match_id) is not None)
    if asked is None:
        return handler(c)
    if asked == NO_CHANGE:
        return Decision(outcome=f"ignored:{intent}_guessed_no_change", intent=intent,
                        source_post_id=post.id, evidence=cls.evidence)
    return _ask(c, asked)


def _ask(c: "_Ctx", intent: str) -> Decision:
    """One reply asking the person to confirm in words the rules know, and the record of what
    the bot read (so that the answer acts as the question meant); nothing else changes. A
    question about leaving or erasure is not held back by the daily reply cap."""
    meaning = CONFIRM_FIRST[intent][0]
    match = target_match(c.facts.open_matches, c.facts.context_match_id) if intent == "decline" else None
    posted = (c.post.created_at or c.facts.now).astimezone(c.campaign.zone).date()
    actions = c.reply("did_you_mean", capped=intent not in ("stop", "delete"), meaning=meaning,
                      command=command(intent, c.cls), date=format_date(posted))
    return c.decision(f"asked:{intent}", actions=actions, event=QUESTION_EVENT,
                      data=record(intent, c.cls, c.post.id, match.id if match else None))


def approval_reply(p: Participant, *, campaign: Campaign, vocabulary: Vocabulary, now: datetime) -> Action | None:
    """The post that keeps the promise of ``mentor_pending`` ("I'll reply here") once an
    organizer approves a mentor: the mentor's confirmation, threaded under the bot's own
    ``mentor_pending`` reply. Not a second reply to the mentor's post: X allows one automated
    reply per interaction. Planned once: its key is the post's."""
    if p.role != "mentor" or p.source_post_id is None:
        return None
    variants = campaign.templates.variants("join_confirm_mentor")
    labels = [vocabulary.label(s) for s in p.specialties]
    text = reply_text(variants[zlib.crc32(p.person_id.encode()) % len(variants)], p.handle,
                      hashtag=campaign.primary_hashtag, bot="@" + campaign.bot_handle, role=ROLE_TEXTS["mentor"],
                      stage=vocabulary.stage(p.stage).label if p.stage else UNKNOWN_STAGE,
                      specialties=join_labels(labels) if labels else NO_SPECIALTY,
                      capacity=str(p.capacity or campaign.limits.capacity(None)))
    return Action(key=f"{APPROVAL_PREFIX}{p.source_post_id}", campaign_id=campaign.id, kind="post", text=text,
                  thread_key=f"reply:{p.source_post_id}", person_ids=(p.person_id,), not_before=now,
                  created_at=now)


@dataclass(frozen=True, slots=True)
class _Ctx:
    post: Post
    author: User
    cls: Classification
    campaign: Campaign
    vocabulary: Vocabulary
    facts: Facts

    def reply(self, kind: str, *, key_prefix: str = "reply:", person_ids: tuple[str, ...] | None = None,
              capped: bool = True, **values: object) -> tuple[Action, ...]:
        """The one reply to this post, unless the author already had their replies for today
        (and ``capped``)."""
        if capped and self.facts.replies_today >= self.campaign.limits.replies_per_person_per_day:
            return ()
        variants = self.campaign.templates.variants(kind)
        # Rotate through the variants reply after reply to this person (offset per person), so
        # that a second confirmation of the same profile is worded differently: X refuses a
        # duplicate. An offset per post would make consecutive replies collide half the time.
        index = (self.facts.replies_ever + zlib.crc32(self.author.id.encode())) % len(variants)
        text = reply_text(variants[index], self.author.username, hashtag=self.campaign.primary_hashtag,
                          bot="@" + self.campaign.bot_handle, **values)
        now = self.facts.now
        return (Action(key=f"{key_prefix}{self.post.id}", campaign_id=self.campaign.id, kind="reply",
                       text=text, in_reply_to=self.post.id,
                       person_ids=(self.author.id,) if person_ids is None else person_ids,
                       not_before=now, created_at=now),)

    def understood(self, p: Participant) -> dict[str, str]:
        stage = self.vocabulary.stage(p.stage).label if p.stage else UNKNOWN_STAGE
        labels = [self.vocabulary.label(s) for s in p.specialties]
        return {"role": ROLE_TEXTS[p.role], "stage": stage,
                "specialties": join_labels(labels) if labels else NO_SPECIALTY}

    def decision(self, outcome: str, *, actions: tuple[Action, ...], event: str | None = None,
                 data: dict | None = None, **changes) -> Decision:
        events = ((event, {"source": self.post.id, **(data or {})}),) if event else ()
        suffix = "" if actions else ":reply_capped"
        return Decision(outcome=outcome + suffix, intent=self.cls.intent, source_post_id=self.post.id,
                        actions=actions, events=events, evidence=self.cls.evidence, **changes)


def _join(c: _Ctx) -> Decision:
    cls, p, now = c.cls, c.facts.participant, c.facts.now
    role = cls.role or (p.role if p else "mentee")
    stage = cls.stage or (p.stage if p else None)
    specialties = cls.specialties or (p.specialties if p else ())
    capacity = c.campaign.limits.capacity(cls.capacity if cls.capacity is not None
                                          else (p.capacity if p else None)) if role == "mentor" else None
    approved = role == "mentee" or c.campaign.mentors.is_automatic(stage, c.vocabulary)
    if p is not None and p.role == "mentor" and p.status == "active":
        approved = True  # an approved mentor correcting their profile stays approved
    status = "active" if approved else "pending"
    participant = Participant(
        campaign_id=c.campaign.id, person_id=c.author.id, handle=c.author.username, role=role,
        stage=stage, specialties=tuple(sorted(specialties)), capacity=capacity, status=status,
        joined_at=p.joined_at if p else now, consented_at=now, source_post_id=c.post.id,
        shout_outs=p.shout_outs if p else True,
        preference=cls.preference if c.campaign.allow_stated_preference else None,
        evidence=cls.evidence)
    values = c.understood(participant) | {"capacity": str(capacity or 0)}
    kind = ("join_confirm_mentee" if role == "mentee" else
            "join_confirm_mentor" if approved else "mentor_pending")
    rejoin = p is not None and p.status == "left"
    outcome = "updated" if p is not None and not rejoin else ("pending" if not approved else "joined")
    return c.decision(outcome, actions=c.reply(kind, **values), participant=participant,
                      event="consent_given", data={"role": role, "status": status})


def _correct(c: _Ctx) -> Decision:
    p = c.facts.participant
    assert p is not None
    updated = replace(p, stage=c.cls.stage or p.stage,
                      specialties=tuple(sorted(c.cls.specialties)) or p.specialties,
                      evidence=c.cls.evidence)
    kind = "join_confirm_mentee" if p.role == "mentee" else (
        "join_confirm_mentor" if p.status != "pending" else "mentor_pending")
    values = c.understood(updated) | {"capacity": str(updated.capacity or 0)}
    return c.decision("corrected", actions=c.reply(kind, **values), participant=updated,
                      event="profile_corrected")


def _stop(c: _Ctx) -> Decision:
    return c.decision("stopped", actions=c.reply("stop_confirm"), status=("left", None),
                      cancel_planned=True, end_matches=True, event="consent_withdrawn")


def _pause(c: _Ctx) -> Decision:
    until_day: date | None = c.cls.pause_until
    until = (datetime.combine(until_day, time(0, 0), tzinfo=c.campaign.zone)
             if until_day and until_day > c.facts.now.astimezone(c.campaign.zone).date() else None)
    return c.decision("paused", actions=c.reply("pause_confirm", until=until_text(until.date() if until else None)),
                      status=("paused", until), cancel_planned=True, event="paused",
                      data={"until": until.isoformat() if until else None})


def _resume(c: _Ctx) -> Decision:
    p = c.facts.participant
    assert p is not None
    status = "pending" if p.status == "pending" else "active"
    return c.decision("resumed", actions=c.reply("resume_confirm", role=ROLE_TEXTS[p.role]),
                      status=(status, None), event="resumed")


def _delete(c: _Ctx) -> Decision:
    # The confirmation names no one in its stored form: no person ids, and its text is scrubbed
    # once sent (ERASURE_PREFIX), so the erasure leaves no row about the person.
    actions = c.reply("delete_confirm", key_prefix=ERASURE_PREFIX, person_ids=())
    return c.decision("erased", actions=actions, cancel_planned=True, end_matches=True, forget=True)


def _help(c: _Ctx) -> Decision:
    return c.decision("helped", actions=c.reply("help", commands=COMMANDS_TEXT))


def _status(c: _Ctx) -> Decision:
    p = c.facts.participant
    assert p is not None
    values = c.understood(p) | {"capacity": str(p.capacity or 0),
                                "state": STATE_TEXTS.get(p.status, p.status),
                                "matches": join_handles(c.facts.matched_handles)}
    return c.decision("status_sent", actions=c.reply("status", **values))


def _capacity(c: _Ctx) -> Decision:
    p = c.facts.participant
    assert p is not None
    if p.role != "mentor" or c.cls.capacity is None:
        return Decision(outcome="ignored:capacity_not_mentor", intent="capacity", source_post_id=c.post.id,
                        evidence=c.cls.evidence)
    capacity = c.campaign.limits.capacity(c.cls.capacity)
    return c.decision("capacity_set",
                      actions=c.reply("capacity_confirm", capacity=str(capacity),
                                      mentees=join_handles(c.facts.matched_handles)),
                      participant=replace(p, capacity=capacity), event="capacity_changed",
                      data={"capacity": capacity})


def _no_shoutouts(c: _Ctx) -> Decision:
    p = c.facts.participant
    assert p is not None
    # No template exists for this acknowledgement; the STATUS reply shows the setting.
    return Decision(outcome="shout_outs_off", intent="no_shoutouts", source_post_id=c.post.id,
                    participant=replace(p, shout_outs=False), cancel_planned=False,
                    events=(("shout_outs_off", {"source": c.post.id}),), evidence=c.cls.evidence)


from .pairing import answer_check_in, decline, target_match, win  # noqa: E402  (they use _Ctx above)

_HANDLERS = {"join": _join, "correct": _correct, "stop": _stop, "pause": _pause, "resume": _resume,
             "delete": _delete, "help": _help, "status": _status, "capacity": _capacity,
             "no_shoutouts": _no_shoutouts, "decline": decline, "checkin": answer_check_in,
             "achievement": win}
