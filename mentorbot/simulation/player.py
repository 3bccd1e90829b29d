"""Plays a scenario's beats into the sandbox: the community posting, replying, deleting.

Symbolic reply targets are resolved at the moment of the beat from what the bot has actually
posted so far (its outbox records which of its posts is a call for mentors, an introduction...).
A beat whose target does not exist yet (the bot has not posted it) is skipped and counted.

People also answer the bot's questions: when the bot asks "did you mean to leave? reply STOP"
(it read the request only in words it was not sure of), the persona confirms with the exact words
if that is what they meant (the beat's expected intent), a couple of hours later, and ignores
a question that misread them.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

from loguru import logger

from ..domain.templates import CONFIRM_FIRST
from ..ports import Store
from ..sandbox import Sandbox
from .scenario import Beat, Scenario

__all__ = ["ScenarioPlayer", "ANSWER_DELAY"]

#: How long after the bot's question a persona answers it.
ANSWER_DELAY = timedelta(hours=2)
_CAPACITY = re.compile(r"CAPACITY \d+")  # the number the bot read, in its question


class ScenarioPlayer:
    """``sandbox`` is a :class:`~mentorbot.sandbox.Sandbox` or, for a bot in another process than
    its sandbox, a :class:`~mentorbot.sandbox.testing.RemoteSandbox`."""

    def __init__(self, sandbox: Sandbox, scenario: Scenario, store: Store):
        self.sb, self.scenario, self.store = sandbox, scenario, store
        self.person_ids: dict[str, str] = {}  # handle -> user id
        self.posted: dict[str, str] = {}  # beat id -> post id
        self.skipped: Counter[str] = Counter()
        self.played: Counter[str] = Counter()
        self.answered: dict[str, str] = {}  # the bot's question (post id) -> the persona's answer
    def create_people(self) -> None:
        """Create every persona's account (bios and protection as in the scenario)."""
        for persona in self.scenario.personas:
            account = self.sb.create_user(persona.handle, name=persona.name, description=persona.bio,
                                          protected=persona.protected)
            self.person_ids[persona.handle] = account.id

    def resume(self) -> None:
        """Pick up after a restart: learn the accounts and which beats are already posted.

        A persona never posts the same text twice, so (author, text) identifies a beat's post;
        :meth:`play` then skips beats already played, which makes replaying them harmless.
        """
        by_handle = {p.handle: p for p in self.scenario.personas}
        for handle in by_handle:
            self.person_ids[handle] = self.sb.user(handle)["id"]
        existing = {(p["username"], p["text"]): p for p in self.sb.posts(include_deleted=True)}
        for beat in self.scenario.beats:
            post = existing.get((beat.handle, beat.text))
            if beat.kind != "delete_post" and post is not None:
                self.posted[beat.id] = post["id"]

    def beats(self) -> list[tuple[datetime, object]]:
        return [(beat.at, (lambda b=beat: self.play(b))) for beat in self.scenario.beats]

    def play(self, beat: Beat) -> None:
        if beat.id in self.posted:
            return  # already played before a restart
        if beat.kind == "delete_post":
            target = self.posted.get(beat.target or "")
            if target is None:
                self.skipped["delete_post:unknown_target"] += 1
                return
            self.sb.delete_post(target)
            self.played[beat.kind] += 1
            return
        reply_to = None
        if beat.reply_to:
            reply_to = self._resolve(beat)
            if reply_to is None:
                self.skipped[f"{beat.kind}:no_{beat.reply_to.split(':')[0]}"] += 1
                return
        post = self.sb.post(beat.handle, beat.text, reply_to=reply_to)
        self.posted[beat.id] = post["id"]
        self.played[beat.kind] += 1

    def answers(self, start: datetime, end: datetime) -> list[tuple[datetime, object]]:
        """Beats in [start, end) for the questions the bot has asked so far and not yet had
        answered: each persona confirms what they meant, ``ANSWER_DELAY`` after the question."""
        by_post = {post_id: beat_id for beat_id, post_id in self.posted.items()}
        beats = {beat.id: beat for beat in self.scenario.beats}
        rows = self.store.db.query(
            "SELECT s.post_id, s.outcome, a.result_id, a.updated_at, a.text FROM posts_seen s "
            "JOIN actions a ON a.key = 'reply:' || s.post_id "
            "WHERE s.outcome LIKE 'asked:%' AND a.status = 'done' AND a.result_id IS NOT NULL")
        due = []
        for row in rows:
            beat = beats.get(by_post.get(row["post_id"], ""))
            asked = row["outcome"].split(":")[1]
            question = row["result_id"]
            if beat is None or question in self.answered or asked not in CONFIRM_FIRST:
                continue
            meant = "decline" if beat.expect == "checkin" else beat.expect  # "not a fit"
            if meant != asked:
                self.answered[question] = ""  # misread: the persona lets the question be
                continue
            at = max(datetime.fromisoformat(row["updated_at"]) + ANSWER_DELAY, start)
            # the exact words the question asks for (for a capacity, with the number it read)
            found = _CAPACITY.search(row["text"] or "") if asked == "capacity" else None
            words = "yes, " + (found.group(0) if found else CONFIRM_FIRST[asked][1])
            if at < end:
                due.append((at, (lambda b=beat, q=question, w=words: self._answer(b, q, w))))
        return due

    def _answer(self, beat: Beat, question: str, words: str) -> None:
        if question in self.answered:
            return
        post = self.sb.post(beat.handle, f"@{self.scenario.bot_handle} {words}", reply_to=question)
        self.answered[question] = post["id"]
        self.played["answer_to_question"] += 1

    def _resolve(self, beat: Beat) -> str | None:
        target = beat.reply_to or ""
        if target.startswith("beat:"):
            return self.posted.get(target[5:])
        person_id = self.person_ids.get(beat.handle)
        prefix = {"call": "call:", "intro": "intro:", "checkin": "checkin:", "confirm": "reply:"}.get(target)
        if prefix is None:
            logger.warning("beat {}: unknown reply target {!r}", beat.id, target)
            return None
        return self._latest_bot_post(prefix, None if target == "call" else person_id)

    def _latest_bot_post(self, prefix: str, person_id: str | None) -> str | None:
        sql = ("SELECT a.result_id FROM actions a WHERE a.status = 'done' AND a.key LIKE ? "
               "AND a.kind IN ('post', 'reply')")
        params: list[str] = [prefix + "%"]
        if person_id is not None:
            sql += " AND EXISTS (SELECT 1 FROM action_people ap WHERE ap.action_key = a.key AND ap.person_id = ?)"
            params.append(person_id)
        rows = list(self.store.db.query(sql + " ORDER BY a.updated_at DESC LIMIT 1", params))
        return rows[0]["result_id"] if rows else None
