import { readFileSync } from "node:fs";
import { UsageError } from "./errors.js";
import { answersOf, fieldOf, type Options } from "./options.js";
import { canonicalChoice, type Flags, notApplicable, RUN_FLAGS, visibleQuestions } from "./registry.js";
import { VERSION } from "./version.js";

/**
 * Presets: answers kept in a file, under the same names as the flags (`"stream-mode": "updates"`).
 * Every generated project records its own answers in RECORD_FILE, which is itself a preset, so
 * `--preset my-agent/.create-agentcore.json` makes the same project again.
 */
export const RECORD_FILE = ".create-agentcore.json";

type Kind = "text" | "boolean" | "list" | "answers";

/** Every key a preset may hold, and its kind: the questions a user can answer, the template and its answers. */
function presetKeys(): Map<string, Kind> {
  return new Map<string, Kind>([
    ...visibleQuestions().map((entry): [string, Kind] => [entry.key, entry.kind === "choice" ? "text" : entry.kind]),
    ...RUN_FLAGS.filter((flag) => "preset" in flag && flag.preset).map((flag): [string, Kind] => [
      flag.key,
      flag.kind as Kind,
    ]),
  ]);
}

/** The answers in a preset's data; `source` names the file in errors. Pure. */
export function presetAnswers(data: unknown, source: string): Partial<Flags> {
  // A recorded project file keeps its answers under "answers", beside the tool's version.
  const record = data as { tool?: unknown; answers?: unknown } | null;
  const answers = record && typeof record === "object" && record.tool === "create-agentcore" ? record.answers : data;
  if (!answers || typeof answers !== "object" || Array.isArray(answers)) {
    throw new UsageError(`--preset ${source}: expected an object of answers such as {"framework": "strands"}`);
  }
  return answersToFlags(answers as Record<string, unknown>, `--preset ${source}`, [...presetKeys().keys()]);
}

/**
 * Answers keyed like the flags → flags. `where` starts every error ("--preset team.json");
 * `allowed` are the keys accepted there. Pure.
 */
export function answersToFlags(answers: Record<string, unknown>, where: string, allowed: string[]): Partial<Flags> {
  const flags: Record<string, unknown> = {};
  const kinds = presetKeys();
  for (const [key, value] of Object.entries(answers)) {
    const kind = kinds.get(key);
    if (!kind || !allowed.includes(key)) {
      throw new UsageError(`${where}: unknown key "${key}"; expected one of ${allowed.join(", ")}`);
    }
    flags[key] = presetValue(key, value, kind, where);
  }
  return flags as Partial<Flags>;
}

function presetValue(
  key: string,
  value: unknown,
  kind: Kind,
  where: string,
): string | boolean | Record<string, string> {
  if (kind === "answers") {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new UsageError(
        `${where}: "${key}" must be an object of the template's answers, such as {"cost_center": "CC-1234"}`,
      );
    }
    const answers: Record<string, string> = {};
    for (const [name, answer] of Object.entries(value)) {
      if (typeof answer !== "string" && typeof answer !== "boolean")
        throw new UsageError(`${where}: "${key}"."${name}" must be a string, true or false`);
      answers[name] = String(answer);
    }
    return answers;
  }
  if (kind === "boolean") {
    if (typeof value === "boolean") return value;
    throw new UsageError(`${where}: "${key}" must be true or false`);
  }
  if (kind === "list" && Array.isArray(value) && value.every((item) => typeof item === "string"))
    return value.join(",");
  // A choice in any case, as on the command line ("LangGraph" is langgraph).
  if (typeof value === "string") return canonicalChoice(key, value);
  const expected = kind === "list" ? "a list of strings or a comma-separated string" : "a string";
  throw new UsageError(`${where}: "${key}" must be ${expected}`);
}

/** A preset file: its answers, and what it records about a template when it is a project's record. */
export interface Preset {
  path: string;
  flags: Partial<Flags>;
  /** The SHA-256 of the template files a recorded project was made from. */
  templateSha256?: string;
}

/** Reads a JSON or YAML preset file. */
export async function readPreset(path: string): Promise<Preset> {
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
    throw new UsageError(
      `--preset ${path}: not valid ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"} (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const recorded = data as { tool?: unknown; template?: { sha256?: unknown } } | null;
  const sha256 =
    recorded?.tool === "create-agentcore" && typeof recorded.template?.sha256 === "string"
      ? recorded.template.sha256
      : undefined;
  return { path, flags: presetAnswers(data, path), ...(sha256 && { templateSha256: sha256 }) };
}

/**
 * Flags given on the command line win over the preset's answers; a question the preset does not
 * answer takes its `presetDefault`, what the versions before that question did.
 */
export function withPreset(flags: Flags, preset: Partial<Flags>): Flags {
  const merged: Record<string, unknown> = { ...flags };
  for (const [key, value] of Object.entries(preset)) {
    if (key === "answer") merged.answer = { ...(value as Record<string, string>), ...flags.answer };
    else if (merged[key] === undefined) merged[key] = value;
  }
  for (const entry of visibleQuestions()) {
    if (entry.presetDefault !== undefined && merged[entry.key] === undefined) merged[entry.key] = entry.presetDefault;
  }
  return merged as Flags;
}

/** What a project made from a team template records about it (src/team/). */
export interface TemplateRecord {
  /** The template as a preset names it (`answers.template`): a remote reference, or a folder's absolute path. */
  source: string;
  name: string;
  version: string;
  /** Remote: the ref asked for, and the commit the tarball came from when it says. */
  ref?: string;
  commit?: string;
  /** SHA-256 of the manifest and the files under files/. */
  sha256: string;
  /** The answers to the template's own questions, secrets never among them (templates have none). */
  answers: Record<string, string | boolean>;
}

/** The answers a record keeps, keyed like the flags, in the registry's order. */
export function recordedAnswers(options: Options): Record<string, unknown> {
  const given = answersOf(options);
  const answers: Record<string, unknown> = {};
  for (const entry of visibleQuestions()) {
    if (entry.record === undefined || notApplicable(entry, given) !== undefined) continue;
    // The directory is recorded by its name: a record replays beside wherever it is used.
    const value = entry.key === "directory" ? options.directoryName : options[fieldOf(entry.key)];
    if (entry.record === "if-set" && (value === false || value === null)) continue;
    // What a preset without the key means anyway: left out, so records of earlier versions and
    // the records of today's projects that answer the same stay the same.
    if (value === entry.presetDefault) continue;
    answers[entry.key] = value;
  }
  return answers;
}

/**
 * What the project records about how it was made: the tool, its version, the template and every
 * answer, so a rerun with `--preset` rebuilds it byte for byte. Holds no secrets: no answer is one
 * (the token for a private template is read from GIGET_AUTH and never recorded).
 */
export function projectRecord(options: Options, template?: TemplateRecord): string {
  const answers: Record<string, unknown> = {
    ...(template && { template: template.source }),
    ...recordedAnswers(options),
    ...(template && Object.keys(template.answers).length > 0 && { answer: template.answers }),
  };
  const about = template
    ? {
        name: template.name,
        version: template.version,
        ...(template.ref !== undefined && { ref: template.ref }),
        ...(template.commit !== undefined && { commit: template.commit }),
        sha256: template.sha256,
      }
    : "built-in";
  return `${JSON.stringify({ tool: "create-agentcore", version: VERSION, template: about, answers }, null, 2)}\n`;
}
