"""The stand-in for the Dockerfile's base image, made here because public images cannot be pulled.

The generated Dockerfile starts FROM ghcr.io/astral-sh/uv:python3.13-bookworm-slim: Debian 12
slim with Python 3.13 and uv. The stand-in is Debian 12 (bookworm) too, made by debootstrap, with
Debian's own Python 3.11 as `python`/`pip` on PATH and uv installed with pip (as `uv`/`uvx` in
/usr/local/bin, and at / where uv's distroless image keeps them, for a `COPY --from=...uv...`).

What it cannot speak for (printed by the test, see CAVEATS):
- the CPU architecture: it is this machine's (x86-64), while AgentCore runs linux/arm64 images;
- the Python version: Debian's 3.11 instead of the image's 3.13 (wheels, syntax, stdlib);
- the exact contents of the real image (its uv version, preinstalled tools).
It does prove what the Dockerfile itself does: paths, COPY sources, .dockerignore, the install
steps, the user, the command, the port and the address the agent listens on.

Cached in .cache/container/: the debootstrapped root file system as a tarball (made once, about
three minutes with downloads), and the committed stand-in image in buildah's storage, named by a
hash of everything that goes into it, so a change to the recipe makes a new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

from buildah import Buildah

SUITE = "bookworm"  # the real image's Debian release
# python3-pip, python3-venv and passwd (useradd) are in the real python:*-slim based image too.
# No curl: the real slim image has none, so a Dockerfile that needed it must fail here as well.
PACKAGES = ("python3", "python3-venv", "python3-pip", "passwd", "ca-certificates")
MIRROR = os.environ.get("CONTAINER_DEBIAN_MIRROR", "http://deb.debian.org/debian")
RECIPE_VERSION = "1"  # bump when SETUP or the image config below changes
REPOSITORY = "localhost/create-agentcore-standin"

STANDIN_SUMMARY = f"{os.uname().machine}, Debian's Python 3.11; the real image is linux/arm64, Python 3.13"
CAVEATS = (
    "the base image is a stand-in (Debian 12 + Debian's Python 3.11 + uv from PyPI), not "
    "ghcr.io/astral-sh/uv:python3.13-bookworm-slim: it proves the Dockerfile's paths, COPY sources, "
    ".dockerignore, install steps, user, command, port and bind address",
    f"CPU architecture: this machine's ({os.uname().machine}); AgentCore runs linux/arm64 images, "
    "so wheels for arm64 and the arm64 build itself are not tested here",
    "Python: 3.11 here, 3.13 in the real image; code or wheels that differ between them are not tested",
)

# Host CA certificates the stand-in should trust, e.g. a TLS-inspecting proxy's: RUN steps reach
# PyPI from inside the build with the stand-in's trust store (uv reads SSL_CERT_FILE).
HOST_EXTRA_CAS = Path("/usr/local/share/ca-certificates")

# Run inside the stand-in, as root, once.
SETUP = """
set -eu
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then update-ca-certificates >/dev/null; fi
# The real image's Python is not Debian's: it has no PEP 668 marker, so `uv pip install --system`
# (UV_SYSTEM_PYTHON=1 in the Dockerfile) may install into it.
rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
ln -sf /usr/bin/python3 /usr/local/bin/python
ln -sf /usr/bin/pip3 /usr/local/bin/pip
pip install --quiet --no-cache-dir --disable-pip-version-check --root-user-action=ignore uv
ln -f /usr/local/bin/uv /uv
ln -f /usr/local/bin/uvx /uvx
rm -rf /root/.cache
echo "stand-in: $(python --version), $(uv --version)"
"""


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:12]


def _extra_cas() -> list[Path]:
    return sorted(HOST_EXTRA_CAS.glob("**/*.crt")) if HOST_EXTRA_CAS.is_dir() else []


def ensure_standin(bh: Buildah, cache: Path, logs: Path, rebuild: bool = False) -> tuple[str, str]:
    """The stand-in image's name, and how it was had ("cached", or what was made and how long)."""
    rootfs_key = _hash(SUITE, PACKAGES, MIRROR)
    cas = _extra_cas()
    key = _hash(rootfs_key, RECIPE_VERSION, SETUP, [(p.name, p.read_bytes()) for p in cas])
    name = f"{REPOSITORY}:{key}"
    if not rebuild and bh.image_exists(name):
        return name, "cached"

    started = time.monotonic()
    tarball = cache / f"rootfs-{SUITE}-{rootfs_key}.tar"
    made = []
    if rebuild or not tarball.exists():
        debootstrap(cache, tarball, logs / "debootstrap.log")
        made.append(f"debootstrap {time.monotonic() - started:.0f}s")

    step = time.monotonic()
    container = f"create-agentcore-standin-{os.getpid()}"
    bh.run("from", "--name", container, "scratch")
    try:
        bh.run("add", container, str(tarball), "/", timeout=600)  # a local tarball is unpacked
        if cas:
            bh.run("run", "--isolation", "chroot", container, "--", "mkdir", "-p", str(HOST_EXTRA_CAS))
            for ca in cas:
                bh.run("copy", container, str(ca), f"{HOST_EXTRA_CAS}/{ca.name}")
        bh.run(
            "config",
            "--env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--env", "LANG=C.UTF-8",  # as in the python:*-slim images
            # Stand-in only: uv trusts its built-in roots unless told; this makes it use the
            # system store, which holds the host's extra CAs (a TLS-inspecting proxy's, if any).
            "--env", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
            "--cmd", '["python3"]',
            "--label", f"create-agentcore.standin={key}",
            container,
        )
        out = bh.run("run", "--isolation", "chroot", container, "--", "sh", "-c", SETUP, timeout=600)
        (logs / "standin.log").write_text(out)
        bh.run("commit", "--rm", container, name, timeout=600)
    except BaseException:
        bh.remove_container(container)
        raise
    made.append(f"image {time.monotonic() - step:.0f}s")

    # Older stand-ins (an earlier recipe) only take space now.
    for old in bh.image_names(REPOSITORY):
        if old != name:
            bh.remove_image(old)
    return name, "made: " + ", ".join(made)


def debootstrap(cache: Path, tarball: Path, log: Path) -> None:
    """A minimal Debian root file system, packed as an uncompressed tarball (fast to unpack)."""
    target = cache / "rootfs.tmp"
    _remove_tree(target)
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE, str(target), MIRROR]
    try:
        with open(log, "w") as out:
            out.write(f"$ {' '.join(cmd)}\n")
            out.flush()
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, timeout=1200)
        if proc.returncode != 0:
            raise RuntimeError(f"debootstrap exited with {proc.returncode}; see {log}")
        # Downloaded packages and package lists: not part of an image.
        for leftover in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for path in (target / leftover).glob("*"):
                if path.is_file():
                    path.unlink()
        partial = tarball.with_suffix(".partial")
        subprocess.run(
            # /proc, /sys and /dev stay empty: buildah provides them when a container runs.
            ["tar", "-C", str(target), "--numeric-owner", "--one-file-system",
             "--exclude=./proc/*", "--exclude=./sys/*", "--exclude=./dev/*", "-cf", str(partial), "."],
            check=True, stdin=subprocess.DEVNULL, timeout=600,
        )
        partial.replace(tarball)
    finally:
        _remove_tree(target)


def _remove_tree(target: Path) -> None:
    """Remove a (possibly half-made) debootstrap target, unmounting what debootstrap mounted."""
    if not target.exists():
        return
    mounts = []
    with open("/proc/self/mounts") as f:
        for line in f:
            point = line.split()[1].replace("\\040", " ")
            if point == str(target) or point.startswith(f"{target}/"):
                mounts.append(point)
    for point in sorted(mounts, key=len, reverse=True):
        subprocess.run(["umount", "-l", point], check=False)
    # --one-file-system: never follow a mount that is somehow still there into the host.
    subprocess.run(["rm", "-rf", "--one-file-system", str(target)], check=False)
    if target.exists():
        raise RuntimeError(f"could not remove {target} (is something still mounted under it?)")
