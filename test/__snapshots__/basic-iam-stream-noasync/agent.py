"""An Amazon Bedrock AgentCore Runtime agent in plain Python.

No agent framework: `ConverseModel` below calls the Bedrock Converse API with boto3. It is the
place to call any other framework or model client; the entrypoint only needs `answer()`
and `stream_answer()`.
"""

import asyncio
import os
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator

import boto3
from bedrock_agentcore import BedrockAgentCoreApp, RequestContext
from starlette.exceptions import HTTPException

# The chosen values are defaults; the environment overrides them, so one image serves any region.
MODEL_ID = os.environ.get("BEDROCK_MODEL_ID", "us.anthropic.claude-haiku-5-5")
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
conversations: OrderedDict[str, list[dict]] = OrderedDict()


def conversation_for(key: str) -> list[dict]:
    """The messages of one conversation, most recently used last."""
    messages = conversations.setdefault(key, [])
    conversations.move_to_end(key)
    while len(conversations) > MAX_SESSIONS:
        conversations.popitem(last=False)
    return messages


def text_message(role: str, text: str) -> dict:
    return {"role": role, "content": [{"text": text}]}


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    messages = conversation_for(conversation)
    messages.append(text_message("user", prompt))
    try:
        # boto3 blocks; a thread keeps the SDK's event loop free for other requests.
        reply = await asyncio.to_thread(model.complete, list(messages))
    except BaseException:
        messages.pop()  # a failed turn is not part of the conversation
        raise
    messages.append(text_message("assistant", reply))
    return reply


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, as the model produces them."""
    messages = conversation_for(conversation)
    messages.append(text_message("user", prompt))
    chunks = model.stream(list(messages))
    reply = []
    try:
        while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
            reply.append(chunk)
            yield chunk
    except BaseException:
        messages.pop()
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


@app.entrypoint
async def invoke(payload: dict, context: RequestContext):
    """Handles POST /invocations. `context.session_id` comes from the runtime's session header."""
    session = context.session_id or "local"
    conversation = session
    prompt = read_prompt(payload)
    # Returned, not yielded: the checks above still answer with a plain 400, and the SDK
    # streams the generator as server-sent events.
    return stream_answer(prompt, conversation)


if __name__ == "__main__":
    app.run()
