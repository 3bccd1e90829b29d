"""Mapping X's error responses to mentorbot errors, with the exceptions tweepy really raises.

Each case sends a request through a real ``tweepy.Client`` whose session answers with a
``requests.Response`` built in-process (README bodies and headers), so the exception is the one
``BaseClient.request`` raises, then maps it.
"""
from __future__ import annotations

import json

import pytest
import requests
import tweepy
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from mentorbot.adapters.x_errors import (APP_AUTH_HINT, USER_AUTH_HINT, WRITE_PERMISSION_HINT,
                                         map_error)
from mentorbot.errors import (AuthError, CreditsExhausted, DuplicatePost, InvalidRequest,
                              NotFound, PlatformError, PlatformUnavailable, PostTooLong,
                              RateLimited, Refused, ReplyNotAllowed, UsageCapped)

SECRETS = {"bearer_token": "AAAAbearerSECRET0001", "consumer_key": "ckSECRET0002",
           "consumer_secret": "csSECRET0003", "access_token": "42-atSECRET0004",
           "access_token_secret": "atsSECRET0005"}
PROBLEMS = "https://api.twitter.com/2/problems/"
RESET = 1_900_000_000
LIMIT_HEADERS = {"x-rate-limit-limit": "300", "x-rate-limit-remaining": "0",
                 "x-rate-limit-reset": str(RESET)}


class _Canned(BaseAdapter):
    """A transport that answers every request with one prepared response (or raises)."""

    def __init__(self, status: int, body: object, headers: dict[str, str] | None = None,
                 raise_: Exception | None = None):
        super().__init__()
        self.status, self.body, self.headers, self.raise_ = status, body, headers or {}, raise_

    def send(self, request, **kwargs):
        if self.raise_ is not None:
            raise self.raise_
        response = requests.Response()
        response.status_code = self.status
        response.reason = requests.status_codes._codes[self.status][0].replace("_", " ").title()
        response.headers = CaseInsensitiveDict({"content-type": "application/json", **self.headers})
        response._content = (self.body if isinstance(self.body, bytes)
                             else json.dumps(self.body).encode())
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self):
        pass


def _raised(status: int, body: object, headers: dict[str, str] | None = None, *,
            user_auth: bool = True, raise_: Exception | None = None) -> BaseException:
    """The exception tweepy raises for this response to a call made with real secrets."""
    client = tweepy.Client(**SECRETS, return_type=requests.Response)
    client.session.mount("https://", _Canned(status, body, headers, raise_))
    with pytest.raises(Exception) as caught:
        client.request("POST" if user_auth else "GET", "/2/tweets", json={"text": "hi"},
                       user_auth=user_auth)
    return caught.value


def _mapped(status: int, body: object, headers: dict[str, str] | None = None, *,
            user_auth: bool = True, raise_: Exception | None = None) -> PlatformError:
    exc = _raised(status, body, headers, user_auth=user_auth, raise_=raise_)
    error = map_error(exc, user_auth=user_auth, endpoint="POST /2/tweets",
                      secrets=SECRETS.values())
    for secret in SECRETS.values():
        assert secret not in str(error) and secret not in repr(error)
    return error


INVALID = {"errors": [{"parameters": {"max_results": ["5"]}, "message":
                       "The `max_results` query parameter value [5] is not between 10 and 100"}],
           "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
           "type": PROBLEMS + "invalid-request"}
STALE_SINCE = {"errors": [{"parameters": {"since_id": ["1"]}, "message":
                           "'since_id' must be a tweet id created after 2026-11-13T00:00:00Z. "
                           "Please use a 'since_id' that is larger than 1856000000000000000"}],
               "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
               "type": PROBLEMS + "invalid-request"}
TOO_LONG = {"errors": [{"message": "Your Tweet text is too long. For more information on how "
                                   "Twitter determines text length see "
                                   "https://github.com/twitter/twitter-text."}],
            "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
            "type": PROBLEMS + "invalid-request"}
UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
DUPLICATE = {"detail": "You are not allowed to create a Tweet with duplicate content.",
             "type": "about:blank", "title": "Forbidden", "status": 403}
REPLY_GATE = {"title": "Forbidden", "status": 403, "detail": (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise "
    "engaged by the author of the post you are replying to."), "type": "about:blank"}
NO_WRITE = {"title": "Forbidden", "status": 403, "type": PROBLEMS + "oauth1-permissions",
            "detail": "Your client app is not configured with the appropriate oauth1 app "
                      "permissions for this endpoint."}
UNSUPPORTED = {"title": "Unsupported Authentication", "status": 403,
               "type": PROBLEMS + "unsupported-authentication",
               "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                         "endpoint.  Supported authentication types are [OAuth 1.0a User Context, "
                         "OAuth 2.0 User Context]."}
OTHER_403 = {"title": "Forbidden", "status": 403, "type": "about:blank",
             "detail": "You are not permitted to perform this action."}
RATE = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
        "status": 429}
CAPPED = {"title": "UsageCapExceeded", "period": "Monthly", "scope": "Product",
          "detail": "Usage cap exceeded: Monthly product cap", "type": PROBLEMS + "usage-capped"}
CREDITS = {"title": "CreditsDepleted", "type": PROBLEMS + "credits-depleted",
           "detail": "Your enrolled account does not have any credits to fulfill this request."}
NOT_FOUND = {"title": "Not Found Error", "type": PROBLEMS + "resource-not-found",
             "detail": "Could not find tweet with id: [7].", "status": 404}
UNAVAILABLE = {"title": "Service Unavailable", "detail": "Service Unavailable",
               "type": "about:blank", "status": 503}


class TestTheReadmeErrorTable:
    @pytest.mark.parametrize("status, body, kind, words", [
        (400, INVALID, InvalidRequest, "is not between 10 and 100"),
        (400, STALE_SINCE, InvalidRequest, "'since_id' must be a tweet id created after"),
        (400, TOO_LONG, PostTooLong, "Your Tweet text is too long"),
        (403, DUPLICATE, DuplicatePost, "duplicate content"),
        (403, REPLY_GATE, ReplyNotAllowed, "Reply to this conversation is not allowed"),
        (403, OTHER_403, Refused, "not permitted"),
        (429, CAPPED, UsageCapped, "Monthly product cap"),
        (402, CREDITS, CreditsExhausted, "does not have any credits"),
        (404, NOT_FOUND, NotFound, "Could not find tweet"),
        (500, {"title": "Internal Server Error", "type": "about:blank", "status": 500},
         PlatformUnavailable, "Internal Server Error"),
        (503, UNAVAILABLE, PlatformUnavailable, "Service Unavailable"),
    ])
    def test_each_row_maps_to_its_error_with_status_and_message(self, status, body, kind, words):
        """Each README row becomes the right mentorbot error, status kept, text from the body."""
        error = _mapped(status, body, LIMIT_HEADERS)
        assert type(error) is kind
        assert error.status == status
        assert words in str(error) and "POST /2/tweets" in str(error)

    def test_a_too_long_post_is_also_an_invalid_request(self):
        """PostTooLong is an InvalidRequest, so generic 400 handling still catches it."""
        assert isinstance(_mapped(400, TOO_LONG), InvalidRequest)

    def test_duplicate_and_reply_gate_are_refusals(self):
        """DuplicatePost and ReplyNotAllowed are Refused (retrying will not help)."""
        assert isinstance(_mapped(403, DUPLICATE), Refused)
        assert isinstance(_mapped(403, REPLY_GATE), Refused)

    def test_credits_depleted_type_wins_whatever_the_status(self):
        """A credits-depleted body is CreditsExhausted even if X sends it as a 403 or 429."""
        assert type(_mapped(403, CREDITS)) is CreditsExhausted
        assert type(_mapped(429, CREDITS, LIMIT_HEADERS)) is CreditsExhausted


class TestRateLimits:
    def test_429_carries_retry_at_from_the_reset_header(self):
        """A 429 is RateLimited with retry_at = x-rate-limit-reset (unix seconds)."""
        exc = _raised(429, RATE, LIMIT_HEADERS)
        assert isinstance(exc, tweepy.TooManyRequests) and exc.reset_time == RESET
        error = map_error(exc, user_auth=True)
        assert type(error) is RateLimited
        assert (error.status, error.retry_at) == (429, float(RESET))

    def test_429_without_headers_has_no_retry_at(self):
        """Without x-rate-limit-reset, retry_at is None (the caller picks a backoff)."""
        error = _mapped(429, RATE)
        assert isinstance(error, RateLimited) and error.retry_at is None

    def test_a_spent_24_hour_post_limit_waits_for_its_own_reset(self):
        """POST /2/tweets out of its 24-hour user limit retries at that limit's reset."""
        daily = RESET + 20 * 3600
        error = _mapped(429, RATE, {**LIMIT_HEADERS, "x-rate-limit-remaining": "12",
                                    "x-user-limit-24hour-limit": "100",
                                    "x-user-limit-24hour-remaining": "0",
                                    "x-user-limit-24hour-reset": str(daily)})
        assert isinstance(error, RateLimited) and error.retry_at == float(daily)

    @settings(max_examples=30, deadline=None)
    @given(st.integers(min_value=0, max_value=2**33))
    def test_retry_at_is_the_header_value(self, reset):
        """retry_at equals any x-rate-limit-reset X sends."""
        error = _mapped(429, RATE, {**LIMIT_HEADERS, "x-rate-limit-reset": str(reset)})
        assert error.retry_at == float(reset)


class TestAuthErrors:
    def test_401_on_a_user_call_names_the_oauth1_variables(self):
        """401 with user auth: AuthError whose hint names the consumer and access variables."""
        error = _mapped(401, UNAUTHORIZED, user_auth=True)
        assert type(error) is AuthError and error.status == 401
        assert error.hint == USER_AUTH_HINT
        assert "X_ACCESS_TOKEN_SECRET" in str(error) and "X_BEARER_TOKEN" not in str(error)

    def test_401_on_an_app_call_names_the_bearer_token(self):
        """401 with the bearer token: the hint names X_BEARER_TOKEN."""
        error = _mapped(401, UNAUTHORIZED, user_auth=False)
        assert error.hint == APP_AUTH_HINT and "X_BEARER_TOKEN" in str(error)

    def test_missing_write_permission(self):
        """403 oauth1-permissions: AuthError telling how to get a Read and Write token."""
        error = _mapped(403, NO_WRITE)
        assert type(error) is AuthError and error.status == 403
        assert error.hint == WRITE_PERMISSION_HINT and "Read and Write" in str(error)

    def test_unsupported_authentication(self):
        """403 unsupported-authentication is an AuthError, not a refusal."""
        error = _mapped(403, UNSUPPORTED, user_auth=False)
        assert type(error) is AuthError and "OAuth 1.0a user context" in error.hint
        assert "X_BEARER_TOKEN" in _mapped(403, UNSUPPORTED, user_auth=True).hint


class TestNoResponse:
    @pytest.mark.parametrize("raised", [
        requests.Timeout("HTTPSConnectionPool(host='api.twitter.com'): Read timed out."),
        requests.ConnectionError("Max retries exceeded with url: /2/tweets"),
    ])
    def test_timeouts_and_broken_connections_are_unavailable(self, raised):
        """requests.Timeout and ConnectionError become PlatformUnavailable with no status."""
        error = _mapped(0, b"", raise_=raised)
        assert type(error) is PlatformUnavailable and error.status is None

    def test_a_non_json_error_page_still_maps(self):
        """A 502 HTML page from a proxy is PlatformUnavailable, named by status and reason."""
        error = _mapped(502, b"<html><body>Bad gateway</body></html>")
        assert type(error) is PlatformUnavailable and error.status == 502
        assert "502" in str(error)


class TestSecretsNeverLeak:
    def test_a_body_echoing_a_secret_is_scrubbed(self):
        """If a body ever echoed a token, the message shows *** instead."""
        body = {"title": "Unauthorized", "type": "about:blank", "status": 401,
                "detail": f"bad token {SECRETS['access_token']}"}
        assert "***" in str(_mapped(401, body))  # _mapped asserts no secret is present

    def test_messages_never_come_from_request_headers(self):
        """Neither the Authorization header nor the URL reach the message."""
        for status, body in ((401, UNAUTHORIZED), (400, INVALID), (503, UNAVAILABLE)):
            text = str(_mapped(status, body))
            assert "OAuth" not in text and "Bearer" not in text and "api.twitter.com" not in text
