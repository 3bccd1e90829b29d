"""Deleting a person's data: no row anywhere names them afterwards; others' rows survive."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.domain.model import User
from mentorbot.domain.records import Action, Match, Participant

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
C = "medmentor"
GONE = ("1111111111", "AdaLovelaceMD")  # the person who asks to be forgotten
KEPT = ("2222222222", "GraceHopperDO")  # another participant whose rows must survive
MENTOR = ("3333333333", "DrMentor")


def _fill(store: SQLiteStore, person_id: str, handle: str, n: int) -> None:
    """Rows about one person in every table that can hold one."""
    when = T0 + timedelta(minutes=n)
    post = f"9{n}00"
    store.upsert_person(User(person_id, handle, "Name", f"MS3, cardiology #{n}"), when)
    store.save_participant(Participant(
        campaign_id=C, person_id=person_id, handle=handle, role="mentee", joined_at=when,
        consented_at=when, stage="ms3", specialties=("cardiology",), source_post_id=post,
        preference="a mentor who is a parent", evidence=("looking for a mentor",)))
    store.mark_seen(C, post, author_id=person_id, kind="mention", outcome="joined",
                    intent="join", at=when)
    store.plan(Action(key=f"reply:{post}", campaign_id=C, kind="reply", in_reply_to=post,
                      text=f"@{handle} welcome!", person_ids=(person_id,), not_before=when,
                      created_at=when))
    store.plan(Action(key=f"repost:{post}", campaign_id=C, kind="repost", target_post_id=post,
                      person_ids=(person_id,), optional=True, not_before=when, created_at=when))
    store.mark_sending(f"reply:{post}", when)
    store.mark_done(f"reply:{post}", f"8{n}00", when)
    match_id = store.add_match(Match(campaign_id=C, mentee_id=person_id, mentor_id=MENTOR[0],
                                     reasons=("shared specialty: cardiology",), proposed_at=when))
    store.plan(Action(key=f"intro:{match_id}", campaign_id=C, kind="post",
                      text=f"Meet @{handle} and @{MENTOR[1]}!", person_ids=(person_id, MENTOR[0]),
                      not_before=when, created_at=when))
    store.record_feature(C, person_id, "2026-W02", when, f"followfriday:{C}:2026-W02:{n}")
    store.record_event("joined", when, campaign_id=C, subject_id=person_id, source_post_id=post,
                       data={"role": "mentee"})
    store.record_event("matched", when, campaign_id=C, subject_id=MENTOR[0],
                       data={"mentee_id": person_id, "match_id": match_id})
    store.record_event("featured", when, campaign_id=C, data={"people": [person_id]})
    store.record_spend(when, "POST /2/tweets", "write", 0.01, campaign_id=C)


@pytest.fixture
def store():
    s = SQLiteStore.memory()
    s.ensure_campaign(C, "Med Mentor Match", ["MedMentorMatch"], at=T0)
    s.upsert_person(User(*MENTOR, "Mentor", "Cardiologist"), T0)
    s.save_participant(Participant(campaign_id=C, person_id=MENTOR[0], handle=MENTOR[1],
                                   role="mentor", joined_at=T0, capacity=2))
    s.set_cursor(C, "mentions", "9100", at=T0)
    s.set_flag("paused", "no", at=T0)
    _fill(s, *GONE, 1)
    _fill(s, *KEPT, 2)
    # A #FollowFriday post naming both: it names the forgotten person, so it goes too.
    s.plan(Action(key=f"followfriday:{C}:2026-W02:1", campaign_id=C, kind="post",
                  text=f"#FollowFriday @{GONE[1]} @{KEPT[1]}", person_ids=(GONE[0], KEPT[0]),
                  not_before=T0, created_at=T0))
    # An action that @-mentions them without listing them: deleted all the same.
    s.plan(Action(key="sloppy", campaign_id=C, kind="post", text=f"hi @{GONE[1].lower()}.",
                  not_before=T0, created_at=T0))
    # A handle that merely starts with theirs is someone else.
    s.plan(Action(key="lookalike", campaign_id=C, kind="post", text=f"hi @{GONE[1]}x",
                  not_before=T0, created_at=T0))
    yield s
    s.close()


def _rows_mentioning(store: SQLiteStore, *needles: str) -> list[tuple[str, dict]]:
    """Every row of every table with a text value containing a needle (case-insensitive)."""
    found = []
    for table in store.db.table_names():
        for row in store.db[table].rows:
            texts = [str(v).lower() for v in row.values() if v is not None]
            if any(n.lower() in t for n in needles for t in texts):
                found.append((table, row))
    return found


class TestForgettingAPerson:
    def test_the_fixture_really_names_both_people_everywhere(self, store):
        """Sanity: before forgetting, both people appear in every person-bearing table."""
        for person in (GONE, KEPT):
            tables = {t for t, _ in _rows_mentioning(store, *person)}
            assert {"people", "participants", "posts_seen", "actions", "action_people",
                    "matches", "features", "events"} <= tables

    def test_no_row_in_any_table_names_them_afterwards(self, store):
        """Every text column of every table is free of their id and handle."""
        deleted = store.forget_person(GONE[0], T0 + timedelta(days=1))
        assert _rows_mentioning(store, GONE[0], GONE[1]) == [
            ("actions", store.db["actions"].get("lookalike"))]  # "@AdaLovelaceMDx" is not them
        assert deleted["people"] == 1 and deleted["participants"] == 1
        assert deleted["posts_seen"] == 1 and deleted["matches"] == 1
        assert deleted["features"] == 1 and deleted["events"] == 3
        assert deleted["actions"] == 5  # reply, repost, intro, followfriday, sloppy
        assert deleted["action_people"] == 6

    def test_the_other_persons_rows_survive(self, store):
        """Forgetting one person leaves another's rows, except rows naming both."""
        before = _rows_mentioning(store, *KEPT)
        store.forget_person(GONE[0], T0 + timedelta(days=1))
        after = _rows_mentioning(store, *KEPT)
        lost = [r for r in before if r not in after]
        # Only the #FollowFriday post naming both (and its index row) went.
        key = f"followfriday:{C}:2026-W02:1"
        assert sorted((t, r.get("key") or r.get("action_key")) for t, r in lost) == [
            ("action_people", key), ("actions", key)]
        assert store.participant(C, KEPT[0]) is not None
        assert store.person(KEPT[0]) is not None
        assert store.participant(C, MENTOR[0]) is not None
        assert len(store.matches(C)) == 1
        assert store.cursor(C, "mentions") == "9100"
        assert store.flag("paused") == "no"
        assert store.spend_between(T0, T0 + timedelta(days=1)) == pytest.approx(0.02)

    def test_they_are_remembered_only_as_a_salted_hash(self, store):
        """is_forgotten is true for them only; the stored hash is not the bare sha256 of the id."""
        import hashlib

        assert not store.is_forgotten(GONE[0])
        store.forget_person(GONE[0], T0)
        assert store.is_forgotten(GONE[0])
        assert not store.is_forgotten(KEPT[0])
        (row,) = store.db["forgotten"].rows
        assert row["hash"] != hashlib.sha256(GONE[0].encode()).hexdigest()

    def test_forgetting_twice_is_harmless(self, store):
        """A second request deletes nothing more and keeps one hash."""
        store.forget_person(GONE[0], T0)
        again = store.forget_person(GONE[0], T0 + timedelta(hours=1))
        assert set(again.values()) == {0}
        assert store.db["forgotten"].count == 1

    def test_a_failure_midway_forgets_nothing(self, store):
        """forget_person is one transaction: inside a failing block it is rolled back."""
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.forget_person(GONE[0], T0)
                raise RuntimeError
        assert store.person(GONE[0]) is not None
        assert not store.is_forgotten(GONE[0])
