"""Matching rounds through the sandbox: introductions, a decline re-matched, a check-in answered.

Everything goes the real way: posts are made in the sandbox, read by the bot over HTTP, the round
runs as its calendar job, and the bot's posts are checked in the sandbox's own record.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest


from test_campaign_bot import BOT, CAMPAIGN, CID, VOCABULARY, Rig

MENTORS = {"DrHeartA": "Cardiology attending, Boston. Happy to help.",
           "DrHeartB": "Interventional cardiology attending | mentor | dad"}


def _drain(rig: Rig, hours: float = 3.0) -> None:
    """Let the bot read and send for a while, as its jobs would (spacing between posts holds)."""
    jobs = rig.jobs()
    end = rig.clock.now() + timedelta(hours=hours)
    while rig.clock.now() < end:
        jobs["poll_mentions"].run()
        jobs["send_actions"].run()
        rig.clock.advance(300)


def _bot_posts(rig: Rig) -> list[dict]:
    return [p for p in rig.sb.posts(author=BOT)]


def _setup(rig: Rig) -> dict[str, str]:
    ids = {}
    for handle, bio in MENTORS.items():
        ids[handle] = rig.sb.create_user(handle, description=bio).id
        rig.sb.post(handle, f"@{BOT} #MedMentorMatch happy to mentor, I can take 2 mentees")
    ids["mentee"] = rig.sb.create_user("FutureCardsMS3", description="MS3 | future cardiologist").id
    rig.sb.post("FutureCardsMS3", f"@{BOT} #MedMentorMatch MS3 looking for a cardiology mentor!")
    _drain(rig, 1)
    return ids


@pytest.fixture
def rig():
    r = Rig()
    yield r
    r.close()


class TestRounds:
    def test_a_round_introduces_the_pair_in_one_post_that_mentions_both(self, rig):
        """The round pairs the waiting mentee with a cardiologist and posts one introduction."""
        ids = _setup(rig)
        report = rig.jobs()["matching_round"].run()
        assert report.matched == 1 and report.introductions == 1
        (match,) = rig.store.matches(CID, status="active")
        assert match.mentee_id == ids["mentee"] and match.mentor_id in (ids["DrHeartA"], ids["DrHeartB"])
        assert any("shared specialty" in r for r in match.reasons)
        _drain(rig, 2)
        intros = [p for p in _bot_posts(rig) if "NEW MENTOR" in p["text"]]
        assert len(intros) == 1 and "@FutureCardsMS3" in intros[0]["text"]
        mentor = next(h for h in MENTORS if ids[h] == match.mentor_id)
        assert "@" + mentor in intros[0]["text"]
        assert rig.store.events(campaign_id=CID, kind="match_proposed")

    def test_a_decline_ends_the_pair_and_the_next_round_picks_another_mentor(self, rig):
        """NEW MENTOR in reply to the introduction: declined, one reply, re-matched elsewhere."""
        ids = _setup(rig)
        rig.jobs()["matching_round"].run()
        _drain(rig, 2)
        (first,) = rig.store.matches(CID, status="active")
        intro = rig.store.action(f"intro:{first.id}")
        rig.sb.post("FutureCardsMS3", f"@{BOT} not a fit, NEW MENTOR please", reply_to=intro.result_id)
        _drain(rig, 1)
        assert rig.store.match(first.id).status == "declined"
        assert rig.store.events(campaign_id=CID, kind="match_declined")
        declined_reply = rig.store.action(next(a.key for a in rig.store.actions_in_state("done", CID)
                                                if a.kind == "reply" and "pairing" in (a.text or "")))
        assert declined_reply.in_reply_to is not None
        rig.jobs()["matching_round"].run()
        (second,) = rig.store.matches(CID, status="active")
        assert second.mentee_id == ids["mentee"] and second.mentor_id != first.mentor_id

    def test_a_check_in_is_posted_under_the_introduction_and_its_answer_recorded(self, rig):
        """After check_in_after_days a check-in goes out once; "going great" is recorded as good."""
        _setup(rig)
        jobs = rig.jobs()
        jobs["matching_round"].run()
        _drain(rig, 2)
        (match,) = rig.store.matches(CID, status="active")
        assert jobs["check_ins"].run() == 0  # too early
        rig.clock.advance(timedelta(days=CAMPAIGN.schedule.check_in_after_days, hours=1).total_seconds())
        assert jobs["check_ins"].run() == 1 and jobs["check_ins"].run() == 0  # once
        _drain(rig, 3)
        check = rig.store.action(f"checkin:{match.id}")
        assert check.status == "done"
        posted = next(p for p in rig.sb.posts(author=BOT) if p["id"] == check.result_id)
        assert posted["in_reply_to"] == rig.store.action(f"intro:{match.id}").result_id
        rig.sb.post("FutureCardsMS3", f"@{BOT} going great, we meet every month!", reply_to=check.result_id)
        _drain(rig, 1)
        stored = rig.store.match(match.id)
        assert stored.status == "active" and stored.check_in == "good"
        # The check-in answers the bot's own post: X prices it as a post, and so does the bot's record.
        spent = {row["kind"]: row["usd"] for row in rig.store.db.query(
            "SELECT kind, round(sum(usd), 3) AS usd FROM spend GROUP BY kind")}
        metered = rig.sb.meter()["by_kind"]
        for kind in ("post_create", "reply"):
            assert spent[kind] == pytest.approx(metered[kind]), kind

    def test_with_approval_on_pairs_wait_until_an_organizer_approves(self):
        """require_approval: the round proposes; nothing is posted until approve()."""
        campaign = replace(CAMPAIGN, matching=replace(CAMPAIGN.matching, require_approval=True))
        rig = Rig(campaign=campaign)
        try:
            _setup(rig)
            report = rig.jobs()["matching_round"].run()
            assert report.matched == 1 and report.introductions == 0
            (match,) = rig.store.matches(CID, status="proposed")
            _drain(rig, 2)
            assert not any("NEW MENTOR" in p["text"] for p in _bot_posts(rig))
            from mentorbot.services.rounds import MatchingRound
            assert MatchingRound(rig.store, campaign, VOCABULARY, rig.clock).approve([match.id]) == [match.id]
            _drain(rig, 2)
            assert rig.store.match(match.id).status == "active"
            assert sum("NEW MENTOR" in p["text"] for p in _bot_posts(rig)) == 1
        finally:
            rig.close()

    def test_a_dry_run_keeps_its_pairs_instead_of_re_pairing_them_every_round(self, rig):
        """--dry-run cancels the introduction it would post; the next round must not take that
        for a refusal and hand the mentee to another mentor."""
        rig.bot.sender.dry_run = True
        _setup(rig)
        rig.jobs()["matching_round"].run()
        _drain(rig, 2)
        (match,) = rig.store.matches(CID, status="active")
        assert rig.store.action(f"intro:{match.id}").status == "cancelled"
        again = rig.jobs()["matching_round"].run()
        assert again.released == 0 and again.matched == 0
        assert [m.id for m in rig.store.matches(CID, status="active")] == [match.id]
        assert not [w for w in rig.sb.writes() if w["author_id"] == rig.bot_account.id]


class TestLifecycleEdges:
    def test_a_decline_before_the_introduction_is_posted_changes_nothing(self, rig):
        """A pair the mentee has not seen introduced is not theirs to end: NEW MENTOR with no
        reply context is ignored, and the introduction still goes out."""
        _setup(rig)
        rig.jobs()["matching_round"].run()
        (match,) = rig.store.matches(CID, status="active")
        rig.sb.post("FutureCardsMS3", f"@{BOT} NEW MENTOR please")
        rig.clock.advance(61)
        _drain(rig, 2)
        assert rig.store.match(match.id).status == "active"
        assert rig.store.action(f"intro:{match.id}").status == "done"

    def test_declining_cancels_a_check_in_that_has_not_gone_out(self, rig):
        """Not a fit in reply to the introduction while a check-in waits: the check-in never posts."""
        _setup(rig)
        jobs = rig.jobs()
        jobs["matching_round"].run()
        _drain(rig, 2)
        (match,) = rig.store.matches(CID, status="active")
        rig.clock.advance(timedelta(days=CAMPAIGN.schedule.check_in_after_days, hours=1).total_seconds())
        assert jobs["check_ins"].run() == 1
        intro = rig.store.action(f"intro:{match.id}")
        rig.sb.post("FutureCardsMS3", f"@{BOT} not a fit, NEW MENTOR", reply_to=intro.result_id)
        jobs["poll_mentions"].run()  # read before the send job gets to the check-in
        assert rig.store.match(match.id).status == "declined"
        _drain(rig, 3)
        check = rig.store.action(f"checkin:{match.id}")
        assert check.status == "cancelled" and check.result_id is None

    def test_a_pair_released_before_its_introduction_may_meet_again(self, rig):
        """The mentor pauses before the introduction goes out, then resumes: the released pair is
        not history, so the next round can pair them again (they were never introduced)."""
        ids = _setup(rig)
        rig.jobs()["matching_round"].run()
        (match,) = rig.store.matches(CID, status="active")
        mentor = next(h for h in MENTORS if ids[h] == match.mentor_id)
        other = next(h for h in MENTORS if h != mentor)
        rig.sb.post(other, f"@{BOT} STOP")  # only the paused mentor could take the mentee again
        rig.sb.post(mentor, f"@{BOT} PAUSE")
        rig.clock.advance(61)
        _drain(rig, 1)
        assert rig.store.action(f"intro:{match.id}").status == "cancelled"
        rig.sb.post(mentor, f"@{BOT} RESUME")
        rig.clock.advance(61)
        _drain(rig, 1)
        report = rig.jobs()["matching_round"].run()
        assert report.released == 1 and report.matched == 1
        (again,) = rig.store.matches(CID, status="active")
        assert again.mentor_id == match.mentor_id and again.id != match.id
