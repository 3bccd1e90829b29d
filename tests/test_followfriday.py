"""#FollowFriday: fair rotation across editions, and packing into valid, few, never-repeated posts."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from itertools import combinations

import pytest
import twitter_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbot.domain.followfriday import MINIMAL_HEADERS, Candidate, pack, select, text_key
from mentorbot.domain.templates import ANY_SPECIALTY, render

T0 = datetime(2026, 1, 2, 9, 0, tzinfo=timezone.utc)  # a Friday
HASHTAG = "#MedMentorMatch"
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]+)", re.ASCII)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

handles = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)
# Specialty labels as an organizer might write them: Latin with accents, CJK and emoji
# (both weigh 2), spaces. No "@", "#" or braces: those are not in specialty names.
label_chars = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E).filter(lambda ch: ch not in "@#{}"),
    st.characters(min_codepoint=0xC0, max_codepoint=0x17F),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1F64F),
)
labels = st.text(label_chars, min_size=1, max_size=40).filter(lambda s: s.strip())
# Header templates, some padded so long that the 280 limit, not the mention count, cuts posts.
padding = st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A) | st.just(" ") | st.just("🩺"),
                  max_size=260)
header = st.builds(lambda pre, pad: pre + pad, st.sampled_from([
    "#FollowFriday meet our new {hashtag} members in {specialty}:",
    "#FF {hashtag} {specialty} ({n}) ",
    "{specialty}: new in {hashtag} this week ",
]), padding)


@st.composite
def editions(draw):
    """(candidates, labels by specialty id, headers, mentions per post)."""
    names = draw(st.lists(handles, min_size=1, max_size=40, unique_by=str.casefold))
    specialty_labels = draw(st.lists(labels, min_size=1, max_size=4))
    ids = [f"s{i}" for i in range(len(specialty_labels))]
    people = [Candidate(f"p{i}", draw(st.sampled_from([name, "@" + name])), draw(st.sampled_from(["mentor", "mentee"])),
                        tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))),
                        T0 - timedelta(days=draw(st.integers(0, 30))), 0, None)
              for i, name in enumerate(names)]
    heads = draw(st.lists(header, min_size=1, max_size=3))
    return people, dict(zip(ids, specialty_labels)), heads, draw(st.integers(1, 10))


def _pack(people, label_of, heads, per_post, used=(), index=0):
    return pack(people, headers=heads, hashtag=HASHTAG, specialty_label=label_of.__getitem__,
                mentions_per_post=per_post, used_texts=used, edition_index=index,
                values={"date": "Friday, 2 January"})


def _header_line(text: str) -> str:
    return text.rsplit("\n", 1)[0]


@FAST
@given(editions())
def test_every_post_is_valid_names_at_most_the_allowed_mentions_and_everyone_appears_once(edition):
    people, label_of, heads, per_post = edition
    posts = _pack(select(people, since=None), label_of, heads, per_post)
    for post in posts:
        parsed = twitter_text.parse_tweet(post.text)
        assert parsed.valid and parsed.weightedLength <= 280, post.text
        named = MENTION.findall(post.text)
        assert named == [h.lstrip("@") for h in post.handles]
        assert 1 <= len(named) <= per_post
        assert all(p.person_id in post.person_ids for p in people if p.handle in post.handles)
    featured = Counter(pid for post in posts for pid in post.person_ids)
    assert featured == Counter(p.person_id for p in people)


@FAST
@given(editions())
def test_posts_are_grouped_by_first_specialty_and_no_two_posts_of_a_group_could_be_merged(edition):
    people, label_of, heads, per_post = edition
    by_id = {p.person_id: p for p in people}
    posts = _pack(people, label_of, heads, per_post)
    for post in posts:
        assert {(by_id[pid].specialties or (None,))[0] for pid in post.person_ids} == {post.specialty}
    for (i, a), (j, b) in combinations(enumerate(posts, start=1), 2):
        if a.specialty != b.specialty or len(a.handles) + len(b.handles) > per_post:
            continue
        label = label_of[a.specialty] if a.specialty is not None else ANY_SPECIALTY

        def rendered(pool):
            return {render(h, hashtag=HASHTAG, specialty=label, n=str(i), date="Friday, 2 January").rstrip()
                    for h in pool}
        campaign = rendered(heads)
        minimal = (_header_line(a.text) not in campaign, _header_line(b.text) not in campaign)
        if minimal[0] != minimal[1]:
            continue  # a fallback header on one side only: merging would change the other's header
        mentions = " ".join("@" + h.lstrip("@") for h in (*a.handles, *b.handles))
        for head in rendered(MINIMAL_HEADERS if minimal[0] else heads):
            merged = twitter_text.parse_tweet(head + "\n" + mentions)
            assert not merged.valid, f"posts {i} and {j} fit in one: {head!r} + {mentions!r}"


@FAST
@given(editions(), st.integers(0, 3))
def test_no_post_repeats_the_text_of_an_earlier_edition(edition, reruns):
    people, label_of, heads, per_post = edition
    used: list[str] = []
    for index in range(reruns + 2):  # the same people again and again: the worst case for repeats
        posts = _pack(people, label_of, heads, per_post, used=used, index=index % 2)
        keys = [text_key(p.text) for p in posts]
        assert len(set(keys)) == len(keys)
        assert not set(keys) & {text_key(t) for t in used}
        assert all(twitter_text.parse_tweet(p.text).valid for p in posts)
        assert Counter(pid for p in posts for pid in p.person_ids) == Counter(p.person_id for p in people)
        used += [p.text.upper() for p in posts]  # case and spacing do not make a text new


def test_an_edition_reads_like_the_issue_and_fills_posts_up_to_the_mention_limit():
    people = [Candidate(f"p{i}", f"doc{i}", "mentor", ("cardio",), T0, 0, None) for i in range(7)]
    people.append(Candidate("p9", "neuro_md", "mentee", ("neuro",), T0, 0, None))
    posts = pack(people, headers=["#FollowFriday meet our new {hashtag} mentors in {specialty}:"],
                 hashtag=HASHTAG, specialty_label={"cardio": "cardiology", "neuro": "neurology"}.__getitem__,
                 mentions_per_post=3)
    assert [p.text for p in posts][:1] == [
        "#FollowFriday meet our new #MedMentorMatch mentors in cardiology:\n@doc0 @doc1 @doc2"]
    assert [(p.specialty, len(p.handles)) for p in posts] == [
        ("cardio", 3), ("cardio", 3), ("cardio", 1), ("neuro", 1)]


def test_a_short_handle_goes_back_into_an_earlier_post_that_still_has_room():
    """Room for 17 weighted characters of mentions: one 15-letter handle, or a few short ones.
    Filling only the last post would give four posts ([long] [ab] [long] [cd]); three suffice."""
    names = ["x" * 15, "ab", "y" * 15, "cd"]
    people = [Candidate(f"p{i}", name, "mentor", (), T0, 0, None) for i, name in enumerate(names)]
    posts = pack(people, headers=["h" * (280 - 1 - 17)], hashtag=HASHTAG, specialty_label=str,
                 mentions_per_post=4)
    assert [p.handles for p in posts] == [("x" * 15,), ("ab", "cd"), ("y" * 15,)]
    assert all(twitter_text.parse_tweet(p.text).weightedLength == 280 - 17 + len(" ".join(
        "@" + h for h in p.handles)) for p in posts)


def test_a_header_too_long_for_any_mention_falls_back_to_a_minimal_one():
    person = Candidate("p1", "x" * 15, "mentee", (), T0, 0, None)
    posts = pack([person], headers=["y" * 279], hashtag=HASHTAG, specialty_label=str, mentions_per_post=4)
    assert posts[0].text == f"#FollowFriday {HASHTAG}\n@{'x' * 15}"


def test_bad_settings_are_refused():
    person = Candidate("p1", "a", "mentee", (), T0, 0, None)
    with pytest.raises(ValueError, match="mentions_per_post"):
        pack([person], headers=["#FF"], hashtag=HASHTAG, specialty_label=str, mentions_per_post=0)
    with pytest.raises(ValueError, match="header"):
        pack([person], headers=[], hashtag=HASHTAG, specialty_label=str, mentions_per_post=2)


# -- rotation ------------------------------------------------------------------------------------

@FAST
@given(st.lists(st.integers(0, 6), min_size=1, max_size=8), st.integers(1, 8))
def test_no_one_is_featured_twice_before_everyone_eligible_is_featured_once(joins_per_week, limit):
    """Weeks of editions, newcomers joining before each: the store's counts follow what was featured."""
    counts: dict[str, int] = {}
    last: dict[str, datetime] = {}
    joined: dict[str, datetime] = {}
    since: datetime | None = None
    for week, joins in enumerate(joins_per_week):
        friday = T0 + timedelta(weeks=week)
        for k in range(joins):
            joined[f"w{week}p{k}"] = friday - timedelta(days=1, minutes=k)
        pool = [Candidate(pid, pid, "mentee", (), at, counts.get(pid, 0), last.get(pid))
                for pid, at in joined.items()]
        chosen = select(pool, since=since, limit=limit)
        chosen_ids = {c.person_id for c in chosen}
        assert len(chosen) == min(limit, len(pool))
        left_out = [c for c in pool if c.person_id not in chosen_ids]
        if chosen and left_out:
            assert max(c.times_featured for c in chosen) <= min(c.times_featured for c in left_out)
        newcomers = [c for c in pool if since is None or c.joined_at >= since]
        if len(newcomers) <= limit:
            assert {c.person_id for c in newcomers} <= chosen_ids  # who joined this week comes first
        for c in chosen:
            counts[c.person_id] = counts.get(c.person_id, 0) + 1
            last[c.person_id] = friday
        since = friday if chosen else since


def test_rotation_featured_longest_ago_goes_first_among_equals_and_duplicates_count_once():
    a = Candidate("a", "alice", "mentor", (), T0, 1, T0 - timedelta(weeks=1))
    b = Candidate("b", "bob", "mentor", (), T0, 1, T0 - timedelta(weeks=3))
    c = Candidate("c", "carol", "mentor", (), T0, 2, T0 - timedelta(weeks=9))
    assert [x.person_id for x in select([a, c, b, a], since=T0)] == ["b", "a", "c"]
    assert [x.person_id for x in select([a, c, b], since=T0, limit=1)] == ["b"]
