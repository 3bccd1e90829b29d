"""The sandbox X server over HTTP: endpoints, shapes, field selection, post rules, timelines, admin API."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
import tweepy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbot.clock import VirtualClock
from mentorbot.sandbox import Sandbox, run_forever
from mentorbot.sandbox.testing import tweepy_client

SHARED = Path(__file__).resolve().parents[1].parent / "shared"  # the `shared` dir beside the repo
SPEC = SHARED / "x-api" / "openapi.json"
START = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
FIELDS = dict(expansions="author_id,referenced_tweets.id,in_reply_to_user_id,entities.mentions.username,"
                         "referenced_tweets.id.author_id",
              tweet_fields="created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,"
                           "entities,lang,public_metrics",
              user_fields="description,name,username,protected,created_at,verified")


@lru_cache(maxsize=None)
def _validator(name: str):
    from jsonschema import Draft7Validator
    spec = json.loads(SPEC.read_text())
    return Draft7Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})


def validate(body: dict, name: str) -> None:
    if not SPEC.exists():
        pytest.skip(f"X's OpenAPI spec is not at {SPEC} (the shared dir beside the repo)")
    _validator(name).validate(body)


def problem(error: tweepy.HTTPException) -> dict:
    return error.response.json()


@pytest.fixture
def x():
    clock = VirtualClock(START)
    sb = Sandbox(clock=clock, seed=7)
    bot = sb.create_user("MedMentorBot", name="Med Mentor Bot",
                         description="Automated mentorship matching for #MedTwitter. Run by @OrgAdmin")
    jane = sb.create_user("drjane", name="Jane Doe, MD", description="Cardiology fellow; happy to mentor")
    sam = sb.create_user("sam_ms3", name="Sam", description="MS3 interested in cardiology")
    with sb.serve() as server:
        yield SimpleNamespace(
            sb=sb, clock=clock, server=server, bot=bot, jane=jane, sam=sam,
            client=tweepy_client(server.url, sb.app, bot, return_type=requests.Response),
            jane_client=tweepy_client(server.url, sb.app, jane, return_type=requests.Response))


class TestEveryEndpointSpeaksXShapes:
    def test_read_endpoints_validate_against_openapi(self, x):
        """Every read endpoint's success body validates against X's OpenAPI schema."""
        root = x.sb.post("MedMentorBot", "Calling mentors! Reply if you can mentor #MedMentorMatch")
        ask = x.sb.post("sam_ms3", "@MedMentorBot #MedMentorMatch MS3 seeking cardiology https://nejm.org",
                        reply_to=root["id"])
        x.clock.advance(60)
        c = x.client
        calls = [
            (c.get_me(user_auth=True, user_fields="description,created_at"), "Get2UsersMeResponse"),
            (c.get_users_mentions(x.bot.id, user_auth=True, **FIELDS), "Get2UsersIdMentionsResponse"),
            (c.search_recent_tweets("#MedMentorMatch", **FIELDS), "Get2TweetsSearchRecentResponse"),
            (c.get_tweets([ask["id"], root["id"]], **FIELDS), "Get2TweetsResponse"),
            (c.get_tweet(ask["id"], **FIELDS), "Get2TweetsIdResponse"),
            (c.get_users(ids=[x.jane.id, x.sam.id], user_fields="description"), "Get2UsersResponse"),
            (c.get_users(usernames=["drjane", "sam_ms3"], user_fields="description"), "Get2UsersByResponse"),
            (c.get_user(id=x.jane.id, user_fields="description,public_metrics"), "Get2UsersIdResponse"),
            (c.get_user(username="drjane"), "Get2UsersByUsernameUsernameResponse"),
            (c.get_users_tweets(x.bot.id, user_auth=True, **FIELDS), "Get2UsersIdTweetsResponse"),
        ]
        for response, schema in calls:
            assert response.status_code == 200, (schema, response.text)
            body = response.json()
            assert "data" in body, schema
            validate(body, schema)

    def test_write_endpoints_validate_against_openapi(self, x):
        """Create (201), delete, repost and undo-repost bodies validate against their schemas."""
        ask = x.sb.post("sam_ms3", "@MedMentorBot #MedMentorMatch I matched into cardiology!")
        created = x.client.create_tweet(text="Congratulations!", in_reply_to_tweet_id=ask["id"], user_auth=True)
        assert created.status_code == 201
        assert created.json()["data"]["edit_history_tweet_ids"] == [created.json()["data"]["id"]]
        validate(created.json(), "TweetCreateResponse")
        reposted = x.client.retweet(ask["id"], user_auth=True)
        assert reposted.json() == {"data": {"retweeted": True}}
        validate(reposted.json(), "UsersRetweetsCreateResponse")
        undone = x.client.unretweet(ask["id"], user_auth=True)
        assert undone.json() == {"data": {"retweeted": False}}
        validate(undone.json(), "UsersRetweetsDeleteResponse")
        deleted = x.client.delete_tweet(created.json()["data"]["id"], user_auth=True)
        assert deleted.json() == {"data": {"deleted": True}}
        validate(deleted.json(), "TweetDeleteResponse")

    def test_ids_are_digit_strings_that_grow_with_time(self, x):
        """Post ids are 1-19 digit strings, increasing with the clock and within one millisecond."""
        first = x.sb.post("drjane", "one")
        second = x.sb.post("drjane", "two")
        x.clock.advance(5)
        third = x.sb.post("drjane", "three")
        ids = [int(p["id"]) for p in (first, second, third)]
        assert ids == sorted(ids) and len(set(ids)) == 3
        assert all(p["id"].isdigit() and len(p["id"]) <= 19 for p in (first, second, third))
        assert third["created_at"] == "2026-01-05T08:00:05.000Z"


class TestFieldSelection:
    def test_a_post_with_no_fields_asked_has_only_id_text_and_edit_history(self, x):
        """Like X, a bare lookup returns {id, text, edit_history_tweet_ids}."""
        post = x.sb.post("drjane", "Hello #MedTwitter")
        body = x.client.get_tweet(post["id"]).json()
        assert body == {"data": {"id": post["id"], "text": "Hello #MedTwitter",
                                 "edit_history_tweet_ids": [post["id"]]}}

    def test_mentions_carry_each_authors_bio_in_includes_users(self, x):
        """One page of mentions carries every author's bio; asked fields and expansions are honoured."""
        root = x.sb.post("MedMentorBot", "Who wants a mentor?")
        ask = x.sb.post("sam_ms3", "@MedMentorBot me please! #MedMentorMatch cc @drjane", reply_to=root["id"])
        body = x.client.get_users_mentions(x.bot.id, user_auth=True, **FIELDS).json()
        post = body["data"][0]
        assert post["author_id"] == x.sam.id
        assert post["created_at"] == "2026-01-05T08:00:00.000Z"
        assert post["conversation_id"] == root["id"]
        assert post["in_reply_to_user_id"] == x.bot.id
        assert post["referenced_tweets"] == [{"type": "replied_to", "id": root["id"]}]
        assert post["entities"]["mentions"][0] == {"start": 0, "end": 13, "username": "MedMentorBot",
                                                   "id": x.bot.id}
        assert post["entities"]["hashtags"] == [{"start": 25, "end": 40, "tag": "MedMentorMatch"}]
        users = {u["username"]: u for u in body["includes"]["users"]}
        assert users["sam_ms3"]["description"] == "MS3 interested in cardiology"
        assert users["drjane"]["description"] == "Cardiology fellow; happy to mentor"
        assert users["MedMentorBot"]["protected"] is False
        assert body["includes"]["tweets"][0]["id"] == root["id"]
        assert ask["id"] == post["id"]

    def test_links_are_wrapped_in_tco_with_the_original_kept_in_entities(self, x):
        """URLs become t.co links in the text; entities keep expanded_url and display_url."""
        post = x.sb.post("drjane", "Read https://www.nejm.org/doi/full/10.1056/NEJMra2000000 today")
        body = x.client.get_tweet(post["id"], tweet_fields="entities").json()["data"]
        url = body["entities"]["urls"][0]
        assert body["text"] == f"Read {url['url']} today" and url["url"].startswith("https://t.co/")
        assert url["expanded_url"] == "https://www.nejm.org/doi/full/10.1056/NEJMra2000000"
        assert body["text"][url["start"]:url["end"]] == url["url"]

    def test_an_unknown_field_is_a_400(self, x):
        """A field value X does not know is refused with an invalid-request body."""
        with pytest.raises(tweepy.BadRequest) as caught:
            x.client.get_users_mentions(x.bot.id, user_auth=True, tweet_fields="colour")
        assert problem(caught.value)["type"] == "https://api.twitter.com/2/problems/invalid-request"
        assert "colour" in problem(caught.value)["errors"][0]["message"]


class TestEmptyAndPartialResults:
    def test_nothing_found_has_meta_and_no_data_key(self, x):
        """No mentions: exactly {"meta":{"result_count":0}}."""
        assert x.client.get_users_mentions(x.bot.id, user_auth=True).json() == {"meta": {"result_count": 0}}
        assert x.client.search_recent_tweets("nothing").json() == {"meta": {"result_count": 0}}

    def test_missing_posts_come_back_as_errors_with_status_200(self, x):
        """GET /2/tweets?ids= reports missing ids in errors; all missing gives only errors."""
        post = x.sb.post("drjane", "still here")
        gone = x.sb.post("drjane", "soon gone")
        x.sb.delete_post(gone["id"])
        response = x.client.get_tweets([post["id"], gone["id"]])
        assert response.status_code == 200
        body = response.json()
        assert [d["id"] for d in body["data"]] == [post["id"]]
        assert body["errors"] == [{
            "value": gone["id"], "detail": f"Could not find tweet with id: [{gone['id']}].",
            "title": "Not Found Error", "resource_type": "tweet", "parameter": "ids",
            "resource_id": gone["id"], "type": "https://api.twitter.com/2/problems/resource-not-found"}]
        validate(body, "Get2TweetsResponse")
        only = x.client.get_tweets([gone["id"]]).json()
        assert set(only) == {"errors"}

    def test_missing_users_come_back_as_errors(self, x):
        """Users lookups by id and by username report the unknown ones in errors."""
        body = x.client.get_users(usernames=["drjane", "nobody_here"]).json()
        assert [u["username"] for u in body["data"]] == ["drjane"]
        assert body["errors"][0]["value"] == "nobody_here" and body["errors"][0]["parameter"] == "usernames"
        validate(body, "Get2UsersByResponse")


class TestPostRules:
    def test_a_post_over_280_weighted_characters_is_a_400(self, x):
        """141 emoji (282) and 140 emoji + 1 letter (281) are refused with X's body; 140 emoji pass."""
        for text in ("\U0001F600" * 141, "\U0001F600" * 140 + "a"):
            with pytest.raises(tweepy.BadRequest) as caught:
                x.client.create_tweet(text=text, user_auth=True)
            assert problem(caught.value) == {
                "errors": [{"parameters": {"text": [text]},
                            "message": "Your Tweet text is too long. For more information on how Twitter "
                                       "determines text length see https://github.com/twitter/twitter-text."}],
                "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request"}
        assert x.client.create_tweet(text="\U0001F600" * 140, user_auth=True).status_code == 201
        assert [w["reason"] for w in x.sb.writes()] == ["too_long", "too_long", None]

    def test_a_reply_to_a_post_that_did_not_mention_the_bot_hits_the_reply_gate(self, x):
        """Replying to a hashtag-only post is a 403 with X's body; the write log says reply_gate."""
        post = x.sb.post("drjane", "Great day at #MedMentorMatch")
        with pytest.raises(tweepy.Forbidden) as caught:
            x.client.create_tweet(text="Thanks!", in_reply_to_tweet_id=post["id"], user_auth=True)
        assert problem(caught.value) == {
            "title": "Forbidden", "status": 403,
            "detail": "Reply to this conversation is not allowed because you have not been mentioned or "
                      "otherwise engaged by the author of the post you are replying to.",
            "type": "about:blank"}
        validate(problem(caught.value), "Problem")
        assert x.sb.writes()[-1]["refused"] is True and x.sb.writes()[-1]["reason"] == "reply_gate"
        assert x.sb.posts("MedMentorBot") == []

    def test_replies_are_allowed_when_the_author_engaged_the_bot(self, x):
        """A mention, a reply to the bot's post, and the bot's own thread all open the gate."""
        mention = x.sb.post("sam_ms3", "@MedMentorBot hi")
        root = x.sb.post("MedMentorBot", "Mentors wanted")
        answer = x.sb.post("drjane", "I'm in, 2 mentees", reply_to=root["id"])
        for parent, text in ((mention, "Hi Sam"), (answer, "Thanks Jane"), (root, "Thread 2/2")):
            assert x.client.create_tweet(text=text, in_reply_to_tweet_id=parent["id"],
                                         user_auth=True).status_code == 201

    def test_the_same_text_twice_is_a_duplicate(self, x):
        """Posting the same text again is a 403 duplicate; after deleting the first it is allowed."""
        first = x.client.create_tweet(text="Weekly call for mentors", user_auth=True).json()["data"]
        with pytest.raises(tweepy.Forbidden) as caught:
            x.client.create_tweet(text="  Weekly call for mentors ", user_auth=True)
        assert problem(caught.value) == {"detail": "You are not allowed to create a Tweet with duplicate content.",
                                         "type": "about:blank", "title": "Forbidden", "status": 403}
        assert x.sb.writes()[-1]["reason"] == "duplicate"
        x.client.delete_tweet(first["id"], user_auth=True)
        assert x.client.create_tweet(text="Weekly call for mentors", user_auth=True).status_code == 201

    def test_a_reply_to_a_missing_post_is_a_400(self, x):
        """in_reply_to_tweet_id of a deleted post is an invalid request."""
        post = x.sb.post("sam_ms3", "@MedMentorBot hello")
        x.sb.delete_post(post["id"])
        with pytest.raises(tweepy.BadRequest) as caught:
            x.client.create_tweet(text="Hi", in_reply_to_tweet_id=post["id"], user_auth=True)
        assert problem(caught.value)["type"] == "https://api.twitter.com/2/problems/invalid-request"

    def test_created_posts_appear_at_once_in_mentions_and_search(self, x):
        """A post created through the API is in the mentioned user's timeline and in search at once."""
        made = x.jane_client.create_tweet(text="@MedMentorBot count me in #MedMentorMatch", user_auth=True)
        pid = made.json()["data"]["id"]
        assert x.client.get_users_mentions(x.bot.id, user_auth=True).json()["data"][0]["id"] == pid
        x.clock.advance(1)
        assert x.client.search_recent_tweets("#MedMentorMatch").json()["data"][0]["id"] == pid

    def test_only_the_author_may_delete_and_missing_posts_are_404(self, x):
        """Deleting another's post is 403; deleting a missing one is a 404 Problem."""
        post = x.sb.post("drjane", "mine")
        with pytest.raises(tweepy.Forbidden):
            x.client.delete_tweet(post["id"], user_auth=True)
        with pytest.raises(tweepy.NotFound) as caught:
            x.client.delete_tweet("12345", user_auth=True)
        assert problem(caught.value)["type"] == "https://api.twitter.com/2/problems/resource-not-found"
        assert [w["reason"] for w in x.sb.writes()] == ["not_author", "not_found"]

    def test_reposting_twice_makes_one_repost(self, x):
        """A second repost is still {"retweeted": true} without a new post; the repost is in the timeline."""
        post = x.sb.post("sam_ms3", "Matched into cardiology! #MedMentorMatch")
        x.client.retweet(post["id"], user_auth=True)
        x.client.retweet(post["id"], user_auth=True)
        reposts = x.sb.posts("MedMentorBot")
        assert len(reposts) == 1 and reposts[0]["retweet_of"] == post["id"]
        timeline = x.client.get_users_tweets(x.bot.id, user_auth=True, tweet_fields="referenced_tweets").json()
        assert timeline["data"][0]["text"] == "RT @sam_ms3: Matched into cardiology! #MedMentorMatch"
        assert timeline["data"][0]["referenced_tweets"] == [{"type": "retweeted", "id": post["id"]}]
        assert [w["kind"] for w in x.sb.writes()] == ["repost", "repost"]


class TestTimelines:
    def test_protected_posts_stay_out_of_search_and_mentions_of_others(self, x):
        """A protected account's posts are invisible to others but visible to the account itself."""
        x.sb.update_user("drjane", protected=True)
        post = x.sb.post("drjane", "@MedMentorBot private #MedMentorMatch")
        x.clock.advance(1)
        assert x.client.get_users_mentions(x.bot.id, user_auth=True).json() == {"meta": {"result_count": 0}}
        assert x.client.search_recent_tweets("#MedMentorMatch").json() == {"meta": {"result_count": 0}}
        own = x.jane_client.search_recent_tweets("#MedMentorMatch", user_auth=True).json()
        assert own["data"][0]["id"] == post["id"]

    def test_search_covers_seven_days_and_never_returns_reposts(self, x):
        """Posts older than 7 days and reposts are not returned; a stale since_id is a 400."""
        old = x.sb.post("drjane", "#MedMentorMatch old news")
        x.clock.advance(8 * 86400)
        fresh = x.sb.post("sam_ms3", "#MedMentorMatch fresh")
        x.sb.repost("drjane", fresh["id"])
        x.clock.advance(60)
        body = x.client.search_recent_tweets("#MedMentorMatch").json()
        assert [p["id"] for p in body["data"]] == [fresh["id"]]
        with pytest.raises(tweepy.BadRequest) as caught:
            x.client.search_recent_tweets("#MedMentorMatch", since_id=old["id"])
        message = problem(caught.value)["errors"][0]["message"]
        assert message.startswith("'since_id' must be a tweet id created after 2026-01-06T08:01:00.000Z. "
                                  "Please use a 'since_id' that is larger than ")

    def test_an_invalid_query_is_a_400_with_the_parsers_message(self, x):
        """compile_query's QueryError becomes a 400 invalid-request."""
        with pytest.raises(tweepy.BadRequest) as caught:
            x.client.search_recent_tweets("a" * 513)
        assert problem(caught.value)["errors"][0]["parameters"] == {"query": ["a" * 513]}

    def test_since_id_returns_only_newer_mentions(self, x):
        """since_id excludes the post it names and everything older."""
        first = x.sb.post("sam_ms3", "@MedMentorBot one")
        second = x.sb.post("drjane", "@MedMentorBot two")
        body = x.client.get_users_mentions(x.bot.id, since_id=first["id"], user_auth=True).json()
        assert [p["id"] for p in body["data"]] == [second["id"]]
        assert body["meta"] == {"newest_id": second["id"], "oldest_id": second["id"], "result_count": 1}

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(count=st.integers(min_value=0, max_value=27), page=st.integers(min_value=5, max_value=12))
    def test_pagination_tokens_visit_every_post_once(self, count, page):
        """Following next_token through mentions and search visits each post exactly once, newest first."""
        clock = VirtualClock(START)
        sb = Sandbox(clock=clock, seed=1)
        bot = sb.create_user("MedMentorBot")
        sb.create_user("drjane")
        made = []
        for n in range(count):
            made.append(sb.post("drjane", f"@MedMentorBot #MedMentorMatch note {n}")["id"])
            clock.advance(7)
        clock.advance(60)
        with sb.serve() as server:
            client = tweepy_client(server.url, sb.app, bot)
            mentions = [p.id for r in tweepy.Paginator(client.get_users_mentions, bot.id, max_results=page,
                                                       user_auth=True) for p in (r.data or [])]
            found = [p.id for r in tweepy.Paginator(client.search_recent_tweets, "#MedMentorMatch",
                                                    max_results=max(page, 10)) for p in (r.data or [])]
        expected = [str(i) for i in reversed(made)]
        assert [str(i) for i in mentions] == expected
        assert [str(i) for i in found] == expected


class TestAdminApi:
    def test_users_posts_clock_and_logs_are_driven_over_http(self, x):
        """The admin API creates users and posts, advances the clock and exposes logs."""
        base = x.server.url + "/sandbox"
        made = requests.post(f"{base}/users", json={"username": "dr_ray", "description": "Surgery PGY4"})
        assert made.status_code == 201 and made.json()["access_token"].startswith(made.json()["id"] + "-")
        post = requests.post(f"{base}/posts", json={"author": "dr_ray", "text": "@MedMentorBot hi"}).json()
        assert requests.get(f"{base}/posts", params={"author": "dr_ray"}).json()["posts"] == [post]
        assert requests.patch(f"{base}/users/dr_ray", json={"protected": True}).json()["protected"] is True
        assert requests.post(f"{base}/clock/advance", json={"seconds": 90}).json()["now"] == \
            "2026-01-05T08:01:30.000Z"
        assert requests.get(f"{base}/app").json()["bearer_token"] == x.sb.app.bearer_token
        assert requests.delete(f"{base}/posts/{post['id']}").json() == {"deleted": True}
        assert requests.get(f"{base}/nope").status_code == 404
        assert set(requests.get(f"{base}/meter").json()) >= {"total_usd", "by_kind", "counts"}
        assert requests.get(f"{base}/writes").json() == {"writes": []}

    def test_env_lines_point_mentorbot_at_the_sandbox(self, x):
        """env_lines gives the six X_* variables for an account."""
        lines = dict(line.split("=", 1) for line in x.sb.env_lines(x.bot, x.server.url).splitlines())
        assert lines["X_API_BASE_URL"] == x.server.url
        assert lines["X_ACCESS_TOKEN"] == x.bot.access_token
        assert set(lines) == {"X_API_BASE_URL", "X_BEARER_TOKEN", "X_CONSUMER_KEY", "X_CONSUMER_SECRET",
                              "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"}

    def test_the_same_seed_gives_the_same_keys_and_ids(self):
        """Two sandboxes with one seed on virtual clocks make identical keys, tokens and post ids."""
        def build():
            sb = Sandbox(clock=VirtualClock(START), seed=42)
            acct = sb.create_user("MedMentorBot")
            return sb.app, acct, sb.post("MedMentorBot", "hello https://example.org")
        assert build() == build()
        assert Sandbox(seed=43).app != Sandbox(seed=42).app

    def test_run_forever_serves_until_stopped(self):
        """run_forever (the CLI's entry) serves in its thread and tells its URL and a stop function."""
        ready: dict = {}
        started = threading.Event()
        thread = threading.Thread(target=run_forever, args=(Sandbox(seed=1), "127.0.0.1", 0),
                                  kwargs={"on_ready": lambda url, stop: (ready.update(url=url, stop=stop),
                                                                         started.set())}, daemon=True)
        thread.start()
        assert started.wait(5)
        assert requests.get(ready["url"] + "/sandbox/clock", timeout=5).json()["virtual"] is False
        ready["stop"]()
        thread.join(5)
        assert not thread.is_alive()
