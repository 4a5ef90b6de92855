"""An Amazon Bedrock AgentCore Runtime agent built with Microsoft Agent Framework.

One Agent Framework `Agent` (its instructions and tools, on the shared model client) serves every
conversation; a conversation is an `AgentSession`, whose state holds its messages.
Add tools beside `current_time`. The entrypoint only needs `answer()`.
"""

import os
from datetime import UTC, datetime
from functools import cache

from agent_framework import Agent, AgentSession
from agent_framework_bedrock import BedrockChatClient
from bedrock_agentcore import BedrockAgentCoreApp, RequestContext
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from conversations import Conversations
from errors import caller_error

# The chosen values are defaults; the environment overrides them, so one image serves any region.
# The model ID stands alone on its line: ruff lets a long one (an ARN) run past the limit there.
MODEL_ID = os.environ.get(
    "BEDROCK_MODEL_ID",
    "us.anthropic.claude-haiku-5-5",
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


# One Bedrock client for the process, shared by every conversation.
model = BedrockChatClient(model=MODEL_ID, region=AWS_REGION)


def shared_model() -> BedrockChatClient:
    """The model client the Agent runs on."""
    return model


@cache
def shared_agent() -> Agent:
    """The Agent every conversation runs, made at the first turn."""
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
    conversation = session
    prompt = read_prompt(payload)
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
