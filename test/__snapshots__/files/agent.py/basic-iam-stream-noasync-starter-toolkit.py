"""An Amazon Bedrock AgentCore Runtime agent in plain Python.

No agent framework: the model class below calls the Bedrock Converse API with boto3.
It is the place to call any other framework or model client; the entrypoint only needs
`answer()` and `stream_answer()`.
"""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing

import boto3
from bedrock_agentcore import BedrockAgentCoreApp, RequestContext
from starlette.exceptions import HTTPException

from conversations import Conversations
from errors import caller_error

# The chosen values are defaults; the environment overrides them, so one image serves any region.
# The model ID stands alone on its line: ruff lets a long one (an ARN) run past the limit there.
MODEL_ID = os.environ.get(
    "BEDROCK_MODEL_ID",
    "us.anthropic.claude-haiku-5-5",
)
AWS_REGION = os.environ.get("AWS_REGION", "us-west-2")
SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly."
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100


class ConverseModel:
    """One Bedrock Converse call per turn."""

    def __init__(self, model_id: str, region: str) -> None:
        self.model_id = model_id
        self.client = boto3.client("bedrock-runtime", region_name=region)

    def complete(self, messages: list[dict]) -> str:
        response = self.client.converse(
            modelId=self.model_id, messages=messages, system=[{"text": SYSTEM_PROMPT}]
        )
        content = response["output"]["message"]["content"]
        return "".join(block.get("text", "") for block in content)

    def stream(self, messages: list[dict]) -> Iterator[str]:
        response = self.client.converse_stream(
            modelId=self.model_id, messages=messages, system=[{"text": SYSTEM_PROMPT}]
        )
        for event in response["stream"]:
            text = event.get("contentBlockDelta", {}).get("delta", {}).get("text")
            if text:
                yield text


model = ConverseModel(MODEL_ID, AWS_REGION)


def text_message(role: str, text: str) -> dict:
    return {"role": role, "content": [{"text": text}]}


# Each conversation is its list of messages; its turns take turns (conversations.py).
conversations: Conversations[list[dict]] = Conversations(list, MAX_SESSIONS)


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    async with conversations.turn(conversation) as messages:
        messages.append(text_message("user", prompt))
        try:
            # The model call blocks; a thread keeps the event loop free for other requests.
            reply = await asyncio.to_thread(model.complete, list(messages))
        except BaseException:
            messages.pop()  # a failed turn is not part of the conversation
            raise
        messages.append(text_message("assistant", reply))
    return reply


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, as the model produces them."""
    async with conversations.turn(conversation) as messages:
        messages.append(text_message("user", prompt))
        chunks = model.stream(list(messages))
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
    prompt = read_prompt(payload)
    # Returned, not yielded: the checks above still answer with a plain 400, and the SDK
    # streams the generator as server-sent events.
    return reported(stream_answer(prompt, conversation))


if __name__ == "__main__":
    # Uvicorn's "running on" line tells a local run when it is ready (importing takes a while).
    app.run(log_level="info")
