#!/usr/bin/env bash
# Make (or reuse) a cached Python virtual environment for the repo's tests.
#
#   bash scripts/pyenv.sh NAME REQUIREMENT...     # prints the venv path last
#   source scripts/pyenv.sh NAME REQUIREMENT...   # also exports VENV_DIR, UV, UV_CACHE_DIR
#
# REQUIREMENTs go to `uv pip install` as they are (package specs, `-r file`, `-e path`).
# Everything lives under the repo's ignored .cache/ folder:
#   .cache/tools/venv   uv itself (installed with pip, pinned below)
#   .cache/uv           uv's download/wheel cache, so reinstalls are offline-fast
#   .cache/venvs/NAME   the environment; .cache/venvs/NAME/.pyenv-stamp records what
#                       was installed, so a rerun with the same list does nothing;
#                       a changed list installs on top (nothing is uninstalled).
# Progress goes to stderr; stdout gets only the venv path.
# Environment: VENV_PYTHON (default python3) picks the interpreter the venv is based on.

_pyenv_uv_version=0.13.9

_pyenv_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The work runs in a subshell, so sourcing this file changes no option of the caller's
# shell. Every step that matters ends in `|| exit`: bash ignores `set -e` inside a
# function called from an `if` condition, so strict mode alone would not stop it.
_pyenv_build() (
  set -uo pipefail
  name="$1"; shift
  root="$_pyenv_root"
  tools="$root/.cache/tools/venv"
  venv="$root/.cache/venvs/$name"
  uv="$tools/bin/uv"
  export UV_CACHE_DIR="$root/.cache/uv"
  export UV_PYTHON_DOWNLOADS=never   # only registries are reachable: never fetch a Python build
  export UV_NO_PROGRESS=1

  mkdir -p "$root/.cache/venvs" || exit
  # Tests may call this in parallel for the same venv: serialise on a lock file.
  if command -v flock >/dev/null; then
    exec 9>"$venv.lock"
    flock 9 || exit
  fi

  # The real interpreter path, not a pyenv shim (a shim's target depends on cwd/env).
  python="$("${VENV_PYTHON:-python3}" -c 'import sys; print(sys.executable)')" || exit
  pyver="$("$python" -c 'import sys; print(sys.version.split()[0])')" || exit

  # Stamp = interpreter + uv pin + requirements (sorted, so order does not matter)
  # + the content hash of any argument that is a file (e.g. after -r).
  stamp="python $pyver $python"$'\n'"uv $_pyenv_uv_version"$'\n'
  stamp+="$(printf '%s\n' "$@" | LC_ALL=C sort)"$'\n'
  for arg in "$@"; do
    if [[ -f "$arg" ]]; then stamp+="$(sha256sum "$arg")"$'\n'; fi
  done
  if [[ -x "$venv/bin/python" ]] && cmp -s "$venv/.pyenv-stamp" <(printf '%s' "$stamp"); then
    echo "pyenv: $name is up to date" >&2
    exit 0
  fi

  if [[ ! -x "$uv" ]] || [[ "$("$uv" --version)" != "uv $_pyenv_uv_version"* ]]; then
    echo "pyenv: installing uv $_pyenv_uv_version into $tools" >&2
    [[ -x "$tools/bin/pip" ]] || "$python" -m venv "$tools" || exit
    PIP_CACHE_DIR="$root/.cache/pip" "$tools/bin/pip" install -q "uv==$_pyenv_uv_version" >&2 || exit
  fi

  if [[ ! -x "$venv/bin/python" ]]; then
    echo "pyenv: creating $venv" >&2
    "$uv" venv -q --clear --python "$python" "$venv" >&2 || exit
  fi
  rm -f "$venv/.pyenv-stamp"   # a failed install must not look finished next time
  if (($#)); then
    echo "pyenv: installing $* into $name" >&2
    # Offline first: with a warm .cache/uv that takes a fraction of a second instead of
    # several seconds of index revalidation. Anything not in the cache goes online.
    "$uv" pip install -q --offline --python "$venv/bin/python" "$@" >/dev/null 2>&1 ||
      "$uv" pip install -q --python "$venv/bin/python" "$@" >&2 || exit
  fi
  printf '%s' "$stamp" >"$venv/.pyenv-stamp" || exit
)

if (($# < 1)) || [[ ! "$1" =~ ^[A-Za-z0-9._-]+$ ]]; then
  echo "usage: bash scripts/pyenv.sh NAME [REQUIREMENT...]" >&2
  # `return` when sourced, `exit` when run.
  return 2 2>/dev/null || exit 2
fi

if _pyenv_build "$@"; then
  if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then   # sourced: hand the paths to the caller
    export VENV_DIR="$_pyenv_root/.cache/venvs/$1"
    export UV="$_pyenv_root/.cache/tools/venv/bin/uv"
    export UV_CACHE_DIR="$_pyenv_root/.cache/uv"
  fi
  echo "$_pyenv_root/.cache/venvs/$1"
else
  _pyenv_status=$?
  echo "pyenv: failed to make $1" >&2
  return "$_pyenv_status" 2>/dev/null || exit "$_pyenv_status"
fi
