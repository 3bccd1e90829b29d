"""The demo's printed story: who joined, what the bot posted, what was refused, what it cost."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..tables import table

if TYPE_CHECKING:  # pragma: no cover
    from .demo import DemoResult

__all__ = ["Story"]

_EXAMPLES = 3


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    return table(rows[0], rows[1:], indent=indent).splitlines()


class Story:
    def __init__(self, result: DemoResult):
        self.r = result
        self.db = result.store.db
        self.cid = result.campaign.id

    def render(self) -> str:
        lines: list[str] = []
        for part in (self._header, self._community, self._joined, self._bot_posts, self._matching,
                     self._amplification, self._ignored, self._refused, self._cost):
            lines += part() + [""]
        return "\n".join(lines).rstrip() + "\n"

    def _header(self) -> list[str]:
        r = self.r
        days = (r.ended - r.started).days
        return [f"mentorbot demo: {_plural(days // 7, 'simulated week')} of {r.campaign.primary_hashtag} "
                f"({r.started:%a %d %b %Y} to {r.ended:%a %d %b %Y}), bot @{r.campaign.bot_handle}",
                f"Everything below went through tweepy over HTTP to the embedded sandbox X server."]

    def _community(self) -> list[str]:
        kinds = Counter(p.kind for p in self.r.player.scenario.personas)
        played = self.r.player.played
        skipped = sum(self.r.player.skipped.values())
        return ["Community",
                "  " + ", ".join(_plural(n, kind) for kind, n in kinds.most_common()),
                f"  {sum(played.values())} posts by the community ({', '.join(f'{k} {v}' for k, v in played.most_common())})"
                + (f"; {skipped} replies skipped (the post they answer was never made)" if skipped else "")]

    def _joined(self) -> list[str]:
        rows = list(self.db.query(
            "SELECT handle, role, stage, specialties, status FROM participants WHERE campaign_id = ? "
            "ORDER BY role, joined_at", [self.cid]))
        by = Counter((row["role"], row["status"]) for row in rows)
        lines = [f"Who joined: {len(rows)} people "
                 f"({', '.join(_plural(n, role) + ' ' + status for (role, status), n in sorted(by.items()))})"]
        if rows:
            grid = [("handle", "role", "stage", "specialties", "status")]
            for row in rows:
                specialties = ", ".join(__import__("json").loads(row["specialties"])) or "-"
                grid.append(("@" + row["handle"], row["role"], row["stage"] or "-", specialties, row["status"]))
            lines += _table(grid)
        return lines

    def _bot_posts(self) -> list[str]:
        done = list(self.db.query(
            "SELECT key, kind, text FROM actions WHERE campaign_id = ? AND status = 'done' ORDER BY updated_at",
            [self.cid]))
        kinds = Counter(row["key"].split(":", 1)[0] for row in done)
        lines = [f"Posts the bot made: {len(done)} "
                 f"({', '.join(f'{n} {kind}' for kind, n in kinds.most_common()) or 'none'})"]
        shown: Counter[str] = Counter()
        for row in done:
            kind = row["key"].split(":", 1)[0]
            if row["text"] and shown[kind] < _EXAMPLES:
                shown[kind] += 1
                lines.append(f"  [{kind}] {' '.join(row['text'].split())}")  # one line each
        return lines

    def _handles(self) -> dict[str, str]:
        return {row["person_id"]: "@" + row["handle"] for row in self.db.query(
            "SELECT person_id, handle FROM participants WHERE campaign_id = ?", [self.cid])}

    def _matching(self) -> list[str]:
        matches = list(self.db.query(
            "SELECT id, mentee_id, mentor_id, status, score, check_in, proposed_at FROM matches "
            "WHERE campaign_id = ? ORDER BY id", [self.cid]))
        who = self._handles()
        name = lambda pid: who.get(pid, "(erased)")  # noqa: E731
        rounds = len({m["proposed_at"] for m in matches})
        status = Counter(m["status"] for m in matches)
        intros = self._done_count("intro:")
        mean = sum(m["score"] for m in matches) / len(matches) if matches else 0.0
        lines = [f"Matching: {_plural(rounds, 'round')} paired people; {len(matches)} pairs "
                 f"({', '.join(f'{n} {k}' for k, n in status.most_common()) or 'none'}), "
                 f"{_plural(intros, 'introduction')} posted, mean score {mean:.2f}"]
        for m in [m for m in matches if m["status"] == "declined"][:_EXAMPLES]:
            later = next((x for x in matches if x["mentee_id"] == m["mentee_id"] and x["id"] > m["id"]), None)
            then = (f"re-matched with {name(later['mentor_id'])} (a different mentor)" if later
                    else "waiting for the next round")
            lines.append(f"  declined: {name(m['mentee_id'])} and {name(m['mentor_id'])}; {then}")
        answers = Counter(m["check_in"] for m in matches if m["check_in"])
        lines.append(f"  check-ins posted: {self._done_count('checkin:')}; answers recorded: "
                     + (", ".join(f"{k.replace('_', ' ')} {n}" for k, n in answers.most_common()) or "none yet"))
        return lines

    def _amplification(self) -> list[str]:
        reposts, congrats = self._done_count("repost:"), self._done_count("congrats:")
        wins = self.db.execute("SELECT count(*) FROM posts_seen WHERE campaign_id = ? AND outcome LIKE 'win%'",
                               [self.cid]).fetchone()[0]
        editions = self.db.execute("SELECT count(DISTINCT edition), count(*) FROM features WHERE campaign_id = ?",
                                   [self.cid]).fetchone()
        calls = {row["result_id"] for row in self.db.query(
            "SELECT result_id FROM actions WHERE campaign_id = ? AND key LIKE 'call:%' AND status = 'done'",
            [self.cid])}
        repliers = {p["author_id"] for p in self.r.sandbox.posts(include_deleted=True) if p["in_reply_to"] in calls}
        mentors = {row["person_id"] for row in self.db.query(
            "SELECT person_id FROM participants WHERE campaign_id = ? AND role = 'mentor'", [self.cid])}
        return [f"Amplification: {_plural(wins, 'win')} found, {_plural(reposts, 'repost')} and "
                f"{_plural(congrats, 'congratulation')} posted",
                f"  #FollowFriday: {_plural(editions[0], 'edition')}, {_plural(self._done_count('ff:'), 'post')}, "
                f"{editions[1]} people introduced",
                f"  calls for mentors: {_plural(len(calls), 'post')}; "
                f"{_plural(len(repliers & mentors), 'mentor')} joined by replying to one"]

    def _done_count(self, prefix: str) -> int:
        return self.db.execute("SELECT count(*) FROM actions WHERE campaign_id = ? AND status = 'done' "
                               "AND key LIKE ?", [self.cid, prefix + "%"]).fetchone()[0]

    def _ignored(self) -> list[str]:
        lines: list[str] = []
        for kind, title in (("mention", "Mentions read: {n}, each handled once; what the bot made of them:"),
                            ("search", "Participants' hashtag posts read by search: {n}")):
            outcomes = Counter({row["outcome"]: row["n"] for row in self.db.query(
                "SELECT outcome, count(*) AS n FROM posts_seen WHERE campaign_id = ? AND kind = ? "
                "GROUP BY outcome", [self.cid, kind])})
            lines.append(title.format(n=sum(outcomes.values())))
            if outcomes:
                lines += _table([(outcome, str(n)) for outcome, n in outcomes.most_common()])
        return lines

    def _refused(self) -> list[str]:
        writes = self.r.sandbox.writes()
        refused = Counter(w.get("reason") or "?" for w in writes if w.get("refused"))
        not_sent = Counter(f"{row['status']}: {(row['error'] or '').split(':')[0]}" for row in self.db.query(
            "SELECT status, error FROM actions WHERE campaign_id = ? AND status IN ('cancelled', 'refused', 'failed')",
            [self.cid]))
        lines = [f"Refused by X (the sandbox): {sum(refused.values())}"
                 + (f" ({', '.join(f'{k} {v}' for k, v in refused.most_common())})" if refused else
                    " (no reply-gate refusal, no duplicate, nothing too long)")]
        lines.append(f"Planned but not sent: {sum(not_sent.values())}"
                     + (f" ({', '.join(f'{k} {v}' for k, v in not_sent.most_common())})" if not_sent else ""))
        return lines

    def _cost(self) -> list[str]:
        requests = self.r.sandbox.requests()
        meter = self.r.sandbox.meter()
        by_route = {route: sum(statuses.values()) for route, statuses in requests["by_route"].items()}
        own = self.db.execute("SELECT coalesce(sum(usd), 0) FROM spend").fetchone()[0]
        lines = [f"API calls: {requests['total']} "
                 f"({', '.join(f'{route} {n}' for route, n in sorted(by_route.items(), key=lambda i: -i[1]))})",
                 f"Metered cost (sandbox price list): ${meter['total_usd']:.3f} "
                 f"({', '.join(f'{k} ${v:.3f}' for k, v in meter['by_kind'].items() if v)})",
                 f"The bot's own spend record: ${own:.3f} (budget ${self.r.campaign.limits.monthly_budget_usd:.2f}/month)"]
        return lines
