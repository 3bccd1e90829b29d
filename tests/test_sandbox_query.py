"""The sandbox's X search query language: parsing, X-like validation, matching."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbot.sandbox.query import (
    MAX_QUERY_LENGTH,
    And,
    Not,
    Op,
    Or,
    Phrase,
    QueryError,
    Term,
    compile_query,
    parse_query,
)


@dataclass(frozen=True, slots=True)
class FakePost:
    """The smallest thing that satisfies ``Searchable``."""

    text: str = ""
    author_username: str = "someone"
    author_id: str = "100"
    in_reply_to_username: str | None = None
    conversation_id: str = "1"
    is_reply: bool = False
    is_retweet: bool = False
    is_quote: bool = False
    mentions: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    lang: str | None = "en"
    has_links: bool = False


def matches(query: str, **post: object) -> bool:
    return compile_query(query)(FakePost(**post))  # type: ignore[arg-type]


def error_of(query: str) -> QueryError:
    with pytest.raises(QueryError) as info:
        compile_query(query)
    return info.value


class TestKeywordsAndPhrases:
    def test_a_keyword_matches_a_whole_token_in_any_case(self) -> None:
        """'cardiology' matches 'Cardiology,' but not 'cardiologyx'."""
        assert matches("cardiology", text="Looking for a Cardiology, mentor")
        assert not matches("cardiology", text="cardiologyx and more")

    def test_a_keyword_matches_the_word_of_a_hashtag_or_mention(self) -> None:
        """Tokens split on '#', '@' and '_', so the word inside a tag is a token."""
        assert matches("cardio", text="love #Cardio")
        assert matches("mentor", text="hi @med_mentor")

    def test_accents_and_case_are_folded_on_both_sides(self) -> None:
        """'músic' matches 'MUSIC' and 'music' matches 'Músic', as X normalizes them."""
        assert matches("músic", text="MUSIC night")
        assert matches("music", text="Músic night")
        assert not matches("music", text="musical night")

    def test_a_keyword_with_punctuation_matches_its_tokens_in_sequence(self) -> None:
        """'covid-19' matches 'COVID 19' and 'covid_19' but not '19 covid'."""
        assert matches("covid-19", text="COVID 19 update")
        assert matches("covid-19", text="about covid_19!")
        assert not matches("covid-19", text="19 covid")
        assert matches("covid-19", text="é covid—19")  # non-ASCII text takes the token path
        assert not matches("covid-19", text="covid 🩺 19")  # an emoji is a token in between

    def test_an_emoji_keyword_matches_the_emoji(self) -> None:
        """Emoji are tokens of their own, even glued to a word."""
        assert matches("🩺", text="new job🩺!")
        assert not matches("🩺", text="new job")

    def test_an_exact_phrase_needs_its_words_together_in_order(self) -> None:
        """'"cardiology mentor"' matches across any whitespace, not reordered or split."""
        assert matches('"cardiology mentor"', text="a Cardiology\n  mentor please")
        assert not matches('"cardiology mentor"', text="a mentor in cardiology")
        assert not matches('"cardiology mentor"', text="a cardiology mentorship")

    def test_a_phrase_keeps_its_punctuation(self) -> None:
        """A quoted 'coca-cola' needs the hyphen; the bare keyword does not."""
        assert matches('"coca-cola"', text="I like Coca-Cola")
        assert not matches('"coca-cola"', text="I like coca cola")
        assert matches("coca-cola", text="I like coca cola")

    def test_a_quoted_or_is_a_keyword(self) -> None:
        """'"or"' searches the word or."""
        assert matches('"or" cats', text="cats or dogs")


class TestOperators:
    def test_hashtag_matches_the_tag_entity_in_any_case(self) -> None:
        """'#MedMentorMatch' matches the entity, not the word in the text."""
        assert matches("#MedMentorMatch", hashtags=("medmentormatch",))
        assert not matches("#MedMentorMatch", text="medmentormatch", hashtags=())
        assert not matches("#MedMentor", hashtags=("medmentormatch",))

    def test_mention_matches_a_mentioned_username(self) -> None:
        """'@MedMentorBot' matches a post that mentions medmentorbot."""
        assert matches("@MedMentorBot", mentions=("alice", "medmentorbot"))
        assert not matches("@MedMentorBot", text="@MedMentorBot", mentions=())

    def test_cashtag_matches_a_dollar_symbol_in_the_text(self) -> None:
        """'$AAPL' matches '$aapl' but not 'aapl'."""
        assert matches("$AAPL", text="buy $aapl now")
        assert not matches("$AAPL", text="buy aapl now")
        assert matches("$AAPL has:cashtags", text="$AAPL")

    def test_from_matches_the_author_by_username_or_id(self) -> None:
        """'from:Alice' and 'from:42' both find alice's post."""
        post = {"author_username": "alice", "author_id": "42"}
        assert matches("from:Alice", **post)
        assert matches("from:42", **post)
        assert not matches("from:bob", **post)

    def test_to_matches_replies_to_that_user(self) -> None:
        """'to:bob' matches a reply to bob, not a post that merely mentions him."""
        assert matches("to:Bob", in_reply_to_username="bob", is_reply=True)
        assert not matches("to:bob", mentions=("bob",))

    def test_conversation_id_matches_the_conversation(self) -> None:
        """'conversation_id:123' matches only that thread."""
        assert matches("conversation_id:123", conversation_id="123")
        assert not matches("conversation_id:123", conversation_id="1234")

    @pytest.mark.parametrize("value,field", [("reply", "is_reply"), ("retweet", "is_retweet"),
                                             ("quote", "is_quote")])
    def test_is_operators_follow_the_post_flags(self, value: str, field: str) -> None:
        """'x is:reply' and its siblings test the flag, and their negation the opposite."""
        assert matches(f"x is:{value}", text="x", **{field: True})
        assert not matches(f"x is:{value}", text="x", **{field: False})
        assert matches(f"x -is:{value}", text="x", **{field: False})

    def test_has_operators_follow_the_entities(self) -> None:
        """has:mentions, has:hashtags and has:links look at the post's entities."""
        assert matches("x has:mentions", text="x", mentions=("a",))
        assert not matches("x has:mentions", text="x")
        assert matches("x has:hashtags", text="x", hashtags=("a",))
        assert not matches("x has:hashtags", text="x")
        assert matches("x has:links", text="x", has_links=True)
        assert not matches("x has:links", text="x")

    def test_lang_matches_the_detected_language(self) -> None:
        """'x lang:es' needs lang es; a post without a language never matches."""
        assert matches("x lang:ES", text="x", lang="es")
        assert not matches("x lang:es", text="x", lang="en")
        assert not matches("x lang:es", text="x", lang=None)


class TestBooleanLogic:
    def test_and_binds_tighter_than_or(self) -> None:
        """'a b OR c' parses like '(a b) OR c', not 'a (b OR c)'."""
        assert parse_query("a b OR c") == parse_query("(a b) OR c")
        assert parse_query("a b OR c") != parse_query("a (b OR c)")
        assert matches("a b OR c", text="c")
        assert not matches("a (b OR c)", text="c")

    def test_the_ast_is_flat_and_readable(self) -> None:
        """Nested ANDs and ORs are flattened; '-' wraps its clause in Not."""
        assert parse_query('a (b c) -"d e" OR #x') == Or((
            And((Term("a"), Term("b"), Term("c"), Not(Phrase("d e")))),
            Op("hashtag", "x"),
        ))

    def test_a_negated_group_excludes_everything_in_it(self) -> None:
        """'mentor -(spam OR scam)' refuses posts with either word."""
        assert matches("mentor -(spam OR scam)", text="mentor here")
        assert not matches("mentor -(spam OR scam)", text="mentor scam")
        assert not matches("mentor -(spam OR scam)", text="spam mentor")

    def test_upper_case_or_joins_and_space_means_and(self) -> None:
        """'a OR b' needs one of them; 'a b' needs both."""
        assert matches("a OR b", text="b")
        assert not matches("a b", text="b")


class TestTypicalBotQueries:
    def test_hashtag_without_retweets(self) -> None:
        """'#MedMentorMatch -is:retweet' keeps original posts with the tag."""
        q = "#MedMentorMatch -is:retweet"
        assert matches(q, hashtags=("medmentormatch",))
        assert not matches(q, hashtags=("medmentormatch",), is_retweet=True)
        assert not matches(q, hashtags=("other",))

    def test_wins_of_registered_mentees(self) -> None:
        """'(from:alice OR from:bob OR from:carol) #MedMentorMatch -is:retweet' needs all three parts."""
        q = "(from:alice OR from:bob OR from:carol) #MedMentorMatch -is:retweet"
        tagged = FakePost(author_username="carol", hashtags=("medmentormatch",))
        match = compile_query(q)
        assert match(tagged)
        assert not match(replace(tagged, author_username="dave"))
        assert not match(replace(tagged, is_retweet=True))
        assert not match(replace(tagged, hashtags=()))

    def test_mentions_of_the_bot_not_by_the_bot(self) -> None:
        """'@MedMentorBot -from:MedMentorBot' skips the bot's own posts."""
        q = "@MedMentorBot -from:MedMentorBot"
        assert matches(q, mentions=("medmentorbot",), author_username="alice")
        assert not matches(q, mentions=("medmentorbot",), author_username="MedMentorBot")

    def test_replies_in_a_conversation(self) -> None:
        """'conversation_id:123 is:reply' finds the replies to a call for mentors."""
        q = "conversation_id:123 is:reply"
        assert matches(q, conversation_id="123", is_reply=True)
        assert not matches(q, conversation_id="123", is_reply=False)
        assert not matches(q, conversation_id="999", is_reply=True)


class TestValidation:
    @pytest.mark.parametrize("query,words,position", [
        ("", "empty", None),
        ("   ", "empty", None),
        ("x" * (MAX_QUERY_LENGTH + 1), "max allowed 512", None),
        ("(a b", "never closed", 1),
        ("a b)", "no matching '('", 4),
        ("a () b", "Empty parentheses", 4),
        ('a "b c', "Unbalanced quotes", 3),
        ('a ""', "Empty quoted phrase", 3),
        ("a OR", "nothing follows", 3),
        ("OR a", "nothing precedes", 1),
        ("a OR OR b", "nothing follows", 3),
        ("a - b", "'-' must be followed", 3),
        ("a --b", "cannot negate another", 3),
        ("cats or dogs", "Ambiguous use of or", 6),
        ("Amsterdam AND AI", "Ambiguous use of and", 11),
        ("-is:retweet", "at least one clause that is not negated", 1),
        ("-a -#b", "at least one clause that is not negated", 1),
        ("has:links OR is:retweet", "'has:links' is a conjunction-required", 1),
        ("-a lang:en", "'lang:en' is a conjunction-required", 4),
        ("x foo:bar", "invalid operator 'foo'", 3),
        ("x is:verbose", "invalid operator 'is:verbose'", 3),
        ("x has:fun", "invalid operator 'has:fun'", 3),
        ("x has:media", "does not implement", 3),
        ("x url:example", "does not implement", 3),
        ("from:", "needs a value", 1),
        ("from:@alice", "username without @", 1),
        ("conversation_id:abc", "1 to 19 digits", 1),
        ("x lang:english", "language code", 3),
        ("# x", "Invalid hashtag", 1),
        ("@ x", "Invalid mention", 1),
        ("x !!!", "no letters, digits or emoji", 3),
        ("(" * 40 + "a" + ")" * 40, "nested", 33),
    ])
    def test_x_would_refuse_it_and_the_message_says_what_and_where(
            self, query: str, words: str, position: int | None) -> None:
        """Each invalid query raises QueryError naming the problem and its 1-based position."""
        error = error_of(query)
        assert error.message.startswith("There were errors processing your request: ")
        assert words in error.message
        assert error.position == position
        if position is not None:
            assert error.message.endswith(f"(at position {position})")
        assert str(error) == error.message

    def test_the_longest_allowed_query_compiles(self) -> None:
        """Exactly 512 characters is fine."""
        query = "a" * MAX_QUERY_LENGTH
        assert len(query) == MAX_QUERY_LENGTH
        assert matches(query, text=query)

    def test_conjunction_operators_are_fine_beside_a_standalone_clause(self) -> None:
        """'is:reply' with 'to:bob' compiles; negated standalone clauses don't count."""
        assert matches("to:bob is:reply", in_reply_to_username="bob", is_reply=True)
        assert matches("-a b", text="b")


# --- properties ----------------------------------------------------------------------------------

_WORDS = ["a", "b", "cardio", "mentor", "músic", "covid"]
_CLAUSES = [
    *_WORDS, '"a b"', '"mentor, cardio"', "covid-19", "🩺", "#x", "#y", "@bob", "@alice",
    "from:alice", "from:42", "to:bob", "conversation_id:7", "is:reply", "is:retweet", "is:quote",
    "has:links", "has:mentions", "has:hashtags", "lang:en", "$aapl", "(a OR #x)", "(b -c)",
]

posts = st.builds(
    FakePost,
    text=st.lists(st.sampled_from([*_WORDS, "music", "c", "19", "🩺", ",", "-", "#cardio", "$AAPL"]),
                  max_size=8).map(" ".join),
    author_username=st.sampled_from(["alice", "bob", "carol"]),
    author_id=st.sampled_from(["42", "43"]),
    in_reply_to_username=st.sampled_from([None, "bob"]),
    conversation_id=st.sampled_from(["7", "8"]),
    is_reply=st.booleans(), is_retweet=st.booleans(), is_quote=st.booleans(),
    mentions=st.lists(st.sampled_from(["bob", "alice"]), max_size=2, unique=True).map(tuple),
    hashtags=st.lists(st.sampled_from(["x", "y"]), max_size=2, unique=True).map(tuple),
    lang=st.sampled_from([None, "en", "es"]),
    has_links=st.booleans(),
)
_QUERY_ALPHABET = st.sampled_from(list('ab ()"-#@$:OR or AND is:reply from:x 🩺é\t') + ["is:", "has:links"])
_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(st.one_of(st.text(max_size=600), st.lists(_QUERY_ALPHABET, max_size=40).map("".join)), posts)
def test_any_string_either_compiles_or_raises_query_error(query: str, post: FakePost) -> None:
    """Whatever the query, compile_query raises QueryError or returns a predicate that answers a bool."""
    try:
        match = compile_query(query)
    except QueryError as error:
        assert error.message
        return
    assert match(post) in (True, False)


@_FAST
@given(st.sampled_from(_CLAUSES), posts)
def test_minus_x_is_the_negation_of_x(clause: str, post: FakePost) -> None:
    """Beside a positive anchor, '-X' matches exactly the posts that 'X' does not."""
    anchored = replace(post, hashtags=(*post.hashtags, "anchor"))
    assert compile_query(f"#anchor {clause}")(anchored) != compile_query(f"#anchor -{clause}")(anchored)
    assert not compile_query(f"#anchor -{clause}")(replace(post, hashtags=()))


@_FAST
@given(st.lists(st.sampled_from([c for c in _CLAUSES if not c.startswith(("is:", "has:", "lang:"))]),
                min_size=3, max_size=3), posts)
def test_and_before_or_agrees_with_the_clauses_one_by_one(clauses: list[str], post: FakePost) -> None:
    """'A B OR C' == (A and B) or C, computed from each clause on its own."""
    a, b, c = (compile_query(x)(post) for x in clauses)
    assert compile_query(" ".join([clauses[0], clauses[1], "OR", clauses[2]]))(post) == ((a and b) or c)
    assert compile_query(f"{clauses[0]} ({clauses[1]} OR {clauses[2]})")(post) == (a and (b or c))
