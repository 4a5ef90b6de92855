#!/usr/bin/env bash
# Everything the project promises, checked: types, formatting and lint, the bundle, unit tests
# (the import-loop check among them), then generated projects end to end on the real SDK and
# frameworks, and their Dockerfiles built and run.
#
#   bash scripts/test.sh                   # everything (npm test)
#   bash scripts/test.sh --no-container    # all but the container proof, which needs root and
#                                          # apt-get (npm run test:no-root)
set -euo pipefail
cd "$(dirname "$0")/.."
container=yes
case "${1:-}" in
  "") ;;
  --no-container) container=no ;;
  *) echo "test.sh: unknown option $1; expected --no-container or nothing" >&2; exit 2 ;;
esac

npx tsc --noEmit -p .
npx biome ci .   # formatting and lint (npm run format fixes the formatting)
npm run build --silent
node --import tsx --test test/*.test.ts
bash scripts/e2e.sh
if [[ "$container" == yes ]]; then bash scripts/container.sh; fi
