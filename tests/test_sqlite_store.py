"""The SQLite store: migrations, transactions, the outbox state machine, and every method."""
from __future__ import annotations

import dataclasses
import inspect
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from mentorbot.adapters.migrations import migrations
from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.domain.model import User
from mentorbot.domain.records import ACTION_STATUSES, Action, Match, Participant
from mentorbot.ports import Store

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
C = "medmentor"


def at(minutes: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes)


def action(key: str, *, minutes: float = 0, people: tuple[str, ...] = (), kind: str = "reply",
           campaign: str = C, created: float = 0) -> Action:
    return Action(key=key, campaign_id=campaign, kind=kind, text=f"text of {key}",
                  in_reply_to="100", person_ids=people, not_before=at(minutes),
                  created_at=at(created))


def participant(person_id: str, *, role: str = "mentee", status: str = "active",
                minutes: float = 0, campaign: str = C) -> Participant:
    return Participant(campaign_id=campaign, person_id=person_id, handle=f"user{person_id}",
                       role=role, status=status, joined_at=at(minutes), consented_at=at(minutes),
                       stage="ms3", specialties=("cardiology", "surgery"), capacity=None,
                       source_post_id="500", evidence=("looking for", "mentor"))


@pytest.fixture
def store():
    s = SQLiteStore.memory()
    s.ensure_campaign(C, "Med Mentor Match", ["MedMentorMatch"], at=T0)
    yield s
    s.close()


class TestOpeningADatabase:
    def test_migrations_create_every_table_in_an_empty_file(self, tmp_path):
        """Opening a new file creates every table and records the migration."""
        s = SQLiteStore.open(tmp_path / "bot.db")
        tables = set(s.db.table_names())
        assert {"campaigns", "people", "participants", "posts_seen", "cursors", "actions",
                "action_people", "matches", "features", "events", "spend", "flags",
                "forgotten", "meta"} <= tables
        assert [m.name for m in migrations.applied(s.db)] == ["0001_initial"]
        s.close()

    def test_reopening_applies_nothing_and_keeps_data_and_salt(self, tmp_path):
        """Migrations are idempotent: a reopen keeps rows, the salt and the single record."""
        path = tmp_path / "bot.db"
        s = SQLiteStore.open(path)
        s.set_flag("paused", "yes", at=T0)
        salt = s._salt
        s.close()
        s = SQLiteStore.open(path)
        assert s.flag("paused") == "yes"
        assert s._salt == salt
        assert migrations.pending(s.db) == []
        assert s.db["_sqlite_migrations"].count == 1
        s.close()

    def test_files_use_wal_foreign_keys_and_a_busy_timeout(self, tmp_path):
        """A file database is in WAL mode with foreign keys enforced and a busy timeout."""
        s = SQLiteStore.open(tmp_path / "bot.db", busy_timeout_ms=1234)
        assert s.db.journal_mode == "wal"
        assert s._value("PRAGMA foreign_keys") == 1
        assert s._value("PRAGMA busy_timeout") == 1234
        with pytest.raises(sqlite3.IntegrityError):
            s.plan(action("reply:1", campaign="no-such-campaign"))
        s.close()

    def test_memory_stores_are_independent(self):
        """Two in-memory stores share nothing."""
        a, b = SQLiteStore.memory(), SQLiteStore.memory()
        a.set_flag("paused", "1", at=T0)
        assert b.flag("paused") is None
        assert a._salt != b._salt

    def test_the_store_implements_the_port_with_the_same_signatures(self, store):
        """SQLiteStore is a Store, and each port method has the adapter's parameters."""
        assert isinstance(store, Store)
        for name, member in inspect.getmembers(Store, inspect.isfunction):
            if name.startswith("_"):
                continue
            port = list(inspect.signature(member).parameters)
            impl = list(inspect.signature(getattr(SQLiteStore, name)).parameters)
            assert port == impl, name

    def test_a_second_connection_sees_committed_writes(self, tmp_path):
        """Writes commit to the file: another store on the same file reads them."""
        path = tmp_path / "bot.db"
        a = SQLiteStore.open(path)
        a.ensure_campaign(C, "x", [], at=T0)
        a.plan(action("reply:1"))
        b = SQLiteStore.open(path)
        assert b.action("reply:1") is not None
        a.close(), b.close()

    def test_threads_share_one_store_safely(self, store):
        """Jobs on several threads can plan through one store without losing writes."""
        def work(t: int) -> None:
            for i in range(25):
                with store.transaction():
                    store.plan(action(f"t{t}:{i}"))
                    store.record_event("planned", T0, data={"key": f"t{t}:{i}"})

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.queue_sizes(C)["planned"] == 100
        assert len(store.events(kind="planned")) == 100


class TestTransactions:
    def test_an_exception_rolls_back_cursor_seen_and_actions(self, store):
        """Crash-safe ingest: a failure mid-page leaves no trace of the page."""
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.mark_seen(C, "10", author_id="1", kind="mention", outcome="joined",
                                intent="join", at=T0)
                store.plan(action("reply:10"))
                store.set_cursor(C, "mentions", "10", at=T0)
                store.record_event("joined", T0, campaign_id=C, subject_id="1")
                raise RuntimeError("crash")
        assert not store.is_seen(C, "10")
        assert store.action("reply:10") is None
        assert store.cursor(C, "mentions") is None
        assert store.events() == []

    def test_a_successful_block_commits_everything(self, tmp_path):
        """Everything written in the block is visible from another connection afterwards."""
        path = tmp_path / "bot.db"
        a = SQLiteStore.open(path)
        a.ensure_campaign(C, "x", [], at=T0)
        b = SQLiteStore.open(path)
        with a.transaction():
            a.plan(action("reply:10"))
            a.set_cursor(C, "mentions", "10", at=T0)
            assert b.cursor(C, "mentions") is None  # not yet committed
        assert b.cursor(C, "mentions") == "10"
        assert b.action("reply:10") is not None
        a.close(), b.close()

    def test_nested_blocks_join_the_outer_transaction(self, store):
        """An inner block commits only with the outer one: an outer failure undoes both."""
        with pytest.raises(ValueError):
            with store.transaction():
                with store.transaction():
                    store.plan(action("reply:1"))
                assert store.action("reply:1") is not None
                raise ValueError
        assert store.action("reply:1") is None

    def test_an_inner_failure_caught_outside_undoes_only_the_inner_block(self, store):
        """A nested block that raises is rolled back to its start; the outer work stays."""
        with store.transaction():
            store.plan(action("reply:1"))
            with pytest.raises(KeyError):
                with store.transaction():
                    store.plan(action("reply:2"))
                    raise KeyError
            store.plan(action("reply:3"))
        assert [a.key for a in store.actions_in_state("planned")] == ["reply:1", "reply:3"]


class TestCampaignsAndCursors:
    def test_ensure_campaign_updates_name_and_hashtags(self, store):
        """Calling ensure_campaign again refreshes the configuration, keeping created_at."""
        store.ensure_campaign(C, "Renamed", ["A", "B"], at=at(60))
        (c,) = store.campaigns()
        assert (c["name"], c["hashtags"], c["created_at"]) == ("Renamed", ["A", "B"], T0)

    def test_cursors_never_move_backwards_numerically(self, store):
        """"9" after "10" is ignored: ids compare as integers, not text."""
        assert store.cursor(C, "mentions") is None
        assert store.set_cursor(C, "mentions", "10", at=T0)
        assert not store.set_cursor(C, "mentions", "9", at=T0)
        assert not store.set_cursor(C, "mentions", "10", at=T0)
        assert store.cursor(C, "mentions") == "10"
        assert store.set_cursor(C, "mentions", "100", at=T0)
        assert store.cursor(C, "mentions") == "100"
        assert store.cursor(C, "search") is None


class TestPeopleAndParticipants:
    def test_people_are_upserted_and_found_by_handle_case_insensitively(self, store):
        """The latest snapshot wins and handles match whatever their case."""
        store.upsert_person(User("1", "DrAda", "Ada", "Cardiology fellow"), T0)
        store.upsert_person(User("1", "DrAda", "Ada L.", "Attending", protected=True), at(5))
        assert store.person("1") == User("1", "DrAda", "Ada L.", "Attending", protected=True)
        assert store.person_by_handle("@drada").id == "1"
        assert store.person_by_handle("DRADA").id == "1"
        assert store.person_by_handle("nobody") is None
        assert store.person("2") is None

    def test_participants_round_trip_and_filter(self, store):
        """A saved participant reads back equal; role and status filters work."""
        p = participant("1")
        store.save_participant(p)
        store.save_participant(participant("2", role="mentor", minutes=1))
        store.save_participant(participant("3", status="paused", minutes=2))
        assert store.participant(C, "1") == p
        assert store.participant(C, "9") is None
        assert [x.person_id for x in store.participants(C)] == ["1", "2", "3"]
        assert [x.person_id for x in store.participants(C, role="mentee")] == ["1", "3"]
        assert [x.person_id for x in store.participants(C, role="mentee", status="active")] == ["1"]

    def test_saving_again_replaces_the_participant(self, store):
        """save_participant is an upsert keyed by campaign and person."""
        store.save_participant(participant("1"))
        changed = participant("1", role="mentor")
        store.save_participant(changed)
        assert store.participant(C, "1") == changed
        assert len(store.participants(C)) == 1

    def test_status_changes_record_pause_end(self, store):
        """set_participant_status sets status and paused_until; unknown people are False."""
        store.save_participant(participant("1"))
        assert store.set_participant_status(C, "1", "paused", at(1), paused_until=at(600))
        p = store.participant(C, "1")
        assert (p.status, p.paused_until) == ("paused", at(600))
        assert store.set_participant_status(C, "1", "active", at(2))
        assert store.participant(C, "1").paused_until is None
        assert not store.set_participant_status(C, "2", "left", at(3))
        with pytest.raises(ValueError):
            store.set_participant_status(C, "1", "gone", at(3))


class TestPostsSeen:
    def test_mark_seen_is_new_once_and_updates_outcome(self, store):
        """The first mark is new; a second updates outcome and intent; counts by outcome."""
        assert store.mark_seen(C, "10", author_id="1", kind="mention", outcome=None,
                               intent="join", at=T0)
        assert not store.mark_seen(C, "10", author_id="1", kind="mention", outcome="joined",
                                   intent="join", at=at(1))
        store.mark_seen(C, "11", author_id="2", kind="search", outcome="ignored:protected",
                        intent=None, at=T0)
        store.mark_seen(C, "12", author_id="3", kind="mention", outcome="joined", intent="join",
                        at=T0)
        assert store.is_seen(C, "10") and not store.is_seen(C, "13")
        assert store.seen_outcomes(C) == {"joined": 2, "ignored:protected": 1}


class TestOutbox:
    def test_plan_is_idempotent_by_key(self, store):
        """Planning the same key twice keeps the first action unchanged."""
        first = action("reply:1", people=("1",))
        assert store.plan(first)
        assert not store.plan(action("reply:1", minutes=99, people=("2",)))
        stored = store.action("reply:1")
        assert stored == Action(**{**_fields(first), "updated_at": first.created_at})
        assert store.cancel_for_person(C, "2", "opt-out", at(1)) == 0

    def test_due_actions_respect_not_before_retry_at_and_order(self, store):
        """Only planned actions past not_before and retry_at, by not_before then creation."""
        store.plan(action("b", minutes=5, created=1))
        store.plan(action("a", minutes=5, created=0))
        store.plan(action("c", minutes=1))
        store.plan(action("later", minutes=60))
        store.plan(action("retry", minutes=0))
        store.mark_sending("retry", at(0))
        store.mark_failed("retry", "503", at(0), retry_at=at(30))
        assert [a.key for a in store.due_actions(C, at(10))] == ["c", "a", "b"]
        assert [a.key for a in store.due_actions(C, at(30))] == ["retry", "c", "a", "b"]
        assert [a.key for a in store.due_actions(C, at(60), limit=2)] == ["retry", "c"]
        store.mark_sending("c", at(61))
        assert "c" not in [a.key for a in store.due_actions(C, at(61))]
        assert store.due_actions("other", at(61)) == []

    def test_a_send_goes_planned_sending_done(self, store):
        """mark_sending then mark_done records the result; a done action cannot move again."""
        store.plan(action("reply:1"))
        assert store.mark_sending("reply:1", at(1))
        assert not store.mark_sending("reply:1", at(1))
        assert store.mark_done("reply:1", "900", at(2))
        a = store.action("reply:1")
        assert (a.status, a.result_id, a.updated_at) == ("done", "900", at(2))
        assert not store.mark_failed("reply:1", "x", at(3), at(4))
        assert not store.mark_refused("reply:1", "x", at(3))
        assert store.action("reply:1").status == "done"

    def test_failures_retry_then_give_up(self, store):
        """mark_failed returns to planned with attempts + 1; without retry_at it ends failed."""
        store.plan(action("reply:1"))
        store.mark_sending("reply:1", at(1))
        assert store.mark_failed("reply:1", "timeout", at(1), retry_at=at(5))
        a = store.action("reply:1")
        assert (a.status, a.attempts, a.error, a.retry_at) == ("planned", 1, "timeout", at(5))
        store.mark_sending("reply:1", at(5))
        assert store.mark_failed("reply:1", "timeout", at(5), retry_at=None)
        a = store.action("reply:1")
        assert (a.status, a.attempts) == ("failed", 2)

    def test_refusals_are_terminal(self, store):
        """mark_refused keeps the reason and leaves the queue."""
        store.plan(action("reply:1"))
        store.mark_sending("reply:1", at(1))
        assert store.mark_refused("reply:1", "reply not allowed", at(1))
        a = store.action("reply:1")
        assert (a.status, a.error) == ("refused", "reply not allowed")
        assert store.due_actions(C, at(100)) == []

    def test_cancel_for_person_cancels_only_planned_actions_naming_them(self, store):
        """Opt-out: planned actions naming the person are cancelled; others untouched."""
        store.ensure_campaign("other", "Other", [], at=T0)
        store.plan(action("intro:1", people=("1", "2")))
        store.plan(action("repost:1", people=("1",), kind="repost"))
        store.plan(action("reply:2", people=("2",)))
        store.plan(action("sent:1", people=("1",)))
        store.plan(action("other:1", people=("1",), campaign="other"))
        store.mark_sending("sent:1", at(0))
        assert store.cancel_for_person(C, "1", "opted out", at(1)) == 2
        states = {a.key: a.status for a in store.actions_in_state("cancelled")}
        assert states == {"intro:1": "cancelled", "repost:1": "cancelled"}
        assert store.action("reply:2").status == "planned"
        assert store.action("sent:1").status == "sending"
        assert store.action("other:1").status == "planned"
        assert store.action("intro:1").error == "opted out"

    def test_cancel_by_key(self, store):
        """cancel moves one planned action to cancelled, and nothing else."""
        store.plan(action("a"))
        assert store.cancel("a", "not needed", at(1))
        assert not store.cancel("a", "again", at(2))
        assert store.action("a").status == "cancelled"

    def test_caps_spacing_and_queue_sizes(self, store):
        """count_done_since, last_done_at and queue_sizes read the outbox."""
        for i, kind in enumerate(["repost", "repost", "reply", "repost"]):
            store.plan(action(f"k{i}", kind=kind))
            store.mark_sending(f"k{i}", at(i))
            store.mark_done(f"k{i}", None, at(10 * i))
        store.plan(action("waiting"))
        assert store.count_done_since(C, "repost", at(0)) == 3
        assert store.count_done_since(C, "repost", at(10)) == 2
        assert store.count_done_since(C, "reply", at(21)) == 0
        assert store.last_done_at(C) == at(30)
        assert store.last_done_at("other") is None
        sizes = store.queue_sizes(C)
        assert sizes == {"planned": 1, "sending": 0, "done": 4, "failed": 0, "refused": 0,
                         "cancelled": 0}

    def test_actions_in_state_filters_by_campaign(self, store):
        """actions_in_state lists one state, optionally for one campaign."""
        store.ensure_campaign("other", "Other", [], at=T0)
        store.plan(action("a"))
        store.plan(action("b", campaign="other"))
        assert {a.key for a in store.actions_in_state("planned")} == {"a", "b"}
        assert [a.key for a in store.actions_in_state("planned", C)] == ["a"]
        with pytest.raises(ValueError):
            store.actions_in_state("pending")


class TestMatchesFeaturesEventsSpendFlags:
    def test_matches_lifecycle(self, store):
        """Matches are stored, filtered, moved, and declined pairs are remembered."""
        m1 = store.add_match(Match(campaign_id=C, mentee_id="1", mentor_id="9", score=0.8,
                                   reasons=("shared specialty: cardiology",), proposed_at=T0))
        m2 = store.add_match(Match(campaign_id=C, mentee_id="2", mentor_id="9", proposed_at=T0))
        assert store.match(m1).reasons == ("shared specialty: cardiology",)
        assert store.match(m1).updated_at == T0
        assert store.set_match_status(m1, "active", at(1))
        assert store.set_match_status(m1, "active", at(2), check_in="going well")
        assert store.set_match_status(m1, "ended", at(3))
        assert store.match(m1).check_in == "going well"
        assert store.set_match_status(m2, "declined", at(1))
        assert not store.set_match_status(999, "active", at(1))
        assert [m.id for m in store.matches(C, person_id="9")] == [m1, m2]
        assert [m.id for m in store.matches(C, status="ended")] == [m1]
        assert [m.id for m in store.matches(C, person_id="2")] == [m2]
        assert store.declined_pairs(C) == {("2", "9")}
        assert store.match(12345) is None

    def test_features_count_and_remember_the_last_time(self, store):
        """One feature per person per edition; counts and last dates per person."""
        assert store.record_feature(C, "1", "2026-W02", at(0), "followfriday:x:2026-W02:1")
        assert not store.record_feature(C, "1", "2026-W02", at(1), None)
        store.record_feature(C, "1", "2026-W03", at(7 * 1440), None)
        store.record_feature(C, "2", "2026-W03", at(7 * 1440), None)
        assert store.feature_counts(C) == {"1": 2, "2": 1}
        assert store.last_featured(C) == {"1": at(7 * 1440), "2": at(7 * 1440)}

    def test_a_feature_in_a_post_that_never_went_out_does_not_count(self, store):
        """People in a cancelled #FollowFriday post stay first in line for the next edition."""
        store.plan(Action(key="ff:c:W02:1", campaign_id=C, kind="post", text="#FF @a", not_before=at(0),
                          created_at=at(0)))
        store.plan(Action(key="ff:c:W02:2", campaign_id=C, kind="post", text="#FF @b", not_before=at(0),
                          created_at=at(0)))
        store.record_feature(C, "1", "2026-W02", at(0), "ff:c:W02:1")
        store.record_feature(C, "2", "2026-W02", at(0), "ff:c:W02:2")
        store.cancel("ff:c:W02:2", "paused", at(1))
        assert store.feature_counts(C) == {"1": 1}

    def test_events_are_appended_and_filtered(self, store):
        """record_event returns ids in order; events() filters and decodes data."""
        e1 = store.record_event("joined", T0, campaign_id=C, subject_id="1",
                                source_post_id="10", data={"role": "mentee"})
        e2 = store.record_event("paused", at(1), campaign_id=C, subject_id="2")
        store.record_event("kill_switch", at(2))
        assert e2 > e1
        (e,) = store.events(subject_id="1")
        assert (e.kind, e.at, e.source_post_id, dict(e.data)) == ("joined", T0, "10",
                                                                   {"role": "mentee"})
        assert [x.kind for x in store.events(campaign_id=C)] == ["joined", "paused"]
        assert [x.kind for x in store.events(kind="kill_switch")] == ["kill_switch"]
        assert len(store.events()) == 3

    def test_spend_sums_over_half_open_windows(self, store):
        """spend_between includes the start, excludes the end, filters by campaign."""
        store.record_spend(at(0), "GET /2/users/:id/mentions", "read", 0.005, 5, campaign_id=C)
        store.record_spend(at(30), "POST /2/tweets", "write", 0.01, campaign_id=C)
        store.record_spend(at(60), "GET /2/users/me", "read", 0.001)
        assert store.spend_between(at(0), at(60)) == pytest.approx(0.015)
        assert store.spend_between(at(0), at(61)) == pytest.approx(0.016)
        assert store.spend_between(at(0), at(61), campaign_id=C) == pytest.approx(0.015)
        assert store.spend_between(at(100), at(200)) == 0.0

    def test_flags_set_and_clear(self, store):
        """set_flag stores a value; None clears it."""
        assert store.flag("paused") is None
        store.set_flag("paused", "operator", at=T0)
        assert store.flag("paused") == "operator"
        store.set_flag("paused", None)
        assert store.flag("paused") is None

    def test_naive_datetimes_are_refused(self, store):
        """A datetime without a timezone is a bug; the store says so."""
        with pytest.raises(ValueError):
            store.record_spend(datetime(2026, 1, 1), "x", "read", 1.0)


def _fields(a: Action) -> dict:
    return {f.name: getattr(a, f.name) for f in dataclasses.fields(a)}


# -- the outbox state machine, under random operations --------------------------------------

_KEYS = ["k0", "k1", "k2", "k3"]
_ops = st.lists(st.tuples(
    st.sampled_from(["plan", "sending", "done", "failed_retry", "failed_final", "refused",
                     "cancel_person", "cancel"]),
    st.sampled_from(_KEYS), st.sampled_from(["p0", "p1"])), max_size=30)

# What each operation may move, and where to: the model the store must follow.
_MOVES = {"sending": ({"planned"}, "sending"), "done": ({"planned", "sending"}, "done"),
          "failed_retry": ({"planned", "sending"}, "planned"),
          "failed_final": ({"planned", "sending"}, "failed"),
          "refused": ({"planned", "sending"}, "refused"), "cancel": ({"planned"}, "cancelled")}


@settings(max_examples=60, deadline=None)
@given(_ops)
def test_random_outbox_operations_keep_every_action_in_exactly_one_valid_state(ops):
    """Whatever the sequence of plan/mark calls, each action is in one state, as the model says."""
    s = SQLiteStore.memory()
    s.ensure_campaign(C, "x", [], at=T0)
    model: dict[str, str] = {}
    people = {k: ("p0",) if i % 2 == 0 else ("p0", "p1") for i, k in enumerate(_KEYS)}
    for n, (op, key, person) in enumerate(ops):
        when = at(n)
        if op == "plan":
            assert s.plan(action(key, people=people[key])) == (key not in model)
            model.setdefault(key, "planned")
        elif op == "cancel_person":
            expected = [k for k, st_ in model.items() if st_ == "planned" and person in people[k]]
            assert s.cancel_for_person(C, person, "opt-out", when) == len(expected)
            model.update(dict.fromkeys(expected, "cancelled"))
        else:
            sources, target = _MOVES[op]
            moved = {"sending": lambda: s.mark_sending(key, when),
                     "done": lambda: s.mark_done(key, "1", when),
                     "failed_retry": lambda: s.mark_failed(key, "e", when, when),
                     "failed_final": lambda: s.mark_failed(key, "e", when, None),
                     "refused": lambda: s.mark_refused(key, "r", when),
                     "cancel": lambda: s.cancel(key, "c", when)}[op]()
            assert moved == (model.get(key) in sources)
            if moved:
                model[key] = target
    by_state = {status: {a.key for a in s.actions_in_state(status)} for status in ACTION_STATUSES}
    everywhere = [k for keys in by_state.values() for k in keys]
    assert sorted(everywhere) == sorted(model)  # each action in exactly one state
    assert {k: st_ for st_, keys in by_state.items() for k in keys} == model
    assert sum(s.queue_sizes(C).values()) == len(model)
    s.close()
