"""Where the Anthropic API key comes from: the environment, else AgentCore Identity."""

import pytest

import api_key

KEY = "AGENTCORE_CREDENTIAL_ANTHROPIC_API_KEY"


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    """No key anywhere, whatever the shell running the tests has."""
    for variable in [*api_key.KEY_VARIABLES, api_key.CREDENTIAL_PROVIDER_VARIABLE]:
        monkeypatch.delenv(variable, raising=False)


def test_the_environment_gives_the_key(monkeypatch):
    monkeypatch.setenv(KEY, "key-from-env")
    assert api_key.api_key() == "key-from-env"


def test_the_agentcore_cli_variable_wins_over_the_sdk_one(monkeypatch):
    # agentcore/.env.local names it AGENTCORE_CREDENTIAL_<NAME>; the SDK's own name also works.
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sdk-variable")
    assert api_key.api_key() == "sdk-variable"
    monkeypatch.setenv(KEY, "agentcore-variable")
    assert api_key.api_key() == "agentcore-variable"


def test_deployed_the_key_comes_from_the_credential_provider_the_runtime_names(monkeypatch):
    asked = []
    monkeypatch.setattr(
        api_key, "key_from_identity", lambda name: asked.append(name) or "key-from-identity"
    )
    monkeypatch.setenv(api_key.CREDENTIAL_PROVIDER_VARIABLE, "anthropic-api-key")
    assert api_key.api_key() == "key-from-identity"
    assert asked == ["anthropic-api-key"]


def test_no_key_is_one_clear_error_naming_where_to_put_it():
    with pytest.raises(api_key.MissingApiKeyError, match=KEY):
        api_key.api_key()
