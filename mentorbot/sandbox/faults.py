"""Seeded fault injection: a share of /2 requests fail like X fails.

Kinds: ``"429"`` (rate-limit body and headers, reset a few seconds ahead), ``"500"``, ``"503"``,
``"timeout"`` (the response is held ``hold_seconds`` and then answers 503, so a client with a
shorter timeout sees a timeout). ``after_commit_share`` of the faulted *writes* are applied first
and fail afterwards: the ambiguous case a crash-safe outbox must reconcile.

Every request draws the same three numbers, so for a given seed the same sequence of requests
meets the same faults.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["FAULT_KINDS", "Fault", "FaultInjector"]

FAULT_KINDS = ("429", "500", "503", "timeout")


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str
    after_commit: bool
    reset_in: int  # seconds ahead for the 429's x-rate-limit-reset


class FaultInjector:
    def __init__(self) -> None:
        self.configure(rate=0.0)

    def configure(self, rate: float = 0.2, kinds: tuple[str, ...] | list[str] = FAULT_KINDS, seed: int = 1,
                  hold_seconds: float = 2.0, after_commit_share: float = 0.0) -> None:
        if not 0.0 <= rate <= 1.0 or not 0.0 <= after_commit_share <= 1.0:
            raise ValueError("rate and after_commit_share are shares between 0 and 1")
        unknown = [k for k in kinds if str(k) not in FAULT_KINDS]
        if unknown or not kinds:
            raise ValueError(f"fault kinds must be among {FAULT_KINDS}, got {list(kinds)}")
        if hold_seconds < 0:
            raise ValueError("hold_seconds must be >= 0")
        self.rate = float(rate)
        self.kinds = tuple(str(k) for k in kinds)
        self.seed = seed
        self.hold_seconds = float(hold_seconds)
        self.after_commit_share = float(after_commit_share)
        self._rng = random.Random(f"mentorbot-sandbox-faults:{seed}")

    def draw(self, *, is_write: bool) -> Fault | None:
        roll, pick, commit = self._rng.random(), self._rng.random(), self._rng.random()
        if self.rate <= 0 or roll >= self.rate:
            return None
        kind = self.kinds[min(int(pick * len(self.kinds)), len(self.kinds) - 1)]
        return Fault(kind, is_write and commit < self.after_commit_share, 1 + int(commit * 5))

    def settings(self) -> dict[str, object]:
        return {"rate": self.rate, "kinds": list(self.kinds), "seed": self.seed,
                "hold_seconds": self.hold_seconds, "after_commit_share": self.after_commit_share}
