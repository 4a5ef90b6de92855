#!/usr/bin/env bash
# Builds each framework's generated Dockerfile for real with buildah (no Docker engine needed),
# runs the image's own command, and checks the running agent from outside: /ping, /invocations
# against a loopback Bedrock (or model provider) stand-in, the model ID it asked for, uid 1000, opentelemetry-instrument,
# and that it listens on 0.0.0.0; that the image holds exactly the versions uv.lock pins; and that
# a project without uv.lock, or with a stale one, does not build. Never calls AWS. Details:
# test/container/run_container.py.
#
#   bash scripts/container.sh                  # one case per framework (the first streams), two lock cases
#   bash scripts/container.sh --only basic     # only cases whose name contains "basic"
#   bash scripts/container.sh --keep           # keep the images and generated projects
#   bash scripts/container.sh --rebuild-base   # remake the cached stand-in base image
#
# Expects dist/ built (npm run build). Needs root (buildah with chroot isolation, unshare) and
# Linux; installs buildah and debootstrap from Debian's packages when they are missing.
# Cache: .cache/container/ (git-ignored): the debootstrapped base and buildah's own storage, so a
# warm run skips the ~2-3 minutes of making the stand-in base image; CONTAINER_CACHE_DIR puts it
# elsewhere (a clean clone in CI has no .cache/: point this at a folder the CI cache keeps).
# Exit 1 on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ "$(id -u)" != 0 ]]; then
  echo "container: needs root (buildah --isolation chroot, debootstrap, unshare --net)" >&2
  exit 2
fi

# The tools, from Debian's packages when missing: buildah builds and runs the image, debootstrap
# makes the stand-in base image, iproute2 (ip) brings up loopback in the private network.
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "container: missing ${missing[*]} and no apt-get to install them" >&2
    exit 2
  fi
  echo "container: installing ${missing[*]} (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python="${CONTAINER_PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "container: needs Python 3.11+ (tomllib) as ${python}; set CONTAINER_PYTHON" >&2
  exit 2
fi
# uv (pinned in pyenv.sh, exported as $UV) locks each project before it is built, as the README says.
VENV_PYTHON="$python" source "$root/scripts/pyenv.sh" uv >/dev/null
exec "$python" "$root/test/container/run_container.py" "$@"
