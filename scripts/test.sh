#!/usr/bin/env bash
# Everything the project promises, checked: types, the bundle, unit tests, then generated
# projects end to end on the real SDK and frameworks, and their Dockerfiles built and run.
# Run through `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsc --noEmit -p .
npm run build --silent
node --import tsx --test test/*.test.ts
bash scripts/e2e.sh
bash scripts/container.sh
