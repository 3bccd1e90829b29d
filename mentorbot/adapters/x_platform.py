"""The X adapter: the Platform port over ``tweepy.Client`` (X API v2).

One ``tweepy.Client`` returns raw ``requests.Response`` objects so that the adapter sees the
rate-limit headers and parses bodies itself (``x_payloads``); errors are mapped in one place
(``x_errors``). A session adapter mounted for ``https://api.twitter.com`` gives every call a
timeout and, with ``base_url``, sends it to another server (the sandbox): the OAuth 1.0a
signature stays computed for the canonical X URL, which the sandbox accepts.

tweepy, requests-oauthlib and oauthlib log request headers (bearer token, OAuth header) at
DEBUG on the standard ``logging`` module: creating an ``XPlatform`` raises those loggers to
INFO so that no configuration can route a secret to output.
"""
from __future__ import annotations

import ipaddress
import logging
import time
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import urlsplit

import requests
import tweepy
from loguru import logger
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies

from ..config.env import XCredentials
from ..domain.model import CallRecord, CreatedPost, Page, RateLimit, User
from ..domain.pricing import has_url
from ..errors import AuthError, PlatformError
from .x_errors import APP_AUTH_HINT, USER_AUTH_HINT, map_error
from .x_payloads import (decode_body, parse_created, parse_flag, parse_page, parse_rate_limit,
                         parse_users, read_ids)

__all__ = ["XPlatform", "RedirectingAdapter", "CANONICAL_HOST", "EXPANSIONS", "TWEET_FIELDS", "USER_FIELDS"]

CANONICAL_HOST = "https://api.twitter.com"
EXPANSIONS = "author_id,referenced_tweets.id,in_reply_to_user_id"
USER_FIELDS = "description,name,username,protected,created_at"
TWEET_FIELDS = ("created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,"
                "entities,lang")
_POST_PARAMS = {"expansions": EXPANSIONS, "user_fields": USER_FIELDS, "tweet_fields": TWEET_FIELDS}
_CHUNK = 100
_SECRET_LOGGERS = ("tweepy", "requests_oauthlib", "oauthlib")


class XPlatform:
    """The bot's X account through tweepy; implements :class:`mentorbot.ports.Platform`."""

    def __init__(self, credentials: XCredentials, *, base_url: str | None = None,
                 timeout: float = 10.0, observer: Callable[[CallRecord], None] | None = None,
                 time_source: Callable[[], float] = time.time):
        _silence_secret_loggers()
        self._credentials = credentials
        self._observer = observer
        self._now = time_source
        self._limits: dict[str, RateLimit] = {}
        self._own_id = credentials.user_id
        self._client = tweepy.Client(
            bearer_token=credentials.bearer_token or None,
            consumer_key=credentials.consumer_key or None,
            consumer_secret=credentials.consumer_secret or None,
            access_token=credentials.access_token or None,
            access_token_secret=credentials.access_token_secret or None,
            return_type=requests.Response, wait_on_rate_limit=False)
        self._client.session.mount(CANONICAL_HOST + "/", RedirectingAdapter(base_url, timeout))

    # --- reads -----------------------------------------------------------------------------

    def me(self) -> User:
        body = self._call("GET /2/users/me", user_auth=True, owned=True,
                          send=lambda: self._client.get_me(user_auth=True, user_fields=USER_FIELDS))
        users, _ = parse_users(body)
        if not users:
            raise PlatformError("GET /2/users/me: the response carried no user")
        self._own_id = users[0].id
        return users[0]

    def mentions(self, user_id: str, *, since_id: str | None = None,
                 max_results: int = 100, pagination_token: str | None = None) -> Page:
        own = self._is_own(user_id)
        user_auth = own or not self._credentials.bearer_token
        body = self._call(
            "GET /2/users/:id/mentions", user_auth=user_auth, owned=own,
            send=lambda: self._client.get_users_mentions(
                user_id, user_auth=user_auth, since_id=since_id,
                max_results=_clamp(max_results, 5), pagination_token=pagination_token,
                **_POST_PARAMS))
        return parse_page(body)

    def iter_mentions(self, user_id: str, *, since_id: str | None = None,
                      max_results: int = 100) -> Iterator[Page]:
        return _follow(lambda token: self.mentions(user_id, since_id=since_id,
                                                   max_results=max_results,
                                                   pagination_token=token))

    def search_recent(self, query: str, *, since_id: str | None = None,
                      max_results: int = 100, next_token: str | None = None) -> Page:
        user_auth = not self._credentials.bearer_token
        body = self._call(
            "GET /2/tweets/search/recent", user_auth=user_auth,
            send=lambda: self._client.search_recent_tweets(
                query, user_auth=user_auth, since_id=since_id,
                max_results=_clamp(max_results, 10), next_token=next_token, **_POST_PARAMS))
        return parse_page(body)

    def iter_search_recent(self, query: str, *, since_id: str | None = None,
                           max_results: int = 100) -> Iterator[Page]:
        return _follow(lambda token: self.search_recent(query, since_id=since_id,
                                                        max_results=max_results,
                                                        next_token=token))

    def posts(self, ids: Sequence[str]) -> Page:
        user_auth = not self._credentials.bearer_token
        pages = [parse_page(self._call(
            "GET /2/tweets", user_auth=user_auth,
            send=lambda chunk=chunk: self._client.get_tweets(chunk, user_auth=user_auth,
                                                             **_POST_PARAMS)))
            for chunk in _chunks(ids)]
        return _merge(pages)

    def users(self, ids: Sequence[str] = (), *, usernames: Sequence[str] = ()) -> list[User]:
        user_auth = not self._credentials.bearer_token
        found: list[User] = []
        for endpoint, key, values in (("GET /2/users", "ids", ids),
                                      ("GET /2/users/by", "usernames", usernames)):
            for chunk in _chunks(values):
                body = self._call(endpoint, user_auth=user_auth,
                                  send=lambda key=key, chunk=chunk: self._client.get_users(
                                      **{key: chunk}, user_auth=user_auth,
                                      user_fields=USER_FIELDS))
                found.extend(parse_users(body)[0])
        return found

    def own_posts(self, user_id: str, *, since_id: str | None = None,
                  max_results: int = 100) -> Page:
        own = self._is_own(user_id)
        user_auth = own or not self._credentials.bearer_token
        body = self._call(
            "GET /2/users/:id/tweets", user_auth=user_auth, owned=own,
            send=lambda: self._client.get_users_tweets(
                user_id, user_auth=user_auth, since_id=since_id,
                max_results=_clamp(max_results, 5), **_POST_PARAMS))
        return parse_page(body)

    # --- writes (always OAuth 1.0a user context) -------------------------------------------

    def create_post(self, text: str, *, in_reply_to: str | None = None,
                    summoned: bool = True) -> CreatedPost:
        kind = "reply" if in_reply_to and summoned else "post"  # what X charges it as
        body = self._call("POST /2/tweets", user_auth=True,
                          write=f"{kind}_url" if has_url(text) else kind,  # a link costs 0.20
                          send=lambda: self._client.create_tweet(
                              text=text, in_reply_to_tweet_id=in_reply_to, user_auth=True))
        return parse_created(body)

    def repost(self, user_id: str, post_id: str) -> bool:
        # tweepy.Client.retweet takes the user id from the access token; the port names it.
        body = self._call("POST /2/users/:id/retweets", user_auth=True, write="repost",
                          send=lambda: self._client.request(
                              "POST", f"/2/users/{user_id}/retweets",
                              json={"tweet_id": str(post_id)}, user_auth=True))
        return parse_flag(body, "retweeted")

    def undo_repost(self, user_id: str, post_id: str) -> bool:
        body = self._call("DELETE /2/users/:id/retweets/:source_tweet_id", user_auth=True,
                          write="undo_repost",
                          send=lambda: self._client.request(
                              "DELETE", f"/2/users/{user_id}/retweets/{post_id}",
                              user_auth=True))
        return not parse_flag(body, "retweeted")

    def delete_post(self, post_id: str) -> bool:
        body = self._call("DELETE /2/tweets/:id", user_auth=True, write="delete",
                          send=lambda: self._client.delete_tweet(post_id, user_auth=True))
        return parse_flag(body, "deleted")

    def rate_limits(self) -> dict[str, RateLimit]:
        return dict(self._limits)

    @property
    def session(self) -> requests.Session:
        """The underlying requests session (tests hook its responses to check them against X's spec)."""
        return self._client.session

    # --- the one call path -----------------------------------------------------------------

    def _call(self, endpoint: str, *, send: Callable[[], requests.Response], user_auth: bool,
              owned: bool = False, write: str | None = None) -> dict[str, Any]:
        """Send one request; record limits, tell the observer, log, map errors."""
        self._check_credentials(endpoint, user_auth)
        started = time.monotonic()
        response: requests.Response | None = None
        error: PlatformError | None = None
        body: dict[str, Any] | None = None
        try:
            response = send()
            body = decode_body(response.content)
        except PlatformError as exc:  # a 2xx whose body is not a JSON object
            error = exc
        except (tweepy.HTTPException, requests.RequestException) as exc:
            response = getattr(exc, "response", None) if isinstance(
                exc, tweepy.HTTPException) else None
            error = map_error(exc, user_auth=user_auth, endpoint=endpoint,
                              secrets=self._credentials.values())
            error.__cause__ = exc
        status = response.status_code if response is not None else None
        logger.debug("X {} -> {} in {:.0f} ms", endpoint, status if status else "no response",
                     (time.monotonic() - started) * 1000)
        if response is not None:
            limit = parse_rate_limit(endpoint, response.headers)
            if limit is not None:
                self._limits[endpoint] = limit
        posts, users = read_ids(body) if endpoint.startswith("GET ") else ((), ())
        self._notify(CallRecord(endpoint=endpoint, status=status, at=self._now(),
                                post_reads=posts, user_reads=users, owned=owned,
                                write=write if error is None else None))
        if error is not None:
            raise error
        assert body is not None
        return body

    def _check_credentials(self, endpoint: str, user_auth: bool) -> None:
        creds = self._credentials
        if user_auth and not all((creds.consumer_key, creds.consumer_secret,
                                  creds.access_token, creds.access_token_secret)):
            raise AuthError(f"{endpoint}: user credentials are not set", hint=USER_AUTH_HINT)
        if not user_auth and not creds.bearer_token:
            raise AuthError(f"{endpoint}: no bearer token is set", hint=APP_AUTH_HINT)

    def _notify(self, record: CallRecord) -> None:
        if self._observer is None:
            return
        try:
            self._observer(record)
        except Exception as exc:  # metering must never break a call
            # No traceback: loguru's diagnose mode would print the frames' local values.
            logger.error("call observer failed on {}: {!r}", record.endpoint, exc)

    def _is_own(self, user_id: str) -> bool:
        """Whether ``user_id`` is the bot (asks ``/2/users/me`` once if the token doesn't say)."""
        if self._own_id is None and self._credentials.access_token:
            self.me()
        return str(user_id) == self._own_id


class RedirectingAdapter(HTTPAdapter):
    """Gives every request a default timeout and, with ``base_url``, another host.

    The rewrite happens after OAuth 1.0a signing, so the signature is for the canonical URL.
    """

    def __init__(self, base_url: str | None, timeout: float):
        super().__init__()
        self._base_url = base_url.rstrip("/") if base_url else None
        self._timeout = timeout
        host = urlsplit(self._base_url).hostname if self._base_url else None
        self._loopback = host == "localhost" or _is_loopback_ip(host)

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        if self._base_url and request.url.startswith(CANONICAL_HOST):
            request.url = self._base_url + request.url[len(CANONICAL_HOST):]
            # Proxies were chosen for api.twitter.com; choose again for the new address,
            # and never proxy a loopback sandbox.
            proxies = {} if self._loopback else get_environ_proxies(request.url)
        return super().send(request, stream=stream, verify=verify, cert=cert, proxies=proxies,
                            timeout=self._timeout if timeout is None else timeout)


def _is_loopback_ip(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _silence_secret_loggers() -> None:
    for name in _SECRET_LOGGERS:
        log = logging.getLogger(name)
        if log.level < logging.INFO:  # NOTSET (0) would follow a root logger set to DEBUG
            log.setLevel(logging.INFO)


def _clamp(max_results: int, low: int) -> int:
    """X rejects page sizes outside [low, 100] with a 400; ask for the nearest valid size."""
    return max(low, min(100, int(max_results)))


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    values = [str(value) for value in values]
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _follow(fetch: Callable[[str | None], Page]) -> Iterator[Page]:
    """Pages from ``fetch(token)`` until there is no next token (or X repeats one)."""
    token: str | None = None
    seen: set[str] = set()
    while True:
        page = fetch(token)
        yield page
        token = page.next_token
        if token is None or token in seen:
            return
        seen.add(token)


def _merge(pages: list[Page]) -> Page:
    if len(pages) == 1:
        return pages[0]
    users: dict[str, User] = {}
    for page in pages:
        users.update(page.users)
    return Page(posts=tuple(post for page in pages for post in page.posts), users=users,
                missing=tuple(missing for page in pages for missing in page.missing))
