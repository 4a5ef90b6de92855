#!/usr/bin/env bash
# Everything the project promises, checked: types, formatting and lint, the bundle, unit tests
# (the import-loop check among them), then generated projects end to end on the real SDK and
# frameworks, and their Dockerfiles built and run.
# Run through `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsc --noEmit -p .
npx biome ci .   # formatting and lint (npm run format fixes the formatting)
npm run build --silent
node --import tsx --test test/*.test.ts
bash scripts/e2e.sh
bash scripts/container.sh
