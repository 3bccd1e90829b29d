"""Conformance: every sandbox endpoint, driven through the real X adapter (tweepy over HTTP),
answers with bodies that validate against X's official OpenAPI spec, successes and errors alike.

Each response the adapter receives is captured from its requests session, matched to the spec's
operation by method and path template, and validated against the schema the spec declares for
that status (or the ``default`` Error/Problem schemas, following the Problem ``type``
discriminator, which Draft 7 does not follow by itself).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mentorbot.adapters.x_platform import XPlatform
from mentorbot.config.env import XCredentials
from mentorbot.errors import (AuthError, DuplicatePost, NotFound, PostTooLong, RateLimited,
                              ReplyNotAllowed)
from mentorbot.sandbox import Sandbox

SPEC_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "x-api" / "openapi.json"
pytestmark = pytest.mark.skipif(not SPEC_PATH.is_file(),
                                reason=f"X's OpenAPI spec is not at {SPEC_PATH} (../shared is absent)")

jsonschema = pytest.importorskip("jsonschema")


@dataclass
class Captured:
    method: str
    path: str
    status: int
    body: dict


class Spec:
    def __init__(self, path: Path):
        self.doc = json.loads(path.read_text())
        self._routes = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), template)
                        for template in self.doc["paths"]]

    def operation(self, method: str, path: str) -> tuple[str, dict]:
        matches = [t for rx, t in self._routes if rx.match(path)
                   and method.lower() in self.doc["paths"][t]]
        assert matches, f"{method} {path} is not an operation of X's API"
        template = min(matches, key=lambda t: t.count("{"))  # literal segments win over params
        return template, self.doc["paths"][template][method.lower()]

    def validator(self, ref: str):
        return jsonschema.Draft7Validator({"$ref": ref, "components": self.doc["components"]})

    def check(self, response: Captured) -> str:
        """Validate one response; return the schema name it was checked against."""
        template, op = self.operation(response.method, response.path)
        declared = op["responses"].get(str(response.status)) or op["responses"]["default"]
        content = declared["content"]
        if 200 <= response.status < 300:
            ref = content["application/json"]["schema"]["$ref"]
        elif "type" in response.body and "title" in response.body:
            ref = content["application/problem+json"]["schema"]["$ref"]  # a Problem
            problem = self.doc["components"]["schemas"]["Problem"]
            mapped = problem["discriminator"]["mapping"].get(response.body["type"])
            if mapped:  # credits-depleted (pay-per-use, 2026) postdates the spec: base Problem only
                self.validator(mapped).validate(response.body)
        else:
            ref = content["application/json"]["schema"]["$ref"]  # X's older Error envelope
        self.validator(ref).validate(response.body)
        return f"{response.method} {template} {response.status} -> {ref.rsplit('/', 1)[-1]}"


@pytest.fixture(scope="module")
def spec() -> Spec:
    return Spec(SPEC_PATH)


class World:
    def __init__(self, **options):
        self.sb = Sandbox(**options)
        self.bot = self.sb.create_user("MedMentorBot", description="Automated. Run by @OrganizerDoc")
        self.jane = self.sb.create_user("drjane", description="MS3 | future cardiologist #CardioTwitter")
        self.omar = self.sb.create_user("omar_md", description="Cardiology fellow")
        self.server = self.sb.serve()
        self.captured: list[Captured] = []

    def platform(self, **changes) -> XPlatform:
        creds = dict(bearer_token=self.sb.app.bearer_token, consumer_key=self.sb.app.consumer_key,
                     consumer_secret=self.sb.app.consumer_secret, access_token=self.bot.access_token,
                     access_token_secret=self.bot.access_token_secret)
        x = XPlatform(XCredentials(**{**creds, **changes}), base_url=self.server.url)
        x.session.hooks["response"].append(self._capture)
        return x

    def _capture(self, response, *args, **kwargs):
        self.captured.append(Captured(response.request.method, urlsplit(response.url).path,
                                      response.status_code, response.json()))


@pytest.fixture
def world():
    w = World(rate_limits={"GET /2/users/:id/tweets": 3})
    yield w
    w.server.close()


def test_every_endpoint_and_error_validates_against_the_spec(world: World, spec: Spec) -> None:
    """Drive each endpoint through XPlatform, successes and each documented error, and validate all."""
    x = world.platform()
    bot = x.me()
    ask = world.sb.post("drjane", "@MedMentorBot #MedMentorMatch MS3 looking for a cardiology mentor")
    world.sb.post("omar_md", "Great grand rounds today #MedMentorMatch")
    # reads
    page = x.mentions(bot.id)
    assert [p.id for p in page.posts] == [ask["id"]]
    assert x.search_recent("#MedMentorMatch -is:retweet").posts
    assert x.posts([ask["id"], "1"]).missing == ("1",)
    assert {u.username for u in x.users([world.jane.id])} == {"drjane"}
    assert {u.username for u in x.users(usernames=["omar_md", "nobody_here"])} == {"omar_md"}
    # writes
    reply = x.create_post("Welcome @drjane! You're in as a mentee.", in_reply_to=ask["id"])
    post = x.create_post("Calling all #MedMentorMatch mentors: reply to join!")
    assert x.repost(bot.id, ask["id"]) and x.undo_repost(bot.id, ask["id"])  # True: no longer reposted
    assert x.own_posts(bot.id).posts
    assert x.delete_post(post.id)
    # errors
    with pytest.raises(PostTooLong):
        x.create_post("😀" * 141)
    other = world.sb.post("omar_md", "No mention of the bot here #MedMentorMatch")
    with pytest.raises(ReplyNotAllowed):
        x.create_post("Unsolicited reply", in_reply_to=other["id"])
    with pytest.raises(DuplicatePost):
        x.create_post("Welcome @drjane! You're in as a mentee.", in_reply_to=ask["id"])
    with pytest.raises(NotFound):
        x.delete_post("999")
    with pytest.raises(RateLimited):
        for _ in range(5):
            x.own_posts(bot.id)
    with pytest.raises(AuthError):
        world.platform(consumer_secret="wrong").me()
    with pytest.raises(AuthError):
        world.platform(bearer_token="wrong").search_recent("#MedMentorMatch")

    checked = [spec.check(c) for c in world.captured]
    statuses = {c.status for c in world.captured}
    assert {200, 201, 400, 401, 403, 404, 429} <= statuses, checked
    routes = {line.rsplit(" ", 3)[0] for line in checked}
    assert routes >= {
        "GET /2/users/me", "GET /2/users/{id}/mentions", "GET /2/tweets/search/recent", "GET /2/tweets",
        "GET /2/users", "GET /2/users/by", "GET /2/users/{id}/tweets", "POST /2/tweets",
        "DELETE /2/tweets/{id}", "POST /2/users/{id}/retweets",
        "DELETE /2/users/{id}/retweets/{source_tweet_id}"}, checked
    assert reply.id and bot.username == "MedMentorBot"


def test_credits_depleted_and_server_errors_validate_too(spec: Spec) -> None:
    """402 credits-depleted and 503 outage bodies validate as Problems."""
    world = World(spending_limit_usd=0.02)
    try:
        x = world.platform()
        bot = x.me()
        with pytest.raises(Exception):
            for n in range(5):
                x.create_post(f"Post number {n} for the meter")
        world.sb.set_faults(rate=1.0, kinds=("503",), seed=1)
        assert any(c.status == 402 for c in world.captured)
        checked = [spec.check(c) for c in world.captured]
        assert any(" 402 " in line for line in checked) and bot.id
    finally:
        world.server.close()
    world = World()
    try:
        x = world.platform()
        world.sb.set_faults(rate=1.0, kinds=("503",), seed=1)
        with pytest.raises(Exception):
            x.me()
        assert [c.status for c in world.captured] == [503]
        spec.check(world.captured[0])
    finally:
        world.server.close()
