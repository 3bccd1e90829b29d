"""Rate limits, the pay-per-use meter, the spending limit and seeded faults, over HTTP."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
import requests
import tweepy

from mentorbot.clock import VirtualClock
from mentorbot.sandbox import Sandbox
from mentorbot.sandbox.testing import tweepy_client

START = datetime(2026, 1, 5, 23, 50, tzinfo=timezone.utc)  # ten minutes before a UTC day ends
TOO_MANY = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}


def _world(**options):
    clock = VirtualClock(START)
    sb = Sandbox(clock=clock, seed=5, **options)
    bot = sb.create_user("MedMentorBot")
    jane = sb.create_user("drjane", description="Cardiology fellow")
    return SimpleNamespace(sb=sb, clock=clock, bot=bot, jane=jane)


@pytest.fixture
def serve():
    servers = []

    def start(world, **client_options):
        server = world.sb.serve()
        servers.append(server)
        world.server = server
        world.client = tweepy_client(server.url, world.sb.app, world.bot, return_type=requests.Response,
                                     **client_options)
        return world

    yield start
    for server in servers:
        server.close()


class TestRateLimits:
    def test_past_the_limit_is_a_429_with_the_headers_until_the_window_resets(self, serve):
        """Every response carries x-rate-limit-*; past the limit a 429, and 15 minutes later 200 again."""
        x = serve(_world(rate_limits={"GET /2/users/:id/mentions": 3}))
        remaining = []
        for _ in range(3):
            response = x.client.get_users_mentions(x.bot.id, user_auth=True)
            remaining.append(response.headers["x-rate-limit-remaining"])
            assert response.headers["x-rate-limit-limit"] == "3"
        assert remaining == ["2", "1", "0"]
        reset = int(START.timestamp()) + 900
        with pytest.raises(tweepy.TooManyRequests) as caught:
            x.client.get_users_mentions(x.bot.id, user_auth=True)
        assert caught.value.response.json() == TOO_MANY
        assert caught.value.reset_time == reset
        assert caught.value.response.headers["x-rate-limit-remaining"] == "0"
        x.clock.advance(900)
        assert x.client.get_users_mentions(x.bot.id, user_auth=True).headers["x-rate-limit-remaining"] == "2"

    def test_app_and_user_windows_are_separate(self, serve):
        """The bearer's window and a user's window for one endpoint are counted apart."""
        x = serve(_world(rate_limits={"GET /2/tweets/search/recent": 1}))
        x.client.search_recent_tweets("hello", user_auth=True)
        assert x.client.search_recent_tweets("hello").status_code == 200
        with pytest.raises(tweepy.TooManyRequests):
            x.client.search_recent_tweets("hello")
        assert x.sb.requests()["by_route"]["GET /2/tweets/search/recent"] == {"200": 2, "429": 1}

    def test_creating_posts_reports_the_24_hour_window(self, serve):
        """POST /2/tweets carries x-user-limit-24hour-*; refused writes are logged as rate_limited."""
        x = serve(_world(rate_limits={"POST /2/tweets": 1}))
        made = x.client.create_tweet(text="first", user_auth=True)
        assert made.headers["x-user-limit-24hour-limit"] == "10000"
        assert made.headers["x-user-limit-24hour-remaining"] == "9999"
        assert made.headers["x-rate-limit-remaining"] == "0"
        with pytest.raises(tweepy.TooManyRequests):
            x.client.create_tweet(text="second", user_auth=True)
        assert [w["reason"] for w in x.sb.writes()] == [None, "rate_limited"]


class TestMeter:
    def test_a_resource_is_charged_once_per_utc_day(self, serve):
        """Reading the same post twice in a day costs once; after midnight UTC it costs again."""
        x = serve(_world())
        post = x.sb.post("drjane", "hello")
        x.client.get_tweet(post["id"])
        x.client.get_tweet(post["id"])
        assert x.sb.meter()["counts"]["post_read"] == 1 and x.sb.meter()["total_usd"] == 0.005
        x.clock.advance(600)  # 2026-01-06 00:00 UTC
        x.client.get_tweet(post["id"], expansions="author_id")
        meter = x.sb.meter()
        assert meter["counts"]["post_read"] == 2 and meter["counts"]["user_read"] == 1
        assert meter["total_usd"] == pytest.approx(0.020)

    def test_own_data_costs_a_tenth_of_a_cent_per_resource(self, serve):
        """The bot's own mentions timeline is billed at $0.001 per resource, not as post reads."""
        x = serve(_world())
        x.sb.post("drjane", "@MedMentorBot hi")
        x.client.get_users_mentions(x.bot.id, user_auth=True, expansions="author_id")
        meter = x.sb.meter()
        assert meter["counts"] == {**meter["counts"], "owned_read": 2, "post_read": 0, "user_read": 0}
        assert meter["total_usd"] == pytest.approx(0.002)

    def test_writes_are_priced_by_kind(self, serve):
        """A reply to a summoner $0.010, a post $0.015, a post with a URL $0.20, a repost $0.015, a delete $0.010."""
        x = serve(_world())
        ask = x.sb.post("drjane", "@MedMentorBot hi")
        x.client.create_tweet(text="Welcome!", in_reply_to_tweet_id=ask["id"], user_auth=True)
        made = x.client.create_tweet(text="Call for mentors", user_auth=True).json()["data"]
        x.client.create_tweet(text="Guide: https://example.org/guide", user_auth=True)
        x.client.retweet(ask["id"], user_auth=True)
        x.client.delete_tweet(made["id"], user_auth=True)
        by_kind = x.sb.meter()["by_kind"]
        assert {k: by_kind[k] for k in ("reply", "post_create", "post_create_url", "repost", "delete")} == {
            "reply": 0.010, "post_create": 0.015, "post_create_url": 0.20, "repost": 0.015, "delete": 0.010}
        assert x.sb.meter()["total_usd"] == pytest.approx(0.25)

    def test_credits_depleted_is_a_402_once_the_spending_limit_is_reached(self, serve):
        """When the meter reaches the spending limit every request gets X's 402 body."""
        x = serve(_world(spending_limit_usd=0.03))
        x.client.create_tweet(text="one", user_auth=True)
        x.client.create_tweet(text="two", user_auth=True)
        with pytest.raises(tweepy.HTTPException) as caught:
            x.client.create_tweet(text="three", user_auth=True)
        assert caught.value.response.status_code == 402
        assert caught.value.response.json() == {
            "title": "CreditsDepleted",
            "detail": "Your enrolled account does not have any credits to fulfill this request.",
            "type": "https://api.twitter.com/2/problems/credits-depleted", "status": 402}
        assert x.sb.writes()[-1]["reason"] == "credits"
        with pytest.raises(tweepy.HTTPException):
            x.client.search_recent_tweets("anything")

    def test_the_monthly_post_read_cap_is_a_429_usage_capped(self, serve):
        """Past the monthly post-read cap, reads of posts get the usage-capped body."""
        x = serve(_world(monthly_post_read_cap=1))
        post = x.sb.post("drjane", "hello")
        x.client.get_tweet(post["id"])
        with pytest.raises(tweepy.TooManyRequests) as caught:
            x.client.get_tweet(post["id"])
        assert caught.value.response.json()["type"] == "https://api.twitter.com/2/problems/usage-capped"
        assert x.client.get_user(username="drjane").status_code == 200  # user reads are not capped


class TestFaults:
    @staticmethod
    def _statuses(seed: int) -> list[int]:
        x = _world()
        x.sb.set_faults(rate=0.4, kinds=("429", "500", "503"), seed=seed)
        with x.sb.serve() as server:
            client = tweepy_client(server.url, x.sb.app, x.bot, return_type=requests.Response)
            statuses = []
            for n in range(25):
                try:
                    statuses.append(client.get_users_mentions(x.bot.id, user_auth=True).status_code)
                except tweepy.HTTPException as error:
                    statuses.append(error.response.status_code)
        return statuses

    def test_faults_are_deterministic_for_a_seed(self):
        """The same seed and requests give the same failures; another seed gives others."""
        first, again, other = self._statuses(11), self._statuses(11), self._statuses(12)
        assert first == again and first != other
        assert {429, 500, 503} <= set(first) and 200 in first

    def test_an_after_commit_fault_applies_the_write_then_fails(self, serve):
        """The client sees a 500, yet the post exists: retrying is refused as a duplicate."""
        x = serve(_world())
        x.sb.set_faults(rate=1.0, kinds=("500",), after_commit_share=1.0)
        with pytest.raises(tweepy.TwitterServerError) as caught:
            x.client.create_tweet(text="Matched! Welcome both", user_auth=True)
        assert caught.value.response.json()["status"] == 500
        [post] = x.sb.posts("MedMentorBot")
        write = x.sb.writes()[0]
        assert (write["id"], write["refused"], write["reason"], write["status"]) == (post["id"], False, "fault:500", 500)
        x.sb.set_faults(rate=0.0)
        with pytest.raises(tweepy.Forbidden):
            x.client.create_tweet(text="Matched! Welcome both", user_auth=True)

    def test_a_fault_before_the_commit_changes_nothing(self, serve):
        """A 503 fault on a write leaves no post; the write log says why."""
        x = serve(_world())
        x.sb.set_faults(rate=1.0, kinds=("503",))
        with pytest.raises(tweepy.TwitterServerError):
            x.client.create_tweet(text="hello", user_auth=True)
        assert x.sb.posts() == [] and x.sb.writes()[0]["reason"] == "fault:503"
        assert x.sb.requests()["faults"] == {"503": 1}

    def test_a_429_fault_resets_a_little_ahead(self, serve):
        """An injected 429 has the rate-limit body, remaining 0 and a reset seconds away."""
        x = serve(_world())
        x.sb.set_faults(rate=1.0, kinds=("429",))
        with pytest.raises(tweepy.TooManyRequests) as caught:
            x.client.get_users_mentions(x.bot.id, user_auth=True)
        assert caught.value.response.json() == TOO_MANY
        assert 0 < caught.value.reset_time - START.timestamp() <= 10

    def test_a_timeout_fault_holds_the_response(self, serve):
        """A client with a shorter timeout than hold_seconds sees a timeout; admin requests never fault."""
        x = serve(_world(), timeout=0.2)
        x.sb.set_faults(rate=1.0, kinds=("timeout",), hold_seconds=0.6)
        with pytest.raises(requests.exceptions.Timeout):
            x.client.get_users_mentions(x.bot.id, user_auth=True)
        assert requests.get(f"{x.server.url}/sandbox/meter", timeout=2).status_code == 200
