"""Loopback stand-in for the AgentCore Identity operations behind bedrock_agentcore.identity.requires_api_key.

Data plane (boto3 "bedrock-agentcore", rest-json, SigV4 not checked):
  POST /identities/GetWorkloadAccessToken            {workloadName}            -> {workloadAccessToken}
  POST /identities/GetWorkloadAccessTokenForUserId   {workloadName, userId}    -> {workloadAccessToken}
  POST /identities/GetWorkloadAccessTokenForJWT      {workloadName, userToken} -> {workloadAccessToken}
  POST /identities/api-key   {workloadIdentityToken, resourceCredentialProviderName} -> {apiKey}   (GetResourceApiKey)
Control plane (boto3 "bedrock-agentcore-control"; only used by the local-dev path):
  POST /identities/CreateWorkloadIdentity  {name, allowedResourceOauth2ReturnUrls} -> {name, workloadIdentityArn, allowedResourceOauth2ReturnUrls}
Point clients here with AWS_ENDPOINT_URL_BEDROCK_AGENTCORE / AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL (boto3),
or BEDROCK_AGENTCORE_DP_ENDPOINT / BEDROCK_AGENTCORE_CP_ENDPOINT (read by bedrock_agentcore at *import*).
"""
from __future__ import annotations

import sys

try:
    from ._common import BaseHandler, StandinServer
except ImportError:
    from _common import BaseHandler, StandinServer


class Handler(BaseHandler):
    def _error(self, status, code, message):
        self.send_json(status, {"message": message}, {"x-amzn-ErrorType": code})

    def do_POST(self):
        body = self.read_json()
        path = self.path.split("?")[0]
        self.record(body, None, False)
        srv = self.server
        if path == "/identities/api-key":
            if body.get("workloadIdentityToken") not in srv.valid_tokens:
                return self._error(403, "AccessDeniedException", "invalid workload identity token")
            key = srv.api_keys.get(body.get("resourceCredentialProviderName"))
            if key is None:
                return self._error(404, "ResourceNotFoundException", "credential provider not found")
            return self.send_json(200, {"apiKey": key})
        if path.startswith("/identities/GetWorkloadAccessToken"):
            tok = f"wat-{body.get('workloadName')}-{body.get('userId') or 'jwt' if 'ForJWT' in path else body.get('userId') or 'none'}"
            srv.valid_tokens.add(tok)
            return self.send_json(200, {"workloadAccessToken": tok})
        if path == "/identities/CreateWorkloadIdentity":
            name = body.get("name")
            return self.send_json(201, {"name": name, "allowedResourceOauth2ReturnUrls": body.get("allowedResourceOauth2ReturnUrls", []),
                                        "workloadIdentityArn": f"arn:aws:bedrock-agentcore:us-west-2:123456789012:workload-identity-directory/default/workload-identity/{name}"})
        return self._error(404, "UnknownOperationException", path)


def make_server(api_keys: dict[str, str] | None = None, valid_tokens: set[str] | None = None, port: int = 0) -> StandinServer:
    s = StandinServer(Handler, port=port)
    s.api_keys = dict(api_keys or {"anthropic-key-provider": "sk-ant-from-identity"})
    s.valid_tokens = set(valid_tokens or {"wat-from-runtime-header"})
    return s


if __name__ == "__main__":
    s = make_server(port=int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(s.url, flush=True)
    s.serve_forever()
