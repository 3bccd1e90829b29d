"""A whole program in the sandbox demo: matching rounds, declines, check-ins and amplification.

Four simulated weeks of the example campaign (the real bot, tweepy over HTTP, the sandbox),
run once for the module; each test checks one promise against the sandbox's own record of posts
and the bot's database.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest

from mentorbot.simulation.demo import run_demo

REPO = Path(__file__).resolve().parents[1]
CAMPAIGN = REPO / "config" / "campaigns" / "medmentormatch.toml"
MENTION = re.compile(r"@(\w{1,15})")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    result = run_demo(campaign_path=CAMPAIGN, seed=7, weeks=4, out=tmp_path_factory.mktemp("program"))
    yield result
    result.store.close()


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _world(result) -> dict[str, dict]:
    return {p["id"]: p for p in result.sandbox.posts(include_deleted=True)}


def _done(result, prefix: str) -> list[dict]:
    return list(result.store.db.query(
        "SELECT key, result_id, text FROM actions WHERE status = 'done' AND key LIKE ? ORDER BY key",
        [prefix + "%"]))


def test_pairs_are_introduced_in_one_post_that_mentions_both(program):
    store, world = program.store, _world(program)
    matches = store.matches(program.campaign.id)
    assert len(matches) >= 5
    introduced = 0
    for match in matches:
        intro = store.action(f"intro:{match.id}")
        if intro is None or intro.status != "done":
            continue
        introduced += 1
        named = {h.lower() for h in MENTION.findall(world[intro.result_id]["text"])}
        for person_id in (match.mentee_id, match.mentor_id):
            person = store.person(person_id)
            assert person is not None and person.username.lower() in named
    assert introduced >= 5


def test_a_declined_mentee_is_matched_again_with_someone_else(program):
    matches = program.store.matches(program.campaign.id)
    by_mentee = defaultdict(list)
    for match in matches:
        by_mentee[match.mentee_id].append(match)
    declined = [m for m in matches if m.status == "declined"]
    assert declined, "the scenario should have a decline"
    rematched = [m for m in declined if any(later.id > m.id for later in by_mentee[m.mentee_id])]
    assert rematched
    for m in declined:  # never the same mentor twice
        mentors = [x.mentor_id for x in by_mentee[m.mentee_id]]
        assert len(mentors) == len(set(mentors))


def test_a_check_in_is_posted_under_the_introduction_and_answers_are_recorded(program):
    store, world = program.store, _world(program)
    checks = _done(program, "checkin:")
    assert checks
    for check in checks:
        match_id = int(check["key"].split(":")[1])
        assert world[check["result_id"]]["in_reply_to"] == store.action(f"intro:{match_id}").result_id
    answered = [m for m in store.matches(program.campaign.id) if m.check_in]
    assert answered and {m.check_in for m in answered} <= {"good", "unsure", "not_a_fit"}
    events = store.events(campaign_id=program.campaign.id, kind="check_in_answered")
    assert {m.id for m in answered} <= {e.data["match"] for e in events}


def test_wins_are_reposted_and_only_participants_posts(program):
    store, world = program.store, _world(program)
    reposts = [w for w in program.sandbox.writes()
               if w["author_id"] == program.bot_id and w["kind"] == "repost" and not w["refused"]]
    assert reposts
    mentees = {p.person_id for p in store.participants(program.campaign.id, role="mentee")}
    for w in reposts:
        original = world[w["repost_of"]]
        assert original["author_id"] in mentees or store.is_forgotten(original["author_id"])


def test_a_friday_thread_introduces_new_participants(program):
    world, zone = _world(program), program.campaign.zone
    posts = _done(program, "ff:")
    assert posts
    editions = defaultdict(list)
    for row in posts:
        editions[row["key"].rsplit(":", 1)[0]].append(row)
    heads = 0
    for rows in editions.values():
        head = next((r for r in rows if r["key"].endswith(":1")), None)
        if head is None:
            continue  # its record was erased with a person who asked to be forgotten
        heads += 1
        assert _when(world[head["result_id"]]["created_at"]).astimezone(zone).weekday() == 4  # a Friday
        for row in rows:
            if row is not head:
                assert world[row["result_id"]]["in_reply_to"] == head["result_id"]
    assert heads and any(len(rows) > 1 for rows in editions.values())  # a thread, not only single posts
    featured = list(program.store.db.query(
        "SELECT f.person_id, count(*) AS n FROM features f JOIN actions a ON a.key = f.post_key "
        "WHERE a.status = 'done' GROUP BY f.person_id"))
    assert featured and max(r["n"] for r in featured) == 1  # introduced once each


def test_a_call_for_mentors_brings_in_mentors_through_replies(program):
    calls = {row["result_id"] for row in _done(program, "call:")}
    assert calls
    mentors = {p.person_id for p in program.store.participants(program.campaign.id, role="mentor")}
    repliers = {p["author_id"] for p in _world(program).values() if p["in_reply_to"] in calls}
    assert repliers & mentors


def test_only_people_who_consented_are_ever_mentioned_by_the_consent_log(program):
    """Every @handle in a bot post is a person whose consent_given event came before the post
    (people erased since are checked by the rules test against the sandbox's record), or the
    author of the post the bot answers, who summoned it there (X's rule: a post that mentions
    the bot invites its one reply; the bot's "did you mean to join?" question and its HELP answer
    to "what is this?" are such replies, and they mention no one else)."""
    store = program.store
    consent: dict[str, datetime] = {}
    for event in store.events(campaign_id=program.campaign.id, kind="consent_given"):
        consent.setdefault(event.subject_id, event.at)
    posts = {p["id"]: p for p in program.sandbox.posts(include_deleted=True)}
    checked = 0
    for w in program.sandbox.writes():
        if w["author_id"] != program.bot_id or w["refused"] or not w["text"]:
            continue
        summoner = posts.get(w["reply_to"]) if w["reply_to"] else None
        for handle in MENTION.findall(w["text"]):
            person = store.person_by_handle(handle)
            if person is None:
                continue  # erased since
            if summoner is not None and summoner["author_id"] == person.id \
                    and "@medmentorbot" in summoner["text"].lower() \
                    and (person.id not in consent or consent[person.id] > _when(w["created_at"])):
                assert w["text"].startswith(f"@{handle} ") and MENTION.findall(w["text"]) == [handle]
                assert "SIGN ME UP" in w["text"] or "HELP" in w["text"], w["text"]
                continue  # asked whether they meant to join, or told how, in the one reply invited
            assert person.id in consent, f"@{handle} never consented: {w['text']}"
            assert consent[person.id] <= _when(w["created_at"])
            checked += 1
    assert checked > 20


def test_the_bots_spend_record_agrees_with_xs_meter(program):
    """Every call the bot made is in its own spend record at X's price (the budget relies on it)."""
    own = program.store.db.execute("SELECT coalesce(sum(usd), 0) FROM spend").fetchone()[0]
    assert own == pytest.approx(program.sandbox.meter()["total_usd"], abs=1e-6)


def test_a_guess_is_asked_about_and_only_a_confirmation_acts(program):
    """Requests the bot read only in words it was not sure of got one question each and no
    change; the people who meant it answered with the exact words, and that answer acted."""
    seen = {row["post_id"]: row for row in program.store.db.query(
        "SELECT post_id, author_id, outcome FROM posts_seen WHERE campaign_id = ?", [program.campaign.id])}
    asked = {pid: row for pid, row in seen.items() if row["outcome"].startswith("asked:")}
    assert asked, "the demo community should write some requests only the learned reading reads"
    world = _world(program)
    questions = {w["reply_to"]: w for w in program.sandbox.writes()
                 if w["author_id"] == program.bot_id and w["reply_to"] in asked and not w["refused"]}
    assert set(questions) == set(asked)  # one question for each, and nothing else was done
    confirmed = {pid: answer for pid, answer in program.player.answered.items() if answer}
    assert confirmed, "someone the bot read right should have confirmed"
    done = {"join": ("joined", "pending"), "stop": ("stopped",), "pause": ("paused",),
            "resume": ("resumed",), "decline": ("declined",), "no_shoutouts": ("shout_outs_off",),
            "delete": ("erased",), "capacity": ("capacity_set",)}
    for question_id, answer_id in confirmed.items():
        question = next(w for w in program.sandbox.writes() if w.get("id") == question_id)
        intent = asked[question["reply_to"]]["outcome"].split(":")[1]
        assert world[answer_id]["in_reply_to"] == question_id
        assert seen[answer_id]["outcome"].split(":")[0] in done[intent], seen[answer_id]
    for post_id, row in asked.items():  # the asking itself changed nothing about the person
        events = program.store.events(campaign_id=program.campaign.id, subject_id=row["author_id"])
        assert [e.kind for e in events if e.data.get("source") == post_id] == ["asked"]
