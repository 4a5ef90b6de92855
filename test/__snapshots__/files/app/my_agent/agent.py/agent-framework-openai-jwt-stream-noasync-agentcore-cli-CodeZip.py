"""An Amazon Bedrock AgentCore Runtime agent built with Microsoft Agent Framework.

One Agent Framework `Agent` (its instructions and tools, on the shared model client) serves every
conversation; a conversation is an `AgentSession`, whose state holds its messages.
Add tools beside `current_time`. The entrypoint only needs `answer()` and `stream_answer()`.
"""

import copy
import os
from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import UTC, datetime
from functools import cache

from agent_framework import Agent, AgentSession
from agent_framework_openai import OpenAIChatCompletionClient
from bedrock_agentcore import BedrockAgentCoreApp, RequestContext
from starlette.exceptions import HTTPException

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
AWS_REGION = os.environ.get("AWS_REGION", "us-west-2")
INSTRUCTIONS = (
    "You are a helpful assistant. Answer briefly. "
    "When an answer depends on today's date or the time, call current_time first."
)
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100


def current_time() -> str:
    """The current date and time in UTC, in ISO 8601 format, e.g. 2026-11-22T09:30:00+00:00.

    Models do not know the date: use this for anything that depends on today or the time.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_model() -> OpenAIChatCompletionClient:
    """The model client, with the API key (api_key.py says where it comes from)."""
    return OpenAIChatCompletionClient(model=MODEL_ID, api_key=api_key())


# The client is made at the first turn, not at import: deployed, the API key comes from AgentCore
# Identity, which needs a request's workload token. Every conversation then shares it.
model = None


def shared_model():
    """The model, made once with the API key (api_key.py says where it comes from)."""
    global model
    if model is None:
        model = new_model()
    return model


@cache
def shared_agent() -> Agent:
    """The Agent every conversation runs, made at the first turn (as its model client is)."""
    # Its name labels its spans in traces, and its messages to the model (else "UnnamedAgent").
    return Agent(
        shared_model(),
        INSTRUCTIONS,
        name="my_agent",
        tools=[current_time],
    )


# A conversation is an AgentSession, in whose state the Agent keeps its messages. The Agent saves a
# turn there only when its run completes, so a turn that fails leaves the conversation as it was.
# Its turns take turns (conversations.py): two runs at once would both start from the same
# history, and the second would answer without seeing the first.
conversations: Conversations[AgentSession] = Conversations(AgentSession, MAX_SESSIONS)


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    async with conversations.turn(conversation) as session:
        response = await shared_agent().run(prompt, session=session)
    return response.text


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, as the model produces them."""
    async with conversations.turn(conversation) as session:
        before = copy.deepcopy(session.state)
        try:
            # Leaving the block closes the model's stream, also when the caller goes away.
            async with shared_agent().run(prompt, session=session, stream=True) as updates:
                async for update in updates:
                    if update.text:  # other updates carry tool calls and their results
                        yield update.text
        except BaseException:
            # A stream closed early saves the turn so far: a turn left unfinished is forgotten.
            session.state = before
            raise


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
    prompt = read_prompt(payload)
    # Returned, not yielded: the checks above still answer with a plain 400, and the SDK
    # streams the generator as server-sent events.
    return reported(stream_answer(prompt, conversation))


if __name__ == "__main__":
    # Uvicorn's "running on" line tells a local run when it is ready (importing takes a while).
    app.run(log_level="info")
