"""Conversations kept in this process's memory, and the turn-taking within each one.

The SDK runs requests concurrently, so two requests of one session can overlap (a retry, an
impatient client, a background task). Each conversation's turns therefore take turns: a request
waits for the one before it to finish, and then sees its answer. Different conversations still
run side by side.

Memory lasts as long as the process: AgentCore ends a session's instance after it has been idle
for a while (15 minutes by default) or has lived for its longest allowed time (8 hours by
default), and its conversations go with it.
"""

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

# Under the SDK's logger, whose JSON lines carry the request and session ids.
logger = logging.getLogger("bedrock_agentcore.app").getChild("conversations")

State = TypeVar("State")


@dataclass
class _Entry(Generic[State]):
    state: State
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # turns running or waiting: while any, the entry is never forgotten


class Conversations(Generic[State]):
    """One `State` per conversation key, most recently used last; beyond `limit` conversations the
    oldest idle one is forgotten (`forget`, if given, is awaited with its key)."""

    def __init__(
        self,
        new: Callable[[], State],
        limit: int,
        forget: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self.new = new
        self.limit = limit
        self.forget = forget
        self._entries: OrderedDict[str, _Entry[State]] = OrderedDict()

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[State]:
        """The conversation's state, once the turns before this one have finished."""
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(self.new())
        self._entries.move_to_end(key)
        entry.users += 1
        try:
            await self._forget_beyond_limit()
            if entry.lock.locked():
                # `waits_for_turn` lets a test see this without timing (tests/support.py).
                logger.info(
                    "conversation %s: a turn waits for the one before it",
                    key,
                    extra={"waits_for_turn": True},
                )
            async with entry.lock:
                yield entry.state
        finally:
            entry.users -= 1

    def get(self, key: str) -> State | None:
        """The conversation's state, if it is kept (for tests and inspection)."""
        entry = self._entries.get(key)
        return entry.state if entry else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    async def _forget_beyond_limit(self) -> None:
        idle = [key for key, entry in self._entries.items() if entry.users == 0]
        for key in idle[: max(0, len(self._entries) - self.limit)]:
            del self._entries[key]
            if self.forget:
                await self.forget(key)
