"""`mentorbot participants list|show|approve|block|unblock|export` on a database a simulated week filled."""
from __future__ import annotations

import csv
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.cli import cli
from mentorbot.cli_people import EXPORT_COLUMNS
from mentorbot.config import load_campaign, load_vocabulary
from mentorbot.domain.classify import Classifier
from mentorbot.domain.model import Post, User
from mentorbot.domain.records import Action, Match
from mentorbot.domain.registration import Facts, decide
from mentorbot.domain.text import fits


def _run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--env-file", str(db.parent / "no.env"), *args],
                              env={"MENTORBOT_DB": str(db)}, catch_exceptions=False)


pytestmark = pytest.mark.usefixtures("restore_cli_logging")


@pytest.fixture
def db(organizer_db, tmp_path) -> Path:
    """A private copy of the simulated week's database."""
    copy = tmp_path / "mentorbot.db"
    shutil.copy(organizer_db[0], copy)
    return copy


def _people(db: Path):
    with SQLiteStore.open(db) as store:
        (campaign,) = store.campaigns()
        return campaign["id"], store.participants(campaign["id"])


def _one(db: Path, role: str, status: str):
    cid, people = _people(db)
    return next(p for p in people if p.role == role and p.status == status)


# -- list -------------------------------------------------------------------------------------------
def test_list_shows_everyone_in_aligned_columns(db):
    cid, people = _people(db)
    result = _run(db, "participants", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.strip().startswith("handle"))
    rows = [line for line in lines if line.startswith("  @")]
    assert len(rows) == len(people) > 5
    for column in ("role", "status", "stage", "specialties", "joined"):
        at = header.index(column)
        assert all(row[at - 1] == " " and row[at] != " " for row in rows), column
    for p in people:
        assert any(row.split()[0] == "@" + p.handle for row in rows)
    assert lines[-1] == f"Listed {len(people)} participant(s) in 1 campaign(s)."


def test_list_filters_by_role_and_status(db):
    cid, people = _people(db)
    pending = [p for p in people if p.role == "mentor" and p.status == "pending"]
    assert pending, "the organizer-approval campaign leaves mentors waiting"
    result = _run(db, "participants", "list", "--campaign", cid, "--role", "mentor", "--status", "pending")
    rows = [line.split()[0] for line in result.output.splitlines() if line.startswith("  @")]
    assert rows == ["@" + p.handle for p in pending]
    assert result.output.splitlines()[-1].endswith("(role mentor, status pending).")


def test_list_of_an_unknown_campaign_names_the_known_ones(db):
    cid, _ = _people(db)
    result = _run(db, "participants", "list", "--campaign", "nope")
    assert result.exit_code == 1
    assert "no campaign 'nope'" in result.output and cid in result.output


def test_reading_commands_never_create_a_database(tmp_path):
    missing = tmp_path / "typo.db"
    result = _run(missing, "participants", "list")
    assert result.exit_code == 1 and "no database at" in result.output and "MENTORBOT_DB" in result.output
    assert not missing.exists()


# -- approve ----------------------------------------------------------------------------------------
def test_approve_makes_a_waiting_mentor_active_and_records_the_organizer(organizer_db, db):
    mentor = _one(db, "mentor", "pending")
    result = _run(db, "participants", "approve", "@" + mentor.handle, "--dir", str(organizer_db[1].parent))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f"Approved @{mentor.handle} as a mentor in {mentor.campaign_id}: active, "
                                     "matched from the next round; the bot will reply to their post to tell them.")
    with SQLiteStore.open(db) as store:
        assert store.participant(mentor.campaign_id, mentor.person_id).status == "active"
        (event,) = store.events(subject_id=mentor.person_id, kind="mentor_approved")
        assert event.data == {"source": "organizer", "from": "pending"}
        reply = store.action(f"approved:{mentor.source_post_id}")
    # "An organizer will confirm soon; I'll reply here": under the bot's own pending reply, not a
    # second reply to the post they joined with (one automated reply per interaction).
    assert (reply.kind, reply.status, reply.thread_key) == ("post", "planned", f"reply:{mentor.source_post_id}")
    assert reply.person_ids == (mentor.person_id,)
    assert reply.text.startswith(f"@{mentor.handle} ") and "#MedMentorMatch" in reply.text
    assert fits(reply.text)


def test_approve_without_the_campaign_file_says_no_reply_was_planned(db, tmp_path):
    mentor = _one(db, "mentor", "pending")
    result = _run(db, "participants", "approve", mentor.handle, "--dir", str(tmp_path / "none"))
    assert result.exit_code == 0 and "no reply planned" in result.output
    with SQLiteStore.open(db) as store:
        assert store.participant(mentor.campaign_id, mentor.person_id).status == "active"
        assert store.action(f"approved:{mentor.source_post_id}") is None
    shown = _run(db, "participants", "show", mentor.handle).output
    assert "mentor_approved (from=pending) by an organizer" in shown


def test_show_tells_an_unanswered_question_and_until_when_it_waits(db):
    """The bot asked before acting on a guess; until the person answers, the organizer sees what
    it waits for, and until when the answer keeps what the question read."""
    person = _one(db, "mentee", "active")
    asked_at = datetime.now(timezone.utc) - timedelta(days=1)
    with SQLiteStore.open(db) as store:
        store.record_event("asked", asked_at, campaign_id=person.campaign_id, subject_id=person.person_id,
                           source_post_id="42", data={"source": "42", "intent": "pause", "until": "2026-03-01"})
    shown = _run(db, "participants", "show", person.handle).output
    assert (f"Unanswered: the question of {asked_at:%Y-%m-%d %H:%M} (pause) is open until "
            f'{asked_at + timedelta(days=7):%Y-%m-%d %H:%M}: the reply "PAUSE until Sunday, 1 March" '
            "confirms it; nothing changes before") in shown
    with SQLiteStore.open(db) as store:  # the answer, or anything else they do, closes it
        store.record_event("paused", datetime.now(timezone.utc), campaign_id=person.campaign_id,
                           subject_id=person.person_id, source_post_id="44", data={"until": "2026-03-01"})
    assert "Unanswered" not in _run(db, "participants", "show", person.handle).output


def test_show_says_when_a_question_lapsed(db):
    mentee = _one(db, "mentee", "active")
    asked_at = datetime.now(timezone.utc) - timedelta(days=8)
    with SQLiteStore.open(db) as store:
        store.record_event("asked", asked_at, campaign_id=mentee.campaign_id, subject_id=mentee.person_id,
                           source_post_id="45", data={"source": "45", "intent": "stop"})
    shown = _run(db, "participants", "show", mentee.handle).output
    assert (f"(stop) lapsed on {asked_at + timedelta(days=7):%Y-%m-%d}; a reply now counts for its own "
            "words only") in shown


def test_approve_refuses_anyone_but_a_waiting_mentor(db):
    mentee = _one(db, "mentee", "active")
    result = _run(db, "participants", "approve", mentee.handle)
    assert result.exit_code == 1
    assert "only mentors waiting for approval" in result.output
    with SQLiteStore.open(db) as store:
        assert store.events(subject_id=mentee.person_id, kind="mentor_approved") == []


def test_an_unknown_handle_is_an_error_that_says_how_to_look(db):
    for command in ("approve", "block", "unblock", "show"):
        result = _run(db, "participants", command, "@nobody_here")
        assert result.exit_code == 1, command
        assert "nobody_here" in result.output


# -- block / unblock --------------------------------------------------------------------------------
def test_block_cancels_what_names_them_ends_their_matches_and_takes_them_out(db):
    mentee, mentor = _one(db, "mentee", "active"), _one(db, "mentor", "pending")
    cid, now = mentee.campaign_id, datetime.now(timezone.utc)
    with SQLiteStore.open(db) as store:
        store.plan(Action(key="test:shoutout", campaign_id=cid, kind="post", text="congrats",
                          person_ids=(mentee.person_id,), not_before=now + timedelta(hours=1), created_at=now))
        store.plan(Action(key="test:other", campaign_id=cid, kind="post", text="hello",
                          person_ids=(mentor.person_id,), not_before=now + timedelta(hours=1), created_at=now))
        match_id = store.add_match(Match(campaign_id=cid, mentee_id=mentee.person_id,
                                         mentor_id=mentor.person_id, proposed_at=now, status="active"))
    result = _run(db, "participants", "block", mentee.handle)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f"Blocked @{mentee.handle} in {cid}: out of matching, "
                                     "1 planned post(s) cancelled, 1 match(es) ended.")
    with SQLiteStore.open(db) as store:
        assert store.participant(cid, mentee.person_id).status == "blocked"
        assert store.action("test:shoutout").status == "cancelled"
        assert store.action("test:other").status == "planned"  # names someone else
        assert store.match(match_id).status == "ended"
        assert [e.data for e in store.events(subject_id=mentee.person_id, kind="blocked")] == [
            {"source": "organizer", "from": "active"}]
        assert store.participants(cid, status="active") == [
            p for p in store.participants(cid, status="active") if p.person_id != mentee.person_id]
    again = _run(db, "participants", "block", mentee.handle)
    assert again.exit_code == 0 and "already blocked" in again.output


def test_unblock_restores_the_status_before_the_block(db):
    mentee, mentor = _one(db, "mentee", "active"), _one(db, "mentor", "pending")
    for p in (mentee, mentor):
        assert _run(db, "participants", "block", p.handle).exit_code == 0
    assert _run(db, "participants", "unblock", mentee.handle).output.strip().endswith("status active again.")
    assert _run(db, "participants", "unblock", mentor.handle).output.strip().endswith("status pending again.")
    with SQLiteStore.open(db) as store:
        assert store.participant(mentee.campaign_id, mentee.person_id).status == "active"
        assert store.participant(mentor.campaign_id, mentor.person_id).status == "pending"
        assert store.events(subject_id=mentor.person_id, kind="unblocked")[0].data == {
            "source": "organizer", "to": "pending"}
    result = _run(db, "participants", "unblock", mentee.handle)
    assert result.exit_code == 1 and "is not blocked" in result.output


def test_someone_who_had_left_stays_left_when_unblocked(db):
    cid, people = _people(db)
    mentee = _one(db, "mentee", "active")
    with SQLiteStore.open(db) as store:
        store.set_participant_status(cid, mentee.person_id, "left", datetime.now(timezone.utc))
    _run(db, "participants", "block", mentee.handle)
    _run(db, "participants", "unblock", mentee.handle)
    with SQLiteStore.open(db) as store:
        assert store.participant(cid, mentee.person_id).status == "left"


def test_a_blocked_person_cannot_rejoin_by_posting_but_can_still_erase_their_data(organizer_db, db):
    mentee = _one(db, "mentee", "active")
    _run(db, "participants", "block", mentee.handle)
    with SQLiteStore.open(db) as store:
        blocked = store.participant(mentee.campaign_id, mentee.person_id)
    vocabulary = load_vocabulary()
    campaign = load_campaign(organizer_db[1], vocabulary)
    author = User(id=mentee.person_id, username=mentee.handle, description="MS3 | future cardiologist")
    now = datetime.now(timezone.utc)

    def outcome(text: str) -> str:
        cls = Classifier(vocabulary).classify(text, author.description, bot_handle=campaign.bot_handle)
        post = Post(id="900", text=text, author_id=author.id, created_at=now)
        return decide(post, author, cls, campaign=campaign, vocabulary=vocabulary,
                      facts=Facts(now=now, participant=blocked)).outcome

    assert outcome(f"@{campaign.bot_handle} {campaign.primary_hashtag} MS3 looking for a cardiology mentor"
                   ) == "ignored:join_blocked"
    assert outcome(f"@{campaign.bot_handle} RESUME") == "ignored:resume_blocked"
    assert outcome(f"@{campaign.bot_handle} DELETE") == "erased"


# -- export -----------------------------------------------------------------------------------------
def test_export_writes_a_csv_without_bios(db, tmp_path):
    cid, people = _people(db)
    out = tmp_path / "sheets" / "people.csv"
    result = _run(db, "participants", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Exported {len(people)} participant(s) from 1 campaign(s) to {out}."
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert sorted(r["handle"] for r in rows) == sorted("@" + p.handle for p in people)
    first = next(r for r in rows if r["handle"] == "@" + people[0].handle)
    assert first["specialties"] == "; ".join(people[0].specialties)
    assert first["joined_at"] == people[0].joined_at.isoformat(timespec="seconds")
    text = out.read_text(encoding="utf-8")
    with SQLiteStore.open(db) as store:
        bios = [store.person(p.person_id).description for p in people]
        assert store.events(kind="participants_exported")[0].data == {"source": "organizer", "rows": len(people)}
    bios = [bio for bio in bios if bio]
    assert bios and not any(bio in text for bio in bios)


def test_export_filters_like_list(db, tmp_path):
    cid, people = _people(db)
    out = tmp_path / "mentors.csv"
    _run(db, "participants", "export", "--out", str(out), "--role", "mentor")
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["role"] for r in rows} == {"mentor"}
    assert len(rows) == sum(p.role == "mentor" for p in people)


# -- campaign list ----------------------------------------------------------------------------------
def test_campaign_list_shows_files_and_the_database(organizer_db, db, tmp_path):
    folder = tmp_path / "campaigns"
    folder.mkdir()
    shutil.copy(organizer_db[1], folder / "organized.toml")
    (folder / "broken.toml").write_text("[campaign]\nid = 'x y'\n", encoding="utf-8")
    cid, people = _people(db)
    result = _run(db, "campaign", "list", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "broken.toml" in out and "INVALID" in out
    db_line = next(line for line in out.splitlines() if line.strip().startswith(cid + " "))
    mentees = sum(p.role == "mentee" for p in people)
    mentors = sum(p.role == "mentor" for p in people)
    assert db_line.split()[-3:] == [str(mentees), str(mentors), "yes"]
    assert out.splitlines()[-1] == "2 campaign file(s), 1 campaign(s) in the database."
