"""A small in-memory sliding-window rate limiter for public endpoints (sign-in, invitation
redemption, complaint forms). Per process: several app processes each keep their own
counts, which only makes the limit looser by that factor."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

from backend.errors import AppError
from backend.texts import N_


class TooManyRequests(AppError):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            code="too_many_requests",
            message=N_("Terlalu banyak percobaan. Coba lagi sebentar lagi."),
            status=429,
            details=[{"retry_after_s": retry_after_s}],
        )
        self.retry_after_s = retry_after_s


@dataclass
class RateLimiter:
    limit: int
    window_s: float
    _hits: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, key: str, now: float | None = None) -> None:
        """Count one attempt for `key`; refuse it when the window is full."""
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            raise TooManyRequests(max(1, math.ceil(hits[0] + self.window_s - now)))
        hits.append(now)
        if len(self._hits) > 10_000:  # forget idle keys so memory stays bounded
            for stale in [
                k for k, v in self._hits.items() if not v or v[-1] <= now - self.window_s
            ]:
                del self._hits[stale]
