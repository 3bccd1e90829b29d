"""Participant-restricted search queries: within X's limit, covering everyone, valid for X."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mentorbot.domain.queries import MAX_QUERY_LENGTH, participant_queries
from mentorbot.sandbox.query import compile_query

handles = st.lists(st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True), min_size=1, max_size=300, unique_by=str.lower)


@given(handles)
def test_queries_fit_512_characters_and_name_every_participant_once(people: list[str]) -> None:
    """However large the cohort, each query fits and together they name every handle once."""
    queries = participant_queries(["MedMentorMatch", "MedMentor"], people, bot="MedMentorBot")
    assert all(len(q) <= MAX_QUERY_LENGTH for q in queries)
    named = [t[5:] for q in queries for t in q.replace("(", " ").replace(")", " ").split() if t.startswith("from:")]
    assert sorted(named) == sorted(people)
    for query in queries:
        compile_query(query)  # X's query language accepts it (the sandbox's parser is strict)


def test_a_query_leaves_out_reposts_and_posts_that_mention_the_bot() -> None:
    """Mentions arrive through the cheaper owned timeline; reposts are not wins."""
    (query,) = participant_queries(["MedMentorMatch"], ["alice", "bob"], bot="MedMentorBot")
    assert query == "#MedMentorMatch (from:alice OR from:bob) -is:retweet -@MedMentorBot"
