import * as clack from "@clack/prompts";
import { agentNameFrom, agentNameProblem, parseList } from "./checks.js";
import { Cancelled } from "./errors.js";
import { terminalText } from "./escape.js";
import type { Io } from "./io.js";
import { modelChoices, resolveModel } from "./models/resolve.js";
import {
  allowedChoices,
  type Flags,
  type Given,
  isVisible,
  notApplicable,
  QUESTIONS,
  type Question,
  question,
  textAnswerProblem,
} from "./registry.js";
import type { TeamAnswers } from "./team/answers.js";
import type { Question as TemplateQuestion } from "./team/manifest.js";
import type { ExistingFiles } from "./write.js";

// Loaded only when a person is at a terminal, so non-interactive runs never pay for @clack/prompts.

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new Cancelled();
  return value as Exclude<T, symbol>;
}

type Answers = Record<string, string | boolean | undefined>;

/** What one asker needs: the answers so far (it may fill more than its own), a team's suggestions, the run. */
interface Asking {
  answers: Answers;
  suggested: Answers;
  io: Io;
}

/**
 * Asks every question of the registry whose answer was not given, in the registry's order (a
 * question's `dependsOn` first). `suggested` are a team template's defaults: preselected, and the
 * person may change them.
 */
export async function askMissing(given: Flags, io: Io, suggested: Partial<Flags> = {}): Promise<Flags> {
  const asking: Asking = { answers: { ...given } as unknown as Answers, suggested: suggested as Answers, io };
  clack.intro("create-agentcore");
  const done = new Set<string>();
  const ask = async (entry: Question): Promise<void> => {
    if (done.has(entry.key)) return;
    done.add(entry.key);
    for (const key of entry.dependsOn ?? []) await ask(question(key));
    if (!entry.prompt || !isVisible(entry) || notApplicable(entry, asking.answers as Given) !== undefined) return;
    if (entry.prompt === "custom") return CUSTOM[entry.key]!(asking);
    if (asking.answers[entry.key] !== undefined) return;
    const value = await askOne(entry, asking);
    if (value !== undefined) asking.answers[entry.key] = value;
  };
  for (const entry of QUESTIONS) await ask(entry);
  return asking.answers as unknown as Flags;
}

/** A question with a plain prompt: a select, a yes/no, or a line of text checked as its flag is. */
async function askOne(entry: Question, { answers, suggested, io }: Asking): Promise<string | boolean | undefined> {
  if (entry.prompt === undefined || entry.prompt === "custom") return undefined;
  const initial = suggested[entry.key] ?? entry.default;
  if (entry.kind === "choice") {
    const options = allowedChoices(entry.key, answers as Given);
    const preselected = options.some((choice) => choice.value === initial) ? initial : options[0]?.value;
    return answered(
      await clack.select({
        message: entry.prompt.message,
        initialValue: preselected as string,
        options: options.map((choice) => ({
          value: choice.value,
          label: choice.label,
          ...(choice.hint && { hint: choice.hint }),
        })),
      }),
    );
  }
  if (entry.kind === "boolean")
    return answered(await clack.confirm({ message: entry.prompt.message, initialValue: initial === true }));

  const { message, placeholder, optional } = entry.prompt as {
    message: string;
    placeholder?: string;
    optional?: boolean;
  };
  const fallback = typeof initial === "string" ? initial : entry.derive?.(answers as Given, io.env);
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
        return textAnswerProblem(entry, text) ?? (text.trim() === "" ? "enter a value" : undefined);
      },
    }),
  );
  return value === "" ? undefined : value;
}

/** Questions whose prompt is more than one plain question. */
const CUSTOM: Record<string, (asking: Asking) => Promise<void>> = {
  /** Asked only when the directory's name makes no valid agent name. */
  /** Asked only when the directory's name makes none, or one too long beside the agent's name. */
  "project-name": async ({ answers, io }) => {
    const entry = question("project-name");
    if (answers["project-name"] !== undefined || entry.kind !== "text") return;
    const problem = (value: string) => entry.check?.(value) ?? entry.checkWith?.(value, answers as Given);
    if (!problem(entry.derive!(answers as Given, io.env))) return;
    answers["project-name"] = answered(
      await clack.text({
        message: "AgentCore CLI project name (letters and digits)",
        validate: (value) => problem(value ?? ""),
      }),
    );
  },

  name: async ({ answers }) => {
    if (answers.name !== undefined || !agentNameProblem(agentNameFrom(String(answers.directory)))) return;
    answers.name = answered(
      await clack.text({
        message: "Agent name (letters, digits, _)",
        validate: (value) => agentNameProblem(value ?? ""),
      }),
    );
  },

  /** The catalog's models for the region, or any ID typed and resolved as it is entered. */
  model: async ({ answers, suggested, io }) => {
    if (answers.model !== undefined) return;
    const choices = modelChoices(io.today);
    const teamModel =
      suggested.model !== undefined && !choices.some((choice) => choice.value === suggested.model)
        ? [{ value: String(suggested.model), label: String(suggested.model), hint: "the template's default" }]
        : [];
    const custom = "__custom__";
    const choice = answered(
      await clack.select({
        message: "Bedrock model",
        initialValue: String(suggested.model ?? question("model").default),
        maxItems: 10,
        options: [
          ...teamModel,
          ...choices,
          { value: custom, label: "Custom ID", hint: "model ID, inference profile ID or ARN" },
        ],
      }),
    );
    const region = String(answers.region);
    answers.model =
      choice !== custom
        ? choice
        : answered(
            await clack.text({
              message: "Model ID",
              placeholder: "us.anthropic.claude-sonnet-5-5",
              validate: (value) => {
                const skipCatalog = answers["skip-model-check"] === true;
                const result = resolveModel({
                  model: value ?? "",
                  region,
                  profile: "geo",
                  today: io.today,
                  skipCatalog,
                });
                return result.ok ? undefined : result.error;
              },
            }),
          );
  },

  /** Client ids and audiences together: at least one of the two. */
  "allowed-clients": async ({ answers }) => {
    if (answers["allowed-clients"] !== undefined || answers["allowed-audience"] !== undefined) return;
    const clients = answered(
      await clack.text({ message: "Allowed client ids (comma-separated, Enter to skip)", defaultValue: "" }),
    );
    const audience = answered(
      await clack.text({
        message: "Allowed audiences (comma-separated)",
        defaultValue: "",
        validate: (value) =>
          parseList(value).length === 0 && parseList(clients).length === 0
            ? "give at least one client id or audience"
            : undefined,
      }),
    );
    if (clients) answers["allowed-clients"] = clients;
    if (audience) answers["allowed-audience"] = audience;
  },
  "allowed-audience": async () => {}, // asked with the client ids
};

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

/** The target has files: cancel, keep theirs, or replace the plan's own files. */
export async function askExisting(directory: string, clashing: string[]): Promise<ExistingFiles> {
  const detail = clashing.length > 0 ? `; ${clashing.length} of the project's files exist there` : "";
  const choice = answered(
    await clack.select({
      message: `${directory} is not empty${detail}. What now?`,
      initialValue: "cancel",
      options: [
        { value: "cancel", label: "Cancel", hint: "write nothing" },
        { value: "skip", label: "Add only the missing files", hint: "keep every existing file" },
        { value: "overwrite", label: "Overwrite the project's files", hint: "other files are kept" },
      ],
    }),
  );
  if (choice === "cancel") throw new Cancelled();
  return choice as ExistingFiles;
}
