"""An Amazon Bedrock AgentCore Runtime agent built with Strands Agents.

Each conversation is a Strands `Agent` on a shared `GeminiModel`: the Agent keeps the turns
and runs the tool loop. Add tools beside `current_time` and list them in `new_agent`. The
entrypoint only needs `answer()` and `stream_answer()`.
"""

import os
from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import UTC, datetime

from strands import Agent, tool
from strands.models.gemini import GeminiModel
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
    "GEMINI_MODEL_ID",
    "gemini-3.8-flash",
)
AWS_REGION = os.environ.get("AWS_REGION", "us-west-2")
SYSTEM_PROMPT = (
    "You are a helpful assistant. Answer briefly. "
    "When an answer depends on today's date or the time, call current_time first."
)
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100


@tool
def current_time() -> str:
    """The current date and time in UTC, in ISO 8601 format, e.g. 2026-11-22T09:30:00+00:00.

    Models do not know the date: use this for anything that depends on today or the time.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_model() -> GeminiModel:
    """The model client, with the API key (api_key.py says where it comes from)."""
    return GeminiModel(client_args={"api_key": api_key()}, model_id=MODEL_ID)


# The client is made at the first turn, not at import: deployed, the API key comes from AgentCore
# Identity, which needs a request's workload token. Every conversation then shares it.
model = None


def shared_model():
    """The model, made once with the API key (api_key.py says where it comes from)."""
    global model
    if model is None:
        model = new_model()
    return model


def new_agent() -> Agent:
    """A Strands Agent: it holds one conversation's turns."""
    # callback_handler=None: Strands would otherwise print every event to stdout.
    return Agent(
        model=shared_model(),
        system_prompt=SYSTEM_PROMPT,
        tools=[current_time],
        callback_handler=None,
    )


# Strands raises ConcurrencyException when an Agent is invoked while still answering: with
# conversations.py, a second request in the same session waits for the first and sees its turn.
conversations: Conversations[Agent] = Conversations(new_agent, MAX_SESSIONS)


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    async with conversations.turn(conversation) as chat:
        before = chat.take_snapshot(preset="session")
        try:
            result = await chat.invoke_async(prompt)
        except BaseException:
            chat.load_snapshot(before)  # a failed turn is not part of the conversation
            raise
    # The text of the Agent's last message; str() ends every text block with "\n".
    return str(result).strip()


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, as the model produces them."""
    async with conversations.turn(conversation) as chat:
        before = chat.take_snapshot(preset="session")
        try:
            # aclosing: when the caller goes away, the Agent's run ends now, not when collected.
            async with aclosing(chat.stream_async(prompt)) as events:
                wrote = separate = False
                async for event in events:
                    # Only "data" is reply text; other events report tool use and the loop's
                    # progress, and the last one holds the AgentResult, which is not JSON.
                    if "data" in event:
                        # Text written before a tool call is its own paragraph.
                        yield "\n\n" + event["data"] if separate else event["data"]
                        wrote, separate = True, False
                    elif "message" in event:  # a message (model turn or tool result) is complete
                        separate = wrote
        except BaseException:
            chat.load_snapshot(before)  # a failed turn is not part of the conversation
            raise


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
