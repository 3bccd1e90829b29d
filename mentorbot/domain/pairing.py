"""What participants say about their pairs and their wins: declines, check-in answers, wins.

Pure handlers that :func:`mentorbot.domain.registration.decide` dispatches to. A decline or a
check-in answer names the match it is about: the one whose introduction or check-in the post
replies to, else the author's only open match. A person with several open matches (a mentor)
who declines without replying to a specific introduction is asked nothing and changes nothing:
ending the wrong pair would be worse than ending none.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .intake import Decision
from .records import Match
from .reposts import amplifiable
from .templates import ROLE_TEXTS

if TYPE_CHECKING:  # pragma: no cover
    from .registration import _Ctx

__all__ = ["decline", "answer_check_in", "win", "target_match"]


def target_match(open_matches: tuple[Match, ...], context_match_id: int | None) -> Match | None:
    """The open match a decline or check-in answer is about, or None when it is unclear."""
    if context_match_id is not None:
        return next((m for m in open_matches if m.id == context_match_id), None)
    return open_matches[0] if len(open_matches) == 1 else None


def decline(c: _Ctx) -> Decision:
    """NEW MENTOR / not a fit / pass: the pair ends as declined; the mentee is re-matched later."""
    p = c.facts.participant
    assert p is not None
    match = target_match(c.facts.open_matches, c.facts.context_match_id)
    if match is None or match.id is None:
        reason = "no_match" if not c.facts.open_matches else "unclear_match"
        return Decision(outcome=f"ignored:decline_{reason}", intent="decline", source_post_id=c.post.id,
                        evidence=c.cls.evidence)
    return c.decision("declined", actions=c.reply("decline_confirm", role=ROLE_TEXTS[p.role]),
                      event="match_declined", data={"match": match.id, "by": p.role},
                      match_updates=((match.id, "declined", None),))


def answer_check_in(c: _Ctx) -> Decision:
    """An answer to "how is it going?": recorded on the match; "not a fit" also declines it."""
    match = target_match(c.facts.open_matches, c.facts.context_match_id)
    answer = c.cls.checkin
    if match is None or match.id is None or answer is None:
        return Decision(outcome="ignored:checkin_unclear", intent="checkin", source_post_id=c.post.id,
                        evidence=c.cls.evidence)
    status = "declined" if answer == "not_a_fit" else match.status
    return c.decision(f"check_in:{answer}", actions=c.reply("check_in_thanks"), event="check_in_answered",
                      data={"match": match.id, "answer": answer},
                      match_updates=((match.id, status, answer),))


def win(c: _Ctx) -> Decision:
    """A participant's achievement. Only an active mentee who allows shout-outs is amplified;
    the service plans the repost (its time depends on the outbox), so no reply is planned here."""
    p = c.facts.participant
    assert p is not None
    if not amplifiable(p):
        return Decision(outcome="noted:achievement", intent="achievement", source_post_id=c.post.id,
                        evidence=c.cls.evidence)
    return Decision(outcome="win", intent="achievement", source_post_id=c.post.id,
                    events=(("win_found", {"source": c.post.id}),), evidence=c.cls.evidence)
