"""An Amazon Bedrock AgentCore Runtime agent built with the OpenAI Agents SDK.

One `Agent` (its instructions and tools) serves every conversation; a conversation is an SDK
session (`SQLiteSession`, in memory), which each run reads its history from and adds its turn to.
Add tools beside `current_time`. The entrypoint only needs `answer()` and `stream_answer()`.
"""

import os
from collections.abc import AsyncIterator
from contextlib import aclosing, asynccontextmanager
from datetime import UTC, datetime

from agents import Agent, RunConfig, Runner, SQLiteSession, function_tool, set_tracing_disabled
from agents.models.openai_responses import OpenAIResponsesModel
from openai import AsyncOpenAI
from openai.types.responses import ResponseTextDeltaEvent
from bedrock_agentcore import BedrockAgentCoreApp, PingStatus, RequestContext
from starlette.exceptions import HTTPException

from api_key import api_key
from background import BackgroundTasks
from conversations import Conversations
from errors import caller_error
from identity import caller_id

# The chosen values are defaults; the environment overrides them, so one image serves any region.
# The model ID stands alone on its line: ruff lets a long one (an ARN) run past the limit there.
MODEL_ID = os.environ.get(
    "OPENAI_MODEL_ID",
    "gpt-5.5",
)
INSTRUCTIONS = (
    "You are a helpful assistant. Answer briefly. "
    "When an answer depends on today's date or the time, call current_time first."
)
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100

# The SDK sends every run's trace (prompts and answers included) to OpenAI's traces API unless told
# not to. A deployed agent must not send its conversations anywhere else: AgentCore observes it
# through OpenTelemetry instead.
set_tracing_disabled(True)


@function_tool
def current_time() -> str:
    """The current date and time in UTC, in ISO 8601 format, e.g. 2026-11-22T09:30:00+00:00.

    Models do not know the date: use this for anything that depends on today or the time.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


# The model is given to each run (run_config() below), so the Agent holds none of its own.
assistant = Agent(name="assistant", instructions=INSTRUCTIONS, tools=[current_time])


def new_model() -> OpenAIResponsesModel:
    """The model on the Responses API, with the API key (api_key.py says where it comes from)."""
    return OpenAIResponsesModel(MODEL_ID, openai_client=AsyncOpenAI(api_key=api_key()))


# The client is made at the first turn, not at import: deployed, the API key comes from AgentCore
# Identity, which needs a request's workload token. Every conversation then shares it.
model = None


def shared_model():
    """The model, made once with the API key (api_key.py says where it comes from)."""
    global model
    if model is None:
        model = new_model()
    return model


def run_config() -> RunConfig:
    """Every run's settings: the shared model."""
    return RunConfig(model=shared_model())


# A conversation is an SDK session in memory, kept here under its key: a run reads the history from
# it and adds its own items.
sessions: dict[str, SQLiteSession] = {}


async def forget_session(conversation: str) -> None:
    if session := sessions.pop(conversation, None):
        session.close()  # its in-memory database goes with it


# A conversation's turns take turns (conversations.py): two runs at once would interleave items.
conversations: Conversations[None] = Conversations(lambda: None, MAX_SESSIONS, forget_session)


@asynccontextmanager
async def turn(conversation: str) -> AsyncIterator[SQLiteSession]:
    """The session of `conversation`, for one turn.

    The SDK adds the prompt to the session before the model answers: a turn that fails or is
    cancelled is taken back out, with whatever else it added, so the next turn starts from the
    last answer. Turns take turns, so this removes only the turn's own items.
    """
    async with conversations.turn(conversation):
        if conversation not in sessions:
            sessions[conversation] = SQLiteSession(conversation)
        session = sessions[conversation]
        before = len(await session.get_items())
        try:
            yield session
        except BaseException:
            while len(await session.get_items()) > before:
                await session.pop_item()
            raise


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    async with turn(conversation) as session:
        result = await Runner.run(assistant, prompt, session=session, run_config=run_config())
    return result.final_output


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, as the model produces them."""
    async with turn(conversation) as session:
        run = Runner.run_streamed(assistant, prompt, session=session, run_config=run_config())
        async with aclosing(run.stream_events()) as events:
            try:
                async for event in events:
                    # Raw events carry the model's own stream; only text deltas are the answer.
                    if event.type == "raw_response_event" and isinstance(
                        event.data, ResponseTextDeltaEvent
                    ):
                        yield event.data.delta
            finally:
                # When the caller leaves early, stop the run now: closing the events alone waits
                # for it to finish. A run that has ended is not affected.
                run.cancel()


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


async def reported(chunks: AsyncIterator[str]) -> AsyncIterator[str | dict]:
    """The chunks; a failure ends the stream with one last event, the short `caller_error` (the
    SDK's own would carry the exception's text). The full error goes to the log."""
    async with aclosing(chunks):
        try:
            async for chunk in chunks:
                yield chunk
        except Exception as error:
            app.logger.exception("Answering failed mid-stream")
            yield caller_error(error)


@app.entrypoint
async def invoke(payload: dict, context: RequestContext):
    """Handles POST /invocations. `context.session_id` comes from the runtime's session header."""
    session = context.session_id or "local"
    user = caller_id(context)
    # Conversations are per user as well as per session, so one caller never sees another's.
    conversation = f"{user}:{session}"
    if isinstance(payload, dict) and "task_id" in payload:
        return background.status(payload["task_id"])
    prompt = read_prompt(payload)
    if payload.get("background") is True:
        task_id = background.new_task()
        background.start(run_in_background(task_id, prompt, conversation))
        return background.status(task_id)
    # Returned, not yielded: the checks above still answer with a plain 400, and the SDK
    # streams the generator as server-sent events.
    return reported(stream_answer(prompt, conversation))


if __name__ == "__main__":
    # Uvicorn's "running on" line tells a local run when it is ready (importing takes a while).
    app.run(log_level="info")
