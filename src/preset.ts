import { readFileSync } from "node:fs";
import { UsageError, type Flags } from "./args.js";
import type { Options } from "./options.js";
import { VERSION } from "./version.js";

/**
 * Presets: answers kept in a file, under the same names as the flags (`"stream-mode": "updates"`).
 * Every generated project records its own answers in RECORD_FILE, which is itself a preset, so
 * `--preset my-agent/.create-agentcore.json` makes the same project again.
 */
export const RECORD_FILE = ".create-agentcore.json";

type Kind = "string" | "boolean" | "list";
const PRESET_KEYS: Record<string, { field: keyof Flags; kind: Kind }> = {
  directory: { field: "directory", kind: "string" },
  name: { field: "name", kind: "string" },
  description: { field: "description", kind: "string" },
  framework: { field: "framework", kind: "string" },
  model: { field: "model", kind: "string" },
  region: { field: "region", kind: "string" },
  "inference-profile": { field: "inferenceProfile", kind: "string" },
  "skip-model-check": { field: "skipModelCheck", kind: "boolean" },
  auth: { field: "auth", kind: "string" },
  "discovery-url": { field: "discoveryUrl", kind: "string" },
  "allowed-clients": { field: "allowedClients", kind: "list" },
  "allowed-audience": { field: "allowedAudience", kind: "list" },
  "allowed-scopes": { field: "allowedScopes", kind: "list" },
  streaming: { field: "streaming", kind: "boolean" },
  "stream-mode": { field: "streamMode", kind: "string" },
  "async-task": { field: "asyncTask", kind: "boolean" },
  account: { field: "account", kind: "string" },
};

/** The answers in a preset's data; `source` names the file in errors. Pure. */
export function presetAnswers(data: unknown, source: string): Partial<Flags> {
  // A recorded project file keeps its answers under "answers", beside the tool's version.
  const record = data as { tool?: unknown; answers?: unknown } | null;
  const answers = record && typeof record === "object" && record.tool === "create-agentcore" ? record.answers : data;
  if (!answers || typeof answers !== "object" || Array.isArray(answers)) {
    throw new UsageError(`--preset ${source}: expected an object of answers such as {"framework": "strands"}`);
  }
  const flags: Partial<Flags> = {};
  for (const [key, value] of Object.entries(answers)) {
    const spec = PRESET_KEYS[key];
    if (!spec) {
      throw new UsageError(`--preset ${source}: unknown key "${key}"; expected one of ${Object.keys(PRESET_KEYS).join(", ")}`);
    }
    (flags as Record<string, unknown>)[spec.field] = presetValue(key, value, spec.kind, source);
  }
  return flags;
}

function presetValue(key: string, value: unknown, kind: Kind, source: string): string | boolean {
  if (kind === "boolean") {
    if (typeof value === "boolean") return value;
    throw new UsageError(`--preset ${source}: "${key}" must be true or false`);
  }
  if (kind === "list" && Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(",");
  if (typeof value === "string") return value;
  const expected = kind === "list" ? "a list of strings or a comma-separated string" : "a string";
  throw new UsageError(`--preset ${source}: "${key}" must be ${expected}`);
}

/** Reads a JSON or YAML preset file. */
export async function readPreset(path: string): Promise<Partial<Flags>> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--preset ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let data: unknown;
  try {
    if (/\.ya?ml$/i.test(path)) {
      // Only YAML presets load the YAML parser. It is CommonJS: bundled, only `default` is there.
      const yaml = await import("yaml");
      data = (yaml.default ?? yaml).parse(text);
    } else {
      data = JSON.parse(text);
    }
  } catch (error) {
    throw new UsageError(`--preset ${path}: not valid ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"} (${(error as Error).message.split("\n")[0]})`);
  }
  return presetAnswers(data, path);
}

/** Flags given on the command line win over the preset's answers. */
export function withPreset(flags: Flags, preset: Partial<Flags>): Flags {
  const merged = { ...flags };
  for (const [field, value] of Object.entries(preset) as [keyof Flags, never][]) {
    if (field === "skipModelCheck") merged.skipModelCheck = flags.skipModelCheck || value;
    else if (merged[field] === undefined) merged[field] = value;
  }
  return merged;
}

/**
 * What the project records about how it was made: the tool, its version and every answer, so a
 * rerun with `--preset` rebuilds it byte for byte. Holds no secrets: no answer is one.
 */
export function projectRecord(options: Options): string {
  const answers: Record<string, unknown> = {
    directory: options.projectName,
    name: options.agentName,
    description: options.description,
    framework: options.framework,
    model: options.requestedModel,
    region: options.region,
    "inference-profile": options.inferenceProfile,
    ...(options.skipModelCheck && { "skip-model-check": true }),
    auth: options.auth,
    ...(options.jwt && {
      "discovery-url": options.jwt.discoveryUrl,
      "allowed-clients": options.jwt.allowedClients,
      "allowed-audience": options.jwt.allowedAudience,
      "allowed-scopes": options.jwt.allowedScopes,
    }),
    streaming: options.streaming,
    ...(options.framework === "langgraph" && options.streaming && { "stream-mode": options.streamMode }),
    "async-task": options.asyncTask,
    ...(options.account && { account: options.account }),
  };
  return `${JSON.stringify({ tool: "create-agentcore", version: VERSION, template: "built-in", answers }, null, 2)}\n`;
}
