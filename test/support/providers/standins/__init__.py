"""Loopback stand-ins of the model providers' APIs (one module each) and AgentCore Identity's."""

# Where each provider's SDK takes its base URL from, and what follows the stand-in's address.
BASE_URL = {
    "anthropic": ("ANTHROPIC_BASE_URL", ""),
    "openai": ("OPENAI_BASE_URL", "/v1"),
    "gemini": ("GOOGLE_GEMINI_BASE_URL", ""),
}
