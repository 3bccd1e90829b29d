"""The sandbox checks credentials like X: bearer tokens, real OAuth 1.0a signatures, permissions."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
import requests
import tweepy
from requests_oauthlib import OAuth1

from mentorbot.clock import VirtualClock
from mentorbot.sandbox import Sandbox
from mentorbot.sandbox.testing import tweepy_client

UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
UNSUPPORTED = {
    "title": "Unsupported Authentication",
    "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
              "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
    "type": "https://api.twitter.com/2/problems/unsupported-authentication",
    "status": 403}


@pytest.fixture
def x():
    sb = Sandbox(clock=VirtualClock(datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)), seed=3)
    bot = sb.create_user("MedMentorBot", description="Automated")
    reader = sb.create_user("ReadOnlyBot", read_only=True)
    other = sb.create_user("drjane")
    with sb.serve() as server:
        yield SimpleNamespace(sb=sb, server=server, bot=bot, reader=reader, other=other)


def _oauth(x, account, *, consumer_secret=None) -> OAuth1:
    return OAuth1(x.sb.app.consumer_key, consumer_secret or x.sb.app.consumer_secret,
                  account.access_token, account.access_token_secret)


class TestOAuth1Signatures:
    def test_a_client_redirected_from_the_canonical_host_is_accepted(self, x):
        """tweepy signs for https://api.twitter.com; the sandbox accepts that signature, and "me" is the token's user."""
        client = tweepy_client(x.server.url, x.sb.app, x.bot)
        me = client.get_me(user_auth=True).data
        assert (str(me.id), me.username) == (x.bot.id, "MedMentorBot")

    def test_a_signature_made_for_the_servers_own_url_is_accepted(self, x):
        """A client addressing the sandbox directly signs for its URL, query included."""
        response = requests.get(f"{x.server.url}/2/users/{x.bot.id}/mentions",
                                params={"max_results": "5", "tweet.fields": "created_at,author_id"},
                                auth=_oauth(x, x.bot))
        assert response.status_code == 200 and response.json() == {"meta": {"result_count": 0}}

    def test_a_wrong_consumer_secret_is_a_401(self, x):
        """A signature made with the wrong secret gets X's 401 body."""
        client = tweepy_client(x.server.url, replace(x.sb.app, consumer_secret="wrong"), x.bot)
        with pytest.raises(tweepy.Unauthorized) as caught:
            client.get_me(user_auth=True)
        assert caught.value.response.json() == UNAUTHORIZED

    def test_a_wrong_token_secret_or_unknown_token_is_a_401(self, x):
        """The token secret is part of the key; an unknown token is refused too."""
        for account in (replace(x.bot, access_token_secret="nope"), replace(x.bot, access_token=f"{x.bot.id}-nope")):
            with pytest.raises(tweepy.Unauthorized):
                tweepy_client(x.server.url, x.sb.app, account).create_tweet(text="hi", user_auth=True)
        assert [w["reason"] for w in x.sb.writes()] == ["unauthorized", "unauthorized"]
        assert x.sb.writes()[0]["author_id"] is None

    def test_a_query_changed_after_signing_is_a_401(self, x):
        """Query parameters are signed: tampering with them breaks the signature."""
        session = requests.Session()
        prepared = session.prepare_request(requests.Request(
            "GET", f"{x.server.url}/2/users/{x.bot.id}/mentions?max_results=5", auth=_oauth(x, x.bot)))
        prepared.url = prepared.url.replace("max_results=5", "max_results=6")
        response = session.send(prepared)
        assert response.status_code == 401 and response.json() == UNAUTHORIZED

    def test_json_bodies_are_not_part_of_the_signature(self, x):
        """A JSON body does not enter the signature base string (as with X)."""
        response = requests.post(f"{x.server.url}/2/tweets", json={"text": "Signed without the body"},
                                 auth=_oauth(x, x.bot))
        assert response.status_code == 201


class TestBearerTokens:
    def test_a_missing_authorization_header_is_a_401(self, x):
        """No credentials at all: 401 with X's body and the rate-limit headers."""
        response = requests.get(f"{x.server.url}/2/tweets/search/recent", params={"query": "hi"})
        assert response.status_code == 401 and response.json() == UNAUTHORIZED
        assert "x-rate-limit-limit" in response.headers

    def test_a_wrong_bearer_token_is_a_401(self, x):
        """A bearer token that is not the app's is refused."""
        response = requests.get(f"{x.server.url}/2/tweets/search/recent", params={"query": "hi"},
                                headers={"Authorization": "Bearer AAAAnotit"})
        assert response.status_code == 401 and response.json() == UNAUTHORIZED

    def test_the_app_bearer_reads_but_cannot_use_user_context_endpoints(self, x):
        """Bearer works for search; /users/me and writes get X's 403 Unsupported Authentication."""
        client = tweepy_client(x.server.url, x.sb.app)
        assert client.search_recent_tweets("hello").meta == {"result_count": 0}
        headers = {"Authorization": f"Bearer {x.sb.app.bearer_token}"}
        me = requests.get(f"{x.server.url}/2/users/me", headers=headers)
        assert me.status_code == 403 and me.json() == UNSUPPORTED
        posted = requests.post(f"{x.server.url}/2/tweets", json={"text": "hi"}, headers=headers)
        assert posted.status_code == 403 and posted.json() == UNSUPPORTED


class TestPermissions:
    def test_a_read_only_token_reads_but_cannot_write(self, x):
        """A read-only app token gets 403 oauth1-permissions on writes; reads still work."""
        client = tweepy_client(x.server.url, x.sb.app, x.reader)
        assert str(client.get_me(user_auth=True).data.id) == x.reader.id
        with pytest.raises(tweepy.Forbidden) as caught:
            client.create_tweet(text="hello", user_auth=True)
        assert caught.value.response.json()["type"] == "https://api.twitter.com/2/problems/oauth1-permissions"
        assert x.sb.writes()[-1]["reason"] == "permissions" and x.sb.posts() == []

    def test_acting_for_another_user_is_a_403(self, x):
        """The :id of a repost path must be the authenticated user."""
        post = x.sb.post("drjane", "hello")
        response = requests.post(f"{x.server.url}/2/users/{x.other.id}/retweets", json={"tweet_id": post["id"]},
                                 auth=_oauth(x, x.bot))
        assert response.status_code == 403 and response.json()["title"] == "Forbidden"
        assert x.sb.writes()[-1]["reason"] == "not_owner"

    def test_the_admin_api_needs_no_credentials_but_the_x_api_does(self, x):
        """/sandbox/ answers loopback clients without auth; unknown /2 routes are 404 Problems."""
        assert requests.get(f"{x.server.url}/sandbox/clock").json()["virtual"] is True
        missing = requests.get(f"{x.server.url}/2/lists", auth=_oauth(x, x.bot))
        assert missing.status_code == 404 and missing.json()["title"] == "Not Found Error"
