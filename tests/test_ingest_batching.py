"""A page of mentions asks the store once per page, and still sees what its own posts changed."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.clock import VirtualClock
from mentorbot.config.campaign import load_campaign
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.intake import Decision
from mentorbot.domain.model import Page, Post, User
from mentorbot.domain.records import Action, Participant
from mentorbot.services.ingest import IngestReport, MentionIngest
from mentorbot.services.intake import Intake

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = load_vocabulary()
CAMPAIGN = load_campaign(ROOT / "config" / "campaigns" / "medmentormatch.toml", VOCABULARY)
CID = CAMPAIGN.id
NOW = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)
BOT = User(id="1", username="MedMentorBot", name="MedMentorMatch")
JOIN = "@MedMentorBot #MedMentorMatch MS3 here, looking for a cardiology mentor"


def person(n: int) -> User:
    return User(id=str(1000 + n), username=f"trainee{n}", name=f"Trainee {n}",
                description="MS3 | future cardiologist")


def page(*posts: tuple[User, str]) -> Page:
    """A page of mentions, ids increasing in posting order (handed over newest first, as X does)."""
    made = [Post(id=str(5000 + k), text=text, author_id=user.id,
                 created_at=NOW - timedelta(seconds=len(posts) - k), conversation_id=str(5000 + k),
                 mentions=tuple(m.lower() for m in re.findall(r"@(\w+)", text)),
                 hashtags=tuple(t.lower() for t in re.findall(r"#(\w+)", text)))
            for k, (user, text) in enumerate(posts)]
    made.reverse()
    return Page(posts=tuple(made), users={user.id: user for user, _ in posts},
                newest_id=made[0].id, oldest_id=made[-1].id)


def make_ingest() -> MentionIngest:
    clock = VirtualClock(NOW)
    store = SQLiteStore.memory()
    store.ensure_campaign(CID, CAMPAIGN.name, CAMPAIGN.hashtags, NOW)
    return MentionIngest(store, None, CAMPAIGN, clock, bot=BOT,
                         interpret=Intake(CAMPAIGN, VOCABULARY, clock))


@pytest.fixture
def ingest():
    made = make_ingest()
    yield made
    made.store.close()


def outcomes(ingest: MentionIngest) -> list[str]:
    return [r["outcome"] for r in ingest.store.db.query("SELECT outcome FROM posts_seen ORDER BY rowid")]


def state(ingest: MentionIngest) -> tuple:
    """What the bot decided and wrote: outcomes, the outbox, participants, events."""
    db = ingest.store.db
    return (outcomes(ingest),
            list(db.query("SELECT key, kind, text, person_ids, status FROM actions ORDER BY key")),
            list(db.query("SELECT * FROM participants ORDER BY person_id")),
            list(db.query("SELECT kind, subject_id, source_post_id, data FROM events ORDER BY id")))


def together_and_apart(*posts: tuple[User, str]) -> tuple[tuple, tuple]:
    """The same posts handled as one page, and one page per post (each asking the store afresh)."""
    whole, single = make_ingest(), make_ingest()
    whole.handle_page(page(*posts), IngestReport())
    everything = page(*posts)
    for post in everything.oldest_first():
        single.handle_page(Page(posts=(post,), users=everything.users, newest_id=post.id,
                                oldest_id=post.id), IngestReport())
    try:
        return state(whole), state(single)
    finally:
        whole.store.close()
        single.store.close()


class TestAPageSeesItsOwnChanges:
    def test_a_command_after_a_join_on_the_same_page_finds_the_new_participant(self):
        """Join then status, one page: the status is answered, as if each post had asked the store."""
        a = person(1)
        whole, single = together_and_apart((a, JOIN), (a, "@MedMentorBot status"))
        assert whole == single
        assert whole[0] == ["joined", "status_sent"]

    def test_a_second_post_of_the_day_counts_the_reply_to_the_first(self):
        """Posts by the same people again and again on one page: same replies as post by post."""
        a, b = person(2), person(3)
        whole, single = together_and_apart((a, JOIN), (b, JOIN), (a, JOIN), (a, "@MedMentorBot help"),
                                           (b, "@MedMentorBot pause"), (a, "@MedMentorBot help"),
                                           (b, "@MedMentorBot resume"))
        assert whole == single
        assert len(whole[1]) >= 4

    def test_a_post_after_an_erasure_on_the_same_page_is_ignored(self):
        """Delete, then join again on the same page: the person stays forgotten."""
        a, b = person(4), person(5)
        whole, single = together_and_apart((a, JOIN), (b, JOIN), (a, "@MedMentorBot delete my data"),
                                           (a, JOIN), (b, "@MedMentorBot status"))
        assert whole == single
        assert whole[0] == ["joined", "ignored:forgotten", "status_sent"]
        assert [p["person_id"] for p in whole[2]] == [b.id]

    def test_posts_already_seen_are_skipped(self, ingest):
        """The same page twice: every post handled once."""
        a, b = person(6), person(7)
        report = IngestReport()
        ingest.handle_page(page((a, JOIN), (b, JOIN)), report)
        ingest.handle_page(page((a, JOIN), (b, JOIN)), report)
        assert report.handled == 2 and outcomes(ingest) == ["joined", "joined"]


class Scripted:
    """An interpreter that does what a post's text says and notes what the store told it."""

    def __init__(self) -> None:
        self.saw: list[tuple[str, str | None, int]] = []  # (text, participant status, replies)

    def __call__(self, post: Post, author: User, store) -> Decision:
        found = store.participant(CID, author.id)
        replies = store.count_actions_for_person(CID, author.id, "reply")
        self.saw.append((post.text, found.status if found else None, replies))
        if post.text == "pause":  # changes the author without planning anything that names them
            return Decision(outcome="paused", status=("paused", None))
        if post.text == "forget":
            return Decision(outcome="erased", forget=True)
        return Decision(outcome="looked")


class TestWhatAPostChangesIsNotAnsweredFromThePage:
    def setup_method(self) -> None:
        self.clock = VirtualClock(NOW)
        self.store = SQLiteStore.memory()
        self.store.ensure_campaign(CID, CAMPAIGN.name, CAMPAIGN.hashtags, NOW)
        self.interpret = Scripted()
        self.ingest = MentionIngest(self.store, None, CAMPAIGN, self.clock, bot=BOT,
                                    interpret=self.interpret)
        for n in (20, 21):
            self.store.save_participant(Participant(campaign_id=CID, person_id=person(n).id,
                                                    handle=person(n).username, role="mentee",
                                                    joined_at=NOW - timedelta(days=1)))

    def teardown_method(self) -> None:
        self.store.close()

    def test_a_change_to_the_author_alone_is_seen_by_their_next_post(self):
        """A pause that plans no reply: the author's next post on the page sees them paused."""
        a = person(20)
        self.ingest.handle_page(page((a, "pause"), (a, "look")), IngestReport())
        assert self.interpret.saw == [("pause", "active", 0), ("look", "paused", 0)]

    def test_an_erasure_that_deletes_what_names_others_is_seen_by_their_posts(self):
        """Forgetting A deletes a reply naming A and B: B's next post counts no reply."""
        a, b = person(20), person(21)
        self.store.plan(Action(key="reply:both", campaign_id=CID, kind="reply", not_before=NOW,
                               created_at=NOW, text="hi both", person_ids=(a.id, b.id)))
        self.ingest.handle_page(page((a, "forget"), (b, "look")), IngestReport())
        assert self.interpret.saw == [("forget", "active", 1), ("look", "active", 0)]


class TestPageQueriesAgreeWithSingleOnes:
    def test_batch_lookups_answer_what_one_by_one_lookups_answer(self, ingest):
        """seen, forgotten, participants and reply counts: one query for many ids, same answers."""
        store = ingest.store
        users = [person(n) for n in range(10, 16)]
        ingest.handle_page(page(*((u, JOIN) for u in users[:4])), IngestReport())
        store.forget_person(users[0].id, NOW)
        later = NOW + timedelta(hours=1)
        store.plan(Action(key="post:x", campaign_id=CID, kind="reply", not_before=later, created_at=later,
                          text="hi", person_ids=(users[1].id,)))
        ids = [u.id for u in users]
        posts = ["5000", "5001", "5002", "5003", "5004", "9999"]
        assert store.seen_among(CID, posts) == {p for p in posts if store.is_seen(CID, p)}
        assert store.forgotten_among(ids) == {i: store.forgotten_at(i) for i in ids if store.forgotten_at(i)}
        assert store.participants_among(CID, ids) == {
            i: store.participant(CID, i) for i in ids if store.participant(CID, i)}
        for since in (None, NOW + timedelta(minutes=30)):
            counts = store.count_actions_for_people(CID, ids, "reply", since)
            assert {i: counts.get(i, 0) for i in ids} == {
                i: store.count_actions_for_person(CID, i, "reply", since) for i in ids}
            assert any(counts.values())


class TestPagesCommitWithoutWaitingForTheDisk:
    def test_a_relaxed_transaction_leaves_the_store_durable_again(self, tmp_path):
        """durable=False lowers synchronous for that commit only, also when it rolls back."""
        store = SQLiteStore.open(tmp_path / "m.db")
        level = lambda: store.db.execute("PRAGMA synchronous").fetchone()[0]  # noqa: E731
        assert level() == 2  # FULL
        with store.transaction(durable=False):
            assert level() == 1  # NORMAL
            store.set_flag("x", "1")
        assert level() == 2 and store.flag("x") == "1"
        with pytest.raises(RuntimeError):
            with store.transaction(durable=False):
                store.set_flag("x", "2")
                raise RuntimeError("boom")
        assert level() == 2 and store.flag("x") == "1"
        store.close()
