"""The seeded generator: a #MedTwitter mentorship community and a few weeks of its posts.

Everything is drawn from one ``random.Random(seed)``: the same arguments give the same scenario,
byte for byte once saved. Time follows the campaign's week (America/New_York): calls for mentors
on Mondays at 17:00, matching rounds on Sundays at 18:00, check-ins 21 days after an
introduction. People post in their own daytime, in their own time zone.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from . import posts, texts
from .people import Profile, make_profiles
from .phrasing import Voice
from .scenario import Scenario
from .script import CHECK_IN_AFTER, UTC, Script

__all__ = ["generate_scenario"]

# Beats after which a person who left says nothing more to the bot.
_TO_BOT = {"pause", "resume", "stop", "status", "help", "capacity", "decline", "checkin_answer", "thanks"}


def _quota(rng: random.Random, pool: list, share: float, minimum: int = 1) -> list:
    """About ``share`` of ``pool`` (at least ``minimum`` when there is anyone), chosen at random."""
    if not pool:
        return []
    exact = share * len(pool)
    k = int(exact) + (rng.random() < exact - int(exact))
    return rng.sample(pool, min(len(pool), max(minimum, k)))


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


# -- the people -----------------------------------------------------------------------------------

@dataclass(slots=True, eq=False)
class _Life:
    """One participant's key moments, decided before their posts are written."""

    p: Profile
    joined: datetime | None = None
    stop: datetime | None = None
    gone: datetime | None = None  # data deleted


def _join(script: Script, life: _Life, via_call: bool = False) -> None:
    p, rng = life.p, script.rng
    if via_call and script.calls:
        call = script.calls[0] if rng.random() < 0.75 else rng.choice(script.calls)
        delay = 3 + rng.expovariate(1 / 90)  # minutes: most answer within the hour, some that evening
        if delay > 360:
            delay = rng.uniform(60, 360)
        at = script.daytime(p, call + timedelta(minutes=delay))
        if script.add(p, at, "reply_to_call", lambda: texts.call_reply(rng, p, script.voice),
                      reply_to="call") is not None:
            life.joined = at
            return
    early = script.weeks == 1 or rng.random() < 0.75
    day = rng.triangular(0, 7, 0) if early else rng.uniform(7, script.days - 1)
    at = script.on_day(p, day)
    if script.add(p, at, "join", lambda: texts.join(rng, p, script.voice)) is not None:
        life.joined = at


def _commands(script: Script, lives: list[_Life], *, mentors: bool) -> None:
    rng, v = script.rng, script.voice
    joined = [life for life in lives if life.joined]
    take = lambda share, pool=None: _quota(rng, pool if pool is not None else joined, share)  # noqa: E731

    pausers = take(0.08 if mentors else 0.12)
    for i, life in enumerate(pausers):
        p = life.p
        at = script.later(p, life.joined, 30, 12 * 24)
        until = None
        if at and rng.random() < 0.6:  # "pause until January 15"
            until = (at + timedelta(days=rng.randint(14, 45))).astimezone(p.zone).date()
        reply = rng.random() < 0.3  # "Reply PAUSE to pause": some answer the confirmation
        script.add(p, at, "pause", lambda: texts.command(rng, p, v, "pause", until=until, reply=reply),
                 reply_to="confirm" if reply else None)
        if at and (i == 0 or rng.random() < 0.6):
            back = script.later(p, at, 3 * 24, 10 * 24)
            script.add(p, back, "resume", lambda: texts.command(rng, p, v, "resume"))
    paused = {id(x) for x in pausers}
    quitters = take(0.05 if mentors else 0.07, [x for x in joined if id(x) not in paused])
    quit_ids = {id(x) for x in quitters}
    for life in quitters:
        life.stop = script.later(life.p, life.joined, 3 * 24, 20 * 24)
        reply = rng.random() < 0.3
        script.add(life.p, life.stop, "stop", lambda: texts.command(rng, life.p, v, "stop", reply=reply),
                 reply_to="confirm" if reply else None)
    deleters = _quota(rng, quitters, 0.5, 0) + _quota(rng, [x for x in joined if id(x) not in quit_ids], 0.03, 0)
    if not deleters and joined:
        deleters = [rng.choice(quitters or joined)]
    for life in deleters:
        life.gone = script.later(life.p, life.stop or life.joined, 1, 3 * 24 if life.stop else 20 * 24)
        script.add(life.p, life.gone, "delete", lambda: texts.command(rng, life.p, v, "delete"))
    asks = (("status", 0.1 if mentors else 0.15, 24, 10 * 24), ("help", 0.05 if mentors else 0.12, 0.1, 72))
    for kind, share, low, high in asks:
        for life in take(share):
            reply = rng.random() < 0.3
            script.add(life.p, script.later(life.p, life.joined, low, high), kind,
                     lambda: texts.command(rng, life.p, v, kind, reply=reply),
                     reply_to="confirm" if reply else None)
    if mentors:
        for life in take(0.25):
            new = rng.choice([c for c in (1, 2, 3) if c != life.p.persona.capacity])
            script.add(life.p, script.later(life.p, life.joined, 48, 20 * 24), "capacity",
                     lambda: texts.command(rng, life.p, v, "capacity", capacity=new))
    for life in take(0.2 if mentors else 0.3):
        reply = rng.random() < 0.3
        at = script.later(life.p, life.joined, 0.2, 14 * 24)
        first = script.round_after(life.joined)
        matched = bool(at and first and at > first + timedelta(days=1))
        script.add(life.p, at, "thanks", lambda: posts.thanks(rng, life.p, v, reply=reply, matched=matched),
                 reply_to="confirm" if reply else None)
    _matching(script, joined, decline_share=0.06 if mentors else 0.08)


def _matching(script: Script, joined: list[_Life], decline_share: float) -> None:
    """NEW MENTOR 1-2 days after a matching round; check-in answers 21 days after one."""
    rng, v = script.rng, script.voice
    decliners = {id(x) for x in _quota(rng, [x for x in joined if script.round_after(x.joined)], decline_share)}
    for life in joined:
        first = script.round_after(life.joined)
        if first is None:
            continue
        introduced = first
        if id(life) in decliners:
            at = script.later(life.p, first, 18, 48)
            script.add(life.p, at, "decline", lambda: texts.decline(rng, life.p, v), reply_to="intro")
            introduced = script.round_after(at) if at else None
        if introduced is not None and rng.random() < 0.6:
            mood = rng.choices(("good", "unsure", "not_a_fit"), (6, 3, 1))[0]
            at = script.later(life.p, introduced + CHECK_IN_AFTER, 3, 36)
            script.add(life.p, at, "checkin_answer", lambda: texts.checkin_answer(rng, life.p, v, mood),
                     reply_to="checkin", expect="new_mentor" if mood == "not_a_fit" else "none")


def _posts(script: Script, life: _Life, wins_per_week: float, chatter_per_week: float) -> list[int]:
    """Wins and hashtag chatter; returns the seqs of wins that others may congratulate."""
    rng, v, p = script.rng, script.voice, life.p
    wins: list[int] = []
    if life.joined:
        for _ in range(_poisson(rng, wins_per_week * script.weeks)):
            at = script.later(p, life.joined, 6, script.days * 24)
            seq = script.add(p, at, "win", lambda: posts.win(rng, p, v, script.said.setdefault(p.handle, set())))
            if seq is not None and v.bot not in script.by_seq[seq].text:
                wins.append(seq)
    first_round = script.round_after(life.joined) if life.joined else None
    for _ in range(_poisson(rng, chatter_per_week * script.weeks)):
        day = rng.uniform(0, script.days)
        at = script.on_day(p, day)
        matched = bool(at and first_round and at > first_round + timedelta(days=1))
        script.add(p, at, "chatter", lambda: posts.chatter(rng, p, v, int(day // 7) + 1, matched=matched,
                                                         said=script.said.setdefault(p.handle, set())))
    return wins


def _noise(script: Script, profiles: list[Profile]) -> None:
    """Trolls, spam in bursts minutes apart, and another bot's daily digests."""
    rng, v = script.rng, script.voice
    some_day = lambda p: script.on_day(p, rng.uniform(0, script.days))  # noqa: E731
    for p in profiles:
        kind = p.persona.kind
        if kind == "troll":
            for _ in range(max(1, _poisson(rng, 1.2 * script.weeks))):
                script.add(p, some_day(p), "troll", lambda: posts.troll(rng, p, v))
        elif kind == "spammer":
            for _ in range(max(1, _poisson(rng, 0.8 * script.weeks))):
                at = some_day(p)
                for _ in range(rng.randint(1, 3)):
                    script.add(p, at, "spam", lambda: posts.spam(rng, p, v))
                    at = at + timedelta(minutes=rng.randint(1, 20)) if at else None
                    at = at if at and at < script.end else None
        elif kind == "bot":
            hour = rng.randint(8, 10)  # automated: the same time most days
            for day in range(script.days):
                if rng.random() < 0.5:
                    local = (script.start + timedelta(days=day)).astimezone(p.zone).date()
                    clock = time(hour, rng.randrange(3), rng.randrange(60))
                    at = datetime.combine(local, clock, p.zone).astimezone(UTC)
                    if script.start <= at < script.end:
                        script.add(p, at, "chatter", lambda: posts.bot_post(rng, p, v))
            script.add(p, some_day(p), "thanks", lambda: posts.bot_post(rng, p, v, mention=True))


def _congratulate(script: Script, wins: list[int], fans: list[Profile]) -> None:
    """Friends reply to some wins that do not mention the bot (a reply to one that did would)."""
    rng, v = script.rng, script.voice
    for seq in wins:
        win = script.by_seq[seq]
        if not fans or rng.random() > 0.35:
            continue
        fan = rng.choice(fans)
        if fan.handle == win.handle:
            continue
        at = script.daytime(fan, win.at + timedelta(minutes=rng.randint(10, 480)))
        script.add(fan, at, "chatter", lambda: posts.congrats(rng, fan, v, win.handle), reply_to=seq)


def _after_leaving(script: Script, lives: list[_Life]) -> None:
    """Once someone said STOP or DELETE, they stop talking to the bot (DELETE itself excepted)."""
    cut = {life.p.handle: (life.stop, life.gone) for life in lives if life.stop or life.gone}
    keep = []
    for d in script.lines:
        stop, gone = cut.get(d.handle, (None, None))
        left = min((t for t in (stop, gone) if t), default=None)
        if left and d.at > left and d.kind in _TO_BOT:
            continue
        keep.append(d)
    script.lines[:] = keep


def _deletions(script: Script, profiles: dict[str, Profile]) -> None:
    """Some posts are deleted by their authors, minutes or days later."""
    rng = script.rng
    referenced = {d.reply_to for d in script.lines if isinstance(d.reply_to, int)}
    shares = {"chatter": 0.03, "win": 0.04, "join": 0.02, "spam": 0.3, "troll": 0.15, "thanks": 0.03}
    pool = [d for d in script.lines if d.kind in shares and d.seq not in referenced]
    chosen = [d for d in pool if rng.random() < shares[d.kind]]
    if not chosen and pool:
        chosen = [rng.choice(pool)]
    for d in chosen:
        delay = timedelta(minutes=rng.randint(2, 30)) if rng.random() < 0.5 else timedelta(hours=rng.uniform(1, 72))
        author = profiles[d.handle]
        script.delete(author, script.daytime(author, d.at + delay), d.seq)


def generate_scenario(*, seed: int, start: datetime, weeks: int = 4, bot_handle: str = "MedMentorBot",
                      hashtag: str = "MedMentorMatch", mentees: int = 24, mentors: int = 12, bystanders: int = 8,
                      trolls: int = 2, spammers: int = 2, bots: int = 1) -> Scenario:
    """A community of the given size and ``weeks`` of its posts, all drawn from ``Random(seed)``."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware (UTC)")
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    start = start.astimezone(UTC).replace(microsecond=0)
    hashtag = hashtag.lstrip("#")
    rng = random.Random(seed)
    counts = {"mentee": mentees, "mentor": mentors, "bystander": bystanders, "troll": trolls, "spammer": spammers,
              "bot": bots}
    profiles = make_profiles(rng, counts, bot_handle)
    script = Script(rng, start, weeks, Voice(f"@{bot_handle}", f"#{hashtag}", start.year))
    by_kind: dict[str, list[Profile]] = {k: [p for p in profiles if p.persona.kind == k] for k in counts}

    mentee_lives = [_Life(p) for p in by_kind["mentee"]]
    mentor_lives = [_Life(p) for p in by_kind["mentor"]]
    callers = {id(x) for x in _quota(rng, mentor_lives, 0.6)}  # most mentors answer a call
    for life in mentee_lives + mentor_lives:
        _join(script, life, via_call=id(life) in callers)
    late = [x for x in mentee_lives if x.joined and x.joined - start > timedelta(hours=12)]
    for life in _quota(rng, late, 0.05, 0):  # "not looking right now", and then they join after all
        at = script.daytime(life.p, start + (life.joined - start) * rng.uniform(0.1, 0.6))
        if at and at < life.joined:
            script.add(life.p, at, "thanks", lambda: posts.thanks(rng, life.p, script.voice, before_join=True))
    for life in _quota(rng, [x for x in mentee_lives if x.joined], 0.05, 0):  # "did this work?"
        script.add(life.p, script.later(life.p, life.joined, 1, 48), "join",
                 lambda: texts.join(rng, life.p, script.voice, again=True))
    _commands(script, mentee_lives, mentors=False)
    _commands(script, mentor_lives, mentors=True)
    wins = []
    for life in mentee_lives:
        wins += _posts(script, life, wins_per_week=0.3, chatter_per_week=0.25)
    for life in mentor_lives:
        _posts(script, life, wins_per_week=0, chatter_per_week=0.2)
    for p in by_kind["bystander"]:
        _posts(script, _Life(p), wins_per_week=0, chatter_per_week=1.2)
    _noise(script, by_kind["troll"] + by_kind["spammer"] + by_kind["bot"])
    _congratulate(script, wins, by_kind["bystander"] + by_kind["mentor"])
    _after_leaving(script, mentee_lives + mentor_lives)
    _deletions(script, {p.handle: p for p in profiles})
    personas = tuple(p.persona for p in profiles)
    return Scenario(seed, start, weeks, bot_handle, hashtag, personas, script.beats())
