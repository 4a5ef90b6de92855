import { basename, resolve } from "node:path";
import { UsageError, type Flags } from "./args.js";
import { quoted } from "./escape.js";
import { DEFAULT_MODEL_ID } from "./models/catalog.js";
import { isValidRegion, resolveModel } from "./models/resolve.js";
import {
  AUTH_MODES, FRAMEWORKS, PROFILE_PREFERENCES, STREAM_MODES,
  type AuthMode, type Framework, type JwtOptions, type Options, type ProfilePreference, type StreamMode,
} from "./options.js";

export const DEFAULT_DIRECTORY = "my-agent";
export const DEFAULT_FRAMEWORK: Framework = "strands";
const AGENT_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;

/** my-agent → my_agent; "2 Cool Agents!" → agent_2_cool_agents. The result still goes through validation. */
export function agentNameFrom(directory: string): string {
  const base = basename(resolve(directory));
  const name = base.replace(/[^a-zA-Z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[a-zA-Z]/.test(name) ? name.slice(0, 48) : `agent_${name}`.slice(0, 48).replace(/_+$/, "");
}

export function agentNameProblem(name: string): string | undefined {
  if (AGENT_NAME.test(name)) return undefined;
  return `${quoted(name)} is not a valid agent name: start with a letter, then letters, digits or _ (48 at most), e.g. my_agent`;
}

export function regionProblem(region: string): string | undefined {
  if (isValidRegion(region)) return undefined;
  return `${quoted(region)} is not an AWS region name such as us-west-2, eu-central-1 or ap-northeast-1`;
}

export function accountProblem(account: string): string | undefined {
  if (/^\d{12}$/.test(account)) return undefined;
  return `${quoted(account)} is not a 12-digit AWS account id`;
}

export function discoveryUrlProblem(url: string): string | undefined {
  const suffix = "/.well-known/openid-configuration";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${quoted(url)} is not a URL; expected https://…${suffix}`;
  }
  if (parsed.protocol !== "https:") return `must be an https URL, got ${parsed.protocol.slice(0, -1)}`;
  if (!parsed.pathname.endsWith(suffix) || parsed.search || parsed.hash) return `must end in ${suffix}`;
  if (/[\s"'`\\]/.test(url)) return `${quoted(url)} contains characters a URL cannot carry unencoded`;
  return undefined;
}

/** "a, b,,c" → ["a", "b", "c"]: comma lists from flags and prompts. */
export function parseList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((item) => item.trim()).filter((item) => item.length > 0);
}

export function listProblem(items: string[]): string | undefined {
  const bad = items.find((item) => !/^[\x21-\x7e]{1,256}$/.test(item) || /["'`\\]/.test(item));
  return bad === undefined ? undefined : `${quoted(bad)} is not a client id, audience or scope (printable ASCII, no quotes or spaces)`;
}


function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}; got ${quoted(value)}`);
}

function check(flag: string, problem: string | undefined): void {
  if (problem) throw new UsageError(`--${flag}: ${problem}`);
}

export interface Environment {
  AWS_REGION?: string;
  AWS_DEFAULT_REGION?: string;
}

export function defaultRegion(env: Environment): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
}

export interface Validated {
  options: Options;
  /** Lines to show the user about the model ID (what was changed, legacy warnings). */
  modelWarnings: string[];
}

/**
 * Turns the answers into options: applies the defaults, checks every value, resolves the model
 * ID for the region. Pure: the environment and today's date are passed in.
 */
export function validate(flags: Flags, env: Environment, today: string): Validated {
  const directory = flags.directory ?? DEFAULT_DIRECTORY;
  if (directory.trim() === "") throw new UsageError("the directory must not be empty");
  // Its name lands in the README and in shell commands; a line break there would end a code block.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(directory)) {
    throw new UsageError(`the directory ${quoted(directory)} contains control characters; choose a plain name`);
  }
  const agentName = flags.name ?? agentNameFrom(directory);
  check("name", agentNameProblem(agentName));

  const description = flags.description ?? "An Amazon Bedrock AgentCore Runtime agent";
  const framework = oneOf<Framework>("framework", flags.framework ?? DEFAULT_FRAMEWORK, FRAMEWORKS);
  const region = flags.region ?? defaultRegion(env);
  check("region", regionProblem(region));
  const profile = oneOf<ProfilePreference>("inference-profile", flags.inferenceProfile ?? "geo", PROFILE_PREFERENCES);
  const auth = oneOf<AuthMode>("auth", flags.auth ?? "iam", AUTH_MODES);
  const streaming = flags.streaming ?? false;
  const streamMode = oneOf<StreamMode>("stream-mode", flags.streamMode ?? "messages", STREAM_MODES);
  if (flags.streamMode !== undefined && !(framework === "langgraph" && streaming)) {
    throw new UsageError("--stream-mode applies to --framework langgraph with --streaming only");
  }
  if (flags.account !== undefined) check("account", accountProblem(flags.account));

  const jwt = auth === "jwt" ? jwtOptions(flags) : null;
  if (!jwt) {
    const stray = (["discoveryUrl", "allowedClients", "allowedAudience", "allowedScopes"] as const)
      .filter((key) => flags[key] !== undefined)
      .map((key) => "--" + key.replace(/[A-Z]/g, (ch) => "-" + ch.toLowerCase()));
    if (stray.length > 0) throw new UsageError(`${stray.join(", ")} need --auth jwt`);
  }

  const requestedModel = flags.model ?? DEFAULT_MODEL_ID;
  const resolved = resolveModel({
    model: requestedModel,
    region,
    profile,
    today,
    skipCatalog: flags.skipModelCheck,
  });
  if (!resolved.ok) throw new UsageError(resolved.error);

  return {
    options: {
      directory,
      projectName: basename(resolve(directory)),
      agentName,
      description,
      framework,
      requestedModel,
      inferenceProfile: profile,
      skipModelCheck: flags.skipModelCheck,
      modelId: resolved.modelId,
      modelLabel: resolved.label,
      modelNotes: resolved.notes,
      modelLifecycle: resolved.lifecycle,
      region,
      auth,
      jwt,
      streaming,
      streamMode,
      asyncTask: flags.asyncTask ?? false,
      account: flags.account ?? null,
    },
    modelWarnings: resolved.warnings,
  };
}

function jwtOptions(flags: Flags): JwtOptions {
  if (flags.discoveryUrl === undefined) {
    throw new UsageError("--auth jwt needs --discovery-url https://…/.well-known/openid-configuration");
  }
  check("discovery-url", discoveryUrlProblem(flags.discoveryUrl));
  const allowedClients = parseList(flags.allowedClients);
  const allowedAudience = parseList(flags.allowedAudience);
  const allowedScopes = parseList(flags.allowedScopes);
  if (allowedClients.length === 0 && allowedAudience.length === 0) {
    throw new UsageError("--auth jwt needs --allowed-clients and/or --allowed-audience (comma-separated)");
  }
  check("allowed-clients", listProblem(allowedClients));
  check("allowed-audience", listProblem(allowedAudience));
  check("allowed-scopes", listProblem(allowedScopes));
  return { discoveryUrl: flags.discoveryUrl, allowedClients, allowedAudience, allowedScopes };
}
