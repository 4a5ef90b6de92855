"""An Amazon Bedrock AgentCore Runtime agent built with the OpenAI Agents SDK.

One `Agent` (its instructions and tools) serves every conversation; a conversation is an SDK
session (`SQLiteSession`, in memory), which each run reads its history from and adds its turn to.
Add tools beside `current_time`. The entrypoint only needs `answer()`.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from agents import Agent, RunConfig, Runner, SQLiteSession, function_tool, set_tracing_disabled
from agents.models.openai_responses import OpenAIResponsesModel
from openai import AsyncOpenAI
from bedrock_agentcore import BedrockAgentCoreApp, RequestContext
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from api_key import api_key
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


app = BedrockAgentCoreApp()


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
    user = caller_id(context)
    # Conversations are per user as well as per session, so one caller never sees another's.
    conversation = f"{user}:{session}"
    prompt = read_prompt(payload)
    try:
        result = await answer(prompt, conversation)
    except Exception as error:
        app.logger.exception("Answering failed")
        return JSONResponse(caller_error(error), status_code=500)
    return {
        "result": result,
        "session_id": context.session_id,
        "user": user,
    }


if __name__ == "__main__":
    # Uvicorn's "running on" line tells a local run when it is ready (importing takes a while).
    app.run(log_level="info")
