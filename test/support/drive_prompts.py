"""Drives an interactive command through a pseudo-terminal, as a person at a keyboard would.

    python drive_prompts.py SCRIPT.json -- COMMAND...

SCRIPT.json is a list of [expected text, keys to send]: wait until the screen shows the text,
then type the keys. Prints the whole transcript (ANSI codes stripped) as JSON with the exit
code, and the same output as it came, escape codes and all (to check colours, spinners and what
reaches the terminal): {"code": N, "transcript": "...", "raw": "..."}. Stdlib only.
"""

import codecs
import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

TIMEOUT_SECONDS = 60  # a shared 2-core machine can be slow; a run that passes takes seconds
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def main() -> None:
    script_path, command = sys.argv[1], sys.argv[sys.argv.index("--") + 1 :]
    with open(script_path) as f:
        steps = json.load(f)

    leader, follower = pty.openpty()
    # A real terminal has a size; without one, prompts wrap at every character.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.set_blocking(leader, False)
    env = {**os.environ, "TERM": "xterm-256color"}
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)

    screen = ""
    raw = ""
    seen_until = 0  # each expectation must appear after the previous one
    deadline = time.monotonic() + TIMEOUT_SECONDS

    # Incremental: a character split between two reads (a spinner frame, a box line) stays whole.
    decoder = codecs.getincrementaldecoder("utf8")("replace")

    def read_available(wait: float) -> None:
        nonlocal screen, raw
        ready, _, _ = select.select([leader], [], [], wait)
        if ready:
            try:
                text = decoder.decode(os.read(leader, 65536))
            except OSError:  # the child closed the terminal
                time.sleep(wait)
                return
            raw += text
            screen += ANSI.sub("", text)

    for expected, keys in steps:
        while expected not in screen[seen_until:]:
            if time.monotonic() > deadline or process.poll() is not None and not select.select([leader], [], [], 0)[0]:
                print(json.dumps({"code": None, "error": f"never saw {expected!r}", "transcript": screen, "raw": raw}))
                process.kill()
                sys.exit(1)
            read_available(0.05)
        seen_until = screen.index(expected, seen_until) + len(expected)
        time.sleep(0.05)  # let the prompt finish drawing before typing
        os.write(leader, keys.encode())

    while process.poll() is None and time.monotonic() < deadline:
        read_available(0.05)
    read_available(0.1)
    if process.poll() is None:
        process.kill()
    print(json.dumps({"code": process.returncode, "transcript": screen, "raw": raw}))


if __name__ == "__main__":
    main()
