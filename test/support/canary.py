"""The canary: a distinctive fake API key, set under every name a provider key goes by for a whole
end-to-end or container run (generation, uv sync, the projects' tests, image builds). Nothing the
runs write may hold it: the CLI never writes, prints or bakes in a key."""

CANARY_KEY = "sk-canary-5e1f0c2a-never-written"
KEY_NAMES = [
    *(f"{p}_API_KEY" for p in ("ANTHROPIC", "OPENAI", "GEMINI", "GOOGLE")),
    *(f"AGENTCORE_CREDENTIAL_{p}_API_KEY" for p in ("ANTHROPIC", "OPENAI", "GEMINI")),
]
