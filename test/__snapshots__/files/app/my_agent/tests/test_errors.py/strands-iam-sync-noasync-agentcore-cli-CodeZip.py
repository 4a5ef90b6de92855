"""A failure tells the caller its kind and the request id, never the error's own text, which can
carry ARNs and account ids: that goes to the log."""

from errors import SHORT_MESSAGE
from tests.support import REQUEST_ID_HEADER, error_of, invoke

TEXT = "User: arn:aws:sts::123456789012:assumed-role/AgentRole/x is not authorized"
REQUEST_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_the_caller_gets_the_type_and_request_id_and_the_log_gets_the_text(
    client, fake_model, caplog
):
    fake_model.error = PermissionError(TEXT)
    response = invoke(client, {"prompt": "Hello"}, headers={REQUEST_ID_HEADER: REQUEST_ID})
    assert error_of(response) == {
        "error": SHORT_MESSAGE,
        "error_type": "PermissionError",
        "request_id": REQUEST_ID,
    }
    assert "123456789012" not in response.text
    assert TEXT in caplog.text


def test_the_text_reaches_the_caller_only_when_asked_for(client, fake_model, monkeypatch):
    monkeypatch.setenv("AGENT_ERROR_DETAILS", "1")
    fake_model.error = PermissionError(TEXT)
    assert error_of(invoke(client, {"prompt": "Hello"}))["details"] == TEXT
