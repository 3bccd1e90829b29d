"""Reading mentions: every post handled once, oldest first, one transaction per page, screened."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.adapters.x_platform import XPlatform
from mentorbot.clock import VirtualClock
from mentorbot.config.campaign import load_campaign
from mentorbot.config.env import XCredentials
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.model import Page, Post, User, id_key
from mentorbot.domain.records import Action, Match
from mentorbot.sandbox import Sandbox
from mentorbot.services.ingest import IngestReport, MentionIngest
from mentorbot.services.intake import Intake
from mentorbot.services.metering import SpendMeter
from mentorbot.services.outbox import Sender

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = load_vocabulary()
CAMPAIGN = load_campaign(ROOT / "config" / "campaigns" / "medmentormatch.toml", VOCABULARY)
CID = CAMPAIGN.id
MONDAY_10AM = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)
BOT = "MedMentorBot"
JOIN = f"@{BOT} #MedMentorMatch MS3 here, looking for a cardiology mentor"
BIO = "MS3 | future cardiologist"


class FlakyCursorStore(SQLiteStore):
    """The real store, except that chosen calls of set_cursor fail (a disk error mid-page)."""

    fail_on: set[int] = set()

    def __init__(self, db):
        self.cursor_calls = 0
        self.fail_on = set()
        super().__init__(db)

    def set_cursor(self, *args, **kwargs):
        self.cursor_calls += 1
        if self.cursor_calls in self.fail_on:
            raise OSError("disk I/O error (injected)")
        return super().set_cursor(*args, **kwargs)


class Rig:
    """Sandbox on loopback + SQLite store + ingest and sender, with an interpreter that may fail."""

    def __init__(self, *, campaign=CAMPAIGN, store_class=SQLiteStore, fail_on_text: str | None = None):
        self.clock = VirtualClock(MONDAY_10AM)
        self.sb = Sandbox(clock=self.clock, seed=11)
        self.bot_account = self.sb.create_user(BOT, description="Automated mentorship bot")
        self.server = self.sb.serve()
        self.store = store_class.memory()
        self.campaign = campaign
        app = self.sb.app
        creds = XCredentials(app.bearer_token, app.consumer_key, app.consumer_secret,
                             self.bot_account.access_token, self.bot_account.access_token_secret)
        meter = SpendMeter(self.store, self.clock, campaign.id, zone=campaign.timezone)
        self.platform = XPlatform(creds, base_url=self.server.url, observer=meter,
                                  time_source=self.clock.timestamp)
        intake = Intake(campaign, VOCABULARY, self.clock)

        def interpret(post, author, store):
            if fail_on_text and fail_on_text in post.text:
                raise RuntimeError("the classifier tripped (injected)")
            return intake(post, author, store)

        self.me = self.platform.me()
        self.store.ensure_campaign(campaign.id, campaign.name, campaign.hashtags, self.clock.now())
        self.ingest = MentionIngest(self.store, self.platform, campaign, self.clock, bot=self.me,
                                    interpret=interpret)
        self.sender = Sender(self.store, self.platform, campaign, self.clock, bot_id=self.me.id,
                             spent_usd=meter.month_to_date)

    def close(self) -> None:
        self.server.close()
        self.store.close()

    def person(self, handle: str, bio: str = BIO, **options):
        return self.sb.create_user(handle, description=bio, **options)

    def post(self, handle: str, text: str = JOIN, **options) -> str:
        self.clock.advance(1)
        return self.sb.post(handle, text, **options)["id"]

    def seen(self) -> list[dict]:
        return list(self.store.db.query("SELECT * FROM posts_seen ORDER BY rowid"))

    def outcomes(self) -> dict[str, str]:
        return {r["post_id"]: r["outcome"] for r in self.seen()}

    def replies(self) -> list[dict]:
        return [w for w in self.sb.writes() if w["kind"] == "reply"]


@pytest.fixture
def rig():
    r = Rig()
    yield r
    r.close()


class TestEveryPostOnce:
    def test_mentions_are_handled_oldest_first_across_pages_each_once(self, rig):
        """205 joins over three pages: handled and answered in posting order, each exactly once."""
        posted = []
        for n in range(205):
            rig.person(f"trainee{n:03d}")
            posted.append(rig.post(f"trainee{n:03d}"))
        report = rig.ingest.poll()
        assert (report.pages, report.read, report.handled) == (3, 205, 205)
        assert report.outcomes == {"joined": 205}
        assert [r["post_id"] for r in rig.seen()] == posted
        planned = list(rig.store.db.query("SELECT in_reply_to FROM actions ORDER BY rowid"))
        assert [r["in_reply_to"] for r in planned] == posted
        assert rig.store.cursor(CID, "mentions") == posted[-1]
        again = rig.ingest.poll()
        assert again.handled == 0 and len(rig.seen()) == 205
        later = [rig.post(f"trainee{n:03d}", f"@{BOT} #MedMentorMatch HELP") for n in (3, 7)]
        third = rig.ingest.poll()
        assert third.handled == 2 and [r["post_id"] for r in rig.seen()[-2:]] == later
        assert rig.store.cursor(CID, "mentions") == later[-1]
        assert rig.store.db.execute("SELECT count(*) FROM actions").fetchone()[0] == 207

    def test_a_join_gets_exactly_one_reply_even_when_read_again(self, rig):
        """Polled again, re-handled from the same page, or read again after losing the cursor: one reply."""
        rig.person("drjane")
        pid = rig.post("drjane")
        rig.ingest.poll()
        rig.sender.send_due()
        rig.ingest.poll()
        page = rig.platform.mentions(rig.me.id)
        again = IngestReport()
        rig.ingest.handle_page(page, again)
        assert again.handled == 0
        rig.store.db.execute("DELETE FROM cursors")  # as if the cursor were lost
        assert rig.ingest.poll().handled == 0
        for _ in range(3):
            rig.clock.advance(600)
            rig.sender.send_due()
        assert [w["reply_to"] for w in rig.replies()] == [pid]
        assert rig.store.action(f"reply:{pid}").status == "done"


class TestFailures:
    def test_an_error_interpreting_one_post_spares_the_rest_of_the_page(self, log_lines):
        """The failing post is recorded "error:..." and logged; the others on the page are handled."""
        rig = Rig(fail_on_text="boom")
        try:
            for handle in ("drjane", "omar_md", "lina_ms2"):
                rig.person(handle)
            first = rig.post("drjane")
            bad = rig.post("omar_md", f"@{BOT} #MedMentorMatch boom MS2 looking for a mentor")
            last = rig.post("lina_ms2")
            report = rig.ingest.poll()
            assert report.handled == 3 and report.outcomes == {"joined": 2, "error": 1}
            assert rig.outcomes() == {first: "joined", bad: "error:RuntimeError", last: "joined"}
            assert rig.store.action(f"reply:{bad}") is None
            assert rig.store.person(rig.sb.user("omar_md")["id"]) is None  # its savepoint rolled back
            assert {p.handle for p in rig.store.participants(CID)} == {"drjane", "lina_ms2"}
            assert rig.store.cursor(CID, "mentions") == last
            failure = [line for line in log_lines if f"post {bad} could not be handled" in line]
            assert failure and CID in failure[0] and "RuntimeError" in "\n".join(log_lines)
            assert rig.ingest.poll().handled == 0  # not retried: it is seen
        finally:
            rig.close()

    def test_an_error_escaping_a_page_rolls_the_whole_page_back_so_it_is_read_again(self):
        """A failure after the posts were handled undoes the page (seen, people, plans, cursor)."""
        rig = Rig(store_class=FlakyCursorStore)
        try:
            rig.store.fail_on = {1}
            for handle in ("drjane", "omar_md"):
                rig.person(handle)
            posted = [rig.post("drjane"), rig.post("omar_md")]
            with pytest.raises(OSError):
                rig.ingest.poll()
            for table in ("posts_seen", "actions", "participants", "people", "cursors", "events"):
                assert rig.store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
            report = rig.ingest.poll()
            assert report.handled == 2 and [r["post_id"] for r in rig.seen()] == posted
            assert rig.store.db.execute("SELECT count(*) FROM actions").fetchone()[0] == 2
        finally:
            rig.close()

    def test_pages_already_handled_stay_handled_when_a_later_page_fails(self):
        """The oldest page commits with its cursor; the failed newer page is read again next time."""
        rig = Rig(store_class=FlakyCursorStore)
        try:
            posted = []
            for n in range(105):
                rig.person(f"trainee{n:03d}")
                posted.append(rig.post(f"trainee{n:03d}"))
            rig.store.fail_on = {2}
            with pytest.raises(OSError):
                rig.ingest.poll()
            assert [r["post_id"] for r in rig.seen()] == posted[:5]
            assert rig.store.cursor(CID, "mentions") == posted[4]
            report = rig.ingest.poll()
            assert report.handled == 100 and [r["post_id"] for r in rig.seen()] == posted
        finally:
            rig.close()


class TestScreening:
    def test_posts_the_bot_must_not_act_on_are_recorded_as_ignored_with_no_reply(self):
        """Reposts, other bots, blocked accounts, blocked words, posts before the start: no reply."""
        moderation = replace(CAMPAIGN.moderation, known_bots=frozenset({"helperbot"}),
                             blocked_accounts=frozenset({"troll_acct"}))
        rig = Rig(campaign=replace(CAMPAIGN, moderation=moderation))
        try:
            for handle in ("drjane", "omar_md", "helperbot", "troll_acct", "spammy", "early_bird"):
                rig.person(handle)
            joined = rig.post("drjane")
            rig.clock.advance(1)
            repost = rig.sb.repost("omar_md", joined)["id"]
            other_bot = rig.post("helperbot", f"@{BOT} #MedMentorMatch I am a bot looking for a mentor")
            blocked = rig.post("troll_acct")
            spam = rig.post("spammy", f"@{BOT} #MedMentorMatch crypto giveaway for every MS3!")
            early = rig.post("early_bird", created_at=CAMPAIGN.start - timedelta(days=3))
            rig.ingest.poll()
            assert rig.outcomes() == {
                early: "ignored:before_start", joined: "joined", repost: "ignored:repost",
                other_bot: "ignored:other_bot", blocked: "ignored:blocked_account",
                spam: "ignored:blocked_word"}
            planned = [r["key"] for r in rig.store.db.query("SELECT key FROM actions")]
            assert planned == [f"reply:{joined}"]
            for _ in range(2):
                rig.sender.send_due()
                rig.clock.advance(600)
            assert [w["reply_to"] for w in rig.replies()] == [joined]
            assert [p.handle for p in rig.store.participants(CID)] == ["drjane"]
        finally:
            rig.close()

    def test_own_posts_and_protected_authors_are_ignored(self, rig):
        """The bot's own post and a protected author's post (X can show both) are screened out."""
        secret = User(id="41", username="private_doc", description=BIO, protected=True)
        own = Post(id="11", text=f"@{BOT} #MedMentorMatch reminder", author_id=rig.me.id)
        hidden = Post(id="12", text=JOIN, author_id=secret.id)
        page = Page(posts=(hidden, own), users={secret.id: secret, rig.me.id: rig.me}, newest_id="12")
        report = IngestReport()
        rig.ingest.handle_page(page, report)
        assert rig.outcomes() == {"11": "ignored:own_post", "12": "ignored:protected"}
        assert rig.store.db.execute("SELECT count(*) FROM actions").fetchone()[0] == 0
        assert rig.store.person(secret.id) is None and rig.store.participants(CID) == []

    def test_a_post_that_only_uses_the_hashtag_never_reaches_the_bot(self, rig):
        """Intake is the mentions timeline: a hashtag post without a mention is never read or answered."""
        rig.person("lina_ms2")
        pid = rig.post("lina_ms2", "#MedMentorMatch MS2 looking for a cardiology mentor!")
        report = rig.ingest.poll()
        assert report.read == 0 and rig.seen() == []
        rig.sender.send_due()
        assert rig.sb.writes() == [] and rig.store.action(f"reply:{pid}") is None


class TestConsent:
    def test_stop_cancels_planned_actions_naming_the_person_in_the_same_transaction(self):
        """STOP, its status change and the cancellations commit together or not at all."""
        rig = Rig(store_class=FlakyCursorStore)
        try:
            jane, omar = rig.person("drjane"), rig.person("omar_md", "Cardiology attending")
            join = rig.post("drjane")
            rig.ingest.poll()
            now = rig.clock.now()
            rig.store.plan(Action(key="intro:1", campaign_id=CID, kind="post", text="@drjane meet @omar_md",
                                  person_ids=(jane.id, omar.id), not_before=now + timedelta(hours=1),
                                  created_at=now))
            rig.store.plan(Action(key="post:other", campaign_id=CID, kind="post", text="Unrelated",
                                  not_before=now + timedelta(hours=1), created_at=now))
            stop = rig.post("drjane", f"@{BOT} #MedMentorMatch STOP")
            rig.store.fail_on = {rig.store.cursor_calls + 1}
            with pytest.raises(OSError):
                rig.ingest.poll()
            assert rig.store.action("intro:1").status == "planned"
            assert rig.store.participant(CID, jane.id).status == "active"
            assert not rig.store.is_seen(CID, stop)
            report = rig.ingest.poll()
            assert report.outcomes == {"stopped": 1}
            assert rig.store.action("intro:1").status == "cancelled"
            assert rig.store.action(f"reply:{join}").status == "cancelled"
            assert rig.store.action("post:other").status == "planned"
            assert rig.store.participant(CID, jane.id).status == "left"
            assert rig.store.action(f"reply:{stop}").status == "planned"
            rig.sender.send_due()
            assert [w["reply_to"] for w in rig.replies()] == [stop]
        finally:
            rig.close()

    def test_delete_leaves_no_row_naming_the_person_and_confirms_it(self, rig):
        """After DELETE no column of any table holds their id or handle; the confirmation is sent."""
        jane = rig.person("DrJane_MS3")
        omar = rig.person("omar_md", "Cardiology attending, happy to mentor")
        rig.post("omar_md", f"@{BOT} #MedMentorMatch cardiology attending, happy to mentor 2 students")
        rig.post("DrJane_MS3")
        rig.ingest.poll()
        rig.sender.send_due()
        rig.store.add_match(Match(campaign_id=CID, mentee_id=jane.id, mentor_id=omar.id,
                                  proposed_at=rig.clock.now(), status="active"))
        rig.store.record_event("introduced", rig.clock.now(), campaign_id=CID, subject_id=omar.id,
                               data={"mentee_id": jane.id, "mentor_id": omar.id})
        rig.clock.advance(3600)
        delete = rig.post("DrJane_MS3", f"@{BOT} #MedMentorMatch please delete my data")
        report = rig.ingest.poll()
        assert report.outcomes == {"erased": 1}
        rig.sender.send_due()
        [confirmation] = [w for w in rig.replies() if w["reply_to"] == delete]
        assert not confirmation["refused"] and "@DrJane_MS3" in confirmation["text"]
        needles = (jane.id, "drjane_ms3")
        found = []
        for table in [r["name"] for r in rig.store.db.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]:
            columns = [c[1] for c in rig.store.db.execute(f"PRAGMA table_info([{table}])").fetchall()]
            for row in rig.store.db.execute(f"SELECT * FROM [{table}]").fetchall():
                for column, value in zip(columns, row):
                    text = str(value).lower() if value is not None else ""
                    found += [(table, column) for needle in needles if needle in text]
        assert found == []
        assert rig.store.participant(CID, omar.id) is not None  # the other person stays
        assert rig.store.is_forgotten(jane.id)
        assert rig.ingest.poll().handled == 0
        assert id_key(rig.store.cursor(CID, "mentions")) >= id_key(delete)
