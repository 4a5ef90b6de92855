import { relative } from "node:path";
import { HELP, parseFlags, UsageError, type Flags } from "./args.js";
import { shellWord } from "./escape.js";
import { configureCommand } from "./next-steps.js";
import type { Options } from "./options.js";
import { plan, type PlannedFile } from "./plan.js";
import { readPreset, withPreset } from "./preset.js";
import { validate } from "./validate.js";
import { VERSION } from "./version.js";
import { inspectTarget, writePlan, WriteError, type ExistingFiles } from "./write.js";

/** The user stopped at a prompt: nothing was written. */
export class Cancelled extends Error {}

export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  today: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Flags a run without a terminal must be given, unless --yes takes the defaults. */
const REQUIRED_WITHOUT_TERMINAL: { flag: string; given: (flags: Flags) => boolean }[] = [
  { flag: "<directory>", given: (flags) => flags.directory !== undefined },
  { flag: "--framework", given: (flags) => flags.framework !== undefined },
];

export async function main(io: Io): Promise<number> {
  try {
    return await run(io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof WriteError) {
      io.err(`create-agentcore: error: ${error.message}`);
      return 2;
    }
    if (error instanceof Cancelled) {
      io.err("create-agentcore: cancelled; nothing was written");
      return 130;
    }
    throw error;
  }
}

async function run(io: Io): Promise<number> {
  let flags = parseFlags(io.argv);
  if (flags.help) return io.out(HELP), 0;
  if (flags.version) return io.out(VERSION), 0;
  if (flags.preset !== undefined) {
    flags = withPreset(flags, await readPreset(flags.preset));
  }

  if (io.interactive && !flags.yes) {
    const { askMissing } = await import("./prompts.js");
    flags = await askMissing(flags, io);
  } else if (!flags.yes) {
    const missing = REQUIRED_WITHOUT_TERMINAL.filter((rule) => !rule.given(flags)).map((rule) => rule.flag);
    if (missing.length > 0) {
      throw new UsageError(`no terminal to ask questions: give ${missing.join(" and ")}, or --yes to take the defaults`);
    }
  }

  const { options, modelWarnings } = validate(flags, io.env, io.today);
  for (const note of options.modelNotes) io.out(`model: ${note}`);
  for (const warning of modelWarnings) io.err(`warning: ${warning}`);

  const files = plan(options);
  if (flags.dryRun) {
    printPlan(files, options, io);
    return 0;
  }

  const existingFiles = await decideExisting(options, files, flags, io);
  const result = writePlan(options.directory, files, existingFiles);
  io.out(`created ${result.written.length} files in ${options.directory}`);
  if (result.skipped.length > 0) io.out(`kept your existing ${result.skipped.join(", ")}`);

  if (flags.git || flags.install) {
    const { runPostSteps } = await import("./post-steps.js");
    await runPostSteps(options.directory, { git: flags.git, install: flags.install }, io);
  }

  printNextSteps(options, io);
  if (io.interactive && !flags.yes) io.out(`\nto do this again without questions:\n  ${reproduceCommand(flags, options)}`);
  return 0;
}

/** An empty or new directory is written; otherwise --force, or the user's answer, decides. */
async function decideExisting(options: Options, files: PlannedFile[], flags: Flags, io: Io): Promise<ExistingFiles> {
  const state = inspectTarget(options.directory, files);
  if (state.empty) return "overwrite";
  if (flags.force) return "overwrite";
  if (io.interactive) {
    const { askExisting } = await import("./prompts.js");
    return askExisting(options.directory, state.existing);
  }
  const clashes = state.existing.length > 0 ? ` (${state.existing.length} of its files would be replaced)` : "";
  throw new UsageError(
    `${options.directory} is not empty${clashes}: choose another directory, or --force to write the project's files (other files are kept)`,
  );
}

function printPlan(files: PlannedFile[], options: Options, io: Io): void {
  io.out(`would create in ${options.directory}:`);
  const width = Math.max(...files.map((file) => file.path.length));
  for (const file of files) {
    io.out(`  ${file.path.padEnd(width)}  ${Buffer.byteLength(file.contents)} B`);
  }
  io.out(`${files.length} files; nothing written (--dry-run)`);
}

function printNextSteps(options: Options, io: Io): void {
  const cd = relative(process.cwd(), options.directory) || ".";
  const lines = [
    "",
    "next steps:",
    `  cd ${shellWord(cd)}`,
    "  uv sync                    # install dependencies (no uv yet? pip install uv)",
    "  uv run pytest              # offline tests, no AWS needed",
    "  uv run python agent.py     # serve on http://127.0.0.1:8080",
  ];
  if (!options.account) lines.push(`  ${configureCommand(options)}`);
  lines.push("  agentcore launch           # deploy (builds linux/arm64 in CodeBuild)");
  lines.push("see README.md for invoking, auth and the model ID");
  for (const line of lines) io.out(line);
}

/** The command that answers every question the user just answered, for scripts and workshops. */
export function reproduceCommand(flags: Flags, options: Options): string {
  const words = ["npm create agentcore@latest", shellWord(options.directory), "--"];
  words.push("--framework", options.framework);
  if (flags.name !== undefined) words.push("--name", options.agentName);
  if (flags.description !== undefined) words.push("--description", shellWord(options.description));
  words.push("--model", shellWord(flags.model ?? options.modelId), "--region", options.region);
  if (flags.inferenceProfile) words.push("--inference-profile", flags.inferenceProfile);
  if (flags.skipModelCheck) words.push("--skip-model-check");
  words.push("--auth", options.auth);
  if (options.jwt) {
    words.push("--discovery-url", shellWord(options.jwt.discoveryUrl));
    if (options.jwt.allowedClients.length) words.push("--allowed-clients", shellWord(options.jwt.allowedClients.join(",")));
    if (options.jwt.allowedAudience.length) words.push("--allowed-audience", shellWord(options.jwt.allowedAudience.join(",")));
    if (options.jwt.allowedScopes.length) words.push("--allowed-scopes", shellWord(options.jwt.allowedScopes.join(",")));
  }
  words.push(options.streaming ? "--streaming" : "--no-streaming");
  if (options.streaming && options.framework === "langgraph") words.push("--stream-mode", options.streamMode);
  words.push(options.asyncTask ? "--async-task" : "--no-async-task");
  if (options.account) words.push("--account", options.account);
  if (!flags.git) words.push("--no-git");
  if (!flags.install) words.push("--no-install");
  return words.join(" ");
}
