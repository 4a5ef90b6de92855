import * as clack from "@clack/prompts";
import type { Flags } from "./args.js";
import { Cancelled, type Io } from "./cli.js";
import { DEFAULT_MODEL_ID } from "./models/catalog.js";
import { modelChoices, resolveModel } from "./models/resolve.js";
import {
  accountProblem, agentNameFrom, agentNameProblem, DEFAULT_DIRECTORY, DEFAULT_FRAMEWORK,
  defaultRegion, discoveryUrlProblem, parseList, regionProblem,
} from "./validate.js";
import type { ExistingFiles } from "./write.js";
import type { TeamAnswers } from "./team/answers.js";
import type { Question } from "./team/manifest.js";

// Loaded only when a person is at a terminal, so non-interactive runs never pay for @clack/prompts.

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new Cancelled();
  return value as Exclude<T, symbol>;
}

const CUSTOM_MODEL = "__custom__";

/**
 * Asks every question whose flag was not given, in the order a person thinks about them.
 * `suggested` are a team template's defaults: preselected, and the person may change them.
 */
export async function askMissing(given: Flags, io: Io, suggested: Partial<Flags> = {}): Promise<Flags> {
  const flags = { ...given };
  clack.intro("create-agentcore");

  flags.directory ??= answered(
    await clack.text({
      message: "Project directory",
      placeholder: DEFAULT_DIRECTORY,
      defaultValue: DEFAULT_DIRECTORY,
      validate: (value) => (value !== undefined && value.trim() === "" && value !== "" ? "enter a directory name" : undefined),
    }),
  );
  if (flags.name === undefined && agentNameProblem(agentNameFrom(flags.directory))) {
    flags.name = answered(
      await clack.text({ message: "Agent name (letters, digits, _)", validate: (value) => agentNameProblem(value ?? "") }),
    );
  }

  flags.framework ??= answered(
    await clack.select({
      message: "Agent framework",
      initialValue: suggested.framework ?? DEFAULT_FRAMEWORK,
      options: [
        { value: "strands", label: "Strands Agents", hint: "model-driven agent loop with tools" },
        { value: "langgraph", label: "LangGraph", hint: "graph agent on langchain-aws" },
        { value: "basic", label: "Plain Python", hint: "bring your own framework or model client" },
      ],
    }),
  );

  flags.region ??= answered(
    await clack.text({
      message: "AWS region",
      placeholder: suggested.region ?? defaultRegion(io.env),
      defaultValue: suggested.region ?? defaultRegion(io.env),
      validate: (value) => (value ? regionProblem(value) : undefined),
    }),
  );

  if (flags.model === undefined) {
    const choices = modelChoices(io.today);
    const teamModel = suggested.model !== undefined && !choices.some((choice) => choice.value === suggested.model)
      ? [{ value: suggested.model, label: suggested.model, hint: "the template's default" }]
      : [];
    const choice = answered(
      await clack.select({
        message: "Bedrock model",
        initialValue: suggested.model ?? DEFAULT_MODEL_ID,
        maxItems: 10,
        options: [
          ...teamModel,
          ...choices,
          { value: CUSTOM_MODEL, label: "Custom ID", hint: "model ID, inference profile ID or ARN" },
        ],
      }),
    );
    const region = flags.region;
    flags.model =
      choice !== CUSTOM_MODEL
        ? choice
        : answered(
            await clack.text({
              message: "Model ID",
              placeholder: "us.anthropic.claude-sonnet-5-5",
              validate: (value) => {
                const result = resolveModel({ model: value ?? "", region, profile: "geo", today: io.today, skipCatalog: given.skipModelCheck });
                return result.ok ? undefined : result.error;
              },
            }),
          );
  }

  flags.auth ??= answered(
    await clack.select({
      message: "Inbound auth",
      initialValue: suggested.auth ?? "iam",
      options: [
        { value: "iam", label: "IAM (SigV4)", hint: "callers sign with AWS credentials" },
        { value: "jwt", label: "JWT", hint: "OAuth tokens from Cognito or another identity provider" },
      ],
    }),
  );
  if (flags.auth === "jwt") await askJwt(flags);

  flags.streaming ??= answered(await clack.confirm({ message: "Stream the answer (server-sent events)?", initialValue: suggested.streaming ?? false }));
  if (flags.framework === "langgraph" && flags.streaming && flags.streamMode === undefined) {
    flags.streamMode = answered(
      await clack.select({
        message: "LangGraph stream mode",
        initialValue: suggested.streamMode ?? "messages",
        options: [
          { value: "messages", label: "messages", hint: "token text as it is generated" },
          { value: "updates", label: "updates", hint: "one event per graph step" },
          { value: "values", label: "values", hint: "the whole state after each step" },
        ],
      }),
    );
  }
  flags.asyncTask ??= answered(await clack.confirm({ message: "Add background tasks (@app.async_task)?", initialValue: suggested.asyncTask ?? false }));

  if (flags.account === undefined) {
    const account = answered(
      await clack.text({
        message: `AWS account id for the deploy config (Enter to ${suggested.account ? "keep" : "skip"})`,
        placeholder: suggested.account ?? "123456789012",
        ...(suggested.account && { defaultValue: suggested.account }),
        validate: (value) => (value ? accountProblem(value) : undefined),
      }),
    );
    if (account) flags.account = account;
  }
  return flags;
}

async function askJwt(flags: Flags): Promise<void> {
  flags.discoveryUrl ??= answered(
    await clack.text({
      message: "OIDC discovery URL",
      placeholder: "https://cognito-idp.<region>.amazonaws.com/<pool-id>/.well-known/openid-configuration",
      validate: (value) => discoveryUrlProblem(value ?? ""),
    }),
  );
  if (flags.allowedClients === undefined && flags.allowedAudience === undefined) {
    flags.allowedClients = answered(
      await clack.text({ message: "Allowed client ids (comma-separated, Enter to skip)", defaultValue: "" }),
    );
    flags.allowedAudience = answered(
      await clack.text({
        message: "Allowed audiences (comma-separated)",
        defaultValue: "",
        validate: (value) =>
          parseList(value).length === 0 && parseList(flags.allowedClients).length === 0
            ? "give at least one client id or audience"
            : undefined,
      }),
    );
  }
  if (flags.allowedScopes === undefined) {
    const scopes = answered(await clack.text({ message: "Required scopes (comma-separated, Enter to skip)", defaultValue: "" }));
    if (scopes) flags.allowedScopes = scopes;
  }
  if (!flags.allowedClients) delete flags.allowedClients;
  if (!flags.allowedAudience) delete flags.allowedAudience;
}

/**
 * A team template's own questions not answered yet, after the built-in ones. `check` turns a
 * typed answer into a problem, or undefined (src/team/answers.ts).
 */
export async function askTeam(
  template: string,
  questions: Question[],
  given: TeamAnswers,
  check: (question: Question, raw: string) => string | undefined,
): Promise<TeamAnswers> {
  const answers = { ...given };
  const open = questions.filter((question) => !Object.hasOwn(answers, question.name));
  if (open.length > 0) clack.log.info(`Questions from the template ${template}`);
  for (const question of open) {
    if (question.type === "confirm") {
      answers[question.name] = answered(await clack.confirm({ message: question.message, initialValue: question.default === true }));
    } else if (question.type === "select") {
      answers[question.name] = answered(
        await clack.select({
          message: question.message,
          ...(typeof question.default === "string" && { initialValue: question.default }),
          options: question.options!.map((option) => ({ value: option.value, label: option.label ?? option.value, ...(option.hint && { hint: option.hint }) })),
        }),
      );
    } else {
      const fallback = typeof question.default === "string" ? question.default : undefined;
      answers[question.name] = answered(
        await clack.text({
          message: question.message,
          ...((question.hint ?? fallback) !== undefined && { placeholder: question.hint ?? fallback }),
          ...(fallback !== undefined && { defaultValue: fallback }),
          validate: (value) => check(question, value === "" || value === undefined ? (fallback ?? "") : value),
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
