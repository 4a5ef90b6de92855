"""An Amazon Bedrock AgentCore Runtime agent built with Google's Agent Development Kit (ADK).

One ADK `Runner` runs one `LlmAgent` (its instruction and tools) on the Google Gemini API for
every conversation. A conversation is an ADK session, kept by the runner's in-memory session
service; a turn that fails is taken out of it. Add tools beside `current_time`. The entrypoint
only needs `answer()`.
"""

import os
from collections.abc import AsyncIterator
from contextlib import aclosing, asynccontextmanager
from datetime import UTC, datetime

from google.adk.agents import LlmAgent, RunConfig
from google.adk.events import Event
from google.adk.models import BaseLlm
from google.adk.models import Gemini
from google.adk.runners import Runner
from google.adk.sessions import InMemorySessionService
from google.genai import types
from bedrock_agentcore import BedrockAgentCoreApp, PingStatus, RequestContext
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from api_key import api_key
from background import BackgroundTasks
from conversations import Conversations
from errors import caller_error

# The chosen values are defaults; the environment overrides them.
# The model ID stands alone on its line: ruff lets a long one run past the limit there.
MODEL_ID = os.environ.get(
    "GEMINI_MODEL_ID",
    "gemini-3.8-flash",
)
INSTRUCTION = (
    "You are a helpful assistant. Answer briefly. "
    "When an answer depends on today's date or the time, call current_time first."
)
# ADK files every session under an app and a user. A conversation is one session: its key holds
# the caller's identity when there is one, so one user ID serves all.
APP_NAME = "agent"
USER_ID = "agent-user"
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100


def current_time() -> str:
    """The current date and time in UTC, in ISO 8601 format, e.g. 2026-11-22T09:30:00+00:00.

    Models do not know the date: use this for anything that depends on today or the time.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


def build_runner(model: BaseLlm) -> Runner:
    """The agent on `model`, with its tools (ADK wraps a function as a FunctionTool), and the
    runner that keeps its sessions in memory, creating one at a conversation's first turn."""
    assistant = LlmAgent(
        name="assistant", model=model, instruction=INSTRUCTION, tools=[current_time]
    )
    return Runner(
        agent=assistant,
        app_name=APP_NAME,
        session_service=InMemorySessionService(),
        auto_create_session=True,
    )


def new_model() -> Gemini:
    """The model, with the API key (api_key.py says where it comes from). `enterprise=False`: the
    Gemini API with this key, even where GOOGLE_GENAI_USE_VERTEXAI says Vertex AI."""
    return Gemini(model=MODEL_ID, client_kwargs={"api_key": api_key(), "enterprise": False})


# The runner is made at the first turn, not at import: deployed, the API key comes from AgentCore
# Identity, which needs a request's workload token. Every conversation then shares it.
runner = None


def shared_runner() -> Runner:
    """The runner every turn uses, made once on the model `new_model()` makes."""
    global runner
    if runner is None:
        runner = build_runner(new_model())
    return runner


async def forget_session(conversation: str) -> None:
    """Drops the ADK session of a conversation the store forgets."""
    if runner is not None:
        await runner.session_service.delete_session(
            app_name=APP_NAME, user_id=USER_ID, session_id=conversation
        )


# A conversation is an ADK session; its turns take turns (conversations.py), since two turns
# running at once would both start from the same events, and the model would see neither's.
conversations: Conversations[None] = Conversations(lambda: None, MAX_SESSIONS, forget_session)


@asynccontextmanager
async def turn(conversation: str) -> AsyncIterator[Runner]:
    """The runner, for one turn of `conversation` (the session ID).

    A turn that fails or is cancelled is not part of the conversation: ADK has already stored its
    prompt (and any tool calls), and has no call that removes events, so the session is made anew
    with the events it had before the turn. Turns take turns, so only the turn's own are lost.
    """
    async with conversations.turn(conversation):
        active = shared_runner()
        sessions = active.session_service
        ids = {"app_name": APP_NAME, "user_id": USER_ID, "session_id": conversation}
        before = await sessions.get_session(**ids)  # a copy, None before the first turn
        try:
            yield active
        except BaseException:
            await sessions.delete_session(**ids)
            if before is not None:
                session = await sessions.create_session(**ids)
                for event in before.events:
                    await sessions.append_event(session, event)
            raise


class ModelStoppedError(RuntimeError):
    """The model stopped short (its answer blocked, out of tokens, …) without raising."""


def text_of(event: Event) -> str:
    """The text an event carries for the caller (not the model's thoughts)."""
    parts = event.content.parts if event.content and event.content.parts else []
    return "".join(part.text for part in parts if part.text and not part.thought)


async def run_turn(
    active: Runner, prompt: str, conversation: str, config: RunConfig | None = None
) -> AsyncIterator[Event]:
    """The events of one turn of `conversation`.

    ADK reports an error as an event; when the model raised, the exception follows it. One that
    nothing follows fails the turn too, rather than answer with less than the model meant.
    """
    message = types.Content(role="user", parts=[types.Part(text=prompt)])
    events = active.run_async(
        user_id=USER_ID, session_id=conversation, new_message=message, run_config=config
    )
    error = None
    async with aclosing(events):
        async for event in events:
            error = error or (event if event.error_code else None)
            yield event
    if error:
        raise ModelStoppedError(f"{error.error_code}: {error.error_message}")


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    result = ""
    async with turn(conversation) as active:
        async for event in run_turn(active, prompt, conversation):
            if event.is_final_response():
                result = text_of(event)
    return result


app = BedrockAgentCoreApp()
background = BackgroundTasks()


@app.async_task
async def run_in_background(task_id: str, prompt: str, conversation: str) -> None:
    """Answers `prompt` after the invocation has returned.

    While it runs, /ping reports HealthyBusy, so AgentCore keeps the session alive until it ends.
    """
    await background.run(task_id, answer(prompt, conversation))


@app.ping
def ping() -> PingStatus:
    """HealthyBusy while any background work runs (ours, or other tasks the SDK tracks) or a
    result waits to be collected.

    AgentCore may end a session it sees idle; a busy status keeps it, and so the result, alive.
    A custom ping replaces the SDK's own status, so it must count the SDK's tasks too.
    """
    busy = background.busy() or app.get_async_task_info()["active_count"] > 0
    return PingStatus.HEALTHY_BUSY if busy else PingStatus.HEALTHY


def read_prompt(payload: object) -> str:
    """The caller's prompt, or a 400 that says what the payload should look like."""
    prompt = payload.get("prompt") if isinstance(payload, dict) else None
    if not isinstance(prompt, str) or not prompt.strip():
        raise HTTPException(
            status_code=400,
            detail='send a JSON object with a non-empty "prompt" string, e.g. {"prompt": "Hello"}',
        )
    return prompt


@app.entrypoint
async def invoke(payload: dict, context: RequestContext):
    """Handles POST /invocations. `context.session_id` comes from the runtime's session header."""
    session = context.session_id or "local"
    conversation = session
    if isinstance(payload, dict) and "task_id" in payload:
        return background.status(payload["task_id"])
    prompt = read_prompt(payload)
    if payload.get("background") is True:
        task_id = background.new_task()
        background.start(run_in_background(task_id, prompt, conversation))
        return background.status(task_id)
    try:
        result = await answer(prompt, conversation)
    except Exception as error:
        app.logger.exception("Answering failed")
        return JSONResponse(caller_error(error), status_code=500)
    return {
        "result": result,
        "session_id": context.session_id,
    }


if __name__ == "__main__":
    # Uvicorn's "running on" line tells a local run when it is ready (importing takes a while).
    app.run(log_level="info")
