"""Who is calling: the claims of the JWT that AgentCore has already validated.

With a JWT authorizer, AgentCore checks the token's signature, issuer, client or audience and
expiry before a request reaches this container, so the agent only reads it. It arrives when the
runtime's request header allowlist includes `Authorization` (see .bedrock_agentcore.yaml).

For local runs, where nothing validates tokens, `python identity.py alice` prints an unsigned
token for the user "alice".
"""

import argparse
import base64
import binascii
import json

from bedrock_agentcore import RequestContext
from starlette.exceptions import HTTPException

NO_TOKEN = (
    "no bearer token: send 'Authorization: Bearer <JWT>'. Deployed, AgentCore forwards it only "
    "when 'Authorization' is in the runtime's request header allowlist; locally, make one with "
    "`python identity.py <user>`"
)


def claims(context: RequestContext) -> dict:
    """The token's claims, or a 401 that says what is missing."""
    headers = context.request_headers or {}
    authorization = headers.get("Authorization") or headers.get("authorization") or ""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(status_code=401, detail=NO_TOKEN)
    try:
        payload = token.strip().split(".")[1]
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error) as error:
        raise HTTPException(status_code=401, detail=f"not a JWT: {error}") from error
    if not isinstance(decoded, dict):
        raise HTTPException(status_code=401, detail="the JWT's payload is not a JSON object")
    return decoded


def caller_id(context: RequestContext) -> str:
    """The caller's stable id: the token's `sub` (for a machine client, its client id)."""
    token_claims = claims(context)
    subject = token_claims.get("sub") or token_claims.get("client_id")
    if not isinstance(subject, str) or not subject:
        raise HTTPException(status_code=401, detail="the bearer token has no 'sub' claim")
    return subject


def local_token(subject: str, **extra_claims: object) -> str:
    """An unsigned JWT for local runs and tests. AgentCore would reject it: it is never deployed."""

    def encode(part: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    return f"{encode({'alg': 'none', 'typ': 'JWT'})}.{encode({'sub': subject, **extra_claims})}."


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Print an unsigned JWT for a local run of the agent (AgentCore rejects it).",
    )
    parser.add_argument("user", nargs="?", default="local-user", help="its sub claim")
    print(local_token(parser.parse_args().user))


if __name__ == "__main__":
    main()
