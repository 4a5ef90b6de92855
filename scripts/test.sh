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

# A full run writes about 5 GB under .cache (projects, venvs, images); a full disk fails it late
# with ENOSPC deep in some tool's output, so say it up front.
free_kb=$(df -Pk . 2>/dev/null | awk 'NR == 2 { print $4 }') || true
if [[ "$free_kb" =~ ^[0-9]+$ ]] && ((free_kb < 8 * 1024 * 1024)); then
  echo "test.sh: warning: $((free_kb / 1024 / 1024)) GB free here; a full run writes about 5 GB" >&2
fi

stage tsc npx tsc --noEmit -p .
stage biome npx biome ci .   # formatting and lint (npm run format fixes the formatting)
stage build npm run build --silent

# The container proof needs only dist/ and uv, and waits on the network, buildah and the disk more
# than on a processor: it runs beside the unit tests and the e2e, its output kept in a log that is
# printed when it ends. uv is installed first, so the two never install it at once.
if [[ "$container" == yes ]]; then
  bash scripts/pyenv.sh uv >/dev/null
  container_log=.cache/container-stage.log
  mkdir -p .cache
  (
    started=$SECONDS status=0
    bash scripts/container.sh >"$container_log" 2>&1 || status=$?
    echo "$((SECONDS - started)) $status" >"$container_log.status"
  ) &
  container_pid=$!
fi
finish_container() {
  [[ "$container" == yes ]] || return 0
  wait "$container_pid" || true
  cat "$container_log"
  local secs status
  read -r secs status <"$container_log.status" || { secs="?" status=1; }
  stage_times+="${stage_times:+, }container ${secs}s (beside unit and e2e)"
  ((status == 0)) || stage_times+=" (failed: exit $status)"
  return "$status"
}

status=0
# Two test files at a time (test:unit): node's default on 2 cores is one, which leaves a core idle.
stage unit npm run --silent test:unit || status=$?
((status != 0)) || stage e2e bash scripts/e2e.sh || status=$?
finish_container || status=$?
exit "$status"
