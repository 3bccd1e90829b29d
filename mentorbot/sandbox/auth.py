"""Who is calling: an app bearer token, or OAuth 1.0a user context (HMAC-SHA1, really verified).

A client redirected by a session adapter signed for ``https://api.twitter.com/<path>`` although the
request reached the local address, so a signature made for the canonical X URL (api.twitter.com
or api.x.com) or for the server's own URL is accepted. JSON bodies are not signed; form bodies
are. ``oauth_timestamp`` is not checked against the (possibly virtual) clock.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Mapping

from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from oauthlib.oauth1.rfc5849.utils import parse_authorization_header, unescape

from .problems import unauthorized
from .world import World

__all__ = ["Caller", "authenticate", "CANONICAL_HOSTS"]

CANONICAL_HOSTS = ("https://api.twitter.com", "https://api.x.com")


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated caller: the app (bearer) or a user (OAuth 1.0a)."""

    user_id: str | None  # None for app-only (bearer) calls
    read_only: bool = False

    @property
    def is_app(self) -> bool:
        return self.user_id is None

    @property
    def limit_key(self) -> str:
        """Rate-limit windows are kept per app (bearer) or per user (token)."""
        return "app" if self.user_id is None else f"user:{self.user_id}"


def authenticate(world: World, *, method: str, path: str, query: str, headers: Mapping[str, str],
                 body: bytes, host: str) -> Caller:
    """The caller of a request, or raise the 401 ``ApiError``. ``headers`` keys are lower case."""
    header = headers.get("authorization", "")
    if header.startswith("Bearer "):
        if hmac.compare_digest(header[len("Bearer "):].strip().encode(), world.app.bearer_token.encode()):
            return Caller(None)
        raise unauthorized()
    if header.startswith("OAuth "):
        return _oauth1(world, method, path, query, header, headers, body, host)
    raise unauthorized()


@dataclass(frozen=True, slots=True)
class _Secrets:
    """What oauthlib's signer reads from a client."""

    client_secret: str
    resource_owner_secret: str


def _oauth1(world: World, method: str, path: str, query: str, header: str,
            headers: Mapping[str, str], body: bytes, host: str) -> Caller:
    try:
        oauth = {k: unescape(v) for k, v in parse_authorization_header(header)}
    except (ValueError, TypeError):
        raise unauthorized() from None
    if oauth.get("oauth_signature_method") != "HMAC-SHA1":
        raise unauthorized()
    if oauth.get("oauth_consumer_key") != world.app.consumer_key:
        raise unauthorized()
    user = world.user_by_token(oauth.get("oauth_token", ""))
    if user is None:
        raise unauthorized()
    given = oauth.get("oauth_signature", "")
    form = body.decode("utf-8", "replace") if (
        "application/x-www-form-urlencoded" in headers.get("content-type", "") and body) else None
    try:
        params = oauth_signature.collect_parameters(uri_query=query, body=form,
                                                    headers={"Authorization": header})
    except (ValueError, TypeError):
        raise unauthorized() from None
    normalized = oauth_signature.normalize_parameters(params)
    secrets = _Secrets(world.app.consumer_secret, user.access_token_secret)
    for base in (*CANONICAL_HOSTS, f"http://{host}", f"https://{host}"):
        base_uri = oauth_signature.base_string_uri(base + path)
        text = oauth_signature.signature_base_string(method.upper(), base_uri, normalized)
        expected = oauth_signature.sign_hmac_sha1_with_client(text, secrets)
        if hmac.compare_digest(expected.encode(), given.encode()):
            return Caller(user.id, read_only=user.read_only)
    raise unauthorized()
