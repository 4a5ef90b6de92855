"""A loopback stand-in for AWS as the starter toolkit's deploy first meets it, for offline tests.

With AWS_ENDPOINT_URL=http://127.0.0.1:PORT (and dummy credentials), every boto3 client sends
its requests here. STS GetCallerIdentity answers with ACCOUNT; every other call is recorded and
refused with AccessDeniedException, so a deploy stops at its first call that is not STS and the
test can see how far it got. Stdlib only; run it in a thread (`FakeAws().start()`).
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT = "210987654321"
IDENTITY = f"""<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:aws:iam::{ACCOUNT}:user/e2e</Arn><UserId>AIDAE2E</UserId>
<Account>{ACCOUNT}</Account></GetCallerIdentityResult>
<ResponseMetadata><RequestId>e2e-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"""
# The service a SigV4 request is for: Credential=<key>/<date>/<region>/<service>/aws4_request
CREDENTIAL = re.compile(r"Credential=[^/]+/\d+/[^/]+/([^/]+)/")


class FakeAws(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.calls: list[dict] = []  # {"service", "operation"} in the order they came
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FakeAws:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def record(self, service: str, operation: str) -> None:
        with self._lock:
            self.calls.append({"service": service, "operation": operation})


class _Handler(BaseHTTPRequestHandler):
    server: FakeAws

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def do_PUT(self):
        self._answer()

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode(errors="replace")
        match = CREDENTIAL.search(self.headers.get("Authorization", ""))
        service = match.group(1) if match else "?"
        # JSON protocols name the operation in X-Amz-Target; query protocols in Action=.
        action = re.search(r"(?:^|&)Action=(\w+)", body)
        target = self.headers.get("X-Amz-Target", "")
        operation = action.group(1) if action else target.rpartition(".")[2] or self.path
        self.server.record(service, operation)
        if service == "sts" and operation == "GetCallerIdentity":
            self._send(200, IDENTITY.encode(), "text/xml")
        else:
            error = {"__type": "AccessDeniedException", "message": "loopback stand-in: the test stops here"}
            self._send(403, json.dumps(error).encode(), "application/x-amz-json-1.1",
                       {"x-amzn-ErrorType": "AccessDeniedException"})

    def _send(self, status: int, data: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
