"""Templates render only known placeholders, and their worst case really bounds every rendering."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbot.config.campaign import load_campaign
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.campaign import TEMPLATE_KINDS
from mentorbot.domain.templates import (ANY_SPECIALTY, COMMANDS_TEXT, CONFIRM_FIRST, KINDS, NO_MATCH, NO_SPECIALTY,
                                        PLACEHOLDERS, ROLE_TEXTS, STATE_TEXTS, UNKNOWN_STAGE, Bounds,
                                        at, format_date, join_handles, join_labels, placeholders_in, reply_text,
                                        render, template_problems, until_text, variant_problems,
                                        worst_case)
from mentorbot.domain.text import MAX_WEIGHTED_LENGTH, fits, weighted_length

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "campaigns" / "medmentormatch.toml"
CAMPAIGN = load_campaign(EXAMPLE)
VOCABULARY = load_vocabulary()
BOUNDS = Bounds.for_campaign(CAMPAIGN, VOCABULARY)
ALL_TEMPLATES = [(kind, text) for kind in TEMPLATE_KINDS for text in CAMPAIGN.templates.variants(kind)]


class TestRendering:
    def test_fills_known_placeholders_and_ignores_extra_values(self) -> None:
        """Only the names used are needed; literal braces survive."""
        text = render("Hi {handle}, {{welcome}} to {hashtag}", handle="@ana", hashtag="#X", stage="unused")
        assert text == "Hi @ana, {welcome} to #X"

    @pytest.mark.parametrize("template", ["{handle.__class__}", "{handle!r}", "{handle:>30}", "{0}", "{}",
                                          "{password}"])
    def test_refuses_anything_but_plain_known_placeholders(self, template: str) -> None:
        """Attribute access, conversions, format specs, positional and unknown names are refused."""
        with pytest.raises(ValueError):
            render(template, handle="@ana", password="x")

    def test_a_missing_value_is_a_key_error(self) -> None:
        """Forgetting a value is a programming error, loudly."""
        with pytest.raises(KeyError):
            render("Hi {handle}")

    def test_placeholders_are_listed_once_in_order(self) -> None:
        """placeholders_in keeps first appearance order."""
        assert placeholders_in("{b} {a} {b} {{c}}") == ("b", "a")


class TestValueHelpers:
    def test_join_labels_shows_at_most_three(self) -> None:
        """A; A and B; A, B and C; A, B, C and N more; or the empty text."""
        assert join_labels([]) == NO_SPECIALTY
        assert join_labels(["A"]) == "A"
        assert join_labels(["A", "B"]) == "A and B"
        assert join_labels(["A", "B", "C"]) == "A, B and C"
        assert join_labels(["A", "B", "C", "D", "E"]) == "A, B, C and 2 more"

    def test_join_handles_adds_at_signs(self) -> None:
        """Usernames become @mentions joined in plain English."""
        assert join_handles([]) == NO_MATCH
        assert join_handles(["a", "@b", "c"]) == "@a, @b and @c"
        assert at("@x") == "@x" == at("x")

    def test_dates_are_english_whatever_the_locale(self) -> None:
        """Sunday, 15 January; {until} falls back to the RESUME wording."""
        assert format_date(date(2023, 1, 15)) == "Sunday, 15 January"
        assert until_text(date(2026, 9, 30)) == "until Wednesday, 30 September"
        assert until_text(None) == "until you reply RESUME"


class TestThePlaceholderTable:
    def test_every_kind_is_described_and_uses_known_placeholders(self) -> None:
        """The kinds table matches the campaign's kinds; every name has a worst case."""
        assert tuple(KINDS) == TEMPLATE_KINDS
        worst = BOUNDS.worst_values()
        assert set(worst) == set(PLACEHOLDERS)
        for spec in KINDS.values():
            assert spec.allowed <= set(PLACEHOLDERS) and spec.required <= spec.allowed
            assert {"bot", "hashtag"} <= spec.allowed

    def test_worst_values_come_from_the_campaign_and_vocabulary(self) -> None:
        """Hashtag, bot, labels and the mentee list follow the campaign's facts."""
        worst = BOUNDS.worst_values()
        assert worst["hashtag"] == "#MedMentorMatch" and worst["bot"] == "@MedMentorBot"
        assert worst["handle"] == "@" + "x" * 15
        assert worst["stage"] == max([*VOCABULARY.stage_labels(), UNKNOWN_STAGE], key=len)
        assert worst["mentees"].count("@") == CAMPAIGN.limits.mentees_per_mentor
        assert worst["specialties"].endswith(f"and {38 - 3} more")
        assert worst["commands"] == COMMANDS_TEXT

    def test_follow_friday_headers_leave_room_for_the_mentions(self) -> None:
        """The worst case of a header counts mentions_per_post appended mentions."""
        header = "#FollowFriday {hashtag}"
        plain = weighted_length(render(header, **BOUNDS.worst_values()))
        assert worst_case(header, "follow_friday_header", BOUNDS) == plain + 17 * CAMPAIGN.limits.mentions_per_post
        assert worst_case(header, "call_for_mentors", BOUNDS) == plain

    def test_replies_leave_room_for_the_leading_handle(self) -> None:
        """A reply template without {handle} is checked with the "@handle " the composer adds."""
        text = "Commands: {commands}"
        plain = weighted_length(render(text, **BOUNDS.worst_values()))
        assert worst_case(text, "help", BOUNDS) == plain + 17
        assert reply_text(text, "jane_md", commands="STOP").startswith("@jane_md Commands: STOP")
        assert reply_text("Hi {handle}!", "jane_md") == "Hi @jane_md!"


class TestTemplateChecks:
    def _problems(self, text: str, kind: str = "help") -> str:
        return " | ".join(p.problem + " => " + p.fix for p in template_problems(text, kind, BOUNDS))

    def test_a_good_template_has_no_problem(self) -> None:
        """The example's first help text passes."""
        assert template_problems(CAMPAIGN.templates.help[0], "help", BOUNDS) == []

    @pytest.mark.parametrize("text, kind, expected", [
        ("Hello {nmae}, {commands}", "help", "unknown placeholder {nmae}"),
        ("{mentor} {commands}", "help", "{mentor} cannot be used in the reply to HELP"),
        ("{commands:>40}", "help", "extra formatting"),
        ("{commands} {", "help", "without its partner"),
        ("{commands} ask @someone", "help", "mentions @someone directly"),
        ("{commands} @{bot}", "help", "doubles the @"),
        ("{commands} #{hashtag}", "help", "doubles the #"),
        ("{commands} see https://example.org", "help", "contains a link"),
        ("Just the list", "help", "does not use {commands}"),
        ("   ", "help", "the text is empty"),
        ("{commands} " + "x" * 200, "help", "over X's limit of 280"),
    ])
    def test_each_kind_of_mistake_is_explained(self, text: str, kind: str, expected: str) -> None:
        """Unknown, misplaced or formatted placeholders, mentions, links, length: each is named."""
        assert expected in self._problems(text, kind)

    def test_the_over_limit_message_says_by_how_much(self) -> None:
        """The problem states the worst length and the fix the number of characters to cut."""
        text = "{commands} " + "x" * 200
        over = worst_case(text, "help", BOUNDS) - MAX_WEIGHTED_LENGTH
        (problem,) = template_problems(text, "help", BOUNDS)
        assert f"{over} over" in problem.problem and f"at least {over} characters" in problem.fix

    def test_an_email_address_is_not_a_mention(self) -> None:
        """'team@' is not flagged as an @mention (it may still be flagged as a link)."""
        assert "mentions" not in self._problems("{commands} or write to team@hospital")

    def test_variant_lists_need_two_distinct_wordings(self) -> None:
        """One text, or the same text twice (up to spacing and case), is refused."""
        assert "at least 2" in variant_problems("help", ("{commands}",))[0].problem
        (dup,) = variant_problems("help", ("Use {commands}", "use  {commands}"))
        assert "texts 1 and 2 are the same" in dup.problem

    def test_congratulations_need_wordings_without_a_mentor(self) -> None:
        """Mentees without a mentor still need two {mentor}-free congratulations."""
        problems = variant_problems("congratulate", ("Yay {mentee} {mentor}", "Well done {mentee}, {mentor}"))
        assert any("without {mentor}" in p.problem for p in problems)
        assert variant_problems("congratulate", ("Yay {mentee}", "Well done {mentee}", "Go {mentee} {mentor}")) == []


# -- the property: any values within the declared bounds render within 280 ----------------------
_usernames = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)
_labels = list(VOCABULARY.specialty_labels())


@st.composite
def _values(draw: st.DrawFn) -> dict[str, str]:
    cap = CAMPAIGN.limits.mentees_per_mentor
    stage = st.sampled_from([*VOCABULARY.stage_labels(), UNKNOWN_STAGE])
    return {
        "bot": at(CAMPAIGN.bot_handle),
        "hashtag": "#" + draw(st.sampled_from(CAMPAIGN.hashtags)),
        "handle": at(draw(_usernames)), "mentor": at(draw(_usernames)), "mentee": at(draw(_usernames)),
        "role": draw(st.sampled_from(list(ROLE_TEXTS.values()))),
        "stage": draw(stage), "mentor_stage": draw(stage), "mentee_stage": draw(stage),
        "specialties": join_labels(draw(st.lists(st.sampled_from(_labels), unique=True, max_size=38))),
        "specialty": draw(st.sampled_from([*_labels, ANY_SPECIALTY])),
        "capacity": str(draw(st.integers(0, cap))),
        "mentees": join_handles(draw(st.lists(_usernames, max_size=cap))),
        "matches": join_handles(draw(st.lists(_usernames, max_size=cap))),
        "state": draw(st.sampled_from(list(STATE_TEXTS.values()))),
        "until": until_text(draw(st.none() | st.dates())),
        "date": format_date(draw(st.dates())),
        "week": str(draw(st.integers(1, 53))), "n": str(draw(st.integers(1, 99))),
        "waiting": str(draw(st.integers(0, 9999))),
        "commands": COMMANDS_TEXT,
        **dict(zip(("meaning", "command"), draw(st.sampled_from(list(CONFIRM_FIRST.values()))))),
    }


@settings(max_examples=300, deadline=None)
@given(pick=st.sampled_from(ALL_TEMPLATES), values=_values(),
       mentions=st.lists(_usernames, max_size=CAMPAIGN.limits.mentions_per_post))
def test_every_example_template_fits_for_any_values_within_bounds(pick: tuple[str, str],
                                                                   values: dict[str, str],
                                                                   mentions: list[str]) -> None:
    """Rendered with any in-bounds values (plus #FollowFriday mentions), no example text exceeds 280."""
    kind, template = pick
    text = render(template, **values)
    if KINDS[kind].appends_mentions:
        text += "".join(" " + at(m) for m in mentions)
    assert fits(text)
    assert weighted_length(text) <= worst_case(template, kind, BOUNDS) <= MAX_WEIGHTED_LENGTH
