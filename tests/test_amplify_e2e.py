"""Wins through the sandbox: a repost is planned by policy and cancelled when it must not go out."""
from __future__ import annotations

from datetime import timedelta

import pytest

from test_campaign_bot import BOT, CID, Rig
from test_rounds_e2e import _drain

WIN = f"@{BOT} #MedMentorMatch I matched into pediatrics!! 🎉 so grateful"


@pytest.fixture
def rig():
    r = Rig()
    yield r
    r.close()


def _mentee_with_a_win(rig: Rig) -> tuple[str, str]:
    """A mentee joins, then posts a win; the bot reads both. (person id, win post id)."""
    person = rig.sb.create_user("PedsBoundMS4", description="MS4 | future pediatrician").id
    rig.sb.post("PedsBoundMS4", f"@{BOT} #MedMentorMatch MS4 looking for a pediatrics mentor")
    _drain(rig, 0.5)
    win = rig.sb.post("PedsBoundMS4", WIN)["id"]
    rig.jobs()["poll_mentions"].run()
    return person, win


def _reposts(rig: Rig) -> list[dict]:
    return [w for w in rig.sb.writes() if w["kind"] == "repost" and not w["refused"]]


class TestWins:
    def test_a_win_is_reposted_once_with_a_congratulation(self, rig):
        _, win = _mentee_with_a_win(rig)
        action = rig.store.action(f"repost:{CID}:{win}")
        assert action is not None and action.status == "planned" and action.optional
        assert rig.store.action(f"congrats:{CID}:{win}") is not None
        _drain(rig, 30)
        assert [w["repost_of"] for w in _reposts(rig)] == [win]
        congrats = [w for w in rig.sb.writes() if w["kind"] == "create" and "@PedsBoundMS4" in (w["text"] or "")]
        assert len(congrats) == 1

    @pytest.mark.parametrize("command", ["STOP", "delete my data"])
    def test_stop_or_delete_before_the_repost_goes_out_cancels_it(self, rig, command):
        person, win = _mentee_with_a_win(rig)
        assert rig.store.action(f"repost:{CID}:{win}").status == "planned"
        rig.sb.post("PedsBoundMS4", f"@{BOT} {command}")
        rig.clock.advance(61)  # the next mentions poll (pacing keeps polls a minute apart) comes first
        _drain(rig, 30)
        assert _reposts(rig) == []
        assert not [w for w in rig.sb.writes() if w["kind"] == "create" and "@PedsBoundMS4" in (w["text"] or "")]
        action = rig.store.action(f"repost:{CID}:{win}")
        assert action is None or action.status == "cancelled"  # delete erases the record itself

    def test_a_deleted_win_is_not_reposted_and_the_reason_is_kept(self, rig):
        _, win = _mentee_with_a_win(rig)
        rig.sb.delete_post(win)
        rig.clock.advance(timedelta(hours=1).total_seconds())
        _drain(rig, 30)
        assert _reposts(rig) == []
        action = rig.store.action(f"repost:{CID}:{win}")
        assert action.status == "cancelled" and "deleted" in (action.error or "")
