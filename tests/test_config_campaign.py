"""Campaign files load into frozen values, and every mistake names its file, key and fix."""
from __future__ import annotations

import dataclasses
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Callable

import pytest

from mentorbot.config.campaign import SECTIONS, check_crontab, load_campaign
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.campaign import (TEMPLATE_KINDS, Campaign, Limits, MentorApproval, Moderation,
                                       QuietHours, Schedule)
from mentorbot.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config" / "campaigns" / "medmentormatch.toml"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"the example no longer contains {old!r}"
        return text.replace(old, new, 1)
    return edit


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def _load_edited(tmp_path: Path, edit: Callable[[str], str]) -> tuple[Path, ConfigError]:
    path = tmp_path / "broken.toml"
    path.write_text(edit(EXAMPLE_TEXT), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_campaign(path)
    return path, caught.value


class TestTheExampleCampaign:
    def test_loads_with_the_documented_values(self) -> None:
        """The shipped example is valid and says what its comments say."""
        campaign = load_campaign(EXAMPLE)
        assert isinstance(campaign, Campaign)
        assert campaign.id == "medmentormatch"
        assert campaign.bot_handle == "MedMentorBot"
        assert campaign.primary_hashtag == "#MedMentorMatch"
        assert campaign.timezone == "America/New_York"
        assert campaign.start == datetime(2026, 9, 1, 4, 0, tzinfo=timezone.utc)
        assert campaign.schedule.jobs() == {"matching_round": "0 18 * * sun",
                                            "follow_friday": "0 12 * * fri",
                                            "call_for_mentors": "0 17 * * mon",
                                            "check_ins": "0 10 * * *"}
        assert campaign.limits.mentees_per_mentor == 3 and campaign.limits.posts_per_day == 40
        assert campaign.limits.monthly_budget_usd == 25.0 and campaign.limits.allow_links is False
        assert campaign.quiet_hours == QuietHours(time(22, 0), time(7, 0))
        assert campaign.matching.weights.shared_specialty == 3.0
        assert campaign.mentors == MentorApproval("automatic_above_stage", "resident")
        assert campaign.amplification.congratulate_tags_mentor is True
        assert campaign.moderation.blocked_word_in("Huge CRYPTO GIVEAWAY now") == "crypto giveaway"
        assert campaign.source == str(EXAMPLE)

    def test_has_every_key_of_the_schema(self) -> None:
        """Organizers copy the example, so it shows every setting the loader accepts."""
        import tomllib

        data = tomllib.loads(EXAMPLE_TEXT)
        assert set(data) == set(SECTIONS)
        for section, keys in SECTIONS.items():
            assert set(data[section]) == set(keys), section
        assert set(data["matching"]["weights"]) == {"shared_specialty", "adjacent_specialty",
                                                    "seniority", "preference"}

    def test_gives_every_template_kind_several_wordings(self) -> None:
        """Every kind has at least two distinct texts (X refuses duplicates)."""
        templates = load_campaign(EXAMPLE).templates
        for kind in TEMPLATE_KINDS:
            texts = templates.variants(kind)
            assert len(texts) >= 2 and len(set(texts)) == len(texts), kind

    def test_is_immutable(self) -> None:
        """Loaded values are frozen dataclasses."""
        campaign = load_campaign(EXAMPLE)
        with pytest.raises(dataclasses.FrozenInstanceError):
            campaign.limits.posts_per_day = 1  # type: ignore[misc]


NAME_LINE = 'name = "MedMentorMatch"'
MISTAKES = [
    # id, edit, expected key, words in the problem, words in the fix
    ("unknown section with suggestion", lambda t: t + "\n[limit]\nposts_per_day = 3\n",
     "limit", "(did you mean 'limits'?)", "rename it to 'limits'"),
    ("unknown nested key with suggestion", _replace("posts_per_day = 40", "post_per_day = 40"),
     "limits.post_per_day", "(did you mean 'posts_per_day'?)", "posts_per_day"),
    ("unknown weight key", _replace("seniority = 2.0", "senority = 2.0"),
     "matching.weights.senority", "did you mean 'seniority'", "seniority"),
    ("setting outside any section", lambda t: "posts_per_day = 40\n" + t,
     "posts_per_day", "not inside a section", "[limits]"),
    ("wrong type", _replace("posts_per_day = 40", 'posts_per_day = "ten"'),
     "limits.posts_per_day", "expected a whole number, got 'ten'", "number such as 40"),
    ("boolean written as text", _replace("reposts = true", 'reposts = "yes"'),
     "amplification.reposts", "expected true or false", "true or false"),
    ("missing required key", _replace('bot_handle = "MedMentorBot"\n', ""),
     "campaign.bot_handle", "missing", "bot_handle ="),
    ("bad timezone", _replace('"America/New_York"\n\n# The program', '"America/NewYork"\n\n# The program'),
     "campaign.timezone", "not a time zone", "America/New_York"),
    ("bad crontab", _replace('follow_friday = "0 12 * * fri"', 'follow_friday = "0 12 * fri"'),
     "schedule.follow_friday", "needs 5", "five parts"),
    ("numeric day of week", _replace('matching_round = "0 18 * * sun"', 'matching_round = "0 18 * * 0"'),
     "schedule.matching_round", "ambiguous", "day names"),
    ("bad bot handle", _replace('bot_handle = "MedMentorBot"', 'bot_handle = "Med Mentor Bot!"'),
     "campaign.bot_handle", "not a valid X username", "1 to 15 letters"),
    ("empty hashtags", _replace('hashtags = ["MedMentorMatch"]', "hashtags = []"),
     "campaign.hashtags", "at least one hashtag", "MedMentorMatch"),
    ("bad campaign id", _replace('id = "medmentormatch"', 'id = "Med Mentor Match"'),
     "campaign.id", "not a valid id", 'id = "med-mentor-match"'),
    ("template unknown placeholder", _replace('"Welcome to {hashtag}! I understood',
                                              '"Welcome to {hastag}! I understood'),
     "templates.join_confirm_mentee[1]", "unknown placeholder {hastag}", "did you mean {hashtag}"),
    ("placeholder not allowed in the kind", _replace("You can reply to me with: {commands}.",
                                                     "You can reply to me with: {commands}. {mentor}"),
     "templates.help[1]", "{mentor} cannot be used", "{commands}"),
    ("template over 280 worst case", _replace("happy to help.", "happy to help. " + "Thanks a lot! " * 8),
     "templates.help[1]", "over X's limit of 280", "shorten it by at least"),
    ("template literal mention", _replace("Questions? The {hashtag} organizers are happy to help.",
                                          "Questions? Ask @JaneDoeMD."),
     "templates.help[1]", "mentions @JaneDoeMD", "remove the @"),
    ("template doubled at sign", _replace('"{mentee} {mentor}: it', '"@{mentee} {mentor}: it'),
     "templates.check_in[1]", "doubles the @", "without the @"),
    ("template with a link", _replace("happy to help.", "happy to help: medmentormatch.org"),
     "templates.help[1]", "costs 0.20 USD", "limits.allow_links"),
    ("template missing required placeholder",
     _replace("I understood: {stage}, {specialties}, up to {capacity} mentee(s).",
              "I understood: {stage}, {specialties}."),
     "templates.join_confirm_mentor[1]", "does not use {capacity}", "add {capacity}"),
    ("fewer than two variants",
     _replace('    "Done: you\'re no longer part of {hashtag} and I won\'t mention you. Reply DELETE to '
              'erase your data as well. Thank you for taking part.",\n', ""),
     "templates.stop_confirm", "same text twice", "add another wording"),
    ("missing template kind", _replace("check_in = [", "check_ins = ["),
     "templates.check_ins", "did you mean 'check_in'", "check_in"),
    ("bad quiet-hours time", _replace('start = "22:00"', 'start = "10pm"'),
     "quiet_hours.start", "HH:MM", '"22:00"'),
    ("negative budget", _replace("monthly_budget_usd = 25", "monthly_budget_usd = -5"),
     "limits.monthly_budget_usd", "more than 0", "above 0"),
    ("default capacity above the cap", _replace("default_mentor_capacity = 2", "default_mentor_capacity = 5"),
     "limits.default_mentor_capacity", "more than mentees_per_mentor", "lower it to 3"),
    ("approval policy needing a stage", _replace('auto_approve_from_stage = "resident"\n', ""),
     "mentors.auto_approve_from_stage", "needs the stage", "auto_approve_from_stage ="),
    ("unknown stage", _replace('auto_approve_from_stage = "resident"', 'auto_approve_from_stage = "residents"'),
     "mentors.auto_approve_from_stage", 'did you mean "resident"', '"attending"'),
    ("unknown approval policy", _replace('approval = "automatic_above_stage"', 'approval = "auto"'),
     "mentors.approval", "not an approval policy", '"organizer"'),
    ("stage gap too wide", _replace("min_stage_gap = 1", "min_stage_gap = 9"),
     "matching.min_stage_gap", "between 1 and 5", "such as"),
    ("congratulations tag the mentor but no text does",
     _replace('    "Congratulations {mentee}! {mentor}, your mentee is doing great things. A proud {hashtag} '
              'moment.",\n    "What a win, {mentee}! Celebrating with your mentor {mentor} and all of '
              '{hashtag}.",\n', ""),
     "templates.congratulate", "no text uses {mentor}", "congratulate_tags_mentor = false"),
    ("TOML syntax error", _replace(NAME_LINE, 'name = MedMentorMatch"'),
     f"line {_line_of(EXAMPLE_TEXT, NAME_LINE)}", "not valid TOML", "double quotes"),
]


@pytest.mark.parametrize("edit, key, problem, fix", [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_reported_with_file_key_and_fix(tmp_path: Path, edit: Callable[[str], str],
                                                        key: str, problem: str, fix: str) -> None:
    """A broken copy of the example fails with a ConfigError that says where and how to fix it."""
    path, error = _load_edited(tmp_path, edit)
    found = [error, *getattr(error, "problems", ())]
    match = [e for e in found if e.key == key]
    assert match, f"no problem at {key!r}; got {[str(e) for e in found]}"
    first = match[0]
    assert first.file == str(path)
    assert problem in first.problem
    assert first.fix.strip() and fix in first.fix
    assert str(path) in str(error) and "Fix:" in str(error)


class TestReportingSeveralProblems:
    def test_lists_every_problem_in_one_error(self, tmp_path: Path) -> None:
        """Two independent mistakes are both reported, the first as the error's own key."""
        edit = lambda t: _replace("posts_per_day = 40", 'posts_per_day = "ten"')(  # noqa: E731
            _replace('start = "22:00"', 'start = "late"')(t))
        _, error = _load_edited(tmp_path, edit)
        keys = [p.key for p in error.problems]  # type: ignore[attr-defined]
        assert keys == ["limits.posts_per_day", "quiet_hours.start"]
        assert error.key == "limits.posts_per_day"
        assert "2 problems" in str(error) and "quiet_hours.start" in str(error)

    def test_a_missing_file_is_a_config_error(self, tmp_path: Path) -> None:
        """A wrong path names the file and suggests the example."""
        with pytest.raises(ConfigError) as caught:
            load_campaign(tmp_path / "nope.toml")
        assert caught.value.file.endswith("nope.toml") and "medmentormatch.toml" in caught.value.fix


class TestLoadingDetails:
    def _load(self, tmp_path: Path, edit: Callable[[str], str]) -> Campaign:
        path = tmp_path / "ok.toml"
        path.write_text(edit(EXAMPLE_TEXT), encoding="utf-8")
        return load_campaign(path, load_vocabulary())

    def test_accepts_a_leading_at_and_hash(self, tmp_path: Path) -> None:
        """'@MedMentorBot' and '#MedMentorMatch' are stored without their sigils."""
        campaign = self._load(tmp_path, lambda t: _replace('"MedMentorBot"', '"@MedMentorBot"')(
            _replace('["MedMentorMatch"]', '["#MedMentorMatch", "MMM"]')(t)))
        assert campaign.bot_handle == "MedMentorBot"
        assert campaign.hashtags == ("MedMentorMatch", "MMM")
        assert campaign.uses_hashtag("#mmm") and not campaign.uses_hashtag("#MedTwitter")

    def test_takes_a_local_datetime_in_the_campaign_zone(self, tmp_path: Path) -> None:
        """A start without offset is read in the campaign's time zone."""
        campaign = self._load(tmp_path, _replace("start = 2026-09-01", "start = 2026-09-01T08:30:00"))
        assert campaign.start.utcoffset().total_seconds() == -4 * 3600  # type: ignore[union-attr]
        assert campaign.start.hour == 8 and campaign.start.minute == 30

    def test_an_empty_schedule_turns_the_job_off(self, tmp_path: Path) -> None:
        """call_for_mentors = "" disables that job."""
        campaign = self._load(tmp_path, _replace('call_for_mentors = "0 17 * * mon"', 'call_for_mentors = ""'))
        assert "call_for_mentors" not in campaign.schedule.jobs()

    def test_usernames_are_normalised(self, tmp_path: Path) -> None:
        """Blocked accounts and known bots are compared case-insensitively, without @."""
        campaign = self._load(tmp_path, _replace("known_bots = []", 'known_bots = ["@OtherBot"]'))
        assert campaign.moderation.ignores("otherbot") and campaign.moderation.ignores("@OTHERBOT")
        assert not campaign.moderation.ignores("someone")

    def test_links_are_allowed_when_the_organizer_accepts_the_cost(self, tmp_path: Path) -> None:
        """allow_links = true lets a template carry a URL."""
        campaign = self._load(tmp_path, lambda t: _replace("allow_links = false", "allow_links = true")(
            _replace("happy to help.", "happy to help: medmentormatch.org")(t)))
        assert "medmentormatch.org" in campaign.templates.help[0]


class TestCrontabCheck:
    def test_accepts_named_days_and_rejects_impossible_dates(self) -> None:
        """'0 9 * * fri' is fine; February 31st never comes."""
        from zoneinfo import ZoneInfo

        zone = ZoneInfo("Europe/London")
        assert check_crontab("0 9 * * fri", zone) is None
        assert check_crontab("*/30 8-17 * * mon-fri", zone) is None
        assert "never happens" in check_crontab("0 9 31 2 *", zone)[0]  # type: ignore[index]
        assert "not a valid schedule" in check_crontab("61 9 * * fri", zone)[0]  # type: ignore[index]


class TestDomainHelpers:
    @pytest.mark.parametrize("start, end, inside, outside", [
        (time(22), time(7), [time(22), time(23, 59), time(0), time(6, 59)], [time(7), time(12), time(21, 59)]),
        (time(13), time(14), [time(13), time(13, 30)], [time(14), time(12, 59), time(0)]),
        (time(9), time(9), [], [time(9), time(0), time(23)]),
    ], ids=["across midnight", "same day", "none"])
    def test_quiet_hours_contain_start_but_not_end(self, start: time, end: time,
                                                   inside: list[time], outside: list[time]) -> None:
        """Quiet hours include their start, exclude their end, and may cross midnight."""
        quiet = QuietHours(start, end)
        assert all(quiet.contains(t) for t in inside)
        assert not any(quiet.contains(t) for t in outside)

    def test_a_campaign_judges_quiet_hours_in_its_own_zone(self) -> None:
        """03:00 UTC is 23:00 in New York (quiet); 15:00 UTC is 11:00 (not quiet)."""
        campaign = load_campaign(EXAMPLE)
        assert campaign.is_quiet(datetime(2026, 9, 2, 3, 0, tzinfo=timezone.utc))
        assert not campaign.is_quiet(datetime(2026, 9, 2, 15, 0, tzinfo=timezone.utc))

    def test_capacity_is_capped_and_defaulted(self) -> None:
        """A mentor's offer is capped at mentees_per_mentor; no offer means the default."""
        limits = Limits(mentees_per_mentor=3, default_mentor_capacity=2)
        assert (limits.capacity(None), limits.capacity(1), limits.capacity(9)) == (2, 1, 3)

    def test_mentor_approval_follows_the_policy(self) -> None:
        """automatic_above_stage approves from the given stage upwards only."""
        vocabulary = load_vocabulary()
        policy = MentorApproval("automatic_above_stage", "resident")
        assert policy.is_automatic("fellow", vocabulary) and policy.is_automatic("resident", vocabulary)
        assert not policy.is_automatic("student", vocabulary) and not policy.is_automatic(None, vocabulary)
        assert MentorApproval("automatic").is_automatic(None, vocabulary)
        assert not MentorApproval("organizer").is_automatic("senior", vocabulary)

    def test_blocked_words_match_whole_words_only(self) -> None:
        """'spam' blocks 'SPAM!' but not 'spammy'."""
        moderation = Moderation(blocked_words=("spam",))
        assert moderation.blocked_word_in("this is SPAM!") == "spam"
        assert moderation.blocked_word_in("a spammy post") is None

    def test_schedule_defaults_are_valid(self) -> None:
        """The dataclass defaults pass the same crontab check as files do."""
        from zoneinfo import ZoneInfo

        for expr in Schedule().jobs().values():
            assert check_crontab(expr, ZoneInfo("UTC")) is None
