"""buildah, always with this test's own storage: vfs under .cache/container, chroot isolation.

The storage is private to the test (its own --root and --runroot), so clearing leftover working
containers there can never touch anybody else's images or containers. vfs needs no kernel
overlay support and works wherever root does; chroot isolation needs no OCI runtime (runc).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path


class BuildahError(RuntimeError):
    pass


class Buildah:
    def __init__(self, cache: Path) -> None:
        self.storage = cache / "storage"
        self.runroot = cache / "runroot"
        self.prefix = [
            "buildah", "--root", str(self.storage), "--runroot", str(self.runroot),
            "--storage-driver", "vfs",
        ]
        # Every buildah command that runs something (build, run) uses chroot isolation.
        self.env = {**os.environ, "BUILDAH_ISOLATION": "chroot"}

    def command(self, *args: str) -> list[str]:
        return [*self.prefix, *map(str, args)]

    def run(self, *args: str, timeout: float = 600, check: bool = True) -> str:
        """Run a buildah command to completion; its stdout (stderr is in the error)."""
        proc = subprocess.run(
            self.command(*args), env=self.env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=timeout,
        )
        if check and proc.returncode != 0:
            raise BuildahError(
                f"buildah {' '.join(map(str, args))} exited with {proc.returncode}: "
                f"{(proc.stderr or proc.stdout).strip()[-800:]}"
            )
        return proc.stdout

    def run_logged(self, *args: str, log: Path, timeout: float) -> int:
        """Run a long buildah command (a build) with its output in `log`; its exit status."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "w") as out:
            out.write(f"$ {' '.join(self.command(*args))}\n")
            out.flush()
            proc = subprocess.run(
                self.command(*args), env=self.env, stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
            )
        return proc.returncode

    # --- images ---------------------------------------------------------------------------

    def image_exists(self, name: str) -> bool:
        return self.run("inspect", "--type", "image", name, check=False, timeout=60).strip() != ""

    def image_config(self, name: str) -> dict:
        """The image's OCI config: User, Env, Entrypoint, Cmd, WorkingDir, ExposedPorts."""
        data = json.loads(self.run("inspect", "--type", "image", name, timeout=60))
        return data["OCIv1"].get("config") or {}

    def image_size(self, name: str) -> str:
        """The image's size as buildah reports it (uncompressed, e.g. "335 MB")."""
        return self.run("images", "--format", "{{.Size}}", name, timeout=60).strip().splitlines()[0]

    def image_names(self, repository: str) -> list[str]:
        """Every name in this storage that starts with `repository:`."""
        out = self.run("images", "--format", "{{.Name}}:{{.Tag}}", timeout=60)
        return [line for line in out.split() if line.startswith(repository + ":")]

    def remove_image(self, name: str) -> None:
        self.run("rmi", "--force", name, check=False, timeout=120)

    # --- working containers ---------------------------------------------------------------

    def remove_all_containers(self) -> None:
        """Working containers left in this test's storage by an interrupted run."""
        self.run("rm", "--all", check=False, timeout=300)

    def remove_container(self, name: str) -> None:
        self.run("rm", name, check=False, timeout=120)
