"""Background tasks: work that goes on after the invocation that started it has returned.

The caller gets a task id at once and asks for the outcome later with {"task_id": "..."}.
Outcomes live in this process's memory, like the conversations: AgentCore routes every request
of a session to the same instance.
"""

import asyncio
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable

from starlette.exceptions import HTTPException

from errors import caller_error

# Finished outcomes kept for callers to collect; the oldest are dropped beyond this many.
MAX_OUTCOMES = 100
# How long an uncollected outcome keeps /ping busy (and so the session alive) after its task ends.
KEEP_ALIVE_FOR_RESULT_SECONDS = 600


class BackgroundTasks:
    def __init__(self) -> None:
        self._outcomes: OrderedDict[str, dict] = OrderedDict()
        self._finished_at: dict[str, float] = {}  # task id -> when it ended, until collected
        # The event loop keeps only weak references to tasks; these keep them alive until done.
        self._running: set[asyncio.Task] = set()

    def new_task(self) -> str:
        task_id = uuid.uuid4().hex
        self._outcomes[task_id] = {"task_id": task_id, "status": "running"}
        self._forget_oldest()
        return task_id

    def start(self, work: Awaitable[None]) -> None:
        """Runs `work` on the current event loop without waiting for it."""
        task = asyncio.ensure_future(work)
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        # The SDK has logged a failure already; retrieving it keeps asyncio from warning again.
        task.add_done_callback(lambda done: done.cancelled() or done.exception())

    async def run(self, task_id: str, work: Awaitable[str]) -> None:
        """Awaits `work` and records its result or its error under `task_id`."""
        try:
            result = await work
        except Exception as error:
            # The caller gets the short form; the SDK logs the full error as the task fails.
            self._finish(task_id, {"status": "failed", **caller_error(error)})
            raise
        self._finish(task_id, {"status": "done", "result": result})

    def status(self, task_id: object) -> dict:
        """The task's outcome so far; a finished outcome counts as collected once returned."""
        if not isinstance(task_id, str) or task_id not in self._outcomes:
            raise HTTPException(status_code=404, detail=f"no background task {task_id!r}")
        self._finished_at.pop(task_id, None)
        return dict(self._outcomes[task_id])

    def busy(self) -> bool:
        """True while a task runs or a finished outcome waits, for a while, to be collected."""
        cutoff = time.monotonic() - KEEP_ALIVE_FOR_RESULT_SECONDS
        return bool(self._running) or any(ended > cutoff for ended in self._finished_at.values())

    def _finish(self, task_id: str, outcome: dict) -> None:
        self._outcomes[task_id] = {"task_id": task_id, **outcome}
        self._finished_at[task_id] = time.monotonic()

    def _forget_oldest(self) -> None:
        while len(self._outcomes) > MAX_OUTCOMES:
            task_id, _ = self._outcomes.popitem(last=False)
            self._finished_at.pop(task_id, None)
