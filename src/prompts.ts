import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import * as clack from "@clack/prompts";
import { agentNameFrom, agentNameProblem, directoryProblem, listProblem, parseList } from "./checks.js";
import { Cancelled } from "./errors.js";
import { terminalText } from "./escape.js";
import type { Io } from "./io.js";
import { DEFAULT_MODEL_ID } from "./models/catalog.js";
import { DIRECT_CATALOGS, isDirect } from "./models/direct-catalog.js";
import { modelChoicesIn, type ProfilePreference, type ResolveResult } from "./models/resolve.js";
import { directModelChoices } from "./models/resolve-direct.js";
import { resolveProviderModel } from "./models/resolve-provider.js";
import {
  allowedChoices,
  type Choice,
  choiceDefault,
  choiceOf,
  choiceOrDefault,
  type Flags,
  type Given,
  isQuestionKey,
  isVisible,
  notApplicable,
  QUESTIONS,
  type Question,
  question,
  ruledOut,
  visibleQuestions,
} from "./registry.js";
import type { TeamAnswers } from "./team/answers.js";
import type { Question as TemplateQuestion } from "./team/manifest.js";
import { answerProblem, type Context, checkGiven, regionFromEnvironment, sourceOf } from "./validate.js";
import { type ExistingFiles, inspectTarget, WriteError } from "./write.js";

// Loaded only when a person is at a terminal, so non-interactive runs never pay for @clack/prompts.
// Every answer is checked at its own prompt with the rules its flag has (validate.ts), so a
// mistake is caught where it is made, never after the last question.

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new Cancelled();
  return value as Exclude<T, symbol>;
}

type Answers = Record<string, string | boolean | undefined>;

/** What the questions need besides the answers. */
export interface PromptSetup {
  io: Io;
  /** A team template's defaults: preselected, and the person may change them. */
  suggested?: Partial<Flags>;
  /** Where the answers already given came from, for messages that name them. */
  context: Context;
  /** Answers a team template locks: never asked, never asked again. */
  locked?: ReadonlySet<string>;
}

/** What one asker works with: the answers so far (it may fill more than its own), and the setup. */
interface Asking {
  answers: Answers;
  suggested: Answers;
  io: Io;
  context: Context;
  locked: ReadonlySet<string>;
  /** Keys answered before any question (flags, preset, template): a prompt must not rule them out. */
  given: Set<string>;
  /** The model outcome shown at the model question, so it is not printed again after the questions. */
  modelShown?: string;
}

/** Closes the frame the questions were asked in (askDirectory opened it), before the output that follows. */
export function closePrompts(message: string): void {
  clack.outro(message);
}

/** A line inside the frame (a template fetched between two questions). */
export function say(line: string): void {
  clack.log.info(line);
}

/**
 * The first question: where the project goes, and at once what to do when that folder is not
 * empty (before anything else is asked or fetched). The answer to that lands in the flags, as
 * --force or --keep-existing would. The answers already given are checked before it.
 */
export async function askDirectory(flags: Flags, { io, context }: PromptSetup): Promise<Flags> {
  const answers = { ...flags } as unknown as Answers;
  checkGiven(flags, openQuestions(answers), io.today, context);
  clack.intro("create-agentcore");
  const fallback = String(question("directory").default);
  for (;;) {
    if (answers.directory === undefined) {
      answers.directory = answered(
        await clack.text({
          message: "Project directory",
          placeholder: fallback,
          defaultValue: fallback,
          validate: (typed) => {
            const directory = typed || fallback;
            return directoryProblem(directory) ?? targetProblem(directory);
          },
        }),
      );
    }
    const directory = String(answers.directory);
    if (answers.force === true || answers["keep-existing"] === true) break;
    if (inspectTarget(directory, []).empty) break;
    const entries = readdirSync(resolve(directory)).filter((entry) => entry !== ".git").length;
    const choice = answered(
      await clack.select({
        message: `${directory} is not empty (${entries} ${entries === 1 ? "entry" : "entries"}). What now?`,
        initialValue: "cancel",
        options: [
          { value: "cancel", label: "Cancel", hint: "write nothing" },
          { value: "another", label: "Choose another directory" },
          { value: "skip", label: "Add only the missing files", hint: "never overwrites anything (--keep-existing)" },
          { value: "overwrite", label: "Overwrite the project's files", hint: "other files are kept (--force)" },
        ],
      }),
    );
    if (choice === "cancel") throw new Cancelled();
    if (choice === "another") {
      answers.directory = undefined;
      continue;
    }
    answers[choice === "skip" ? "keep-existing" : "force"] = true;
    break;
  }
  return answers as unknown as Flags;
}

/** Why a directory cannot be the target (a file stands there), or undefined. */
function targetProblem(directory: string): string | undefined {
  try {
    inspectTarget(directory, []);
    return undefined;
  } catch (error) {
    if (error instanceof WriteError) return error.message;
    throw error;
  }
}

/**
 * Asks every question of the registry whose answer was not given, in the registry's order (a
 * question's `dependsOn` first). The answers given are checked first, so a mistake in them ends
 * the run before anyone types anything; later, no prompted answer may rule one of them out.
 */
export async function askMissing(given: Flags, setup: PromptSetup): Promise<{ flags: Flags; modelShown?: string }> {
  const answers = { ...given } as unknown as Answers;
  const asking: Asking = {
    answers,
    suggested: (setup.suggested ?? {}) as Answers,
    io: setup.io,
    context: setup.context,
    locked: setup.locked ?? new Set(),
    given: new Set(QUESTIONS.filter((entry) => answers[entry.key] !== undefined).map((entry) => entry.key)),
  };
  checkGiven(given, openQuestions(answers), setup.io.today, setup.context);
  const done = new Set<string>();
  const ask = async (entry: Question): Promise<void> => {
    if (done.has(entry.key)) return;
    done.add(entry.key);
    for (const key of entry.dependsOn ?? []) await ask(question(key));
    if (!entry.prompt || !isVisible(entry) || notApplicable(entry, answers as Given) !== undefined) return;
    if (entry.prompt === "custom") return CUSTOM[entry.key]!(asking);
    if (answers[entry.key] !== undefined) return;
    const value = await askOne(entry, asking);
    if (value !== undefined) answers[entry.key] = value;
  };
  for (const entry of QUESTIONS) await ask(entry);
  return { flags: answers as unknown as Flags, modelShown: asking.modelShown };
}

/** The questions that may still be asked: shown at a terminal, and not answered yet. */
function openQuestions(answers: Answers, except?: string): Question[] {
  return visibleQuestions().filter((entry) => entry.prompt && entry.key !== except && answers[entry.key] === undefined);
}

/** The first answer given earlier that `key: value` would rule out for good, as its flag and why; else undefined. */
function rulesOutGiven(key: string, value: string | boolean, asking: Asking): string | undefined {
  const answers = { ...asking.answers, [key]: value };
  const open = openQuestions(answers, key);
  for (const other of asking.given) {
    const reason = ruledOut(question(other), answers as Given, open);
    if (reason) return `--${other} ${String(asking.answers[other])} applies ${reason}`;
  }
  return undefined;
}

/** A question with a plain prompt: a select, a yes/no, or a line of text checked as its flag is. */
async function askOne(entry: Question, asking: Asking): Promise<string | boolean | undefined> {
  if (entry.prompt === undefined || entry.prompt === "custom") return undefined;
  const { answers, suggested } = asking;
  const initial =
    suggested[entry.key] ?? (entry.kind === "choice" ? choiceDefault(entry.key, answers as Given) : entry.default);
  if (entry.kind === "choice" || entry.kind === "boolean") {
    // Values that would rule out an answer given earlier are not offered; when one is left, it is taken.
    const candidates: { value: string | boolean; label: string; hint?: string }[] =
      entry.kind === "choice"
        ? allowedChoices(entry.key, answers as Given).map((choice: Choice) => choice)
        : [
            { value: true, label: "Yes" },
            { value: false, label: "No" },
          ];
    if (candidates.length === 1 && entry.kind === "choice") {
      // The earlier answers leave one value (OpenAI Agents: the OpenAI API): say so, and why, rather than ask.
      const [only] = candidates as [{ value: string | boolean; label: string }];
      const restricting = Object.entries(answers)
        .map(([key, value]) => (isQuestionKey(key) ? choiceOf(key, value) : undefined))
        .filter((choice) => choice?.supports?.[entry.key] !== undefined)
        .map((choice) => choice!.label);
      const why = restricting.length > 0 ? `${restricting.join(" and ")} supports` : "works with these answers";
      clack.log.info(`${entry.prompt.message}: ${only.label}, the only one ${why}`);
      // The default needs no answer: the reproduce command leaves it out, as if not asked.
      return only.value === entry.default ? undefined : only.value;
    }
    const kept = candidates.filter((candidate) => !rulesOutGiven(entry.key, candidate.value, asking));
    if (kept.length === 1 && kept.length < candidates.length) {
      const dropped = candidates.find((candidate) => candidate !== kept[0])!;
      const why = rulesOutGiven(entry.key, dropped.value, asking);
      clack.log.info(`${entry.prompt.message.replace(/\?$/, "")}: ${kept[0]!.label}, since ${why}`);
      return kept[0]!.value;
    }
    const offered = kept.length > 0 ? kept : candidates;
    if (entry.kind === "boolean")
      return answered(await clack.confirm({ message: entry.prompt.message, initialValue: initial === true }));
    const preselected = offered.some((choice) => choice.value === initial) ? initial : offered[0]?.value;
    return answered(
      await clack.select({
        message: entry.prompt.message,
        initialValue: preselected as string,
        options: offered.map((choice) => ({
          value: choice.value as string,
          label: choice.label,
          ...(choice.hint && { hint: choice.hint }),
        })),
      }),
    );
  }

  const { message, placeholder, optional } = entry.prompt as {
    message: string;
    placeholder?: string;
    optional?: boolean;
  };
  const fallback = typeof initial === "string" ? initial : entry.derive?.(answers as Given, asking.io.env);
  const notes = [
    entry.kind === "list" && "comma-separated",
    optional && `Enter to ${fallback ? "keep" : "skip"}`,
  ].filter(Boolean);
  const value = answered(
    await clack.text({
      message: notes.length > 0 ? `${message} (${notes.join(", ")})` : message,
      placeholder: fallback ?? placeholder,
      defaultValue: fallback ?? "",
      validate: (typed) => {
        const text = typed || fallback || "";
        if (text === "" && optional) return undefined;
        return answerProblem(entry, text, answers as Given) ?? (text.trim() === "" ? "enter a value" : undefined);
      },
    }),
  );
  return value === "" ? undefined : value;
}

/** The model as the answers so far resolve it in `region`. */
function resolveFor(model: string, region: string, { answers, io }: Asking): ResolveResult {
  return resolveProviderModel({
    provider: choiceOrDefault("provider", answers as Given),
    model,
    region,
    profile: (answers["inference-profile"] ?? "geo") as ProfilePreference,
    today: io.today,
    skipCatalog: answers["skip-model-check"] === true,
  });
}

/** What the resolver made of the model, where it was chosen: the ID to be written, then any warnings. */
function showModel(result: Extract<ResolveResult, { ok: true }>, asking: Asking): void {
  for (const note of result.notes) clack.log.info(`model: ${note}`);
  for (const warning of result.warnings) clack.log.warn(`warning: ${warning}`);
  asking.modelShown = result.modelId;
}

/** Questions whose prompt is more than one plain question. */
const CUSTOM: Record<string, (asking: Asking) => Promise<void>> = {
  /** Asked only when the directory's name makes none, or one too long beside the agent's name. */
  "project-name": async ({ answers, io }) => {
    const entry = question("project-name");
    if (answers["project-name"] !== undefined || entry.kind !== "text") return;
    const problem = (value: string) => answerProblem(entry, value, answers as Given);
    if (!problem(entry.derive!(answers as Given, io.env))) return;
    answers["project-name"] = answered(
      await clack.text({
        message: "AgentCore CLI project name (letters and digits)",
        validate: (value) => problem(value ?? ""),
      }),
    );
  },

  /** Asked only when the directory's name makes no valid agent name. */
  name: async ({ answers }) => {
    if (answers.name !== undefined || !agentNameProblem(agentNameFrom(String(answers.directory)))) return;
    answers.name = answered(
      await clack.text({
        message: "Agent name (letters, digits, _)",
        validate: (value) => agentNameProblem(value ?? ""),
      }),
    );
  },

  /**
   * Checked as --region is, with a did-you-mean; the default ($AWS_REGION, a template's) is named
   * when it is the mistake. A model the template locks must be callable from the region.
   */
  region: async (asking) => {
    const { answers, suggested, io, context } = asking;
    if (answers.region !== undefined) return;
    const fromTemplate = typeof suggested.region === "string";
    const environment = regionFromEnvironment(io.env);
    const fallback = fromTemplate ? String(suggested.region) : environment.region;
    const fallbackSource = fromTemplate ? sourceOf("region", context) : environment.source;
    answers.region = answered(
      await clack.text({
        message: "AWS region",
        placeholder: fallback,
        defaultValue: fallback,
        validate: (typed) => {
          const region = typed || fallback;
          const problem = answerProblem(question("region"), region, answers as Given);
          if (problem) return typed ? problem : `${fallbackSource}: ${problem}`;
          if (answers.model === undefined || !asking.locked.has("model")) return undefined;
          const model = resolveFor(String(answers.model), region, asking);
          return model.ok ? undefined : `${sourceOf("model", context)}: ${model.error}`;
        },
      }),
    );
  },

  /**
   * The models callable from the region (one line says how many are not), or any ID typed and
   * resolved as it is entered; the outcome is shown here. A model given earlier that cannot be
   * called from the region just chosen is asked again.
   */
  model: async (asking) => {
    const { answers, suggested, io, context } = asking;
    const region = String(answers.region);
    if (answers.model !== undefined) {
      const given = resolveFor(String(answers.model), region, asking);
      if (given.ok) return showModel(given, asking);
      // The resolver's message names --model; a preset or a template is named before it.
      const source = sourceOf("model", context);
      clack.log.warn(`${source === "--model" ? "" : `${source}: `}${given.error}. Choose another model:`);
      answers.model = undefined;
      asking.given.delete("model");
    }
    const profile = (answers["inference-profile"] ?? "geo") as ProfilePreference;
    const chosen = choiceOrDefault("provider", answers as Given);
    const provider = isDirect(chosen) ? chosen : undefined;
    const { choices, hidden } = provider
      ? directModelChoices(provider, io.today)
      : modelChoicesIn(region, profile, io.today);
    if (hidden > 0) {
      const why = provider ? "past their end of life" : `not callable from ${region}`;
      clack.log.message(
        `${hidden} ${hidden === 1 ? "model is" : "models are"} not listed: ${why} (--list-models${provider ? ` --provider ${provider}` : ` --region ${region}`} shows why)`,
      );
    }
    const teamModel = typeof suggested.model === "string" ? suggested.model : undefined;
    const teamResolved = teamModel === undefined ? undefined : resolveFor(teamModel, region, asking);
    const teamChoice =
      teamModel !== undefined && teamResolved?.ok && !choices.some((choice) => choice.value === teamModel)
        ? [{ value: teamModel, label: teamModel, hint: `the template's default; uses ${teamResolved.modelId}` }]
        : [];
    const options = [...teamChoice, ...choices];
    const providerDefault = provider ? DIRECT_CATALOGS[provider].defaultModel : DEFAULT_MODEL_ID;
    const preferred = [teamModel, providerDefault].find((id) => options.some((choice) => choice.value === id));
    const initial = preferred ?? options[0]?.value;
    const custom = "__custom__";
    const choice = answered(
      await clack.select({
        message: provider ? `${DIRECT_CATALOGS[provider].name} model` : "Bedrock model",
        initialValue: initial ?? custom,
        maxItems: 10,
        options: [
          ...options,
          { value: custom, label: "Custom ID", hint: provider ? "model ID" : "model ID, inference profile ID or ARN" },
        ],
      }),
    );
    if (choice !== custom) {
      const picked = resolveFor(choice, region, asking);
      if (!picked.ok) throw new Error(`the model list offered ${choice}, which does not resolve: ${picked.error}`);
      answers.model = picked.requestedId;
      return showModel(picked, asking);
    }
    const example = initial === undefined ? undefined : resolveFor(initial, region, asking);
    await askModelId(asking, region, example?.ok ? example.modelId : undefined);
  },

  /** Client ids and audiences together: at least one of the two. */
  "allowed-clients": async ({ answers }) => {
    if (answers["allowed-clients"] !== undefined || answers["allowed-audience"] !== undefined) return;
    const clients = answered(
      await clack.text({
        message: "Allowed client ids (comma-separated, Enter to skip)",
        defaultValue: "",
        validate: (value) => listProblem(value ?? ""),
      }),
    );
    const audience = answered(
      await clack.text({
        message: "Allowed audiences (comma-separated)",
        defaultValue: "",
        validate: (value) =>
          listProblem(value ?? "") ??
          (parseList(value).length === 0 && parseList(clients).length === 0
            ? "give at least one client id or audience"
            : undefined),
      }),
    );
    if (clients) answers["allowed-clients"] = clients;
    if (audience) answers["allowed-audience"] = audience;
  },
  "allowed-audience": async () => {}, // asked with the client ids
};

/**
 * A model ID typed by hand, resolved for the region as it is entered. One the catalog does not
 * know may be used as given once the person says so (that is --skip-model-check), unless a
 * template locks the catalog check.
 */
async function askModelId(asking: Asking, region: string, example: string | undefined): Promise<void> {
  const { answers } = asking;
  const mayBypass = !asking.locked.has("skip-model-check");
  for (;;) {
    const typed = answered(
      await clack.text({
        message: "Model ID",
        placeholder: example ?? "",
        validate: (value) => {
          const result = resolveFor(value ?? "", region, asking);
          return result.ok || (result.unknownModel && mayBypass) ? undefined : result.error;
        },
      }),
    );
    const result = resolveFor(typed, region, asking);
    if (result.ok) {
      answers.model = result.requestedId;
      return showModel(result, asking);
    }
    clack.log.warn(result.error);
    const bypass = answered(
      await clack.confirm({
        message: `Use ${typed} as given, with no lifecycle or inference-profile check (--skip-model-check)?`,
        initialValue: false,
      }),
    );
    if (!bypass) continue;
    answers["skip-model-check"] = true;
    const asGiven = resolveFor(typed, region, asking);
    if (!asGiven.ok) throw new Error(`--skip-model-check did not take ${typed}: ${asGiven.error}`);
    answers.model = asGiven.requestedId;
    return showModel(asGiven, asking);
  }
}

/**
 * A team template's own questions not answered yet, after the built-in ones. `check` turns a
 * typed answer into a problem, or undefined (src/team/answers.ts).
 */
export async function askTeam(
  template: string,
  questions: TemplateQuestion[],
  given: TeamAnswers,
  check: (question: TemplateQuestion, raw: string) => string | undefined,
): Promise<TeamAnswers> {
  const answers = { ...given };
  const open = questions.filter((entry) => !Object.hasOwn(answers, entry.name));
  // Every word here is the template's: through terminalText, so none can steer the terminal.
  if (open.length > 0) clack.log.info(terminalText(`Questions from the template ${template}`));
  for (const entry of open) {
    const message = terminalText(entry.message);
    if (entry.type === "confirm") {
      answers[entry.name] = answered(await clack.confirm({ message, initialValue: entry.default === true }));
    } else if (entry.type === "select") {
      answers[entry.name] = answered(
        await clack.select({
          message,
          ...(typeof entry.default === "string" && { initialValue: entry.default }),
          options: entry.options!.map((option) => ({
            value: option.value,
            label: terminalText(option.label ?? option.value),
            ...(option.hint && { hint: terminalText(option.hint) }),
          })),
        }),
      );
    } else {
      const fallback = typeof entry.default === "string" ? entry.default : undefined;
      const placeholder = entry.hint ?? fallback;
      answers[entry.name] = answered(
        await clack.text({
          message,
          ...(placeholder !== undefined && { placeholder: terminalText(placeholder) }),
          ...(fallback !== undefined && { defaultValue: fallback }),
          validate: (value) => {
            const problem = check(entry, value === "" || value === undefined ? (fallback ?? "") : value);
            return problem === undefined ? undefined : terminalText(problem);
          },
        }),
      );
    }
  }
  return answers;
}

/** With --yes at a terminal, the one question left: the target has files; cancel, keep theirs, or replace the plan's own. */
export async function askExisting(directory: string, clashing: string[]): Promise<ExistingFiles> {
  const detail = clashing.length > 0 ? `; ${clashing.length} of the project's files exist there` : "";
  const choice = answered(
    await clack.select({
      message: `${directory} is not empty${detail}. What now?`,
      initialValue: "cancel",
      options: [
        { value: "cancel", label: "Cancel", hint: "write nothing" },
        { value: "skip", label: "Add only the missing files", hint: "never overwrites anything (--keep-existing)" },
        { value: "overwrite", label: "Overwrite the project's files", hint: "other files are kept (--force)" },
      ],
    }),
  );
  if (choice === "cancel") throw new Cancelled();
  return choice as ExistingFiles;
}
