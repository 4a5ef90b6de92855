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

# Each stage's time, printed at the end (also when a stage fails), so CI's log says where it went.
stage_times=""
report() { [[ -z "$stage_times" ]] || echo "test.sh: stage times: $stage_times" >&2; }
trap report EXIT
stage() {
  local name="$1" started=$SECONDS status=0
  shift
  "$@" || status=$?
  stage_times+="${stage_times:+, }$name $((SECONDS - started))s"
  ((status == 0)) || stage_times+=" (failed: exit $status)"
  return "$status"
}

stage tsc npx tsc --noEmit -p .
stage biome npx biome ci .   # formatting and lint (npm run format fixes the formatting)
stage build npm run build --silent
stage unit node --import tsx --test test/*.test.ts
stage e2e bash scripts/e2e.sh
if [[ "$container" == yes ]]; then stage container bash scripts/container.sh; fi
