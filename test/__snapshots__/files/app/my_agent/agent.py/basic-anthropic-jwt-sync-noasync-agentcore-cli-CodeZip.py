"""An Amazon Bedrock AgentCore Runtime agent in plain Python.

No agent framework: the model class below calls the Anthropic API with its own SDK.
It is the place to call any other framework or model client; the entrypoint only needs
`answer()`.
"""

import asyncio
import os
from collections.abc import Iterator

from anthropic import Anthropic
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
