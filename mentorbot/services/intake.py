"""The interpreter for mentions: classify the post, look up the facts, decide (pure), return.

This is the ``interpret`` callable :class:`~mentorbot.services.ingest.MentionIngest` runs for
every post that passed screening, inside the page's transaction.
"""
from __future__ import annotations

from ..clock import Clock
from ..domain.campaign import Campaign
from ..domain.classify import Classifier
from ..domain.intake import Decision
from ..domain.model import Post, User
from ..domain.policy import local_midnight_before
from ..domain.registration import Facts, decide
from ..domain.vocabulary import Vocabulary
from ..ports import Store

__all__ = ["Intake", "reply_context"]

#: Outbox key prefixes of the bot's own posts, and what a reply to each is about.
_CONTEXTS = {"call:": "call", "intro:": "intro", "checkin:": "checkin", "reply:": "confirm"}


def reply_context(post: Post, store: Store) -> str | None:
    """What the post answers, when it replies to one of the bot's own posts."""
    if not post.replied_to_id:
        return None
    action = store.action_by_result(post.replied_to_id)
    if action is None:
        return None
    return next((ctx for prefix, ctx in _CONTEXTS.items() if action.key.startswith(prefix)), None)


class Intake:
    def __init__(self, campaign: Campaign, vocabulary: Vocabulary, clock: Clock,
                 classifier: Classifier | None = None):
        self.campaign, self.vocabulary, self.clock = campaign, vocabulary, clock
        self.classifier = classifier or Classifier(vocabulary)

    def __call__(self, post: Post, author: User, store: Store) -> Decision:
        now, cid = self.clock.now(), self.campaign.id
        context = reply_context(post, store)
        cls = self.classifier.classify(
            post.text, author.description, context=context if context != "confirm" else None,
            today=now.astimezone(self.campaign.zone).date(),
            allow_preference=self.campaign.allow_stated_preference, bot_handle=self.campaign.bot_handle)
        # Only STATUS and CAPACITY replies name the person's matches: look them up only then.
        matched = self._matched_handles(store, author.id) if cls.intent in ("status", "capacity") else []
        facts = Facts(
            now=now, participant=store.participant(cid, author.id),
            replies_today=store.count_actions_for_person(
                cid, author.id, "reply", local_midnight_before(now, self.campaign.zone)),
            replies_ever=store.count_actions_for_person(cid, author.id, "reply"),
            context=context, matched_handles=tuple(matched))
        return decide(post, author, cls, campaign=self.campaign, vocabulary=self.vocabulary, facts=facts)

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
        return "win" if cls.intent == "achievement" else "chatter"
