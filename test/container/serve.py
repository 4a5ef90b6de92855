"""Runs one built image's own command and checks the agent from outside the container.

    unshare --net -- python3 serve.py SPEC.json RESULT.json

run_container.py starts this in a fresh network namespace: loopback only, nothing else. So port
8080 never clashes with another agent on this machine (another test's, a developer's), and the
container cannot reach anything but the loopback stand-in started here — Bedrock's, or the model
provider's (test/support/providers/standins) with the key given as a local run gets it — not AWS,
not the internet. The container runs with chroot isolation (no namespaces of its own for network or
processes), so its process is an ordinary process of this namespace and visible in /proc: that is
how its user, its command and its listening socket are checked.

SPEC (JSON): case, cache, container, command, image_env, streaming, reply, prompt, session,
provider, expected_model_id, fake_bedrock, logs, pidfile; with a provider other than bedrock, also
key_variable, base_url_variable and base_url_suffix. RESULT (JSON): start_secs, facts, failures.
Every process started here is stopped here by its process id, also on failure; each one is also
written to `pidfile` (pid and start time) so the caller can stop it if this process is killed.
"""

from __future__ import annotations

import http.client
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support" / "providers"))
from buildah import Buildah  # noqa: E402
from processes import stop_group  # noqa: E402

PORT = 8080  # AgentCore's HTTP protocol port; BedrockAgentCoreApp.run() listens on it
PING_TIMEOUT = 120  # seconds from the command's start until /ping must answer (cold imports)
INVOKE_TIMEOUT = 60
SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"
AUTO_INSTRUMENTATION = "opentelemetry/instrumentation/auto_instrumentation"
# The API key a provider project's container gets in its environment, as `docker run -e` would give it.
CONTAINER_KEY = "sk-container-test-key"


class Failure(Exception):
    """A check that did not hold; its message says what went wrong."""


# --- processes, through /proc ------------------------------------------------------------

def proc_stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, start time in clock ticks) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
    return int(fields[1]), fields[19]


def descendants(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := proc_stat(int(entry.name))):
            parents[int(entry.name)] = stat[0]
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


def uids(pid: int) -> list[int]:
    """Real, effective, saved and file-system uid."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return [int(x) for x in line.split()[1:]]
    raise Failure(f"no Uid line in /proc/{pid}/status")


def _address(hex_address: str) -> str:
    """/proc/net/tcp{,6} addresses are in host byte order, 32 bits at a time."""
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    return socket.inet_ntop(socket.AF_INET6, b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))


def listening_addresses(pid: int, port: int) -> list[str]:
    """The addresses this process has a listening TCP socket on, for `port` ("0.0.0.0", "::"…)."""
    inodes = set()
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # gone meanwhile
        return []
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for table in ("tcp", "tcp6"):
        try:
            rows = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            return []
        for row in rows:
            fields = row.split()
            local, state, inode = fields[1], fields[3], fields[9]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port and inode in inodes:  # 0A: LISTEN
                found.append(_address(address))
    return found


# --- HTTP ----------------------------------------------------------------------------------

# No proxies: every request here is to this namespace's loopback.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def request(method: str, url: str, body: dict | None = None, headers: dict | None = None,
            timeout: float = 10) -> tuple[int, str, str]:
    """(status, content type, body text); HTTP errors are answers too."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with _opener.open(req, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def ping(host: str = "127.0.0.1") -> dict | None:
    """/ping's JSON, or None when nothing (healthy) answers yet."""
    try:
        status, _, text = request("GET", f"http://{host}:{PORT}/ping", timeout=2)
    except (OSError, http.client.HTTPException):  # not listening (yet), or cut off
        return None
    return json.loads(text) if status == 200 else None


# --- the run -------------------------------------------------------------------------------

class Serve:
    def __init__(self, spec: dict) -> None:
        self.spec = spec
        self.logs = Path(spec["logs"])
        self.bh = Buildah(Path(spec["cache"]))
        self.facts: list[str] = []
        self.failures: list[str] = []
        self.start_secs: float | None = None
        self.fake: subprocess.Popen | None = None
        self.standin = None  # a provider's stand-in server, in this process
        self.agent: subprocess.Popen | None = None  # `buildah run`, the container's process tree
        self.agent_pid: int | None = None  # the agent's own (Python) process inside it

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = (self.logs / f"{self.spec['case']}.container.log").read_text(errors="replace")
        except OSError:
            return "    (no output)"
        return "\n".join("    | " + line for line in text.rstrip().splitlines()[-lines:]) or "    (no output)"

    def started(self, pid: int) -> None:
        """Note a process we started, for the caller to stop should this process be killed."""
        stat = proc_stat(pid)
        with open(self.spec["pidfile"], "a") as f:
            f.write(f"{pid} {stat[1] if stat else '?'}\n")

    def spawn(self, cmd: list[str], log_name: str) -> subprocess.Popen:
        """A child in its own process group, so stop() ends it and everything it started."""
        with open(self.logs / log_name, "wb") as out:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started(proc.pid)
        return proc

    def check(self, what: str, fn) -> None:
        """Run one check; a failure is recorded with what was being checked, and we go on."""
        try:
            fn()
        except Failure as error:
            self.failures.append(f"{what}: {error}")
        except Exception as error:  # a bug or an unexpected answer: still say which check
            self.failures.append(f"{what}: {type(error).__name__}: {error}")

    # --- steps ---

    def run(self) -> None:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        provider = self.spec["provider"]
        if provider == "bedrock":
            fake_url = self.start_fake_bedrock()
            self.start_agent({"AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake_url})
        else:
            module = importlib.import_module(f"standins.{provider}_standin")
            self.standin = module.make_server().start()
            base_url = self.standin.url + self.spec["base_url_suffix"]
            self.start_agent({self.spec["base_url_variable"]: base_url, self.spec["key_variable"]: CONTAINER_KEY})
        self.check("the agent's process (uid 1000)", self.check_user)
        self.check("the command (opentelemetry-instrument)", self.check_instrumented)
        self.check("the bind address (0.0.0.0)", self.check_bind_address)
        self.check("POST /invocations", self.check_invocation)
        if provider == "bedrock":
            self.check("the model ID sent to Bedrock", lambda: self.check_model(fake_url))
        else:
            self.check(f"the model ID and key sent to {provider}", self.check_provider_call)

    def start_fake_bedrock(self) -> str:
        port_file = self.logs / f"{self.spec['case']}.fake-bedrock.port"
        port_file.unlink(missing_ok=True)
        self.fake = self.spawn(
            [sys.executable, self.spec["fake_bedrock"], "--port", "0", "--reply", self.spec["reply"],
             "--port-file", str(port_file), "--verbose"],
            f"{self.spec['case']}.fake-bedrock.log",
        )
        deadline = time.monotonic() + 15
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.fake.poll() is not None or time.monotonic() > deadline:
                raise Failure(f"fake_bedrock.py did not start (see {self.logs}/{self.spec['case']}.fake-bedrock.log)")
            time.sleep(0.05)
        return f"http://127.0.0.1:{int(port_file.read_text())}"

    def start_agent(self, endpoints: dict[str, str]) -> None:
        """`buildah run` the image's own command (Entrypoint + Cmd) as the image's USER."""
        env = {
            **endpoints,
            "AWS_ACCESS_KEY_ID": "AKIDCONTAINERTEST",
            "AWS_SECRET_ACCESS_KEY": "container-test-secret",
        }
        env_flags = [flag for key, value in env.items() for flag in ("--env", f"{key}={value}")]
        cmd = self.bh.command(
            "run", "--isolation", "chroot", "--network", "host", *env_flags,
            self.spec["container"], "--", *self.spec["command"],
        )
        began = time.monotonic()
        self.agent = self.spawn(cmd, f"{self.spec['case']}.container.log")
        while time.monotonic() - began < PING_TIMEOUT:
            if self.agent.poll() is not None:
                raise Failure(
                    f"the container's command {self.spec['command']} exited with status "
                    f"{self.agent.returncode} before GET /ping answered; its output:\n{self.log_tail()}"
                )
            answer = ping()
            if answer is not None:
                self.start_secs = time.monotonic() - began
                if answer.get("status") != "Healthy":
                    raise Failure(f'GET /ping answered {answer}, expected status "Healthy"')
                self.facts.append(f"GET /ping: Healthy after {self.start_secs:.1f}s")
                break
            time.sleep(0.2)
        else:
            raise Failure(
                f"GET http://127.0.0.1:{PORT}/ping: no answer within {PING_TIMEOUT}s; output:\n{self.log_tail()}"
            )

        # The agent's own process: the one in the container's process tree that listens on 8080.
        listeners = [pid for pid in descendants(self.agent.pid) if listening_addresses(pid, PORT)]
        if len(listeners) != 1:
            raise Failure(
                f"expected one process of the container listening on port {PORT}, found {listeners} "
                f"(processes: {[(p, cmdline(p)) for p in descendants(self.agent.pid)]})"
            )
        self.agent_pid = listeners[0]
        self.started(self.agent_pid)

    def check_user(self) -> None:
        ids = uids(self.agent_pid)
        self.facts.append(f"agent process {self.agent_pid}: {' '.join(cmdline(self.agent_pid))!r}, uids {ids}")
        if set(ids) != {1000}:
            user = self.spec["user"]
            hint = (f"is the Dockerfile's USER (image User: {user!r}) still the uid-1000 user?" if user
                    else "the image has no USER, so it runs as root: was the Dockerfile's USER line dropped?")
            raise Failure(f"the agent runs with uids {ids} (real, effective, saved, fs), not 1000: {hint}")

    def check_instrumented(self) -> None:
        command = self.spec["command"]
        if not command or os.path.basename(command[0]) != "opentelemetry-instrument":
            raise Failure(f"the image's command is {command}, which does not start with opentelemetry-instrument")
        # opentelemetry-instrument puts its auto_instrumentation directory (sitecustomize.py) first
        # on PYTHONPATH, then execs the program: the live process carries that mark.
        path = environ(self.agent_pid).get("PYTHONPATH", "").split(os.pathsep)
        if not path or not path[0].rstrip("/").endswith(AUTO_INSTRUMENTATION):
            raise Failure(
                f"the agent process (pid {self.agent_pid}) was not started through opentelemetry-instrument: "
                f"its PYTHONPATH is {path!r}, with no …/{AUTO_INSTRUMENTATION} first"
            )
        self.facts.append(f"instrumented: PYTHONPATH starts with {path[0]}")

    def check_bind_address(self) -> None:
        addresses = listening_addresses(self.agent_pid, PORT)
        where = ", ".join(f"{address}:{PORT}" for address in addresses)
        self.facts.append(f"listening on {where} (/proc/{self.agent_pid}/net/tcp)")
        wildcard = {"0.0.0.0", "::"} & set(addresses)
        # 127.0.0.2 is loopback too, but a socket bound to 127.0.0.1 does not accept it:
        # an answer there shows, from outside, that the agent listens on every address.
        other = ping("127.0.0.2")
        if wildcard and other is not None:
            return
        docker_container = self.spec["image_env"].get("DOCKER_CONTAINER")
        raise Failure(
            f"the agent listens on {addresses} port {PORT}, not 0.0.0.0 "
            f"({'no answer' if other is None else 'an answer'} at 127.0.0.2:{PORT}), so AgentCore's "
            f"runtime could not reach it from outside the container. BedrockAgentCoreApp binds 0.0.0.0 "
            f"only when DOCKER_CONTAINER is set (or /.dockerenv exists, which Docker creates at run "
            f"time; no image carries it): the image has "
            + (f"DOCKER_CONTAINER={docker_container!r}" if docker_container is not None
               else "no DOCKER_CONTAINER in its Env — was ENV DOCKER_CONTAINER=1 dropped from the Dockerfile?")
        )

    def check_invocation(self) -> None:
        spec = self.spec
        status, content_type, text = request(
            "POST", f"http://127.0.0.1:{PORT}/invocations", {"prompt": spec["prompt"]},
            {SESSION_HEADER: spec["session"]}, timeout=INVOKE_TIMEOUT,
        )
        if status != 200:
            raise Failure(f"status {status} ({content_type}): {text[:500]}\n{self.log_tail(15)}")
        if spec["streaming"]:
            if not content_type.startswith("text/event-stream"):
                raise Failure(f"expected a text/event-stream answer (streaming), got {content_type}: {text[:300]}")
            events = [json.loads(line[len("data: "):]) for line in text.splitlines() if line.startswith("data: ")]
            if not events or not all(isinstance(e, str) for e in events) or "".join(events) != spec["reply"]:
                raise Failure(f"expected text events that join to {spec['reply']!r}, got {events!r}")
            self.facts.append(f"POST /invocations: 200 text/event-stream, {len(events)} events joining to the reply")
        else:
            if not content_type.startswith("application/json"):
                raise Failure(f"expected application/json, got {content_type}: {text[:300]}")
            body = json.loads(text)
            expected = {"result": spec["reply"], "session_id": spec["session"]}
            if not isinstance(body, dict) or {k: body.get(k) for k in expected} != expected:
                raise Failure(f"expected a body with {expected}, got {body!r}")
            self.facts.append("POST /invocations: 200 application/json with the reply and the session id")

    def check_model(self, fake_url: str) -> None:
        _, _, text = request("GET", f"{fake_url}/_requests")
        recorded = json.loads(text)
        if not recorded:
            raise Failure(
                "the agent never called the Bedrock stand-in (is AWS_ENDPOINT_URL_BEDROCK_RUNTIME honoured?)"
            )
        models = sorted({r["modelId"] for r in recorded})
        if models != [self.spec["expected_model_id"]]:
            raise Failure(
                f"the agent asked for {models}, expected {self.spec['expected_model_id']!r} "
                f"(the ID the CLI resolved, inference-profile prefix included)"
            )
        user_turns = [
            block.get("text") for r in recorded for m in r["body"].get("messages", [])
            if m.get("role") == "user" for block in m.get("content", [])
        ]
        # The prompt ends the user turn (CrewAI leads it with "Current Task: ").
        if not any(isinstance(turn, str) and turn.endswith(self.spec["prompt"]) for turn in user_turns):
            raise Failure(f"the prompt did not reach the model; user turns sent: {user_turns!r}")
        self.facts.append(f"Bedrock got {len(recorded)} request(s) for {models[0]} ({recorded[0]['operation']})")

    def check_provider_call(self) -> None:
        provider, calls = self.spec["provider"], [r for r in self.standin.requests if r.model is not None]
        if not calls:
            raise Failure(
                f"the agent never called the {provider} stand-in (is {self.spec['base_url_variable']} honoured?); "
                f"requests: {[r.path for r in self.standin.requests]}"
            )
        models = sorted({r.model for r in calls})
        if models != [self.spec["expected_model_id"]]:
            raise Failure(f"the agent asked for {models}, expected {self.spec['expected_model_id']!r}")
        if not all(self.spec["prompt"] in json.dumps(r.body, ensure_ascii=False) for r in calls):
            raise Failure("the prompt did not reach the model")
        if not all(any(CONTAINER_KEY in value for value in r.headers.values()) for r in calls):
            raise Failure(f"the key in {self.spec['key_variable']} did not reach {provider}")
        self.facts.append(
            f"{provider} got {len(calls)} request(s) for {models[0]} ({calls[0].path}) with the key from "
            f"{self.spec['key_variable']}"
        )

    # --- stopping ---

    def stop(self) -> None:
        """Stop what we started, by process id (its group), and check the agent is gone."""
        if self.agent_pid is not None and self.agent is not None and self.agent.poll() is None:
            # As `docker stop` would: SIGTERM to the agent's process, and a grace period.
            os.kill(self.agent_pid, signal.SIGTERM)
            began = time.monotonic()
            try:
                self.agent.wait(10)
                self.facts.append(f"the agent exited {time.monotonic() - began:.1f}s after SIGTERM")
            except subprocess.TimeoutExpired:
                self.facts.append("the agent did not exit within 10s of SIGTERM; killed")
        for proc in (self.agent, self.fake):
            if proc is not None:
                stop_group(proc, grace=10)
        if self.standin is not None:
            self.standin.stop()
        if self.agent_pid is not None and proc_stat(self.agent_pid) is not None:
            os.kill(self.agent_pid, signal.SIGKILL)
            self.failures.append(
                f"stopping: the agent process {self.agent_pid} outlived its container process and was killed"
            )


def _terminate(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through the finally below, which stops everything


def main(spec_path: str, result_path: str) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    spec = json.loads(Path(spec_path).read_text())
    serve = Serve(spec)
    try:
        serve.run()
    except Failure as error:
        serve.failures.append(str(error))
    except Exception as error:
        serve.failures.append(f"{type(error).__name__}: {error}")
    finally:
        serve.stop()
        Path(result_path).write_text(json.dumps(
            {"start_secs": serve.start_secs, "facts": serve.facts, "failures": serve.failures}
        ))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
