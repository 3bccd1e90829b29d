"""The price list, what a call costs (reads once per resource per UTC day), what a write will cost."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorbot.domain import pricing
from mentorbot.domain.model import CallRecord
from mentorbot.domain.pricing import Charge, call_charges, has_url, write_cost
from mentorbot.sandbox.entities import parse_text
from mentorbot.sandbox.meter import PRICES_USD as SANDBOX_PRICES


def _read(endpoint="GET /2/tweets/search/recent", posts=(), users=(), owned=False, status=200):
    return CallRecord(endpoint=endpoint, status=status, at=0.0, post_reads=tuple(posts),
                      user_reads=tuple(users), owned=owned)


def _write(write, status=201):
    return CallRecord(endpoint="POST /2/tweets", status=status, at=0.0, write=write)


class TestThePriceList:
    def test_it_is_the_sandbox_meters_table_key_by_key(self):
        """Every charge kind has the sandbox meter's price, and the two lists name the same kinds."""
        assert dict(pricing.PRICES_USD) == SANDBOX_PRICES

    def test_it_holds_xs_published_prices(self):
        """The constants are X's pay-per-use prices; undoing a repost costs a repost."""
        assert (pricing.POST_READ_USD, pricing.USER_READ_USD, pricing.OWNED_READ_USD) == (0.005, 0.010, 0.001)
        assert (pricing.POST_CREATE_USD, pricing.POST_WITH_URL_USD, pricing.REPLY_USD) == (0.015, 0.20, 0.010)
        assert (pricing.DELETE_USD, pricing.REPOST_USD, pricing.UNDO_REPOST_USD) == (0.010, 0.015, 0.015)

    def test_every_write_kind_maps_to_a_priced_charge(self):
        """Each CallRecord.write value names a kind in the price list."""
        assert set(pricing.WRITE_CHARGE.values()) <= set(pricing.PRICES_USD)
        assert {"post", "reply", "repost", "undo_repost", "delete"} <= set(pricing.WRITE_CHARGE)


class TestCallCharges:
    def test_reads_are_charged_per_resource_and_kind(self):
        """Three posts and two users cost 3 x 0.005 + 2 x 0.010, and all five keys are new."""
        charges = call_charges(_read(posts=["1", "2", "3"], users=["7", "8"]), set())
        assert charges.items == (Charge("post_read", 0.015, 3), Charge("user_read", 0.02, 2))
        assert charges.total_usd == 0.035
        assert charges.new_reads == {("post_read", "post:1"), ("post_read", "post:2"),
                                     ("post_read", "post:3"), ("user_read", "user:7"),
                                     ("user_read", "user:8")}

    def test_a_resource_already_read_today_is_free(self):
        """Keys the caller remembers are not charged again, nor returned as new."""
        first = call_charges(_read(posts=["1", "2"]), set())
        again = call_charges(_read(posts=["2", "3"]), set(first.new_reads))
        assert again.items == (Charge("post_read", 0.005, 1),)
        assert again.new_reads == {("post_read", "post:3")}

    def test_a_resource_twice_in_one_response_counts_once(self):
        """A post in data and in includes (or listed twice) is one resource."""
        assert call_charges(_read(posts=["5", "5"]), set()).items == (Charge("post_read", 0.005, 1),)

    def test_the_bots_own_data_costs_the_owned_price_for_posts_and_users(self):
        """An owned read of 2 posts and 1 user is 3 owned resources at 0.001."""
        charges = call_charges(_read("GET /2/users/:id/mentions", ["1", "2"], ["9"], owned=True), set())
        assert charges.items == (Charge("owned_read", 0.003, 3),)
        assert ("owned_read", "user:9") in charges.new_reads

    def test_owned_and_ordinary_reads_of_one_post_are_separate_keys(self):
        """As in the sandbox, a post read through search after the mentions timeline is charged."""
        owned = call_charges(_read(posts=["1"], owned=True), set())
        public = call_charges(_read(posts=["1"]), set(owned.new_reads))
        assert public.items == (Charge("post_read", 0.005, 1),)

    @pytest.mark.parametrize("write, kind, usd", [
        ("post", "post_create", 0.015), ("reply", "reply", 0.010), ("repost", "repost", 0.015),
        ("undo_repost", "unrepost", 0.015), ("delete", "delete", 0.010),
        ("post_url", "post_create_url", 0.20), ("reply_url", "post_create_url", 0.20)])
    def test_a_write_is_one_charge_of_its_kind(self, write, kind, usd):
        """Each successful write is charged once at its price."""
        assert call_charges(_write(write), set()).items == (Charge(kind, usd, 1),)

    @pytest.mark.parametrize("status", [None, 400, 403, 429, 500])
    def test_a_failed_call_costs_nothing(self, status):
        """No response or an error status: no charge and nothing remembered."""
        charges = call_charges(_read(posts=["1"], status=status), set())
        assert charges.items == () and charges.new_reads == frozenset()

    def test_an_unknown_write_kind_is_an_error(self):
        """A write the price list does not know is refused rather than priced at zero."""
        with pytest.raises(ValueError, match="like"):
            call_charges(_write("like"), set())

    @given(st.lists(st.tuples(st.lists(st.sampled_from("123456"), max_size=6),
                              st.lists(st.sampled_from("789"), max_size=3), st.booleans()),
                    max_size=12))
    def test_a_days_reads_cost_each_distinct_resource_once(self, calls):
        """Over any sequence of reads, the total is the distinct (kind, resource) keys' prices."""
        seen: set = set()
        total = 0.0
        for posts, users, owned in calls:
            charges = call_charges(_read(posts=posts, users=users, owned=owned), seen)
            seen |= charges.new_reads
            total += charges.total_usd
        expected = sum(pricing.PRICES_USD[kind] for kind, _ in seen)
        assert total == pytest.approx(expected)


class TestWriteCost:
    @pytest.mark.parametrize("kind, text, is_reply, usd", [
        ("reply", "Welcome aboard!", True, 0.010),
        ("reply", "Details: https://example.org/faq", True, 0.20),
        ("reply", "no parent to answer", False, 0.015),
        ("post", "Call for mentors #MedMentorMatch", False, 0.015),
        ("post", "Part 2 of the thread", True, 0.015),  # answers the bot's own post
        ("post", "Sign up at example.com", False, 0.20),
        ("repost", None, False, 0.015), ("undo_repost", None, False, 0.015),
        ("delete", None, False, 0.010)])
    def test_it_prices_each_kind_before_sending(self, kind, text, is_reply, usd):
        """Replies to summoners 0.010, posts 0.015, anything with a URL 0.20, reposts 0.015."""
        assert write_cost(kind, text, is_reply) == usd

    def test_an_unknown_kind_is_an_error(self):
        """Guessing a price could cross the budget."""
        with pytest.raises(ValueError):
            write_cost("quote", "x", False)

    @given(st.lists(st.sampled_from(["see", "#MedTwitter", "@drjane", "example.com", "https://t.co/abc",
                                     "x.y", "3.5", "mail@host.org", "http://", "www.nejm.org/x"]),
                    max_size=5).map(" ".join))
    def test_it_finds_a_url_exactly_where_the_sandbox_charges_for_one(self, text):
        """has_url agrees with the sandbox's link detection, so the estimate matches the meter."""
        assert has_url(text) == parse_text(text, user_id=lambda _: None).has_links
