"""The interpreter for mentions: classify the post, look up the facts, decide (pure), return.

This is the ``interpret`` callable :class:`~mentorbot.services.ingest.MentionIngest` runs for
every post that passed screening, inside the page's transaction.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ..clock import Clock
from ..config.classifier import build_classifier
from ..domain.asking import QUESTION_EVENT, open_until
from ..domain.campaign import Campaign
from ..domain.classify import Classifier
from ..domain.intake import Decision
from ..domain.model import Post, User
from ..domain.policy import local_midnight_before
from ..domain.records import Action
from ..domain.registration import Facts, decide
from ..domain.reposts import amplifiable
from ..domain.rounds import intro_key, match_id_from_key
from ..domain.vocabulary import Vocabulary
from ..ports import Store
from .amplify import Amplifier

__all__ = ["Intake", "reply_context"]

#: Outbox key prefixes of the bot's own posts, and what a reply to each is about.
_CONTEXTS = {"call:": "call", "intro:": "intro", "checkin:": "checkin", "reply:": "confirm"}


def reply_context(post: Post, store: Store) -> str | None:
    """What the post answers, when it replies to one of the bot's own posts."""
    return _replied_action(post, store)[0]


def _replied_action(post: Post, store: Store) -> tuple[str | None, Action | None]:
    """The context of a reply to the bot ("call", "intro", ...) and the bot's action it answers."""
    if not post.replied_to_id:
        return None, None
    action = store.action_by_result(post.replied_to_id)
    if action is None:
        return None, None
    return next((ctx for prefix, ctx in _CONTEXTS.items() if action.key.startswith(prefix)), None), action


def _question(store: Store, campaign_id: str, person_id: str, replied: Action | None,
              now: datetime) -> dict | None:
    """What the bot read in the post it asked about, when this post answers its "did you mean
    ...?" (the reply ``reply:<post id>`` whose ``asked`` event has that post as its source) within
    ``QUESTION_DAYS`` of the question (``open_until``)."""
    if replied is None or not replied.key.startswith("reply:"):
        return None
    asked_about = replied.key[len("reply:"):]
    for event in store.events(campaign_id, person_id, QUESTION_EVENT):
        if event.source_post_id == asked_about and now <= open_until(event):
            return dict(event.data)
    return None


def _introduced(store: Store, match) -> bool:
    intro = store.action(intro_key(match.id or 0))
    return intro is not None and intro.status == "done"


class Intake:
    def __init__(self, campaign: Campaign, vocabulary: Vocabulary, clock: Clock,
                 classifier: Classifier | None = None, amplifier: Amplifier | None = None):
        self.campaign, self.vocabulary, self.clock = campaign, vocabulary, clock
        self.classifier = classifier or build_classifier(vocabulary)
        self.amplifier = amplifier  # plans reposts of wins; None: wins are only recorded

    def __call__(self, post: Post, author: User, store: Store) -> Decision:
        now, cid = self.clock.now(), self.campaign.id
        context, replied = _replied_action(post, store)
        cls = self.classifier.classify(
            post.text, author.description, context=context,
            today=now.astimezone(self.campaign.zone).date(),
            allow_preference=self.campaign.allow_stated_preference, bot_handle=self.campaign.bot_handle)
        # Only STATUS and CAPACITY replies name the person's matches: look them up only then.
        matched = self._matched_handles(store, author.id) if cls.intent in ("status", "capacity") else []
        # Declines and check-in answers name a match: the one replied to, else the only one the
        # person has seen introduced (a pair still proposed or not yet posted is not theirs to end).
        open_matches = (tuple(m for m in store.matches(cid, person_id=author.id)
                              if m.status == "active" and _introduced(store, m))
                        if cls.intent in ("decline", "checkin") else ())
        participant = store.participant(cid, author.id)
        facts = Facts(
            now=now, participant=participant,
            replies_today=store.count_actions_for_person(
                cid, author.id, "reply", local_midnight_before(now, self.campaign.zone)),
            replies_ever=store.count_actions_for_person(cid, author.id, "reply"),
            context=context, matched_handles=tuple(matched), open_matches=open_matches,
            context_match_id=match_id_from_key(replied.key) if replied is not None else None,
            question=_question(store, cid, author.id, replied, now) if context == "confirm" else None)
        decision = decide(post, author, cls, campaign=self.campaign, vocabulary=self.vocabulary, facts=facts)
        if decision.outcome == "win" and self.amplifier is not None and participant is not None:
            wins = self.amplifier.win_actions(post.id, post.created_at or now, participant)
            decision = replace(decision, actions=decision.actions + wins)
        return decision

    def _matched_handles(self, store: Store, person_id: str) -> list[str]:
        handles = []
        for match in store.matches(self.campaign.id, status="active", person_id=person_id):
            other = match.mentor_id if match.mentee_id == person_id else match.mentee_id
            person = store.person(other)
            if person is not None:
                handles.append(person.username)
        return handles

    def search_outcome(self, post: Post, author: User | None) -> str:
        """What a participant's hashtag post found by search is: a win to amplify, or chatter."""
        cls = self.classifier.classify(post.text, author.description if author else "",
                                       bot_handle=self.campaign.bot_handle)
        if cls.intent != "achievement":
            return "chatter"
        if cls.guessed:
            return "noted:achievement_guessed"  # a guessed win is never reposted (registration.py)
        participant = self.amplifier.store.participant(self.campaign.id, post.author_id) \
            if self.amplifier is not None else None
        if not amplifiable(participant):
            return "noted:achievement"
        planned = sum(self.amplifier.store.plan(a)
                      for a in self.amplifier.win_actions(post.id, post.created_at or self.clock.now(), participant))
        return "win" if planned else "win:not_reposted"
