"""Hooks of the e2e suite: one test per generated project (from the manifest), and markers.

The suite checks projects that test/e2e/run_e2e.py generated; run it through
`bash scripts/e2e.sh`. It reads the manifest named by $E2E_MANIFEST; without one every test here
is skipped (the projects do not exist yet).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from e2e_helpers import (
    MANIFEST_PATH,
    PROJECTS,
    REPLY,
    REPO,
    STARTER_PROJECTS,
    WORK,
    loopback_up,
    start,
    stop,
    wait_for,
)


def pytest_configure(config):
    config.addinivalue_line("markers", "http: starts real servers (run one at a time)")
    config.addinivalue_line("markers", "agentcore: runs the real AgentCore CLI")
    if os.environ.get("E2E_NETNS") == "1":  # run_e2e.py started us in a new network namespace
        loopback_up()


def pytest_collection_modifyitems(config, items):
    if MANIFEST_PATH:
        return
    skip = pytest.mark.skip(reason="no $E2E_MANIFEST: run `bash scripts/e2e.sh`")
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(skip)


def pytest_generate_tests(metafunc):
    """`project`: every generated project; `starter_project`: those deployed with the starter
    toolkit; `http_project`: the ones served over HTTP."""
    if "project" in metafunc.fixturenames:
        metafunc.parametrize("project", PROJECTS, ids=[p["id"] for p in PROJECTS])
    if "starter_project" in metafunc.fixturenames:
        metafunc.parametrize("starter_project", STARTER_PROJECTS, ids=[p["id"] for p in STARTER_PROJECTS])
    if "http_project" in metafunc.fixturenames:
        served = [p for p in PROJECTS if p["http"]]
        metafunc.parametrize("http_project", served, ids=[p["id"] for p in served])


@pytest.fixture
def fake_bedrock(request, tmp_path):
    """The Bedrock stand-in, on a free port, answering REPLY; yields its base URL. Its log is
    named after the test (test_http[basic-iam-…].fake-bedrock.log)."""
    port_file = tmp_path / "fake.port"
    log = WORK / "logs" / f"{request.node.name}.fake-bedrock.log"
    proc = start(
        [
            sys.executable,
            REPO / "test" / "support" / "fake_bedrock.py",
            "--port",
            "0",
            "--reply",
            REPLY,
            "--port-file",
            port_file,
            "--verbose",
        ],
        cwd=REPO,
        env=dict(os.environ),
        log=log,
    )
    try:
        port = wait_for(
            lambda: port_file.exists() and port_file.read_text().strip(), 15, "fake_bedrock.py", proc, log
        )
        yield f"http://127.0.0.1:{int(port)}"
    finally:
        stop(proc)
