#!/usr/bin/env bash
# End-to-end proof that generated projects work: packs and installs the CLI as a user would,
# generates every framework/streaming/async-task/auth combination, runs each project's own
# tests and lint in the venv its pyproject.toml declares, validates .bedrock_agentcore.yaml with
# the real starter toolkit, lints each Dockerfile with hadolint, and serves one agent per
# framework over real HTTP against a loopback Bedrock stand-in. Never calls AWS.
#
#   bash scripts/e2e.sh                    # everything (expects dist/ built: npm run build)
#   bash scripts/e2e.sh --only strands     # only combinations whose id contains "strands"
#
# Work folder: .cache/e2e/ (cleaned at the start; logs in .cache/e2e/logs/). Venvs and uv's
# cache stay under .cache/ between runs (scripts/pyenv.sh). Exit 1 on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${E2E_PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "e2e: needs Python 3.11+ (tomllib) as ${python}; set E2E_PYTHON" >&2
  exit 2
fi
"$python" "$root/test/e2e/run_e2e.py" "$@"

# The stand-ins the proof rests on, checked against the clients they stand in for (in the venvs
# the run above made): the loopback Bedrock against real boto3, Strands and langchain-aws; the
# Anthropic, OpenAI, Gemini and AgentCore Identity ones against the SDKs Strands' extras install.
if [ $# -eq 0 ]; then
  for framework in strands langgraph; do
    "$root/.cache/venvs/e2e-$framework/bin/python" -m pytest "$root/test/support/test_fake_bedrock.py" -q -p no:cacheprovider
  done
  "$root/.cache/venvs/e2e-strands/bin/python" -m pytest "$root/test/support/providers/standins" -q -p no:cacheprovider
fi
