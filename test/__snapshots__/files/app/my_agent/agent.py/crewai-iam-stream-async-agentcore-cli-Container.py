"""An Amazon Bedrock AgentCore Runtime agent built with CrewAI.

A standalone CrewAI `Agent` (no crew, no task) answers each turn; a conversation is its list of
messages, given to each run and extended when the run succeeds. CrewAI's own `memory` is not used:
it is semantic memory (facts found again by embeddings), not the transcript of a conversation.
Add tools beside `current_time`. The entrypoint only needs `answer()` and `stream_answer()`.
"""

import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import UTC, datetime

from bedrock_agentcore import BedrockAgentCoreApp, PingStatus, RequestContext
from starlette.exceptions import HTTPException

from background import BackgroundTasks
from conversations import Conversations
from errors import caller_error

# Read by CrewAI when it is imported. A deployed agent sends nothing to CrewAI's own servers: no
# anonymous usage telemetry, no traces, no check for a newer version. (OTEL_SDK_DISABLED would
# stop the telemetry too, but also the OpenTelemetry that AgentCore's observability runs on.)
os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")
os.environ.setdefault("CREWAI_DISABLE_VERSION_CHECK", "true")
# Importing CrewAI makes folders in the home folder (~/.local/share, ~/.config) and fails where it
# cannot write there, as in a container with a read-only file system: the temporary folder then
# stands in for it. This agent keeps nothing there.
if not os.access(os.path.expanduser("~"), os.W_OK):
    os.environ["HOME"] = tempfile.gettempdir()

from crewai import LLM, Agent, BaseLLM  # noqa: E402
from crewai.events.utils.console_formatter import set_suppress_console_output  # noqa: E402
from crewai.flow.flow import Flow, start  # noqa: E402
from crewai.lite_agent_output import LiteAgentOutput  # noqa: E402
from crewai.tools import tool  # noqa: E402

# The chosen values are defaults; the environment overrides them, so one image serves any region.
# The model ID stands alone on its line: ruff lets a long one (an ARN) run past the limit there.
MODEL_ID = os.environ.get(
    "BEDROCK_MODEL_ID",
    "us.anthropic.claude-haiku-5-5",
)
AWS_REGION = os.environ.get("AWS_REGION", "us-west-2")
ROLE = "Assistant"
GOAL = (
    "Answer briefly. When an answer depends on today's date or the time, call current_time first."
)
BACKSTORY = "You are a helpful assistant."
# Conversations are kept in memory, one per session; beyond this many the oldest is forgotten.
MAX_SESSIONS = 100

# CrewAI prints a panel to the console for each run and tool call, whatever `verbose` says: in
# the runtime's log they would be noise, and would repeat what tools returned. Errors still go
# to the log.
set_suppress_console_output(True)


def current_time() -> str:
    """The current date and time in UTC, in ISO 8601 format, e.g. 2026-11-22T09:30:00+00:00.

    Models do not know the date: use this for anything that depends on today or the time.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


TOOLS = [tool(current_time)]


# One Bedrock client for the process, shared by every conversation. provider="bedrock" takes the
# model ID as it is (an inference profile or an ARN too) to CrewAI's own Bedrock class, which calls
# the Converse API with boto3. The region is given: that class does not read AWS_REGION.
model = LLM(model=MODEL_ID, provider="bedrock", region_name=AWS_REGION, stream=True)


def shared_model() -> BaseLLM:
    """The model every run uses."""
    return model


def new_agent() -> Agent:
    """The agent for one turn; a new one each time, as a CrewAI agent keeps the state of its run."""
    return Agent(role=ROLE, goal=GOAL, backstory=BACKSTORY, llm=shared_model(), tools=TOOLS)


# A conversation is its messages ({"role", "content"}). Its turns take turns (conversations.py):
# two runs at once would both start from the same messages, and one would drop the other's turn.
conversations: Conversations[list[dict]] = Conversations(list, MAX_SESSIONS)


async def answer(prompt: str, conversation: str) -> str:
    """The model's answer to `prompt`, remembering earlier turns of the same conversation."""
    async with conversations.turn(conversation) as messages:
        turn = [*messages, {"role": "user", "content": prompt}]
        # CrewAI shows the model the last user message as "Current Task: ..."; `raw` is the
        # model's own text, and the conversation keeps the prompt as it was sent.
        result = await new_agent().kickoff_async(turn)
        # Only a turn that succeeded joins the conversation.
        messages[:] = [*turn, {"role": "assistant", "content": result.raw}]
    return result.raw


class Turn(Flow):
    """One turn run as a CrewAI Flow: `Flow.astream()` is CrewAI's way to stream a run's model
    chunks (a standalone Agent has no stream of its own). Its input is the turn's messages."""

    # A Flow makes itself a semantic memory (a LanceDB store: seconds to load, and a folder on
    # disk) unless told not to, as CrewAI's own internal flows are; this one remembers nothing.
    _skip_auto_memory: bool = True

    @start()
    async def reply(self) -> LiteAgentOutput:
        return await new_agent().kickoff_async(self.state["messages"])


async def stream_answer(prompt: str, conversation: str) -> AsyncIterator[str]:
    """The answer as text chunks, as the model produces them."""
    async with conversations.turn(conversation) as messages:
        turn = [*messages, {"role": "user", "content": prompt}]
        async with Turn().astream(inputs={"messages": turn}) as stream:
            # The "llm" channel carries the model's chunks: its text, its thinking, and its tool
            # calls (whose chunk is the call's arguments, or nothing).
            async for frame in stream.llm:
                if frame.type == "llm_stream_chunk" and not frame.data.get("tool_call"):
                    yield frame.content
        # Only a turn streamed to the end joins the conversation: one that failed, or that the
        # caller left, leaves the messages as they were.
        messages[:] = [*turn, {"role": "assistant", "content": stream.result.raw}]


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
