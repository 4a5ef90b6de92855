"""An Amazon Bedrock AgentCore Runtime agent built with CrewAI.

A standalone CrewAI `Agent` (no crew, no task) answers each turn; a conversation is its list of
messages, given to each run and extended when the run succeeds. CrewAI's own `memory` is not used:
it is semantic memory (facts found again by embeddings), not the transcript of a conversation.
Add tools beside `current_time`. The entrypoint only needs `answer()`.
"""

import os
import tempfile
from datetime import UTC, datetime

from bedrock_agentcore import BedrockAgentCoreApp, RequestContext
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from conversations import Conversations
from errors import caller_error
from identity import caller_id

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
model = LLM(model=MODEL_ID, provider="bedrock", region_name=AWS_REGION)


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
