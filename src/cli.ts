import { dirname, relative } from "node:path";
import { help, parseFlags } from "./args.js";
import { Cancelled, UsageError } from "./errors.js";
import { shellWord } from "./escape.js";
import { cause, errorCode } from "./fs-errors.js";
import type { Io } from "./io.js";
import type { PlannedFile } from "./layer.js";
import { configureCommand } from "./next-steps.js";
import type { Options } from "./options.js";
import { type PlanExtension, plan } from "./plan.js";
import { type Preset, readPreset, withPreset } from "./preset.js";
import { choiceValues, type Flags, QUESTIONS } from "./registry.js";
import { reproduceCommand } from "./reproduce.js";
import type { TeamAnswers } from "./team/answers.js";
import type { TeamTemplate } from "./team/index.js";
import { validate } from "./validate.js";
import { VERSION } from "./version.js";
import {
  type ExistingFiles,
  inspectTarget,
  listed,
  openTarget,
  preflight,
  type TargetState,
  WriteError,
  type WriteResult,
} from "./write.js";

/** How a run ended: its exit code, and whether it wrote a project. */
export interface Outcome {
  exitCode: number;
  wroteProject: boolean;
}

/** Flags a run without a terminal must be given, unless --yes takes the defaults. */
const REQUIRED_WITHOUT_TERMINAL: { flag: string; given: (flags: Flags) => boolean }[] = [
  { flag: "<directory>", given: (flags) => flags.directory !== undefined },
  { flag: "--framework", given: (flags) => flags.framework !== undefined },
];

export async function main(io: Io): Promise<Outcome> {
  try {
    return await run(io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof WriteError) {
      io.err(`create-agentcore: error: ${error.message}`);
      return { exitCode: 2, wroteProject: false };
    }
    if (error instanceof Cancelled) {
      io.err("create-agentcore: cancelled; nothing was written");
      return { exitCode: 130, wroteProject: false };
    }
    // A file-system failure the code on its way did not word itself is still the machine's, not a bug.
    if (errorCode(error)) {
      const { path } = error as NodeJS.ErrnoException;
      io.err(`create-agentcore: error: ${path ? `${listed([path])}: ` : ""}${cause(error)}`);
      return { exitCode: 2, wroteProject: false };
    }
    throw error;
  }
}

async function run(io: Io): Promise<Outcome> {
  const given = parseFlags(io.argv);
  if (given.help || given.version) {
    io.out(given.help ? help() : VERSION);
    return { exitCode: 0, wroteProject: false };
  }

  const { flags, team, teamAnswers } = await gatherAnswers(given, io);
  const options = validate(flags, io.env, io.today);
  for (const note of options.resolvedModel.notes) io.out(`model: ${note}`);
  for (const warning of options.resolvedModel.warnings) io.err(`warning: ${warning}`);

  const extension = team?.module.planExtension(team.template, options, teamAnswers, team.recordSource);
  const files = planProject(options, extension);
  if (flags["dry-run"]) {
    // The checks of a real run, without its lock or its writes: a plan that would fail fails here.
    const state = inspectTarget(options.directory, files);
    const existingFiles = await decideExisting(options, state, flags, io);
    printPlan(files, preflight(options.directory, files, state, existingFiles), options, io);
    return { exitCode: 0, wroteProject: false };
  }

  const result = await writeProject(options, files, flags, io);
  io.out(`created ${result.written.length} files in ${options.directory}`);
  if (result.replaced.length > 0) io.out(`replaced your existing ${listed(result.replaced)}`);
  if (result.skipped.length > 0) io.out(`kept your existing ${result.skipped.join(", ")}`);

  await postSteps(options, flags, team !== undefined, io);
  printNextSteps(options, io);
  if (io.interactive && !flags.yes) {
    const teamWords = team ? { source: team.recordSource, answers: teamAnswers } : undefined;
    io.out(`\nto do this again without questions:\n  ${reproduceCommand(flags, options, teamWords)}`);
  }
  return { exitCode: 0, wroteProject: true };
}

/** Whether --template names a built-in framework rather than a team template. */
const isBuiltinTemplate = (template: string) => choiceValues("framework").includes(template);

/**
 * Every answer: flags, then a preset's, then a team template's locks and defaults, then prompts at
 * a terminal. Without one, what nobody answered is an error unless --yes takes the defaults.
 */
async function gatherAnswers(
  given: Flags,
  io: Io,
): Promise<{ flags: Flags; team?: LoadedTeam; teamAnswers: TeamAnswers }> {
  const preset = given.preset !== undefined ? await readPreset(given.preset) : undefined;
  let flags = preset ? withPreset(given, preset.flags) : given;

  if (flags.template !== undefined && isBuiltinTemplate(flags.template)) {
    // A built-in name is the framework's layers: --template langgraph is --framework langgraph.
    if (flags.framework !== undefined && flags.framework !== flags.template) {
      throw new UsageError(
        `--template ${flags.template} and --framework ${flags.framework} contradict each other; give one`,
      );
    }
    flags = { ...flags, framework: flags.template };
  }
  const team = await loadTeam(given, preset, flags, io);
  let teamAnswers: TeamAnswers = {};
  if (team) {
    ({ flags, teamAnswers } = applyTeam(team, given, preset, flags, io));
  } else if (flags.answer && Object.keys(flags.answer).length > 0) {
    const what = given.answer ? "--answer" : `--preset ${preset!.path}: "answer"`;
    throw new UsageError(`${what} answers a team template's questions: give --template with it`);
  }

  if (io.interactive && !flags.yes) {
    const { askMissing, askTeam } = await import("./prompts.js");
    flags = await askMissing(flags, io, team?.template.defaults);
    if (team) {
      const { parseAnswer } = team.module;
      teamAnswers = await askTeam(
        team.template.label,
        team.template.manifest.questions,
        teamAnswers,
        (question, raw) => {
          const parsed = parseAnswer(question, raw);
          return "problem" in parsed ? parsed.problem : undefined;
        },
      );
    }
  } else {
    const missing = flags.yes
      ? []
      : REQUIRED_WITHOUT_TERMINAL.filter((rule) => !rule.given(flags)).map((rule) => rule.flag);
    const unanswered = team
      ? team.module
          .unanswered(team.template.manifest.questions, teamAnswers)
          .map((question) => `--answer ${question.name}=…`)
      : [];
    if (missing.length + unanswered.length > 0) {
      const why = io.interactive ? "--yes asks no questions" : "no terminal to ask questions";
      const defaults =
        unanswered.length === 0
          ? ", or --yes to take the defaults"
          : `; the template ${team!.template.label} has no default for ${unanswered.length === 1 ? "that question" : "those questions"}`;
      throw new UsageError(`${why}: give ${[...missing, ...unanswered].join(" and ")}${defaults}`);
    }
  }
  if (team) teamAnswers = team.module.completeAnswers(team.template.manifest.questions, teamAnswers);
  return { flags, team, teamAnswers };
}

/** git init and uv sync, as asked; each reports what it did, and a failure is only a warning. */
async function postSteps(options: Options, flags: Flags, teamTemplate: boolean, io: Io): Promise<void> {
  // uv sync builds the project and installs its dependencies: for a team template, that is the
  // template author's pyproject.toml, so it runs only when asked (--install).
  const wantInstall = flags.install ?? !teamTemplate;
  const install = wantInstall && !flags.offline;
  if (flags.git || install) {
    const { runPostSteps } = await import("./post-steps.js");
    await runPostSteps(options.directory, { git: flags.git, install }, io);
  }
  if (wantInstall && flags.offline) {
    io.out(
      "skipped uv sync: --offline (it downloads packages); run uv sync when online, or uv sync --offline with uv's cache already filled",
    );
  } else if (teamTemplate && flags.install === undefined) {
    io.out(
      "skipped uv sync: it would run the team template's build and dependencies; review pyproject.toml, then run uv sync (or pass --install)",
    );
  }
}

interface LoadedTeam {
  module: typeof import("./team/index.js");
  template: TeamTemplate;
  /** What the record keeps as the template: a remote reference as given, or a folder's absolute path. */
  recordSource: string;
}

/** The team template --template (or the preset) names, read and checked; none for a built-in. */
async function loadTeam(
  given: Flags,
  preset: Preset | undefined,
  flags: Flags,
  io: Io,
): Promise<LoadedTeam | undefined> {
  if (flags.template === undefined || isBuiltinTemplate(flags.template)) return undefined;
  // Loaded only now: the template reader, the Handlebars compiler and (for a remote) giget.
  const team = await import("./team/index.js");
  const fromPreset = given.template === undefined;
  // A folder named in a preset is relative to the preset's own folder, so a preset can sit beside its template.
  const source = team.parseSource(flags.template, fromPreset ? dirname(preset!.path) : process.cwd());
  if (source.kind === "builtin") return undefined;
  if (source.kind === "remote" && io.cacheDir === undefined)
    throw new UsageError(
      `--template ${source.given}: no cache folder to fetch it into (no home folder); set CREATE_AGENTCORE_CACHE_DIR`,
    );
  const seconds = Number(io.env.CREATE_AGENTCORE_FETCH_TIMEOUT ?? "30");
  const template = await team.loadTeamTemplate(source, {
    offline: flags.offline,
    env: io.env,
    cacheDir: io.cacheDir ?? "", // a local folder needs no cache
    timeoutMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 30) * 1000,
  });
  const { name, version } = template.manifest;
  const detail = [
    template.fetched.commit && `commit ${template.fetched.commit.slice(0, 12)}`,
    template.fetched.cached && "from the cache",
  ].filter(Boolean);
  io.out(`template: ${name} ${version} from ${template.label}${detail.length ? ` (${detail.join(", ")})` : ""}`);
  if (fromPreset && preset?.templateSha256 && preset.templateSha256 !== template.folder.sha256) {
    io.err(
      `warning: the template ${name} has changed since the project in ${preset.path} was made (its files' sha256 was ${preset.templateSha256.slice(0, 12)}…, now ${template.folder.sha256.slice(0, 12)}…); the output may differ`,
    );
  }
  return { module: team, template, recordSource: source.kind === "local" ? source.dir : source.given };
}

/** Built-in answers that have a prompt, where a template's default is shown preselected. */
const PROMPTED = new Set<string>(QUESTIONS.filter((entry) => "prompt" in entry).map((entry) => entry.key));

/** The template's locks and the answers given to its questions; defaults too when nobody is asked. */
function applyTeam(
  team: LoadedTeam,
  given: Flags,
  preset: Preset | undefined,
  flags: Flags,
  io: Io,
): { flags: Flags; teamAnswers: TeamAnswers } {
  const { module, template } = team;
  const presetWhere = preset && `--preset ${preset.path}`;
  module.checkLocks(template.locked, template.label, [
    { flags: given },
    ...(preset ? [{ flags: preset.flags, where: presetWhere }] : []),
  ]);
  const merged: Record<string, unknown> = { ...flags, ...template.locked };
  // The template's suggestions stand in for answers under flags and preset; at a terminal, the
  // questions that have a prompt show them preselected instead (prompts.ts).
  const asking = io.interactive && !flags.yes;
  for (const [key, value] of Object.entries(template.defaults)) {
    if (asking && PROMPTED.has(key)) continue;
    if (merged[key] === undefined) merged[key] = value;
  }
  const questions = template.manifest.questions;
  const teamAnswers = {
    ...module.checkGivenAnswers(
      questions,
      preset?.flags.answer,
      template.label,
      (name) => `${presetWhere}: "answer"."${name}"`,
    ),
    ...module.checkGivenAnswers(questions, given.answer, template.label, (name) => `--answer ${name}`),
  };
  return { flags: merged as Flags, teamAnswers };
}

/** plan(), with a team template's render errors (strict mode: an undefined value) as usage errors. */
function planProject(options: Options, extension: PlanExtension | undefined): PlannedFile[] {
  if (!extension) return plan(options);
  try {
    return plan(options, extension);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("template ")) throw new UsageError(error.message);
    throw error;
  }
}

/** Writes the files under the target's lock, after recovering what an interrupted run left there. */
async function writeProject(options: Options, files: PlannedFile[], flags: Flags, io: Io): Promise<WriteResult> {
  const target = openTarget(options.directory, files);
  try {
    for (const line of target.recovered) io.out(line);
    return target.write(await decideExisting(options, target.state, flags, io));
  } finally {
    target.release();
  }
}

/** An empty or new directory is written; otherwise --force, or the user's answer, decides. */
async function decideExisting(options: Options, state: TargetState, flags: Flags, io: Io): Promise<ExistingFiles> {
  if (state.empty) return "overwrite";
  if (flags.force) return "overwrite";
  if (io.interactive) {
    const { askExisting } = await import("./prompts.js");
    return askExisting(options.directory, state.existing);
  }
  const clashes =
    state.existing.length > 0
      ? ` (${state.existing.length} of its files would be replaced: ${listed(state.existing)})`
      : "";
  throw new UsageError(
    `${options.directory} is not empty${clashes}: choose another directory, or --force to write the project's files (other files are kept)`,
  );
}

function printPlan(files: PlannedFile[], result: WriteResult, options: Options, io: Io): void {
  io.out(`would create in ${options.directory}:`);
  const width = Math.max(...files.map((file) => file.path.length));
  const replaced = new Set(result.replaced);
  const kept = new Set(result.skipped);
  for (const file of files) {
    const note = replaced.has(file.path) ? "  replaces the existing file" : kept.has(file.path) ? "  exists: kept" : "";
    io.out(`  ${file.path.padEnd(width)}  ${Buffer.byteLength(file.contents)} B${note}`);
  }
  const replacing = result.replaced.length > 0 ? `; would replace ${listed(result.replaced)}` : "";
  io.out(`${result.written.length} files${replacing}; nothing written (--dry-run)`);
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
