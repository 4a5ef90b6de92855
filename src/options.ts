/** The validated answers a run works from. Everything after this point is pure data flow. */
export const FRAMEWORKS = ["basic", "strands", "langgraph"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const AUTH_MODES = ["iam", "jwt"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const STREAM_MODES = ["messages", "updates", "values"] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

export const PROFILE_PREFERENCES = ["geo", "global"] as const;
export type ProfilePreference = (typeof PROFILE_PREFERENCES)[number];

export interface JwtOptions {
  discoveryUrl: string;
  allowedClients: string[];
  allowedAudience: string[];
  allowedScopes: string[];
}

export interface Options {
  /** Target directory as given (relative to cwd, or absolute). */
  directory: string;
  /** Project (distribution) name: the directory's base name, used in pyproject and README. */
  projectName: string;
  /** AgentCore agent name: ^[a-zA-Z][a-zA-Z0-9_]{0,47}$ */
  agentName: string;
  description: string;
  framework: Framework;
  /** The model as the user asked for it (--model), before resolution; recorded for regeneration. */
  requestedModel: string;
  inferenceProfile: ProfilePreference;
  skipModelCheck: boolean;
  /** The model ID the agent calls, already resolved (prefix included). */
  modelId: string;
  /** Human label of the model when it is in the catalog, else the ID. */
  modelLabel: string;
  /** One-line notes from the resolver (what it changed and why); repeated in the generated README. */
  modelNotes: string[];
  /** The model's end-of-life warnings (a legacy model); repeated in the generated README. */
  modelLifecycle: string[];
  region: string;
  auth: AuthMode;
  jwt: JwtOptions | null;
  streaming: boolean;
  streamMode: StreamMode;
  asyncTask: boolean;
  /** 12-digit AWS account id, or null when not given. */
  account: string | null;
}
