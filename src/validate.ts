import { basename, resolve } from "node:path";
import {
  defaultRegion,
  directoryProblem,
  type Environment,
  fullRegionProblem,
  parseList,
  textLimitProblem,
} from "./checks.js";
import { UsageError } from "./errors.js";
import { quoted } from "./escape.js";
import { DIRECT_CATALOGS, DIRECT_PROVIDERS, isDirect } from "./models/direct-catalog.js";
import { modelProblem, type ProfilePreference } from "./models/resolve.js";
import { resolveDirectModel } from "./models/resolve-direct.js";
import { resolveProviderModel } from "./models/resolve-provider.js";
import { type Answered, fieldOf, type Options } from "./options.js";
import {
  type Answers,
  choiceDefault,
  type Given,
  notApplicable,
  QUESTIONS,
  type Question,
  ruledOut,
  textAnswerProblem,
  unsupportedPair,
  visibleQuestions,
} from "./registry.js";

/** What validation needs besides the answers: where each came from. */
export interface Context {
  /**
   * Where an answer came from when it was not its flag, for errors to name it: `--preset
   * team.json: "region"`, `the template acme (locked region)`. Unnamed keys: `--key`.
   */
  sources?: Readonly<Record<string, string>>;
}

/** How an error names where `key`'s value came from. */
export function sourceOf(key: string, context: Context): string {
  return context.sources?.[key] ?? `--${key}`;
}

/** Where the region comes from when nobody answered it: the environment, else us-east-1. */
export function regionFromEnvironment(env: Environment): { region: string; source: string } {
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: "$AWS_REGION" };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: "$AWS_DEFAULT_REGION" };
  return { region: defaultRegion(env), source: "--region" };
}

/** What the user gave for `entry`, or its default. */
function answerOrDefault(entry: Question, answers: Answers, env: Environment): string | boolean | undefined {
  const given = answers[entry.key as keyof Answers];
  if (given !== undefined) return given;
  if (entry.kind === "text" && entry.derive) return entry.derive(answers as Given, env);
  if (entry.kind === "choice") return choiceDefault(entry.key, answers as Given);
  return entry.default;
}

/**
 * What is wrong with one answer, checked as its flag is, or undefined. `given` are the other
 * answers, as far as they are known (--skip-region-check lets a region this release does not know
 * through; a combined limit is checked once the answers it combines are there).
 */
export function answerProblem(entry: Question, value: string | boolean, given: Given): string | undefined {
  if (entry.kind === "choice") {
    const values = entry.choices.map((choice) => choice.value);
    return values.includes(String(value))
      ? undefined
      : `must be one of ${values.join(", ")}; got ${quoted(String(value))}`;
  }
  if (entry.kind === "boolean") return undefined;
  if (entry.key === "region") {
    return (
      textLimitProblem(String(value), entry.maxLength) ??
      fullRegionProblem(String(value), given["skip-region-check"] === true)
    );
  }
  return textAnswerProblem(entry, String(value), given);
}

/**
 * The value of one answer, checked where it `applies`: a one-line error names where it came from
 * and what it accepts.
 */
function checked(entry: Question, value: string | boolean | undefined, source: string, given: Given, applies = true) {
  if (value !== undefined && applies) {
    const problem = answerProblem(entry, value, given);
    // A choice's message reads "--auth must be one of …"; the others "--account: … is not …".
    if (problem) throw new UsageError(`${source}${entry.kind === "choice" ? "" : ":"} ${problem}`);
  }
  if (entry.kind === "choice") return value as Answered[keyof Answered];
  if (entry.kind === "boolean") return value === true;
  if (value === undefined) return entry.kind === "list" ? [] : null;
  return entry.kind === "list" ? parseList(String(value)) : String(value);
}

/**
 * Turns the answers into options: applies the defaults, checks every value, refuses answers
 * that do not apply or do not go together, and resolves the model ID for the region. Pure: the
 * environment and today's date are passed in.
 */
export function validate(answers: Answers, env: Environment, today: string, context: Context = {}): Options {
  const directory = answers.directory ?? "my-agent";
  const directoryTrouble = directoryProblem(directory);
  if (directoryTrouble) throw new UsageError(directoryTrouble);

  // Every answer or its default first: a default may derive from later answers (the agent's name
  // from the CLI project's), and a combined limit is checked against them all.
  const complete: Record<string, string | boolean | undefined> = {};
  const answered: Partial<Record<keyof Answered, unknown>> = {};
  const given = { ...answers, directory };
  for (const entry of QUESTIONS) complete[entry.key] = answerOrDefault(entry, given, env);
  const fromEnvironment = answers.region === undefined ? regionFromEnvironment(env).source : undefined;
  for (const entry of QUESTIONS) {
    const source = entry.key === "region" && fromEnvironment ? fromEnvironment : sourceOf(entry.key, context);
    // A derived default where its question does not apply is never wrong (no CLI project name for
    // the starter toolkit); an answer given there is refused below, by what it applies to.
    const applies = answers[entry.key as keyof Answers] !== undefined || !notApplicable(entry, complete);
    answered[fieldOf(entry.key)] = checked(entry, complete[entry.key], source, complete, applies);
  }

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

  const resolved = resolveProviderModel({
    provider: options.provider,
    model: options.model,
    region: options.region,
    profile: options.inferenceProfile,
    today,
    skipCatalog: options.skipModelCheck,
  });
  if (!resolved.ok) throw new UsageError(withProviderHint(resolved.error, options.provider, options.model));
  const { ok: _, ...resolvedModel } = resolved;
  return { ...options, resolvedModel };
}

/**
 * Before anyone is asked anything: the answers already given (flags, a preset, a template's
 * locks), each checked as validate() would, and together as far as they go without the answers
 * still to be asked (`open`). So a mistake in them is reported before a question is asked, not
 * after the last one.
 */
export function checkGiven(answers: Answers, open: readonly Question[], today: string, context: Context): void {
  const given = answers as Given;
  for (const entry of QUESTIONS) {
    const value = given[entry.key];
    if (value !== undefined && entry.key !== "directory") checked(entry, value, sourceOf(entry.key, context), given);
  }
  const directoryTrouble = answers.directory === undefined ? undefined : directoryProblem(answers.directory);
  if (directoryTrouble) throw new UsageError(directoryTrouble);
  for (const entry of visibleQuestions()) {
    const reason = given[entry.key] === undefined ? undefined : ruledOut(entry, given, open);
    if (reason) throw new UsageError(`--${entry.key} applies ${reason}`);
  }
  const clash = unsupportedPair(given);
  if (clash) throw new UsageError(clash);
  if (answers.model === undefined) return;
  const skipCatalog = answers["skip-model-check"] === true;
  // The provider is still to be asked: a model another provider's catalog takes waits for it (the
  // model prompt checks it then); one no catalog takes is refused now, as Bedrock's.
  if (answers.provider === undefined && open.some((entry) => entry.key === "provider")) {
    const model = answers.model;
    if (DIRECT_PROVIDERS.some((provider) => resolveDirectModel({ provider, model, today, skipCatalog }).ok)) return;
  }
  if (isDirect(answers.provider) || answers.region !== undefined) {
    const provider = answers.provider ?? "bedrock";
    const profile = (answers["inference-profile"] ?? "geo") as ProfilePreference;
    const region = answers.region ?? "";
    const resolved = resolveProviderModel({ provider, model: answers.model, region, profile, today, skipCatalog });
    if (!resolved.ok) throw new UsageError(withProviderHint(resolved.error, provider, answers.model));
  } else {
    const problem = modelProblem(answers.model, today, skipCatalog);
    if (problem) throw new UsageError(withProviderHint(problem.error, "bedrock", answers.model));
  }
}

/** Bedrock's refusal of a model ID, and the flag that would take it when another provider's catalog has it. */
function withProviderHint(error: string, provider: string, model: string): string {
  if (isDirect(provider)) return error;
  const owner = DIRECT_PROVIDERS.find((name) => DIRECT_CATALOGS[name].models.some((entry) => entry.id === model));
  return owner
    ? `${error}${/[?.!]$/.test(error) ? "" : "."} Or, for the ${DIRECT_CATALOGS[owner].name} API's own ${model}, --provider ${owner}`
    : error;
}
