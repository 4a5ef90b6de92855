"""Overlapping requests: one session's turns take turns; different sessions run side by side.

The agent runs on a real server and the fake model holds every call until the test releases it
(tests.support.HeldCalls), so each test chooses how the requests interleave: nothing here waits
on a clock.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import agent
from tests.support import (
    OTHER_SESSION,
    REPLY,
    TIMEOUT_SECONDS,
    HeldCalls,
    answer_text,
    conversation_key,
    error_of,
    send,
    serving,
)


@pytest.fixture
def server(fake_model):
    with serving(agent.app) as url:
        yield url


def overlap(server, held: HeldCalls, first: str, second: str):
    """Sends `first`, and `second` in the same session while the model holds `first`; then lets
    both through. Returns both responses."""
    with held.hearing_waits(), ThreadPoolExecutor(2) as pool:
        try:
            first_response = pool.submit(send, server, {"prompt": first})
            held.wait_until(lambda: first in held.inside, f"{first!r} reaches the model")
            second_response = pool.submit(send, server, {"prompt": second})
            # Either the agent makes the second turn wait (and says so), or it reaches the model
            # alongside the first: the overlap the tests below must never see.
            held.wait_until(
                lambda: held.waiting or second in held.entered,
                f"{second!r} waits for its turn or reaches the model",
            )
        finally:
            held.release(first)
            held.release(second)
        return first_response.result(TIMEOUT_SECONDS), second_response.result(TIMEOUT_SECONDS)


def assert_alternates(turns: list[tuple[str, str]]) -> None:
    roles = [role for role, _ in turns]
    assert roles == ["user", "assistant"] * (len(roles) // 2), turns


def test_two_requests_in_one_session_take_turns_and_a_third_follows(
    server, fake_model, stored_turns
):
    held = fake_model.on_call = HeldCalls()
    first, second = overlap(server, held, "First", "Second")
    assert answer_text(first) == REPLY
    assert answer_text(second) == REPLY
    assert held.overlaps == []
    # The second turn saw the first one's answer: it did not start from the same history.
    assert fake_model.calls == [["First"], ["First", "Second"]]

    held.release("Third")
    assert answer_text(send(server, {"prompt": "Third"})) == REPLY
    turns = stored_turns(conversation_key())
    assert_alternates(turns)
    assert turns == [
        ("user", "First"),
        ("assistant", REPLY),
        ("user", "Second"),
        ("assistant", REPLY),
        ("user", "Third"),
        ("assistant", REPLY),
    ]


def test_a_failing_turn_after_a_good_one_leaves_the_good_one_intact(
    server, fake_model, stored_turns
):
    held = fake_model.on_call = HeldCalls(failing=frozenset({"Fails"}))
    good, failed = overlap(server, held, "Good", "Fails")
    assert held.overlaps == []
    assert answer_text(good) == REPLY
    assert error_of(failed)["error_type"] == "RuntimeError"

    held.release("Next")
    assert answer_text(send(server, {"prompt": "Next"})) == REPLY
    assert fake_model.calls[-1] == ["Good", "Next"]
    assert stored_turns(conversation_key()) == [
        ("user", "Good"),
        ("assistant", REPLY),
        ("user", "Next"),
        ("assistant", REPLY),
    ]


def test_a_good_turn_after_a_failing_one_starts_from_before_it(server, fake_model, stored_turns):
    held = fake_model.on_call = HeldCalls(failing=frozenset({"Fails"}))
    failed, good = overlap(server, held, "Fails", "Good")
    assert held.overlaps == []
    assert error_of(failed)["error_type"] == "RuntimeError"
    assert answer_text(good) == REPLY
    assert fake_model.calls[-1] == ["Good"]
    assert stored_turns(conversation_key()) == [("user", "Good"), ("assistant", REPLY)]


def test_two_sessions_run_side_by_side(server, fake_model):
    # Each call waits at the barrier until the other is in the model too: if the sessions had to
    # take turns, the barrier would break and both requests would fail.
    both_inside = threading.Barrier(2, timeout=TIMEOUT_SECONDS)
    fake_model.on_call = lambda user_turns: both_inside.wait()
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(send, server, {"prompt": "Hello"})
        other = pool.submit(send, server, {"prompt": "Hi"}, OTHER_SESSION)
        assert answer_text(first.result(TIMEOUT_SECONDS)) == REPLY
        assert answer_text(other.result(TIMEOUT_SECONDS)) == REPLY
    assert sorted(fake_model.calls) == [["Hello"], ["Hi"]]
