import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from standins import anthropic_standin, gemini_standin, openai_standin  # noqa: E402


@pytest.fixture
def anthropic_server():
    with anthropic_standin.make_server() as s:
        yield s


@pytest.fixture
def openai_server():
    with openai_standin.make_server() as s:
        yield s


@pytest.fixture
def gemini_server():
    with gemini_standin.make_server() as s:
        yield s


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch):
    # never let a real key or endpoint from the environment leak into a test
    for k in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL",
              "GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL", "GOOGLE_GENAI_USE_VERTEXAI"):
        monkeypatch.delenv(k, raising=False)
