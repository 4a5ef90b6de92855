import { shellWord } from "./escape.js";
import { answersOf, fieldOf, type Options } from "./options.js";
import { type Flags, notApplicable, visibleQuestions } from "./registry.js";
import type { TeamAnswers } from "./team/answers.js";

/** The package managers whose `create` runs create-agentcore, and how each spells it. */
const CREATE_COMMANDS = {
  npm: { command: "npm create agentcore@latest", separator: true },
  pnpm: { command: "pnpm create agentcore", separator: false },
  yarn: { command: "yarn create agentcore", separator: false },
  bun: { command: "bun create agentcore", separator: false },
} as const;

export type PackageManager = keyof typeof CREATE_COMMANDS;

/**
 * The package manager that started this run, from the user agent each sets for what it runs
 * (`pnpm/9.12.0 npm/? node/v20.18.0 linux x64`); npm when there is none (node index.cjs, npx).
 */
export function packageManagerOf(userAgent: string | undefined): PackageManager {
  const name = /^([a-z]+)\//.exec(userAgent ?? "")?.[1];
  return name !== undefined && Object.hasOwn(CREATE_COMMANDS, name) ? (name as PackageManager) : "npm";
}

/**
 * The command that answers every question the user just answered, for scripts and workshops:
 * each recorded answer as its flag, in the registry's order, in the form of the package manager
 * that started the run (npm passes flags on after `--`; pnpm, yarn and bun do without).
 */
export function reproduceCommand(
  flags: Flags,
  options: Options,
  team: { source: string; answers: TeamAnswers } | undefined,
  packageManager: PackageManager,
): string {
  const { command, separator } = CREATE_COMMANDS[packageManager];
  const words = [command, shellWord(options.directory), ...(separator ? ["--"] : [])];
  if (team) words.push("--template", shellWord(team.source));
  const given = answersOf(options);
  for (const entry of visibleQuestions()) {
    if (entry.key === "directory" || entry.record === undefined || notApplicable(entry, given) !== undefined) continue;
    if (entry.reproduceIfGiven && flags[entry.key as keyof Flags] === undefined) continue;
    const value = options[fieldOf(entry.key)];
    if (entry.kind === "boolean") {
      if (value === true) words.push(`--${entry.key}`);
      else if (entry.negatable) words.push(`--no-${entry.key}`);
    } else if (Array.isArray(value)) {
      if (value.length > 0) words.push(`--${entry.key}`, shellWord(value.join(",")));
    } else if (value !== null) {
      words.push(`--${entry.key}`, shellWord(String(value)));
    }
  }
  if (team) {
    for (const [name, value] of Object.entries(team.answers)) words.push("--answer", shellWord(`${name}=${value}`));
  }
  if (flags.force) words.push("--force");
  if (flags["keep-existing"]) words.push("--keep-existing");
  if (flags.offline) words.push("--offline");
  if (!flags.git) words.push("--no-git");
  if (flags.install === false) words.push("--no-install");
  if (flags.install === true && team) words.push("--install");
  return words.join(" ");
}
