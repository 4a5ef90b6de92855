"""An Amazon Bedrock AgentCore Runtime agent in plain Python.

No agent framework: the model class below calls the Google Gemini API with its own SDK.
It is the place to call any other framework or model client; the entrypoint only needs
`answer()`.
"""

import asyncio
import os
from collections.abc import Iterator

from google import genai
from google.genai import types
from bedrock_agentcore import BedrockAgentCoreApp, PingStatus, RequestContext
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

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
SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly."
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100


class ContentModel:
    """One Gemini generateContent call per turn."""

    def __init__(self, model_id: str, client: genai.Client) -> None:
        self.model_id = model_id
        self.client = client  # kept: a Client closes its connections when it is collected

    def request(self, messages: list[dict]) -> dict:
        config = types.GenerateContentConfig(system_instruction=SYSTEM_PROMPT)
        return {"model": self.model_id, "contents": messages, "config": config}

    def complete(self, messages: list[dict]) -> str:
        return self.client.models.generate_content(**self.request(messages)).text or ""

    def stream(self, messages: list[dict]) -> Iterator[str]:
        for chunk in self.client.models.generate_content_stream(**self.request(messages)):
            if chunk.text:
                yield chunk.text


def new_model() -> ContentModel:
    return ContentModel(MODEL_ID, genai.Client(api_key=api_key()))


def text_message(role: str, text: str) -> dict:
    # Gemini calls the assistant's turns the model's.
    return {"role": "model" if role == "assistant" else role, "parts": [{"text": text}]}


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
