"""`mentorbot matches list|approve|end` on a database a simulated week filled."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.domain.records import Match

from test_cli_people import _run, db  # noqa: F401  (db: a private copy of the week's database)

pytestmark = pytest.mark.usefixtures("restore_cli_logging")


@pytest.fixture
def campaign_file(organizer_db) -> str:
    return str(organizer_db[1])


def _proposed(db: Path) -> tuple[str, int]:
    """Propose a pair between a waiting mentee and an active mentor, as a round with approval on
    would: (campaign id, match id)."""
    with SQLiteStore.open(db) as store:
        (campaign,) = store.campaigns()
        cid = campaign["id"]
        busy = {m.mentee_id for m in store.matches(cid) if m.status in ("proposed", "active")}
        mentee = next(p for p in store.participants(cid, role="mentee", status="active") if p.person_id not in busy)
        mentor = next(p for p in store.participants(cid, role="mentor"))
        store.set_participant_status(cid, mentor.person_id, "active", datetime.now(timezone.utc))
        match_id = store.add_match(Match(campaign_id=cid, mentee_id=mentee.person_id, mentor_id=mentor.person_id,
                                         proposed_at=datetime.now(timezone.utc), score=3.5,
                                         reasons=("shared specialty: test (+3.0)",), status="proposed"))
    return cid, match_id


def test_list_shows_each_match_with_its_explanation(db):
    _, match_id = _proposed(db)
    result = _run(db, "matches", "list", "--status", "proposed")
    assert result.exit_code == 0, result.output
    assert f"#{match_id} @" in result.output and "shared specialty: test (+3.0)" in result.output
    assert "proposed" in result.output and result.output.strip().splitlines()[-1].startswith("Listed 1 match")


def test_list_says_so_when_nothing_matches_the_filter(db):
    result = _run(db, "matches", "list", "--status", "completed")
    assert result.exit_code == 0 and "No matches in status completed." in result.output


def test_approve_activates_the_pair_and_plans_its_introduction(db, campaign_file):
    _, match_id = _proposed(db)
    result = _run(db, "matches", "approve", str(match_id), "--campaign", campaign_file)
    assert result.exit_code == 0, result.output
    assert "Approved 1 match(es)" in result.output
    with SQLiteStore.open(db) as store:
        assert store.match(match_id).status == "active"
        intro = store.action(f"intro:{match_id}")
        assert intro is not None and intro.status == "planned" and len(intro.person_ids) == 2
        assert store.events(kind="match_approved")


def test_approving_an_unknown_match_fails_and_says_which(db, campaign_file):
    result = _run(db, "matches", "approve", "99999", "--campaign", campaign_file)
    assert result.exit_code == 1 and "99999" in result.output


def test_end_declines_the_pair_and_cancels_its_introduction(db, campaign_file):
    _, match_id = _proposed(db)
    _run(db, "matches", "approve", str(match_id), "--campaign", campaign_file)
    result = _run(db, "matches", "end", str(match_id), "--status", "declined", "--campaign", campaign_file)
    assert result.exit_code == 0, result.output
    assert f"Match #{match_id} is now declined" in result.output
    with SQLiteStore.open(db) as store:
        assert store.match(match_id).status == "declined"
        assert store.action(f"intro:{match_id}").status == "cancelled"
    again = _run(db, "matches", "end", str(match_id), "--campaign", campaign_file)
    assert again.exit_code == 1 and "declined" in again.output


def test_campaign_filters_take_the_campaign_file_as_well_as_its_id(db, campaign_file):
    """--campaign accepts what the organizer has at hand: the id or the file give the same list."""
    cid, _ = _proposed(db)
    by_id = _run(db, "matches", "list", "--campaign", cid)
    by_file = _run(db, "matches", "list", "--campaign", campaign_file)
    assert by_id.exit_code == by_file.exit_code == 0 and by_id.output == by_file.output
    people = _run(db, "participants", "list", "--campaign", campaign_file)
    assert people.exit_code == 0 and people.output == _run(db, "participants", "list", "--campaign", cid).output
    broken = _run(db, "matches", "list", "--campaign", "nope.toml")
    assert broken.exit_code == 2 and "nope.toml not found" in broken.output


def test_status_reminds_the_organizer_of_pairs_waiting_for_approval(db, campaign_file):
    """Proposed pairs hold their mentor's seat until approved: status says how many wait."""
    _proposed(db)
    result = _run(db, "status", "--campaign", campaign_file)
    assert result.exit_code == 0, result.output
    assert "matches waiting for approval: 1 (oldest proposed" in result.output
