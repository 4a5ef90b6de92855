"""Stopping what a test started: a child run in its own session, and everything it spawned."""

import os
import signal
import subprocess


def stop_group(proc: subprocess.Popen, grace: float = 5) -> None:
    """SIGTERM the child's process group, then SIGKILL what is left after `grace` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(grace)
            # The leader is gone; members of its group may not be: signal the group once more.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
        except subprocess.TimeoutExpired:
            continue
    if proc.poll() is None:
        proc.wait(5)
