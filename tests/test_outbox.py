"""The outbox sender against the sandbox X server: once, in order, within policy, crash-safe."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.adapters.x_platform import XPlatform
from mentorbot.bootstrap import build_campaign_bot
from mentorbot.clock import VirtualClock
from mentorbot.config.campaign import load_campaign
from mentorbot.config.env import XCredentials
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.records import Action
from mentorbot.sandbox import Sandbox

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = load_vocabulary()
CAMPAIGN = load_campaign(ROOT / "config" / "campaigns" / "medmentormatch.toml", VOCABULARY)
CID = CAMPAIGN.id
MONDAY_10AM = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)  # 10:00 in New York: not quiet


class Rig:
    """A sandbox on loopback with the bot and a few people, a SQLite store, and the campaign's bot."""

    def __init__(self, *, campaign=CAMPAIGN, now=MONDAY_10AM, dry_run=False, timeout=10.0):
        self.clock = VirtualClock(now)
        self.sb = Sandbox(clock=self.clock, seed=3)
        self.bot_account = self.sb.create_user(campaign.bot_handle, description="Automated mentorship bot")
        self.people = {h: self.sb.create_user(h, description="MS3 | future cardiologist")
                       for h in ("drjane", "omar_md", "lina_ms2")}
        self.server = self.sb.serve()
        self.store = SQLiteStore.memory()
        app = self.sb.app
        creds = XCredentials(app.bearer_token, app.consumer_key, app.consumer_secret,
                             self.bot_account.access_token, self.bot_account.access_token_secret)
        self.bot = build_campaign_bot(
            campaign, VOCABULARY, store=self.store, clock=self.clock, dry_run=dry_run, seed=5,
            platform_factory=lambda meter: XPlatform(creds, base_url=self.server.url, observer=meter,
                                                     timeout=timeout, time_source=self.clock.timestamp))
        self.sender = self.bot.sender

    def close(self) -> None:
        self.server.close()
        self.store.close()

    def mention(self, handle: str, text: str | None = None) -> str:
        """A post by ``handle`` that mentions the bot; its id."""
        text = text or f"@{self.bot_account.username} #MedMentorMatch hello from {handle}"
        return self.sb.post(handle, text)["id"]

    def plan_reply(self, post_id: str, text: str | None = None, *, key: str | None = None,
                   handle: str = "drjane") -> Action:
        now = self.clock.now()
        action = Action(key=key or f"reply:{post_id}", campaign_id=CID, kind="reply",
                        text=text or f"@{handle} thanks for post {post_id}!", in_reply_to=post_id,
                        person_ids=(self.people[handle].id,), not_before=now, created_at=now)
        assert self.store.plan(action)
        return action

    def plan_post(self, key: str, text: str, *, optional: bool = False, thread_key: str | None = None,
                  not_before: datetime | None = None) -> Action:
        now = self.clock.now()
        action = Action(key=key, campaign_id=CID, kind="post", text=text, optional=optional,
                        thread_key=thread_key, not_before=not_before or now, created_at=now)
        assert self.store.plan(action)
        return action

    def created(self, text: str | None = None) -> list[dict]:
        """Writes the sandbox applied (not refused), optionally only those with ``text``."""
        return [w for w in self.sb.writes() if w["id"] and (text is None or w["text"] == text)
                and any(p["id"] == w["id"] for p in self.sb.posts(include_deleted=True))]


@pytest.fixture
def rig():
    r = Rig()
    yield r
    r.close()


class TestSendingOnce:
    def test_a_planned_reply_is_sent_once_and_marked_done_with_the_created_id(self, rig):
        """send_due sends a due reply, records X's id for it, and a second pass sends nothing."""
        pid = rig.mention("drjane")
        action = rig.plan_reply(pid)
        report = rig.sender.send_due()
        assert report.sent == [action.key]
        [write] = rig.sb.writes()
        assert write["kind"] == "reply" and write["reply_to"] == pid and not write["refused"]
        done = rig.store.action(action.key)
        assert done.status == "done" and done.result_id == write["id"]
        assert rig.sender.send_due().sent == []
        assert len(rig.sb.writes()) == 1

    def test_a_duplicate_text_is_refused_and_not_retried(self, rig):
        """X's duplicate-content refusal ends the action as refused "duplicate"; no retry."""
        first, second = rig.mention("drjane"), rig.mention("omar_md")
        rig.plan_reply(first, "Same words twice")
        dup = rig.plan_reply(second, "Same words twice", handle="omar_md")
        report = rig.sender.send_due()
        assert dup.key in report.refused
        refused = rig.store.action(dup.key)
        assert refused.status == "refused" and refused.error.startswith("duplicate")
        rig.clock.advance(3600)
        rig.sender.send_due()
        assert [w["reason"] for w in rig.sb.writes()] == [None, "duplicate"]

    def test_a_reply_to_a_post_that_did_not_mention_the_bot_is_refused_by_the_reply_gate(self, rig):
        """The reply gate refuses it as "reply_gate", and it is never tried again."""
        pid = rig.sb.post("drjane", "#MedMentorMatch MS3 looking for a cardiology mentor")["id"]
        action = rig.plan_reply(pid)
        assert rig.sender.send_due().refused == [action.key]
        stored = rig.store.action(action.key)
        assert stored.status == "refused" and stored.error.startswith("reply_gate")
        for _ in range(3):
            rig.clock.advance(3600)
            rig.sender.send_due()
        assert len(rig.sb.writes()) == 1 and rig.sb.writes()[0]["reason"] == "reply_gate"


class TestFailures:
    def test_a_429_marks_the_action_failed_with_a_retry_time_and_stops_the_batch(self, rig):
        """A rate-limited write is back to planned with retry_at; the next action is not tried."""
        first = rig.plan_reply(rig.mention("drjane"))
        second = rig.plan_reply(rig.mention("omar_md"), handle="omar_md")
        rig.sb.set_faults(rate=1.0, kinds=("429",))
        report = rig.sender.send_due()
        assert report.stopped and report.stopped.startswith("rate limited")
        limited = rig.store.action(first.key)
        assert limited.status == "planned" and limited.attempts == 1
        assert limited.retry_at is not None and limited.retry_at > rig.clock.now()
        assert limited.error.startswith("rate limited")
        untouched = rig.store.action(second.key)
        assert untouched.status == "planned" and untouched.attempts == 0
        assert len(rig.sb.writes()) == 1  # only the first was tried
        rig.sb.set_faults(rate=0.0)
        rig.clock.set(limited.retry_at)
        assert set(rig.sender.send_due().sent) == {first.key, second.key}

    @pytest.mark.parametrize("kind", ["503", "timeout"])
    def test_an_unanswered_write_stays_sending_and_is_retried_after_reconciling(self, kind):
        """No answer (503, timeout): the action stays "sending"; reconcile finds it absent and retries it."""
        rig = Rig(timeout=0.2)
        try:
            action = rig.plan_reply(rig.mention("drjane"))
            rig.sb.set_faults(rate=1.0, kinds=(kind,), hold_seconds=0.4)
            report = rig.sender.send_due()
            assert report.failed == [action.key] and report.sent == []
            assert rig.store.action(action.key).status == "sending"
            rig.sb.set_faults(rate=0.0)
            report = rig.sender.send_due()
            assert report.reconciled == 1 and report.sent == []
            back = rig.store.action(action.key)
            assert back.status == "planned" and back.retry_at > rig.clock.now() and back.attempts == 1
            rig.clock.set(back.retry_at)
            assert rig.sender.send_due().sent == [action.key]
            done = rig.store.action(action.key)
            assert done.status == "done"
            assert [w["id"] for w in rig.created(action.text)] == [done.result_id]
        finally:
            rig.close()

    @pytest.mark.parametrize("kind", ["503", "timeout"])
    def test_a_write_that_went_through_unanswered_is_reconciled_as_done_and_not_sent_twice(self, kind):
        """The post exists though the call failed: reconcile marks it done with its id; no second post."""
        rig = Rig(timeout=0.2)
        try:
            action = rig.plan_reply(rig.mention("drjane"))
            rig.sb.set_faults(rate=1.0, kinds=(kind,), hold_seconds=0.4, after_commit_share=1.0)
            rig.sender.send_due()
            assert rig.store.action(action.key).status == "sending"
            [posted] = rig.created(action.text)
            rig.sb.set_faults(rate=0.0)
            for _ in range(3):
                report = rig.sender.send_due()
                rig.clock.advance(3600)
            done = rig.store.action(action.key)
            assert done.status == "done" and done.result_id == posted["id"]
            assert len(rig.created(action.text)) == 1
            assert [w["kind"] for w in rig.sb.writes()] == ["reply"]
            assert report.reconciled == 0  # settled once, on the first pass
        finally:
            rig.close()


    def test_a_write_that_went_through_but_was_answered_429_is_done_not_refused_as_duplicate(self, rig):
        """The retry meets X's duplicate refusal of the post the first attempt made: that post is the result."""
        action = rig.plan_reply(rig.mention("drjane"))
        rig.sb.set_faults(rate=1.0, kinds=("429",), after_commit_share=1.0)
        rig.sender.send_due()
        limited = rig.store.action(action.key)
        assert limited.status == "planned" and limited.attempts == 1
        [posted] = rig.created(action.text)
        rig.sb.set_faults(rate=0.0)
        rig.clock.set(limited.retry_at)
        report = rig.sender.send_due()
        done = rig.store.action(action.key)
        assert done.status == "done" and done.result_id == posted["id"] and report.reconciled == 1
        assert [w["reason"] for w in rig.sb.writes()] == ["fault:429", "duplicate"]
        assert len(rig.created(action.text)) == 1

    def test_a_first_attempt_refused_as_duplicate_stays_refused(self, rig):
        """Without an earlier attempt a duplicate is a real one: refused, even if the same text exists."""
        first = rig.plan_reply(rig.mention("drjane"), "Identical words")
        rig.sender.send_due()
        second = rig.plan_reply(rig.mention("drjane"), "Identical words")
        rig.sender.send_due()
        assert rig.store.action(first.key).status == "done"
        assert rig.store.action(second.key).status == "refused"


class TestThreads:
    def test_a_thread_child_waits_for_its_parent_and_replies_to_its_result(self, rig):
        """The child (due first) waits; once the parent is done the child answers the parent's post."""
        now = rig.clock.now()
        rig.plan_post("ff:2026-W41:2", "Part two of the thread", thread_key="ff:2026-W41:1",
                      not_before=now - timedelta(minutes=5))
        rig.plan_post("ff:2026-W41:1", "Part one of the thread")
        report = rig.sender.send_due()
        assert report.sent == ["ff:2026-W41:1"] and report.waiting == 1
        child = rig.store.action("ff:2026-W41:2")
        assert child.status == "planned" and child.not_before > now
        parent = rig.store.action("ff:2026-W41:1")
        for _ in range(4):  # a minute for the parent, then spacing between posts
            rig.clock.set(rig.store.action("ff:2026-W41:2").not_before)
            rig.sender.send_due()
        child = rig.store.action("ff:2026-W41:2")
        assert child.status == "done"
        by_id = {w["id"]: w for w in rig.sb.writes()}
        assert by_id[child.result_id]["reply_to"] == parent.result_id

    def test_a_child_whose_parent_was_refused_is_cancelled(self, rig):
        """A parent that will never exist cancels its children instead of leaving them waiting."""
        rig.plan_post("dup:1", "Already said")
        assert rig.sender.send_due().sent == ["dup:1"]
        rig.clock.advance(3600)
        rig.plan_post("dup:2", "Already said")
        rig.plan_post("dup:3", "The follow-up", thread_key="dup:2",
                      not_before=rig.clock.now() + timedelta(seconds=1))
        rig.sender.send_due()
        rig.clock.advance(3600)
        report = rig.sender.send_due()
        assert rig.store.action("dup:2").status == "refused"
        assert rig.store.action("dup:3").status == "cancelled" and "dup:3" in report.dropped


class TestPolicy:
    def test_quiet_hours_defer_posts_but_not_replies(self):
        """At 23:00 in New York a reply goes out and a post waits until 07:00."""
        rig = Rig(now=datetime(2026, 10, 6, 3, 0, tzinfo=UTC))  # 23:00 EDT
        try:
            post = rig.plan_post("call:2026-W41", "Calling all mentors")
            reply = rig.plan_reply(rig.mention("drjane"))
            report = rig.sender.send_due()
            assert report.sent == [reply.key]
            waiting = rig.store.action(post.key)
            assert waiting.status == "planned" and waiting.error == "quiet_hours"
            assert waiting.not_before.astimezone(CAMPAIGN.zone).hour == 7
        finally:
            rig.close()

    def test_spacing_holds_the_next_post_but_lets_replies_through(self, rig):
        """Ten minutes between scheduled posts; a reply planned meanwhile is sent at once."""
        rig.plan_post("post:1", "A first post")
        assert rig.sender.send_due().sent == ["post:1"]
        rig.clock.advance(60)
        second = rig.plan_post("post:2", "A second post")
        reply = rig.plan_reply(rig.mention("drjane"))
        report = rig.sender.send_due()
        assert report.sent == [reply.key]
        waiting = rig.store.action(second.key)
        assert waiting.error == "spacing"
        first_done = rig.store.action("post:1").updated_at
        assert waiting.not_before == first_done + timedelta(minutes=CAMPAIGN.limits.min_minutes_between_posts)

    def test_the_daily_cap_defers_everything_until_local_midnight(self):
        """Past posts_per_day the next write waits for the local day's end, and the batch stops."""
        campaign = replace(CAMPAIGN, limits=replace(CAMPAIGN.limits, posts_per_day=1))
        rig = Rig(campaign=campaign)
        try:
            first = rig.plan_reply(rig.mention("drjane"))
            second = rig.plan_reply(rig.mention("omar_md"), handle="omar_md")
            third = rig.plan_post("post:capped", "Capped post")
            report = rig.sender.send_due()
            assert report.sent == [first.key] and report.waiting == 1
            capped = rig.store.action(second.key)
            assert capped.error == "daily_cap"
            local = capped.not_before.astimezone(campaign.zone)
            assert (local.hour, local.minute) == (0, 0) and local.date() > rig.clock.now().astimezone(
                campaign.zone).date()
            assert rig.store.action(third.key).error is None  # the batch stopped before it
            assert len(rig.sb.writes()) == 1
        finally:
            rig.close()

    def test_optional_actions_are_dropped_past_the_budget_warning_while_replies_go(self, rig):
        """Past the warning level a congratulation is cancelled, a reply is still sent."""
        warning = CAMPAIGN.limits.budget_warning_usd
        rig.store.record_spend(rig.clock.now(), "POST /2/tweets", "reply", warning, campaign_id=CID)
        optional = rig.plan_post("congrats:1", "Congratulations to our mentee!", optional=True)
        reply = rig.plan_reply(rig.mention("drjane"))
        report = rig.sender.send_due()
        assert report.dropped == [optional.key] and report.sent == [reply.key]
        dropped = rig.store.action(optional.key)
        assert dropped.status == "cancelled" and dropped.error == "budget_warning"
        assert [w["kind"] for w in rig.sb.writes()] == ["reply"]


class TestErasureAndDryRun:
    def test_an_erasure_reply_has_its_text_scrubbed_once_sent(self, rig):
        """The confirmation of an erasure goes out, then its stored text and people are blanked."""
        pid = rig.mention("drjane", "@MedMentorBot #MedMentorMatch delete my data")
        action = rig.plan_reply(pid, "@drjane Done: your data is erased.", key=f"erasure:{pid}")
        assert rig.sender.send_due().sent == [action.key]
        stored = rig.store.action(action.key)
        assert stored.status == "done" and stored.result_id
        assert stored.text is None and stored.person_ids == ()
        assert rig.store.db.execute("SELECT count(*) FROM action_people").fetchone()[0] == 0
        assert rig.sb.writes()[0]["text"] == "@drjane Done: your data is erased."

    def test_an_erasure_reply_reconciled_after_a_lost_answer_is_scrubbed_too(self):
        """Settled by reconcile instead of by the answer, the confirmation is still scrubbed."""
        rig = Rig(timeout=0.2)
        try:
            pid = rig.mention("drjane", "@MedMentorBot #MedMentorMatch delete my data")
            action = rig.plan_reply(pid, "@drjane Done: erased.", key=f"erasure:{pid}")
            rig.sb.set_faults(rate=1.0, kinds=("503",), after_commit_share=1.0)
            rig.sender.send_due()
            rig.sb.set_faults(rate=0.0)
            assert rig.sender.send_due().reconciled == 1
            stored = rig.store.action(action.key)
            assert stored.status == "done" and stored.text is None and stored.person_ids == ()
            names = rig.store.db.execute("SELECT count(*) FROM actions WHERE text LIKE '%drjane%'")
            assert names.fetchone()[0] == 0
        finally:
            rig.close()

    def test_dry_run_sends_nothing_and_logs_what_it_would_send(self, log_lines):
        """With dry_run the sandbox records no write at all, and each action is logged DRY RUN."""
        rig = Rig(dry_run=True)
        try:
            reply = rig.plan_reply(rig.mention("drjane"))
            rig.plan_post("post:dry", "A post that stays a plan")
            report = rig.sender.send_due()
            assert rig.sb.writes() == []
            assert report.sent == [] and set(report.dropped) == {reply.key, "post:dry"}
            dry = [line for line in log_lines if "DRY RUN" in line]
            assert len(dry) == 2 and any(reply.key in line for line in dry)
            assert rig.store.action(reply.key).status == "cancelled"
        finally:
            rig.close()

    def test_an_erasure_reply_that_x_refuses_is_scrubbed_as_well(self, rig):
        """A confirmation that can never be sent (its post is gone) keeps no text naming the person."""
        pid = rig.mention("drjane", "@MedMentorBot #MedMentorMatch delete my data")
        action = rig.plan_reply(pid, "@drjane Done: erased for good.", key=f"erasure:{pid}")
        rig.sb.delete_post(pid)
        assert rig.sender.send_due().refused == [action.key]
        stored = rig.store.action(action.key)
        assert stored.status == "refused" and stored.text is None and stored.person_ids == ()
