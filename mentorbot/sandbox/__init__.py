"""A local X API v2 server that tweepy cannot tell from X: the sandbox.

    from mentorbot.sandbox import Sandbox
    sb = Sandbox(clock=VirtualClock(), seed=0)
    bot = sb.create_user("MedMentorBot", description="Automated; run by ...")
    sb.post("drjane", "@MedMentorBot #MedMentorMatch MS3 looking for a cardiology mentor")
    with sb.serve() as server:          # http://127.0.0.1:<port>, daemon thread
        ...                             # point the X adapter (tweepy) at server.url
    sb.writes(), sb.meter(), sb.requests()

It serves the endpoints a mentorship bot needs (``/2/users/me``, mentions, recent search, post
and user lookups, user timelines, create/delete posts, repost/undo), with X's response shapes and
field selection, OAuth 1.0a signatures really checked, per-endpoint rate limits, the reply gate,
duplicate-content refusal, the pay-per-use price list as a meter, seeded fault injection and a
virtual clock; plus an admin API under ``/sandbox/`` (see :mod:`mentorbot.sandbox.admin`).
"""
from __future__ import annotations

from .api import ApiRequest, ApiResponse
from .faults import FAULT_KINDS
from .limits import DEFAULT_LIMITS
from .meter import PRICES_USD
from .sandbox import Sandbox
from .server import SandboxServer, run_forever
from .world import Account, AppCredentials

__all__ = [
    "Sandbox",
    "SandboxServer",
    "run_forever",
    "Account",
    "AppCredentials",
    "ApiRequest",
    "ApiResponse",
    "DEFAULT_LIMITS",
    "FAULT_KINDS",
    "PRICES_USD",
]
