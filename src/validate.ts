import { basename, resolve } from "node:path";
import { type Environment, parseList } from "./checks.js";
import { UsageError } from "./errors.js";
import { quoted } from "./escape.js";
import { resolveModel } from "./models/resolve.js";
import { type Answered, fieldOf, type Options } from "./options.js";
import {
  type Answers,
  type Given,
  notApplicable,
  QUESTIONS,
  type Question,
  textAnswerProblem,
  unsupportedPair,
  visibleQuestions,
} from "./registry.js";

/** What the user gave for `entry`, or its default. */
function answerOrDefault(entry: Question, answers: Answers, env: Environment): string | boolean | undefined {
  const given = answers[entry.key as keyof Answers];
  if (given !== undefined) return given;
  if (entry.kind === "text" && entry.derive) return entry.derive(answers as Given, env);
  return entry.default;
}

/**
 * The value of one answer, checked: a one-line error names the flag and what it accepts. A text
 * answer is checked only where its question applies (a derived default that does not apply is
 * never wrong); `complete` holds every answer, for checks of combined limits.
 */
function checked(entry: Question, value: string | boolean | undefined, complete: Given): Answered[keyof Answered] {
  const flag = entry.key === "directory" ? "the directory" : `--${entry.key}`;
  if (entry.kind === "choice") {
    const values = entry.choices.map((choice) => choice.value);
    if (!values.includes(String(value)))
      throw new UsageError(`${flag} must be one of ${values.join(", ")}; got ${quoted(String(value))}`);
    return value as Answered[keyof Answered];
  }
  if (entry.kind === "boolean") return value === true;
  if (value === undefined) return entry.kind === "list" ? [] : null;
  if (notApplicable(entry, complete) === undefined) {
    const problem = textAnswerProblem(entry, String(value), complete);
    if (problem) throw new UsageError(`${flag}: ${problem}`);
  }
  return entry.kind === "list" ? parseList(String(value)) : String(value);
}

/**
 * Turns the answers into options: applies the defaults, checks every value, refuses answers
 * that do not apply or do not go together, and resolves the model ID for the region. Pure: the
 * environment and today's date are passed in.
 */
export function validate(answers: Answers, env: Environment, today: string): Options {
  const directory = answers.directory ?? "my-agent";
  if (directory.trim() === "") throw new UsageError("the directory must not be empty");
  // Its name lands in the README and in shell commands; a line break there would end a code block.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(directory)) {
    throw new UsageError(`the directory ${quoted(directory)} contains control characters; choose a plain name`);
  }
  const complete: Record<string, string | boolean | undefined> = {};
  const answered: Partial<Record<keyof Answered, unknown>> = {};
  const given = { ...answers, directory };
  for (const entry of QUESTIONS) complete[entry.key] = answerOrDefault(entry, given, env);
  for (const entry of QUESTIONS) answered[fieldOf(entry.key)] = checked(entry, complete[entry.key], complete);

  // Answers given for questions that do not apply (--stream-mode without streaming), by reason.
  const stray = new Map<string, string[]>();
  for (const entry of visibleQuestions()) {
    const reason = answers[entry.key as keyof Answers] !== undefined ? notApplicable(entry, complete) : undefined;
    if (reason) stray.set(reason, [...(stray.get(reason) ?? []), `--${entry.key}`]);
  }
  for (const [reason, flags] of stray)
    throw new UsageError(`${flags.join(", ")} ${flags.length === 1 ? "applies" : "apply"} ${reason}`);
  const clash = unsupportedPair(complete as Given);
  if (clash) throw new UsageError(clash);

  const options = { ...answered, directoryName: basename(resolve(directory)) } as Omit<Options, "resolvedModel">;
  if (options.auth === "jwt") {
    if (options.discoveryUrl === null)
      throw new UsageError("--auth jwt needs --discovery-url https://…/.well-known/openid-configuration");
    if (options.allowedClients.length === 0 && options.allowedAudience.length === 0) {
      throw new UsageError("--auth jwt needs --allowed-clients and/or --allowed-audience (comma-separated)");
    }
  }

  const resolved = resolveModel({
    model: options.model,
    region: options.region,
    profile: options.inferenceProfile,
    today,
    skipCatalog: options.skipModelCheck,
  });
  if (!resolved.ok) throw new UsageError(resolved.error);
  const { ok: _, ...resolvedModel } = resolved;
  return { ...options, resolvedModel };
}
