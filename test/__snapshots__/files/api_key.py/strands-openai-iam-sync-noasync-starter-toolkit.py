"""The OpenAI API key. This project never writes it down, and neither should you.

- Locally (`uv run --env-file .env python agent.py`, the tests): the environment variable
  OPENAI_API_KEY, which you put in .env (git ignores it).
- Deployed on AgentCore Runtime: AgentCore Identity.
  You create an API-key credential provider and give the runtime its name in
  CREDENTIAL_OPENAI_API_KEY_NAME (README.md).
  The key is fetched with the request's workload token: inside a request, never at import.
"""

import os

from bedrock_agentcore.identity.auth import requires_api_key

KEY_VARIABLES = ["OPENAI_API_KEY"]
CREDENTIAL_PROVIDER_VARIABLE = "CREDENTIAL_OPENAI_API_KEY_NAME"


class MissingApiKeyError(RuntimeError):
    """Neither the environment nor AgentCore Identity has the key."""


def api_key() -> str:
    """The key from the environment, else from the AgentCore Identity credential provider."""
    for variable in KEY_VARIABLES:
        if key := os.environ.get(variable):
            return key
    if provider_name := os.environ.get(CREDENTIAL_PROVIDER_VARIABLE):
        return key_from_identity(provider_name)
    raise MissingApiKeyError(
        f"no API key: set {KEY_VARIABLES[0]} in .env, or deploy with an "
        f"AgentCore Identity credential provider named in {CREDENTIAL_PROVIDER_VARIABLE}"
    )


def key_from_identity(provider_name: str) -> str:
    """GetResourceApiKey through the bedrock-agentcore SDK, for the current request's workload."""

    @requires_api_key(provider_name=provider_name)
    def fetch(*, api_key: str) -> str:
        return api_key

    return fetch()
