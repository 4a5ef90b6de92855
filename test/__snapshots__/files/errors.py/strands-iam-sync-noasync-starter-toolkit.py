"""What a caller learns when the agent fails: a short message, the error's type and the request id.

An exception's text can carry ARNs, account ids and other internals, so it goes to the log (in
CloudWatch, deployed) and not to the caller, unless AGENT_ERROR_DETAILS=1 asks for it: for local
debugging only. (The SDK's BedrockAgentCoreApp(debug=True) is no substitute: it also turns on
actions that let any caller force the health status.)
"""

import os

from bedrock_agentcore import BedrockAgentCoreContext

SHORT_MESSAGE = "the agent could not answer; its log has the details"


def caller_error(error: Exception) -> dict:
    """The error as the caller sees it; the request id finds it in the log."""
    body = {
        "error": SHORT_MESSAGE,
        "error_type": type(error).__name__,
        "request_id": BedrockAgentCoreContext.get_request_id(),
    }
    if os.environ.get("AGENT_ERROR_DETAILS") == "1":
        body["details"] = str(error)
    return body
