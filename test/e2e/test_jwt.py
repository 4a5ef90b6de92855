"""The JWT README's token recipe, checked against the project's own authorizer settings.

For every JWT project, the token its README says to get is made here with the claims Amazon
Cognito puts in that kind of token (a user's access token, a user's ID token, or an app's
client-credentials access token, with the scopes the recipe asks for), signed with a key made
here (RS256), and checked the way AgentCore's authorizer is documented to check it: signature,
issuer and expiry, then each list the deploy config (`.bedrock_agentcore.yaml` or
agentcore/agentcore.json) sets against its claim
(allowedClients: `client_id`, allowedAudience: `aud`, allowedScopes: `scope`; all the allowed
scopes, the stricter reading). Where the README says no Cognito token fits, neither kind passes.
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import jwt
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa
from e2e_helpers import PROJECTS, cli_runtime

JWT_PROJECTS = [p for p in PROJECTS if p["auth"] == "jwt"]
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
NO_FIT = "No Cognito token fits it"


def authorizer(project: dict) -> dict:
    """The authorizer settings the deploy config gives AgentCore (both spell the lists alike)."""
    if project["deploy"] == "agentcore-cli":
        return cli_runtime(project)["authorizerConfiguration"]["customJwtAuthorizer"]
    config = yaml.safe_load((Path(project["dir"]) / ".bedrock_agentcore.yaml").read_text())
    return config["agents"][project["agent_name"]]["authorizer_configuration"]["customJWTAuthorizer"]


def recipe_section(project: dict) -> str:
    readme = (Path(project["dir"]) / "README.md").read_text()
    return readme.split("\n## Calling it with a JWT\n", 1)[1].split("\n## ", 1)[0]


def cognito_token(kind: str, issuer: str, app_client: str, scopes: str = "") -> str:
    """A token with the claims Cognito gives this kind of token, signed with KEY."""
    now = int(time.time())
    claims = {"iss": issuer, "iat": now, "exp": now + 3600, "jti": str(uuid.uuid4())}
    user = str(uuid.uuid4())
    if kind == "user access":
        claims |= {"sub": user, "client_id": app_client, "token_use": "access",
                   "scope": "aws.cognito.signin.user.admin", "username": "alice", "auth_time": now}
    elif kind == "user id":
        claims |= {"sub": user, "aud": app_client, "token_use": "id", "cognito:username": "alice",
                   "auth_time": now}
    else:  # "client credentials": the app itself, with the scopes it asked for
        claims |= {"sub": app_client, "client_id": app_client, "token_use": "access", "scope": scopes,
                   "version": 2}
    return jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "e2e"})


def rejections(token: str, settings: dict) -> list[str]:
    """What AgentCore's authorizer, as documented, would reject the token for (none: accepted)."""
    issuer = settings["discoveryUrl"].removesuffix("/.well-known/openid-configuration")
    claims = jwt.decode(token, KEY.public_key(), algorithms=["RS256"], issuer=issuer,
                        options={"verify_aud": False, "require": ["exp", "iss"]})
    found = []
    if settings.get("allowedAudience"):
        aud = claims.get("aud")
        if not set(aud if isinstance(aud, list) else [aud]) & set(settings["allowedAudience"]):
            found.append("aud")
    if settings.get("allowedClients") and claims.get("client_id") not in settings["allowedClients"]:
        found.append("client_id")
    if settings.get("allowedScopes") and not set(settings["allowedScopes"]) <= set(claims.get("scope", "").split()):
        found.append("scope")
    return found


@pytest.fixture(params=JWT_PROJECTS, ids=[p["id"] for p in JWT_PROJECTS])
def jwt_project(request):
    return request.param


def test_the_token_the_readme_says_to_get_passes_the_authorizer(jwt_project):
    settings, section = authorizer(jwt_project), recipe_section(jwt_project)
    issuer = settings["discoveryUrl"].removesuffix("/.well-known/openid-configuration")
    clients, audience = settings.get("allowedClients", []), settings.get("allowedAudience", [])
    if NO_FIT in section:
        assert audience and (clients or settings.get("allowedScopes")), "the README says no token fits"
        for kind, app_client in (("user access", clients[0] if clients else "app"), ("user id", audience[0])):
            assert rejections(cognito_token(kind, issuer, app_client), settings), kind
        return
    if "--query AuthenticationResult.AccessToken" in section:
        token = cognito_token("user access", issuer, clients[0])
    elif "--query AuthenticationResult.IdToken" in section:
        token = cognito_token("user id", issuer, audience[0])
    else:
        asked = re.search(r"--data-urlencode 'scope=([^']*)'", section)
        assert "grant_type=client_credentials" in section and asked, "the README shows no recipe"
        token = cognito_token("client credentials", issuer, clients[0], asked.group(1))
    assert rejections(token, settings) == []


def test_the_local_commands_come_before_the_real_token(jwt_project):
    """Read top to bottom, the local (unsigned) token is only ever sent to the local agent, and
    the deployed runtime is invoked only after the section that says how to get a real token."""
    readme = (Path(jwt_project["dir"]) / "README.md").read_text()
    real_token_section = readme.index("\n## Calling it with a JWT\n")
    bearer_uses = [m.start() for m in re.finditer(r"--bearer-token|https://bedrock-agentcore\.", readme)]
    assert bearer_uses and min(bearer_uses) > real_token_section
