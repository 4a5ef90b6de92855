"""An Amazon Bedrock AgentCore Runtime agent built with LangGraph.

`build_graph()` makes a LangChain agent (a LangGraph graph in which the model calls tools until it
can answer) on the OpenAI API. Every conversation is a LangGraph thread, kept by
an in-memory checkpointer. The entrypoint only needs `answer()` and `stream_answer()`.
"""

import os
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing, asynccontextmanager
from typing import Any

from langchain.agents import create_agent
from langchain.chat_models import BaseChatModel
from langchain.messages import AIMessage, RemoveMessage
from langchain.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.message import REMOVE_ALL_MESSAGES
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
    "OPENAI_MODEL_ID",
    "gpt-5.5",
)
AWS_REGION = os.environ.get("AWS_REGION", "us-west-2")
SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly."
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100
# How `stream_answer()` cuts the answer, after LangGraph's stream modes. Every item is a string, so
# a caller gets the whole answer by joining them:
#   "messages": the text as the model generates it, token by token (what a chat window wants);
#   "updates":  each AI message whole, when the graph step that wrote it ends;
#   "values":   the same, read from the full state LangGraph emits after every step.
# When the model calls a tool, what it says before the call is streamed too; tool calls and tool
# results are not (they are not text for the caller).
STREAM_MODE = "values"


@tool
def current_time() -> str:
    """The current date and time in UTC (ISO 8601). Use it for questions about today or now."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def build_graph(model: BaseChatModel):
    """The agent: `model` with the tools, remembering each conversation (thread) in memory."""
    return create_agent(
        model, tools=[current_time], system_prompt=SYSTEM_PROMPT, checkpointer=InMemorySaver()
    )


def new_model() -> ChatOpenAI:
    """The model client, with the API key (api_key.py says where it comes from)."""
    return ChatOpenAI(model=MODEL_ID, api_key=api_key())


# The graph is made at the first turn, not at import: deployed, the API key comes from AgentCore
# Identity, which needs a request's workload token. Every conversation then shares it.
graph = None


def shared_graph():
    """The graph every turn runs, made once on the model `new_model()` makes."""
    global graph
    if graph is None:
        graph = build_graph(new_model())
    return graph


async def forget_thread(thread_id: str) -> None:
    await shared_graph().checkpointer.adelete_thread(thread_id)


# A conversation is a LangGraph thread; its turns take turns (conversations.py), since two turns
# running at once would both start from the same checkpoint and one would be lost.
conversations: Conversations[None] = Conversations(lambda: None, MAX_SESSIONS, forget_thread)


@asynccontextmanager
async def turn(conversation: str) -> AsyncIterator[dict]:
    """The graph config for one turn of `conversation`, which is its LangGraph thread id.

    A turn that fails or is cancelled is not part of the conversation: its prompt, and any tool
    calls it made, are removed, so the next turn starts from the last answer. Turns take turns,
    so this rewinds only the turn's own messages.
    """
    async with conversations.turn(conversation):
        config = {"configurable": {"thread_id": conversation}}
        before = (await shared_graph().aget_state(config)).values.get("messages", [])
        try:
            yield config
        except BaseException:
            rewound = [RemoveMessage(id=REMOVE_ALL_MESSAGES), *before]
            # Written as if by the agent's "model" node, after which the graph has nothing to run.
            await shared_graph().aupdate_state(config, {"messages": rewound}, as_node="model")
            raise


def user_turn(prompt: str) -> dict:
    return {"messages": [{"role": "user", "content": prompt}]}


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    async with turn(conversation) as config:
        state = await shared_graph().ainvoke(user_turn(prompt), config)
    # `.text` joins the text blocks: a Claude message's content can be a list of blocks.
    return state["messages"][-1].text


def stream_texts(event: Any, seen: set[str]) -> Iterator[str]:
    """The text in one item of `graph.astream(..., stream_mode=STREAM_MODE)`.

    `seen` holds the ids of the last messages of earlier "values" items.
    """
    if STREAM_MODE == "messages":
        # (message, metadata): a chunk per token, or the whole message from a model that does not
        # stream. Tool-call chunks have no text, and tool results are not AI messages.
        messages = [event[0]]
    elif STREAM_MODE == "updates":
        # {node name: what the node wrote} per step (a node may write nothing: None).
        written = [update for update in event.values() if isinstance(update, dict)]
        messages = [message for update in written for message in update.get("messages", [])]
    else:
        # "values": the whole state after every step; its last message is the step's news.
        messages = [message for message in event["messages"][-1:] if message.id not in seen]
        seen.update(message.id for message in messages)
    for message in messages:
        if isinstance(message, AIMessage) and message.text:
            yield message.text


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, cut as STREAM_MODE (above) says."""
    seen: set[str] = set()
    async with turn(conversation) as config:
        events = shared_graph().astream(user_turn(prompt), config, stream_mode=STREAM_MODE)
        # Closed before `turn` cleans up, also when the caller goes away mid-stream.
        async with aclosing(events):
            async for event in events:
                for text in stream_texts(event, seen):
                    yield text


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
