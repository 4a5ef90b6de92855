"""An Amazon Bedrock AgentCore Runtime agent built with PydanticAI.

One PydanticAI `Agent` (its instructions and tools) serves every conversation; a conversation is
its message history, given to each run and replaced by the run's messages when the run succeeds.
Add tools beside `current_time`. The entrypoint only needs `answer()` and `stream_answer()`.
"""

import os
from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import UTC, datetime

from pydantic_ai import Agent
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.providers.anthropic import AnthropicProvider
from bedrock_agentcore import BedrockAgentCoreApp, RequestContext
from starlette.exceptions import HTTPException

from api_key import api_key
from conversations import Conversations
from errors import caller_error
from identity import caller_id

# The chosen values are defaults; the environment overrides them, so one image serves any region.
# The model ID stands alone on its line: ruff lets a long one (an ARN) run past the limit there.
MODEL_ID = os.environ.get(
    "ANTHROPIC_MODEL_ID",
    "claude-sonnet-4-6",
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


# The model is given to each run (shared_model() below), so the Agent holds no client of its own.
assistant = Agent(instructions=INSTRUCTIONS, tools=[current_time])


def new_model() -> AnthropicModel:
    """The model, with the API key (api_key.py says where it comes from)."""
    return AnthropicModel(MODEL_ID, provider=AnthropicProvider(api_key=api_key()))


# The client is made at the first turn, not at import: deployed, the API key comes from AgentCore
# Identity, which needs a request's workload token. Every conversation then shares it.
model = None


def shared_model():
    """The model, made once with the API key (api_key.py says where it comes from)."""
    global model
    if model is None:
        model = new_model()
    return model


# A conversation is its message history. Its turns take turns (conversations.py): two runs at
# once would both start from the same history, and the later one's messages would drop the other's.
conversations: Conversations[list[ModelMessage]] = Conversations(list, MAX_SESSIONS)


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    async with conversations.turn(conversation) as history:
        result = await assistant.run(prompt, message_history=history, model=shared_model())
        history[:] = result.all_messages()  # only a turn that succeeded joins the conversation
    return result.output


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, as the model produces them."""
    async with conversations.turn(conversation) as history:
        run = assistant.run_stream(prompt, message_history=history, model=shared_model())
        async with run as result:
            # debounce_by=None: each chunk as it comes (by default they are grouped for 0.1 s).
            async for text in result.stream_text(delta=True, debounce_by=None):
                yield text
        # Only a turn streamed to the end joins the conversation: one that failed, or that the
        # caller left, leaves the history as it was.
        history[:] = result.all_messages()


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
