"""The simulated #MedTwitter community: a seeded scenario that is plain, checkable data."""
from __future__ import annotations

import dataclasses
import json
import random
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.text import fits
from mentorbot.domain.vocabulary import SPECIALTY_IDS, STAGE_IDS, is_case_sensitive
from mentorbot.errors import ConfigError
from mentorbot.simulation import (BEAT_KINDS, INTENTS, PERSONA_KINDS, REPLY_TARGETS, Beat, Persona, Scenario,
                                  generate_scenario, load_scenario, save_scenario, scenario_problems)
from mentorbot.simulation.lexicon import COMBOS, IDENTITY_TAGS, SPECS

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "config" / "scenarios" / "small.json"
START = datetime(2026, 9, 7, 12, 0, tzinfo=timezone.utc)  # a Monday, 08:00 in New York
ET = ZoneInfo("America/New_York")
HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
TO_BOT = {"join", "pause", "resume", "stop", "delete", "status", "help", "capacity", "troll", "spam"}


def _scenario(seed: int = 7, **kw) -> Scenario:
    return generate_scenario(seed=seed, start=kw.pop("start", START), **kw)


@pytest.fixture(scope="module")
def default() -> Scenario:
    """The default community (47 people, 4 weeks)."""
    return _scenario()


@pytest.fixture(scope="module")
def large() -> Scenario:
    """A bigger community, so that rare kinds of people and posts all appear."""
    return _scenario(seed=3, weeks=5, mentees=150, mentors=60, bystanders=50, trolls=6, spammers=6, bots=3)


def _assert_sound(s: Scenario) -> None:
    """Every structural promise the runner relies on."""
    assert scenario_problems(s) == []
    handles = [p.handle for p in s.personas]
    assert all(HANDLE.match(h) for h in handles)
    assert len({h.casefold() for h in handles} | {s.bot_handle.casefold()}) == len(handles) + 1
    keys = [(b.at, b.id) for b in s.beats]
    assert keys == sorted(keys) and len({b.id for b in s.beats}) == len(s.beats)
    seen: dict[str, Beat] = {}
    texts: dict[str, set[str]] = {}
    for b in s.beats:
        assert b.at.tzinfo is not None and b.at.utcoffset() == timedelta(0)
        assert s.start <= b.at < s.start + timedelta(weeks=s.weeks)
        assert b.kind in BEAT_KINDS and s.persona(b.handle).handle == b.handle
        if b.kind == "delete_post":
            assert b.text == "" and b.reply_to is None and b.expect is None
            assert b.target in seen and seen[b.target].handle == b.handle and seen[b.target].at < b.at
        else:
            assert b.target is None and b.expect in INTENTS
            assert fits(b.text), b.text
            assert b.text not in texts.setdefault(b.handle, set()), (b.handle, b.text)
            texts[b.handle].add(b.text)
        if b.reply_to is not None and b.reply_to not in REPLY_TARGETS:
            ref = b.reply_to.removeprefix("beat:")
            assert b.reply_to.startswith("beat:") and ref in seen and seen[ref].at < b.at
            assert seen[ref].kind != "delete_post"
        seen[b.id] = b


class TestDeterminism:
    def test_same_seed_gives_the_same_scenario_and_the_same_file(self, tmp_path: Path) -> None:
        """Same arguments, same community and script, byte for byte once saved."""
        a, b = _scenario(seed=11), _scenario(seed=11)
        assert a == b
        save_scenario(a, tmp_path / "a.json")
        save_scenario(b, tmp_path / "b.json")
        assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()

    def test_different_seeds_give_different_scenarios(self) -> None:
        """Another seed, other people and other posts."""
        a, b = _scenario(seed=1), _scenario(seed=2)
        assert a != b
        assert [p.handle for p in a.personas] != [p.handle for p in b.personas]
        assert [x.text for x in a.beats] != [x.text for x in b.beats]

    def test_the_global_random_state_does_not_matter(self) -> None:
        """Only random.Random(seed) is used: reseeding the module's generator changes nothing."""
        random.seed(1)
        a = _scenario(seed=5)
        random.seed(99)
        random.random()
        assert _scenario(seed=5) == a

    def test_start_is_normalised_to_utc_whatever_zone_it_is_given_in(self) -> None:
        """An aware start in New York time is the same instant, stored in UTC."""
        local = START.astimezone(ET)
        s = _scenario(start=local)
        assert s.start == START and s.start.tzinfo == timezone.utc
        with pytest.raises(ValueError):
            generate_scenario(seed=1, start=datetime(2026, 9, 7, 12))


class TestStructure:
    def test_the_default_community_is_sound(self, default: Scenario) -> None:
        """Handles, order, lengths, unique texts per author, references to earlier beats."""
        _assert_sound(default)
        kinds = Counter(p.kind for p in default.personas)
        assert kinds == {"mentee": 24, "mentor": 12, "bystander": 8, "troll": 2, "spammer": 2, "bot": 1}

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(seed=st.integers(0, 2**32), weeks=st.integers(1, 5), mentees=st.integers(0, 12),
           mentors=st.integers(0, 6), others=st.integers(0, 4),
           offset=st.integers(0, 7 * 24 * 60), tz=st.sampled_from(["UTC", "America/Sao_Paulo", "Asia/Tokyo"]))
    def test_any_community_is_sound_and_round_trips(self, tmp_path_factory, seed: int, weeks: int, mentees: int,
                                                    mentors: int, others: int, offset: int, tz: str) -> None:
        """For any seed, size, length and start: sound, and save -> load gives it back equal."""
        start = (START + timedelta(minutes=offset)).astimezone(ZoneInfo(tz))
        s = generate_scenario(seed=seed, start=start, weeks=weeks, mentees=mentees, mentors=mentors,
                              bystanders=others, trolls=others // 2, spammers=others // 3, bots=others // 4)
        _assert_sound(s)
        path = tmp_path_factory.mktemp("rt") / "s.json"
        save_scenario(s, path)
        assert load_scenario(path) == s

    def test_between_returns_the_beats_of_a_window_in_order(self, default: Scenario) -> None:
        """start <= at < end, nothing else, in order."""
        t0, t1 = START + timedelta(days=2), START + timedelta(days=5)
        window = default.between(t0, t1)
        assert window and list(window) == [b for b in default.beats if t0 <= b.at < t1]
        assert default.between(t1, t0) == ()

    def test_persona_lookup_ignores_case_and_at_sign(self, default: Scenario) -> None:
        """@Handle, handle and HANDLE are the same account on X."""
        p = default.personas[0]
        assert default.persona("@" + p.handle.upper()) is p
        with pytest.raises(KeyError):
            default.persona("nobody_here_at_all")


class TestRealism:
    def test_wins_are_posted_only_by_mentees_and_carry_the_hashtag(self, large: Scenario) -> None:
        """Amplification candidates; most of them do not mention the bot."""
        wins = [b for b in large.beats if b.kind == "win"]
        assert wins and all(large.persona(b.handle).kind == "mentee" for b in wins)
        assert all("#medmentormatch" in b.text.casefold() for b in wins)
        mentioning = sum("@medmentorbot" in b.text.casefold() for b in wins)
        assert 0 < mentioning < len(wins) / 2

    def test_bystanders_never_mention_the_bot(self, large: Scenario) -> None:
        """They use the hashtag; replying to them would break X's automation rules."""
        bystander = [b for b in large.beats if large.persona(b.handle).kind == "bystander"]
        assert bystander and all(b.kind in ("chatter", "delete_post") for b in bystander)
        assert not any("@medmentorbot" in b.text.casefold() for b in bystander)
        assert any("#medmentormatch" in b.text.casefold() for b in bystander)

    def test_posts_to_the_bot_mention_it_and_noise_is_labelled_none(self, large: Scenario) -> None:
        """Commands, joins, trolls and spam mention the bot; what they mean is in expect."""
        for b in large.beats:
            if b.kind in TO_BOT and b.reply_to is None:  # a reply to the bot may hide the @handle
                assert "@medmentorbot" in b.text.casefold(), b
            if b.kind in ("chatter", "thanks", "troll", "spam"):
                assert b.expect == "none"
        expected = {"join": "join", "reply_to_call": "join", "win": "achievement", "decline": "new_mentor",
                    "capacity": "capacity", "stop": "stop", "delete": "delete"}
        assert all(b.expect == expected[b.kind] for b in large.beats if b.kind in expected)
        spam = [b for b in large.beats if b.kind == "spam"]
        assert any("https://" in b.text for b in spam)

    def test_identity_hashtags_appear_in_bios_but_never_in_the_truth(self, large: Scenario) -> None:
        """Truth fields are stages and specialty ids only; the vocabulary drops every identity tag we use."""
        vocabulary = load_vocabulary()
        tags = [t for group in IDENTITY_TAGS.values() for t in group]
        assert all(vocabulary.is_identity_hashtag(t) for t in tags)
        assert sum(any(t in p.bio for t in tags) for p in large.personas) >= 10
        assert {f.name for f in dataclasses.fields(Persona)} == {
            "handle", "name", "bio", "kind", "stage", "specialties", "protected", "lang", "capacity"}
        for p in large.personas:
            assert p.stage is None or p.stage in STAGE_IDS
            assert all(s in SPECIALTY_IDS for s in p.specialties)
            truth = " ".join([p.stage or "", *p.specialties]).casefold()
            assert not any(word in truth for word in vocabulary.identity_words if len(word) > 4)

    def test_mentors_are_senior_and_mentees_are_trainees(self, large: Scenario) -> None:
        """Mentors: fellows, attendings, seniors; mentees: pre-meds to fellows; some Spanish and Portuguese."""
        stages = {k: Counter(p.stage for p in large.personas if p.kind == k) for k in ("mentee", "mentor")}
        assert set(stages["mentor"]) <= {"fellow", "attending", "senior"}
        assert set(stages["mentee"]) == {"premed", "student", "resident", "fellow"}
        people = [p for p in large.personas if p.kind in ("mentee", "mentor", "bystander")]
        share = sum(p.lang != "en" for p in people) / len(people)
        assert 0.07 <= share <= 0.25
        assert {p.lang for p in people} == {"en", "es", "pt"}
        assert any(p.bio == "" for p in people) and any(p.protected for p in people)
        assert all(p.capacity in (None, 1, 2, 3) for p in large.personas if p.kind == "mentor")

    def test_every_kind_of_beat_and_person_appears_in_a_big_enough_community(self, large: Scenario) -> None:
        """All 17 kinds of beat, all 6 kinds of person."""
        assert set(Counter(b.kind for b in large.beats)) == set(BEAT_KINDS)
        assert {p.kind for p in large.personas} == set(PERSONA_KINDS)

    def test_joins_cluster_in_the_first_week(self, large: Scenario) -> None:
        """Most people join in week 1; some later."""
        joins = [b for b in large.beats if b.kind in ("join", "reply_to_call")]
        early = sum(b.at < START + timedelta(weeks=1) for b in joins)
        assert 0.55 * len(joins) < early < len(joins)

    def test_mentors_answer_monday_calls_within_hours(self, large: Scenario) -> None:
        """Each reply to the call lands after a Monday 17:00 New York call, the same evening or next morning."""
        for b in (b for b in large.beats if b.kind == "reply_to_call"):
            assert b.reply_to == "call"
            local = b.at.astimezone(ET)
            call = datetime.combine(local.date() - timedelta(days=local.weekday()), datetime.min.time(), ET)
            call = call.replace(hour=17)
            assert timedelta(0) < b.at - call < timedelta(hours=20), b

    def test_declines_follow_sunday_rounds_and_check_ins_come_after_two_weeks(self, large: Scenario) -> None:
        """NEW MENTOR 18 h to ~2.5 days after a Sunday 18:00 round; check-in answers 14+ days after one."""
        for b in (b for b in large.beats if b.kind == "decline"):
            local = b.at.astimezone(ET)
            back = (local.weekday() + 1) % 7  # days since Sunday
            rnd = datetime.combine(local.date() - timedelta(days=back), datetime.min.time(), ET).replace(hour=18)
            assert b.reply_to == "intro" and timedelta(hours=18) <= b.at - rnd < timedelta(hours=64), b
        answers = [b for b in large.beats if b.kind == "checkin_answer"]
        assert answers and all(b.at > START + timedelta(days=6 + 14) and b.reply_to == "checkin" for b in answers)

    def test_people_post_in_their_daytime(self, large: Scenario) -> None:
        """No one in New York posts at 4 am: US personas' posts fall between 07:00 and 23:00 somewhere in the US."""
        for b in large.beats:
            if large.persona(b.handle).lang == "en" and large.persona(b.handle).kind != "spammer":
                hours = {b.at.astimezone(ZoneInfo(z)).hour for z in
                         ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
                          "America/Puerto_Rico")}
                assert any(7 <= h < 23 for h in hours), b

    def test_after_stop_or_delete_people_no_longer_talk_to_the_bot(self, large: Scenario) -> None:
        """Commands, thanks and replies to the bot end with STOP (DELETE may follow)."""
        left: dict[str, datetime] = {}
        for b in large.beats:
            if b.handle in left and b.kind in ("pause", "resume", "status", "help", "capacity", "decline",
                                               "checkin_answer", "thanks"):
                pytest.fail(f"{b} after leaving")
            if b.kind in ("stop", "delete"):
                left.setdefault(b.handle, b.at)

    def test_resume_follows_pause(self, large: Scenario) -> None:
        """Nobody resumes without having paused first."""
        paused: set[str] = set()
        for b in large.beats:
            if b.kind == "pause":
                paused.add(b.handle)
            elif b.kind == "resume":
                assert b.handle in paused


class TestVocabularyAgreement:
    @staticmethod
    def _ids_named(phrase: str, patterns: list[tuple[re.Pattern, tuple[str, ...]]]) -> set[str]:
        found = [(m.start(), m.end(), ids) for pattern, ids in patterns for m in pattern.finditer(phrase)]
        found.sort(key=lambda f: (f[0] - f[1], f[0]))  # longest first, as the vocabulary says
        taken: list[tuple[int, int]] = []
        out: set[str] = set()
        for start, end, ids in found:
            if all(end <= a or start >= b for a, b in taken):
                taken.append((start, end))
                out |= set(ids)
        return out

    def test_every_specialty_phrase_names_exactly_its_specialties(self) -> None:
        """The words personas use for a specialty are terms the vocabulary maps to that specialty."""
        patterns = [(re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", 0 if is_case_sensitive(term) else re.I),
                     ids)
                    for term, ids in load_vocabulary().specialty_terms().items()]
        for spec in [*SPECS.values(), *COMBOS]:
            for phrase in (*spec.en, *spec.who, *spec.tags, *spec.es, *spec.pt):
                assert self._ids_named(phrase, patterns) == set(spec.ids), (spec.ids, phrase)


class TestFiles:
    def test_save_writes_readable_stable_json_one_beat_per_line(self, tmp_path: Path) -> None:
        """Human-readable: UTF-8, emoji as is, a line per persona and per beat."""
        s = _scenario(seed=4, weeks=1, mentees=3, mentors=2, bystanders=1)
        path = tmp_path / "s.json"
        save_scenario(s, path)
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert data["format"] == "mentorbot-scenario" and data["version"] == 1 and data["seed"] == 4
        assert data["start"] == "2026-09-07T12:00:00Z"
        assert text.count("\n") == len(s.personas) + len(s.beats) + 13  # 13 lines of frame
        assert "\\u" not in text

    def test_the_shipped_small_scenario_loads_and_is_small(self) -> None:
        """config/scenarios/small.json: a dozen people, about 40 beats over 2 weeks, nearly every kind."""
        s = load_scenario(SMALL)
        _assert_sound(s)
        assert len(s.personas) == 12 and 30 <= len(s.beats) <= 50 and s.weeks == 2
        kinds = set(Counter(b.kind for b in s.beats))
        assert set(BEAT_KINDS) - kinds <= {"checkin_answer"}  # check-ins come after three weeks
        assert {"mentee", "mentor", "bystander", "troll", "spammer"} <= {p.kind for p in s.personas}
        assert SMALL.read_text(encoding="utf-8").endswith("\n")


def _write(tmp_path: Path, edit) -> Path:
    s = _scenario(seed=8, weeks=1, mentees=3, mentors=2, bystanders=1, trolls=1, spammers=0, bots=0)
    path = tmp_path / "s.json"
    save_scenario(s, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _later_reply(data: dict) -> None:
    data["beats"][0]["reply_to"] = "beat:" + data["beats"][-1]["id"]


def _reply_to_deleted(data: dict) -> None:
    first, second, third = data["beats"][:3]
    second.update(handle=first["handle"], kind="delete_post", target=first["id"], text="")
    second.pop("expect", None), second.pop("reply_to", None)
    third["reply_to"] = "beat:" + first["id"]


def _dup_text(data: dict) -> None:
    mine = [b for b in data["beats"] if b["handle"] == data["beats"][0]["handle"] and b["kind"] != "delete_post"]
    mine[1]["text"] = mine[0]["text"]


def _naive(data: dict) -> None:
    data["beats"][0]["at"] = "2026-09-07T15:00:00"


class TestBrokenFiles:
    @pytest.mark.parametrize(("edit", "key", "fix"), [
        (lambda d: d.pop("hashtag"), "hashtag", "add it"),
        (lambda d: d["personas"][0].update(handle="this handle!"), "personas[0].handle", "1-15 letters"),
        (lambda d: d["personas"][1].update(handle=d["personas"][0]["handle"].upper()), "personas[1].handle",
         "unique regardless of capitals"),
        (lambda d: d["personas"][0].update(stage="intern"), "personas[0].stage", "premed"),
        (lambda d: d["personas"][0].update(specialties=["cardio"]), "personas[0].specialties", "cardiology"),
        (lambda d: d["beats"][0].update(kind="tweet"), "beats[0].kind", "join"),
        (lambda d: d["beats"][0].update(reply_to="parent"), "beats[0].reply_to", "beat:<id>"),
        (_later_reply, "beats[0].reply_to", "earlier"),
        (_reply_to_deleted, "beats[2].reply_to", "before the deletion"),
        (_naive, "beats[0].at", "Z"),
        (lambda d: d["beats"][0].update(handle="ghost"), "beats[0].handle", "add the persona"),
        (lambda d: d["beats"][0].update(text="x" * 281), "beats[0].text", "shorten"),
        (_dup_text, "text", "vary it"),
        (lambda d: d["beats"].reverse(), "at", "sort the beats"),
        (lambda d: d["beats"][0].update(expect="maybe"), "beats[0].expect", "intent"),
        (lambda d: d.update(weeks="two"), "weeks", "e.g. 4"),
        (lambda d: d.update(colour="blue"), "colour", "remove it"),
    ])
    def test_a_broken_file_names_the_key_and_the_fix(self, tmp_path: Path, edit, key: str, fix: str) -> None:
        """Every mistake becomes a ConfigError that says where and what to do."""
        path = _write(tmp_path, edit)
        with pytest.raises(ConfigError) as caught:
            load_scenario(path)
        error = caught.value
        assert error.file == str(path) and key in error.key and fix in error.fix, (error.key, error.fix)

    def test_invalid_json_and_missing_files_are_config_errors_too(self, tmp_path: Path) -> None:
        """The line of a syntax error; a missing file says how to make one."""
        path = tmp_path / "bad.json"
        path.write_text('{\n  "seed": 1,\n  "weeks": ,\n}', encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_scenario(path)
        assert caught.value.key == "line 3"
        with pytest.raises(ConfigError) as caught:
            load_scenario(tmp_path / "nope.json")
        assert "generate_scenario" in caught.value.fix


class TestScale:
    def test_two_thousand_people_and_twenty_thousand_beats_stay_valid(self) -> None:
        """Big enough for benchmarks (its speed is measured there, not asserted here), still valid."""
        s = generate_scenario(seed=1, start=START, weeks=10, mentees=1000, mentors=400, bystanders=450,
                              trolls=50, spammers=50, bots=50)
        assert len(s.personas) == 2000 and len(s.beats) >= 18_000
        assert scenario_problems(s) == []
