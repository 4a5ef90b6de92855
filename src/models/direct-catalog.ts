/**
 * Models of the providers an agent calls directly, with an API key: Anthropic, OpenAI and Google
 * Gemini. Unlike Bedrock there are no regions or inference profiles: an ID is callable or retired.
 *
 * Dated data. The sources are what can be read from here: the providers' own Python SDKs (their
 * model literals and deprecation tables) and LiteLLM's bundled price map. Where none of them
 * names an end-of-life date, `eol` is null and the CLI says "unknown", never a guess.
 */

export const DIRECT_CATALOG_CHECKED = "2026-11-29";

export const DIRECT_PROVIDERS = ["anthropic", "openai", "gemini"] as const;
export type DirectProvider = (typeof DIRECT_PROVIDERS)[number];

/** Whether a --provider answer is one called directly with an API key (not Bedrock). */
export function isDirect(provider: unknown): provider is DirectProvider {
  return (DIRECT_PROVIDERS as readonly unknown[]).includes(provider);
}

export const DIRECT_SOURCES = {
  "anthropic-sdk": "anthropic 2.14.0: types/model_param.py (ModelParam) and _data/deprecated_models.py",
  "openai-sdk": 'openai 3.57.0: types/shared/chat_model.py (ChatModel, and its "Deprecated values" dates)',
  "genai-sdk": "google-genai 3.6.1: model names in its docstrings (it has no model literal)",
  litellm: "litellm 1.110.2: model_prices_and_context_window_backup.json (deprecation_date)",
} as const;

export type DirectSourceId = keyof typeof DIRECT_SOURCES;

export interface DirectModel {
  readonly id: string;
  readonly label: string;
  /** End of life on the provider's API (YYYY-MM-DD), or null when no source names one. */
  readonly eol: string | null;
  /** The ID to suggest instead once `eol` is near or past. */
  readonly successor?: string;
  readonly sources: readonly DirectSourceId[];
}

interface ProviderCatalog {
  /** How messages name the provider. */
  readonly name: string;
  /** The environment variable its SDK reads the API key from. */
  readonly keyVariable: string;
  /** The environment variable its SDK reads the API's base URL from (the tests point it at a stand-in). */
  readonly baseUrlVariable: string;
  /** The Strands model class (`strands.models.<provider>`). */
  readonly modelClass: string;
  readonly defaultModel: string;
  readonly models: readonly DirectModel[];
}

const ANTHROPIC: readonly DirectSourceId[] = ["anthropic-sdk", "litellm"];
const OPENAI: readonly DirectSourceId[] = ["openai-sdk", "litellm"];
const GEMINI: readonly DirectSourceId[] = ["genai-sdk", "litellm"];

export const DIRECT_CATALOGS: Readonly<Record<DirectProvider, ProviderCatalog>> = {
  anthropic: {
    name: "Anthropic",
    keyVariable: "ANTHROPIC_API_KEY",
    baseUrlVariable: "ANTHROPIC_BASE_URL",
    modelClass: "AnthropicModel",
    defaultModel: "claude-sonnet-4-6",
    models: [
      { id: "claude-sonnet-4-6", label: "Claude Sonnet 4.6", eol: null, sources: ANTHROPIC },
      { id: "claude-opus-4-8", label: "Claude Opus 4.8", eol: null, sources: ANTHROPIC },
      { id: "claude-haiku-4-5", label: "Claude Haiku 4.5", eol: null, sources: ANTHROPIC },
      { id: "claude-sonnet-5-5", label: "Claude Sonnet 5.5", eol: null, sources: ANTHROPIC },
      { id: "claude-opus-5-5", label: "Claude Opus 5.5", eol: null, sources: ANTHROPIC },
      { id: "claude-haiku-5-5", label: "Claude Haiku 5.5", eol: null, sources: ANTHROPIC },
      {
        id: "claude-opus-4-5",
        label: "Claude Opus 4.5",
        eol: "2027-01-22",
        successor: "claude-opus-4-8",
        sources: ANTHROPIC,
      },
      {
        id: "claude-sonnet-4-5",
        label: "Claude Sonnet 4.5",
        eol: "2026-11-30",
        successor: "claude-sonnet-4-6",
        sources: ANTHROPIC,
      },
    ],
  },
  openai: {
    name: "OpenAI",
    keyVariable: "OPENAI_API_KEY",
    baseUrlVariable: "OPENAI_BASE_URL",
    modelClass: "OpenAIModel",
    defaultModel: "gpt-5.5",
    models: [
      { id: "gpt-5.5", label: "GPT-5.5", eol: null, sources: OPENAI },
      { id: "gpt-5.4", label: "GPT-5.4", eol: null, sources: OPENAI },
      { id: "gpt-5.4-mini", label: "GPT-5.4 mini", eol: null, sources: OPENAI },
      { id: "gpt-5.4-nano", label: "GPT-5.4 nano", eol: "2027-04-01", successor: "gpt-5.4-mini", sources: OPENAI },
      { id: "gpt-5.1", label: "GPT-5.1", eol: "2027-04-01", successor: "gpt-5.5", sources: OPENAI },
      { id: "gpt-4.1", label: "GPT-4.1", eol: "2027-01-14", successor: "gpt-5.5", sources: OPENAI },
      { id: "gpt-4.1-mini", label: "GPT-4.1 mini", eol: "2027-01-14", successor: "gpt-5.4-mini", sources: OPENAI },
      { id: "gpt-5", label: "GPT-5", eol: "2026-12-11", successor: "gpt-5.5", sources: OPENAI },
      { id: "gpt-5-mini", label: "GPT-5 mini", eol: "2026-12-11", successor: "gpt-5.4-mini", sources: OPENAI },
      { id: "o3", label: "o3", eol: "2026-12-11", successor: "gpt-5.5", sources: OPENAI },
      { id: "o4-mini", label: "o4-mini", eol: "2026-10-23", successor: "gpt-5.4-mini", sources: OPENAI },
    ],
  },
  gemini: {
    name: "Google Gemini",
    keyVariable: "GEMINI_API_KEY",
    baseUrlVariable: "GOOGLE_GEMINI_BASE_URL",
    modelClass: "GeminiModel",
    defaultModel: "gemini-3.8-flash",
    models: [
      { id: "gemini-3.8-flash", label: "Gemini 3.8 Flash", eol: null, sources: GEMINI },
      { id: "gemini-3.5-flash", label: "Gemini 3.5 Flash", eol: null, sources: ["litellm"] },
      { id: "gemini-3.1-pro-preview", label: "Gemini 3.1 Pro (preview)", eol: null, sources: ["litellm"] },
      {
        id: "gemini-3.1-flash-lite",
        label: "Gemini 3.1 Flash-Lite",
        eol: "2027-05-07",
        successor: "gemini-3.8-flash",
        sources: ["litellm"],
      },
      {
        id: "gemini-2.5-flash",
        label: "Gemini 2.5 Flash",
        eol: "2026-12-01",
        successor: "gemini-3.8-flash",
        sources: ["litellm"],
      },
      {
        id: "gemini-2.5-pro",
        label: "Gemini 2.5 Pro",
        eol: "2026-12-01",
        successor: "gemini-3.1-pro-preview",
        sources: ["litellm"],
      },
    ],
  },
};

/** Where a provider's API key is read from and kept, on a deploy target (templates and next steps). */
export function apiKeySettings(provider: DirectProvider, deploy: string) {
  const catalog = DIRECT_CATALOGS[provider];
  const credential = `${provider}-api-key`;
  const upper = credential.toUpperCase().replace(/-/g, "_");
  const cli = deploy === "agentcore-cli";
  return {
    providerName: catalog.name,
    baseUrlVariable: catalog.baseUrlVariable,
    credential,
    // The AgentCore CLI reads AGENTCORE_CREDENTIAL_<NAME> from agentcore/.env.local, passes it to
    // `agentcore dev`, and stores it in AgentCore Identity at deploy; the SDK's own name also works.
    variables: cli ? [`AGENTCORE_CREDENTIAL_${upper}`, catalog.keyVariable] : [catalog.keyVariable],
    variable: cli ? `AGENTCORE_CREDENTIAL_${upper}` : catalog.keyVariable,
    // What the AgentCore constructs set on the runtime: the credential provider's name.
    runtimeVariable: `CREDENTIAL_${upper}_NAME`,
    envFile: cli ? "agentcore/.env.local" : ".env",
    localRun: cli ? "agentcore dev" : "uv run --env-file .env python agent.py",
  };
}
