"""An Amazon Bedrock AgentCore Runtime agent in plain Python.

No agent framework: the model class below calls the Anthropic API with its own SDK.
It is the place to call any other framework or model client; the entrypoint only needs
`answer()` and `stream_answer()`.
"""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing

from anthropic import Anthropic
from bedrock_agentcore import BedrockAgentCoreApp, PingStatus, RequestContext
from starlette.exceptions import HTTPException

from api_key import api_key
from background import BackgroundTasks
from conversations import Conversations
from errors import caller_error

# The chosen values are defaults; the environment overrides them, so one image serves any region.
# The model ID stands alone on its line: ruff lets a long one (an ARN) run past the limit there.
MODEL_ID = os.environ.get(
    "ANTHROPIC_MODEL_ID",
    "claude-sonnet-4-6",
)
AWS_REGION = os.environ.get("AWS_REGION", "us-west-2")
SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly."
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100


class MessagesModel:
    """One Anthropic Messages API call per turn."""

    def __init__(self, model_id: str, client: Anthropic) -> None:
        self.model_id = model_id
        self.client = client

    def request(self, messages: list[dict]) -> dict:
        # The Messages API needs a cap on the length of each answer.
        return {
            "model": self.model_id,
            "max_tokens": 4096,
            "system": SYSTEM_PROMPT,
            "messages": messages,
        }

    def complete(self, messages: list[dict]) -> str:
        response = self.client.messages.create(**self.request(messages))
        return "".join(block.text for block in response.content if block.type == "text")

    def stream(self, messages: list[dict]) -> Iterator[str]:
        with self.client.messages.stream(**self.request(messages)) as events:
            yield from events.text_stream


def new_model() -> MessagesModel:
    return MessagesModel(MODEL_ID, Anthropic(api_key=api_key()))


def text_message(role: str, text: str) -> dict:
    return {"role": role, "content": text}


# The client is made at the first turn, not at import: deployed, the API key comes from AgentCore
# Identity, which needs a request's workload token. Every conversation then shares it.
model = None


def shared_model():
    """The model, made once with the API key (api_key.py says where it comes from)."""
    global model
    if model is None:
        model = new_model()
    return model


# Each conversation is its list of messages; its turns take turns (conversations.py).
conversations: Conversations[list[dict]] = Conversations(list, MAX_SESSIONS)


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    async with conversations.turn(conversation) as messages:
        messages.append(text_message("user", prompt))
        try:
            # The model call blocks; a thread keeps the event loop free for other requests.
            reply = await asyncio.to_thread(shared_model().complete, list(messages))
        except BaseException:
            messages.pop()  # a failed turn is not part of the conversation
            raise
        messages.append(text_message("assistant", reply))
    return reply


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, as the model produces them."""
    async with conversations.turn(conversation) as messages:
        messages.append(text_message("user", prompt))
        chunks = shared_model().stream(list(messages))
        reply = []
        try:
            while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
                reply.append(chunk)
                yield chunk
        except BaseException:
            messages.pop()  # a failed or abandoned turn is not part of the conversation
            raise
        messages.append(text_message("assistant", "".join(reply)))


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
    conversation = session
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
