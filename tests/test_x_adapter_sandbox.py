"""XPlatform against the sandbox X server over loopback HTTP: tweepy, OAuth 1.0a and all."""
from __future__ import annotations

import logging
import time
from datetime import timezone

import pytest
from loguru import logger

from mentorbot.adapters.x_errors import APP_AUTH_HINT, USER_AUTH_HINT, WRITE_PERMISSION_HINT
from mentorbot.adapters.x_platform import XPlatform
from mentorbot.config.env import XCredentials
from mentorbot.domain.model import CallRecord
from mentorbot.errors import (AuthError, DuplicatePost, PlatformUnavailable, PostTooLong,
                              RateLimited, ReplyNotAllowed)
from mentorbot.ports import Platform
from mentorbot.sandbox import Sandbox

BIO = "Automated. Pairs #MedTwitter mentees with mentors. Run by @OrganizerDoc"


class World:
    """A sandbox with the bot and two people, served on loopback, and an XPlatform on it."""

    def __init__(self, **sandbox_options):
        self.sb = Sandbox(**sandbox_options)
        self.bot = self.sb.create_user("MedMentorBot", description=BIO)
        self.jane = self.sb.create_user("drjane", description="MS3 | future cardiologist")
        self.omar = self.sb.create_user("omar_md", description="Cardiology fellow, happy to mentor")
        self.server = self.sb.serve()
        self.records: list[CallRecord] = []

    def credentials(self, **changes) -> XCredentials:
        values = dict(bearer_token=self.sb.app.bearer_token, consumer_key=self.sb.app.consumer_key,
                      consumer_secret=self.sb.app.consumer_secret,
                      access_token=self.bot.access_token,
                      access_token_secret=self.bot.access_token_secret)
        return XCredentials(**{**values, **changes})

    def platform(self, **options) -> XPlatform:
        creds = options.pop("credentials", None) or self.credentials()
        return XPlatform(creds, base_url=self.server.url, observer=self.records.append, **options)


@pytest.fixture
def world():
    w = World()
    yield w
    w.server.close()


class TestReads:
    def test_me_is_the_bot_and_records_its_rate_limit(self, world):
        """me() returns the bot's account and rate_limits() shows the users/me window."""
        x = world.platform()
        assert isinstance(x, Platform)
        me = x.me()
        assert (me.id, me.username, me.description) == (world.bot.id, "MedMentorBot", BIO)
        limit = x.rate_limits()["GET /2/users/me"]
        assert limit.limit == 75 and limit.remaining == 74 and limit.reset_at > time.time()
        assert world.records[-1].endpoint == "GET /2/users/me" and world.records[-1].status == 200

    def test_mentions_carry_each_authors_bio(self, world):
        """A mentions page has the post's entities and its author's bio from includes.users."""
        sent = world.sb.post(world.jane, "@MedMentorBot #MedMentorMatch MS3 looking for a "
                                         "cardiology mentor")
        x = world.platform()
        page = x.mentions(world.bot.id)
        [post] = page.posts
        assert post.id == sent["id"] and post.author_id == world.jane.id
        assert post.mentions == ("medmentorbot",) and post.hashtags == ("medmentormatch",)
        assert post.created_at is not None and post.created_at.tzinfo is not None
        assert page.author(post).description == "MS3 | future cardiologist"
        assert page.newest_id == post.id
        record = world.records[-1]
        assert record.endpoint == "GET /2/users/:id/mentions" and record.owned
        assert record.post_reads == (post.id,) and world.jane.id in record.user_reads

    def test_replies_to_the_bots_posts_arrive_with_their_parent(self, world):
        """A reply to the bot's call shows replied_to_id and in_reply_to_user_id."""
        call = world.sb.post(world.bot, "Call for mentors: reply if you are in #MedMentorMatch")
        reply = world.sb.post(world.omar, "I'm in, happy to take 2 mentees", reply_to=call["id"])
        [post] = world.platform().mentions(world.bot.id).posts
        assert (post.id, post.replied_to_id) == (reply["id"], call["id"])
        assert post.in_reply_to_user_id == world.bot.id

    def test_iter_mentions_follows_every_page_and_since_id(self, world):
        """12 mentions in pages of 5 arrive as 3 pages, newest first; since_id cuts older ones."""
        ids = [world.sb.post(world.jane, f"@MedMentorBot note {n}")["id"] for n in range(12)]
        x = world.platform()
        pages = list(x.iter_mentions(world.bot.id, max_results=5))
        assert [len(p.posts) for p in pages] == [5, 5, 2]
        got = [post.id for page in pages for post in page.posts]
        assert got == list(reversed(ids))
        assert pages[-1].next_token is None
        newer = [p.id for page in x.iter_mentions(world.bot.id, since_id=ids[8]) for p in page.posts]
        assert newer == list(reversed(ids[9:]))

    def test_search_uses_the_bearer_token_and_pages(self, world):
        """iter_search_recent over 12 hashtag posts gives two pages of 10 and 2."""
        for n in range(12):
            world.sb.post(world.omar if n % 2 else world.jane, f"Matched! #MedMentorMatch win {n}")
        x = world.platform()
        pages = list(x.iter_search_recent("#MedMentorMatch", max_results=10))
        assert [len(p.posts) for p in pages] == [10, 2]
        assert all("medmentormatch" in p.hashtags for page in pages for p in page.posts)
        assert set(pages[0].users) == {world.jane.id, world.omar.id}
        assert not world.records[-1].owned
        assert "GET /2/tweets/search/recent" in x.rate_limits()

    def test_post_lookup_chunks_and_lists_missing_ids(self, world):
        """posts() of 150 ids makes two calls and reports the ids that do not exist."""
        real = [world.sb.post(world.jane, f"post {n}")["id"] for n in range(3)]
        ghosts = [str(10**15 + n) for n in range(147)]
        before = len(world.records)
        page = world.platform().posts(real + ghosts)
        assert sorted(p.id for p in page.posts) == sorted(real)
        assert set(page.missing) == set(ghosts)
        assert [r.endpoint for r in world.records[before:]] == ["GET /2/tweets"] * 2

    def test_users_by_id_and_by_username(self, world):
        """users() looks up by id and by username, with bios."""
        found = world.platform().users([world.jane.id], usernames=["omar_md"])
        assert [(u.username, u.description) for u in found] == [
            ("drjane", "MS3 | future cardiologist"), ("omar_md", "Cardiology fellow, happy to mentor")]


class TestWrites:
    def test_post_reply_repost_undo_delete(self, world):
        """Every write works and the observer records its kind; own_posts shows them."""
        mention = world.sb.post(world.jane, "@MedMentorBot #MedMentorMatch I matched into cardiology!")
        x = world.platform()
        created = x.create_post("Welcome to #MedMentorMatch week 1")
        reply = x.create_post("Got it, @drjane: registered as a mentee.", in_reply_to=mention["id"])
        assert created.text == "Welcome to #MedMentorMatch week 1" and created.id.isdigit()
        assert x.repost(world.bot.id, mention["id"]) is True
        own = x.own_posts(world.bot.id)
        assert {created.id, reply.id} <= {p.id for p in own.posts}
        assert any(p.retweeted_id == mention["id"] for p in own.posts)
        assert world.records[-1].owned
        assert x.undo_repost(world.bot.id, mention["id"]) is True
        assert x.delete_post(created.id) is True
        assert x.posts([created.id]).missing == (created.id,)
        writes = [r.write for r in world.records if r.write]
        assert writes == ["post", "reply", "repost", "undo_repost", "delete"]
        assert "POST /2/tweets" in x.rate_limits()

    def test_an_observer_that_fails_does_not_break_the_call(self, world):
        """A raising observer is logged; the post is still created."""
        def broken(record):
            raise RuntimeError("meter down")
        x = XPlatform(world.credentials(), base_url=world.server.url, observer=broken)
        assert x.create_post("still posted").text == "still posted"


class TestErrorsOverHttp:
    def test_a_wrong_signature_is_an_auth_error(self, world):
        """A wrong consumer secret makes a bad OAuth signature: AuthError 401, user hint."""
        x = world.platform(credentials=world.credentials(consumer_secret="not-the-secret"))
        with pytest.raises(AuthError) as caught:
            x.me()
        assert caught.value.status == 401 and caught.value.hint == USER_AUTH_HINT

    def test_a_wrong_bearer_token_is_an_auth_error_naming_it(self, world):
        """A wrong bearer token fails search with the X_BEARER_TOKEN hint."""
        x = world.platform(credentials=world.credentials(bearer_token="wrong-bearer"))
        with pytest.raises(AuthError) as caught:
            x.search_recent("#MedMentorMatch")
        assert caught.value.status == 401 and caught.value.hint == APP_AUTH_HINT

    def test_missing_user_credentials_fail_before_any_request(self, world):
        """Without access tokens a write is an AuthError and nothing is sent."""
        x = world.platform(credentials=world.credentials(access_token="", access_token_secret=""))
        with pytest.raises(AuthError, match="X_ACCESS_TOKEN"):
            x.create_post("hello")
        assert world.records == [] and world.sb.writes() == []

    def test_a_281_character_post_is_too_long(self, world):
        """281 weighted characters: PostTooLong (400)."""
        with pytest.raises(PostTooLong) as caught:
            world.platform().create_post("a" * 281)
        assert caught.value.status == 400
        assert world.records[-1].status == 400 and world.records[-1].write is None

    def test_the_reply_gate(self, world):
        """Replying to a post that did not mention the bot: ReplyNotAllowed (403)."""
        unsolicited = world.sb.post(world.jane, "Matched into cardiology! #MedMentorMatch")
        with pytest.raises(ReplyNotAllowed) as caught:
            world.platform().create_post("Congratulations!", in_reply_to=unsolicited["id"])
        assert caught.value.status == 403

    def test_duplicate_content(self, world):
        """The same text twice: DuplicatePost (403)."""
        x = world.platform()
        x.create_post("Call for mentors #MedMentorMatch")
        with pytest.raises(DuplicatePost) as caught:
            x.create_post("Call for mentors #MedMentorMatch")
        assert caught.value.status == 403

    def test_a_read_only_token_cannot_write(self, world):
        """A token without write permission: AuthError telling how to fix the app."""
        reader = world.sb.create_user("ReadOnlyBot", read_only=True)
        x = world.platform(credentials=world.credentials(
            access_token=reader.access_token, access_token_secret=reader.access_token_secret))
        with pytest.raises(AuthError) as caught:
            x.create_post("hello")
        assert caught.value.status == 403 and caught.value.hint == WRITE_PERMISSION_HINT

    def test_rate_limit_gives_retry_at(self):
        """Past the window: RateLimited whose retry_at is the window's reset."""
        w = World(rate_limits={"GET /2/users/me": 2})
        try:
            x = w.platform()
            x.me(), x.me()
            with pytest.raises(RateLimited) as caught:
                x.me()
            limit = x.rate_limits()["GET /2/users/me"]
            assert caught.value.status == 429 and limit.remaining == 0
            assert caught.value.retry_at == limit.reset_at > time.time()
            assert w.records[-1].status == 429
        finally:
            w.server.close()

    def test_server_errors_and_timeouts_are_unavailable(self, world):
        """A 503 fault keeps its status; a held response beyond the timeout has none."""
        x = world.platform(timeout=0.3)
        world.sb.set_faults(rate=1.0, kinds=["503"])
        with pytest.raises(PlatformUnavailable) as caught:
            x.me()
        assert caught.value.status == 503
        world.sb.set_faults(rate=1.0, kinds=["timeout"], hold_seconds=0.8)
        started = time.monotonic()
        with pytest.raises(PlatformUnavailable, match="timed out") as caught:
            x.me()
        assert caught.value.status is None and time.monotonic() - started < 0.75
        assert world.records[-1].status is None
        world.sb.set_faults(rate=0)


class TestNoSecretsInLogs:
    def test_debug_logging_everywhere_shows_no_secret(self, world):
        """With loguru and std logging at DEBUG, a session's log output has no token or key."""
        lines: list[str] = []
        sink = logger.add(lambda m: lines.append(str(m)), level="DEBUG")
        handler = logging.Handler(level=logging.DEBUG)
        handler.emit = lambda record: lines.append(record.getMessage())
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            x = world.platform()
            world.sb.post(world.jane, "@MedMentorBot hello")
            x.mentions(world.bot.id)
            x.search_recent("hello")
            x.create_post("logged post")
            with pytest.raises(AuthError):
                world.platform(credentials=world.credentials(bearer_token="b" * 20)).search_recent("x")
        finally:
            logger.remove(sink)
            root.removeHandler(handler)
            root.setLevel(old_level)
        text = "\n".join(lines)
        assert "GET /2/users/:id/mentions" in text  # the adapter's own debug line is there
        for secret in world.credentials().values() + ["b" * 20]:
            assert secret not in text


def test_created_at_is_utc(world):
    """Times from the sandbox parse as aware UTC datetimes."""
    world.sb.post(world.jane, "@MedMentorBot hi")
    [post] = world.platform().mentions(world.bot.id).posts
    assert post.created_at.utcoffset() == timezone.utc.utcoffset(None)
