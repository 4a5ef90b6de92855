"""Background tasks: the invocation returns a task id at once; /ping is busy until the work is
done and its outcome collected."""

import asyncio
import threading
import time

import pytest

import agent
import background
from errors import SHORT_MESSAGE
from tests.support import REPLY, REQUEST_ID_HEADER, invoke

WAIT_SECONDS = 10


def ping_status(client) -> str:
    return client.get("/ping").json()["status"]


def wait_for_outcome(client, task_id: str) -> dict:
    """Polls the task's status until it is no longer running."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        outcome = invoke(client, {"task_id": task_id}).json()
        if outcome["status"] != "running":
            return outcome
        time.sleep(0.02)
    raise AssertionError(f"task {task_id} still running after {WAIT_SECONDS}s")


@pytest.fixture(autouse=True)
def fresh_background(monkeypatch):
    monkeypatch.setattr(agent, "background", background.BackgroundTasks())


def test_a_background_prompt_returns_a_task_id_at_once(client, fake_model):
    started = invoke(client, {"prompt": "Summarise the report", "background": True})
    assert started.status_code == 200
    body = started.json()
    assert body["status"] == "running"
    assert len(body["task_id"]) == 32

    outcome = wait_for_outcome(client, body["task_id"])
    assert outcome == {"task_id": body["task_id"], "status": "done", "result": REPLY}
    assert fake_model.calls == [["Summarise the report"]]


def test_ping_is_busy_while_the_task_runs_and_healthy_once_collected(client, monkeypatch):
    release = threading.Event()

    async def slow_answer(prompt: str, conversation: str) -> str:
        await asyncio.to_thread(release.wait, WAIT_SECONDS)
        return "finished"

    monkeypatch.setattr(agent, "answer", slow_answer)
    assert ping_status(client) == "Healthy"
    task_id = invoke(client, {"prompt": "Take your time", "background": True}).json()["task_id"]
    assert ping_status(client) == "HealthyBusy"
    assert invoke(client, {"task_id": task_id}).json()["status"] == "running"

    release.set()
    assert wait_for_outcome(client, task_id)["result"] == "finished"
    assert ping_status(client) == "Healthy"


def test_a_failing_task_reports_its_error_and_does_not_stay_busy(client, fake_model):
    fake_model.error = RuntimeError("model unavailable")
    started = invoke(
        client, {"prompt": "Fail, please", "background": True}, headers={REQUEST_ID_HEADER: "req-1"}
    )
    task_id = started.json()["task_id"]
    outcome = wait_for_outcome(client, task_id)
    # The short form, with the id of the request that started the task; the text is in the log.
    assert outcome == {
        "task_id": task_id,
        "status": "failed",
        "error": SHORT_MESSAGE,
        "error_type": "RuntimeError",
        "request_id": "req-1",
    }
    assert ping_status(client) == "Healthy"
    assert agent.app.get_async_task_info()["active_count"] == 0


def test_ping_is_busy_while_any_task_the_sdk_tracks_runs(client):
    # Not only our background prompts: any work registered with the SDK keeps the session alive.
    assert ping_status(client) == "Healthy"
    task = agent.app.add_async_task("reindex")
    assert ping_status(client) == "HealthyBusy"
    agent.app.complete_async_task(task)
    assert ping_status(client) == "Healthy"


def test_an_uncollected_outcome_keeps_the_session_busy_only_for_a_while(client, monkeypatch):
    started = invoke(client, {"prompt": "Nobody asks for this", "background": True})
    task_id = started.json()["task_id"]
    deadline = time.monotonic() + WAIT_SECONDS
    while agent.background._running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ping_status(client) == "HealthyBusy"  # done, but not collected yet
    monkeypatch.setattr(background, "KEEP_ALIVE_FOR_RESULT_SECONDS", 0)
    assert ping_status(client) == "Healthy"
    assert agent.background.status(task_id)["status"] == "done"


def test_an_unknown_task_id_is_a_404(client):
    response = invoke(client, {"task_id": "no-such-task"})
    assert response.status_code == 404
    assert "no-such-task" in response.json()["error"]
