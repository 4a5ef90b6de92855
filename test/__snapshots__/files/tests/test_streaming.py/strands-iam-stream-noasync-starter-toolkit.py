"""Streaming: the answer arrives as server-sent events, one JSON string per text chunk."""

from tests.support import REPLY, invoke, sse_events


def test_the_answer_streams_as_text_chunks(client):
    response = invoke(client, {"prompt": "Say hello"})
    assert response.status_code == 200
    chunks = sse_events(response)
    assert len(chunks) > 1, "expected the reply in several chunks"
    assert all(isinstance(chunk, str) for chunk in chunks)
    assert "".join(chunks) == REPLY


def test_every_event_is_a_data_line_followed_by_a_blank_line(client):
    response = invoke(client, {"prompt": "Say hello"})
    events = response.text.split("\n\n")
    assert events[-1] == ""
    assert all(event.startswith("data: ") and "\n" not in event for event in events[:-1])


def test_a_bad_payload_is_a_plain_400_not_a_stream(client, fake_model):
    response = invoke(client, {"message": "no prompt key"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert '"prompt"' in response.json()["error"]
    assert fake_model.calls == []


def test_a_model_failure_mid_stream_ends_with_an_error_event(client, fake_model):
    fake_model.error = RuntimeError("model unavailable")
    response = invoke(client, {"prompt": "Say hello"})
    # The stream has started (status 200) before the model fails, so the SDK reports the
    # failure as the last event rather than as an HTTP status.
    assert response.status_code == 200
    last = sse_events(response)[-1]
    assert isinstance(last, dict)
    assert last["error_type"] == "RuntimeError"
    assert "model unavailable" not in response.text  # tests/test_errors.py: it is in the log
