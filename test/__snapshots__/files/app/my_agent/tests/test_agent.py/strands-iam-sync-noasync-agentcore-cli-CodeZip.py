"""The agent's HTTP contract, tested through the real BedrockAgentCoreApp."""

from tests.support import OTHER_SESSION, REPLY, SESSION, answer_text, invoke


def test_ping_reports_healthy(client):
    response = client.get("/ping")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "Healthy"
    assert isinstance(body["time_of_last_update"], int)


def test_invocation_returns_the_model_answer(client, fake_model):
    response = invoke(client, {"prompt": "Say hello"})
    assert answer_text(response) == REPLY
    assert fake_model.calls == [["Say hello"]]


def test_a_session_remembers_its_earlier_turns(client, fake_model):
    answer_text(invoke(client, {"prompt": "My name is Ada."}, session_id=SESSION))
    answer_text(invoke(client, {"prompt": "What is my name?"}, session_id=SESSION))
    assert fake_model.calls[-1] == ["My name is Ada.", "What is my name?"]


def test_sessions_do_not_share_a_conversation(client, fake_model):
    answer_text(invoke(client, {"prompt": "My name is Ada."}, session_id=SESSION))
    answer_text(invoke(client, {"prompt": "What is my name?"}, session_id=OTHER_SESSION))
    assert fake_model.calls[-1] == ["What is my name?"]


def test_invalid_json_is_a_400(client):
    headers = {"Content-Type": "application/json"}
    response = client.post("/invocations", content=b"{not json", headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid JSON"


def test_a_payload_without_a_prompt_gets_a_clear_400(client, fake_model):
    for payload in ({}, {"prompt": "   "}, {"prompt": 42}, ["not", "an", "object"]):
        response = invoke(client, payload)
        assert response.status_code == 400, payload
        assert '"prompt"' in response.json()["error"]
    assert fake_model.calls == []
