import { dirname } from "node:path";
import { help, parseFlags } from "./args.js";
import { fullRegionProblem } from "./checks.js";
import { Cancelled, UsageError } from "./errors.js";
import { terminalText } from "./escape.js";
import { cause, errorCode } from "./fs-errors.js";
import type { Io } from "./io.js";
import type { PlannedFile } from "./layer.js";
import { isDirect } from "./models/direct-catalog.js";
import type { ProfilePreference } from "./models/resolve.js";
import { nextSteps } from "./next-steps.js";
import { agentDir, type Options } from "./options.js";
import { type PlanExtension, plan } from "./plan.js";
import type { Ran } from "./post-steps.js";
import { type Preset, readPreset, withPreset } from "./preset.js";
import { choiceOf, choiceValues, type Flags, QUESTIONS } from "./registry.js";
import { packageManagerOf, reproduceCommand } from "./reproduce.js";
import type { TeamAnswers } from "./team/answers.js";
import type { TeamTemplate } from "./team/index.js";
import { type Context, regionFromEnvironment, validate } from "./validate.js";
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
      // Messages quote input and templates: terminalText keeps them from steering the terminal.
      io.err(`create-agentcore: ${io.errStyle.red("error:")} ${terminalText(error.message)}`);
      return { exitCode: 2, wroteProject: false };
    }
    if (error instanceof Cancelled) {
      io.err("create-agentcore: cancelled; nothing was written");
      return { exitCode: 130, wroteProject: false };
    }
    // A file-system failure the code on its way did not word itself is still the machine's, not a bug.
    if (errorCode(error)) {
      const { path } = error as NodeJS.ErrnoException;
      const where = path ? `${listed([path])}: ` : "";
      io.err(`create-agentcore: ${io.errStyle.red("error:")} ${terminalText(where + cause(error))}`);
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

  if (given["list-models"]) return listModels(given, io);
  if (given.json) throw new UsageError("--json applies only with --list-models");
  if (given.force && given["keep-existing"])
    throw new UsageError(
      "--force and --keep-existing contradict each other: overwrite the project's files, or keep every existing one",
    );

  const { flags, team, teamAnswers, context, modelShown } = await gatherAnswers(given, io);
  const options = validate(flags, io.env, io.today, context);
  // Shown already where the model was chosen, when it was asked.
  if (modelShown !== options.resolvedModel.modelId) {
    for (const note of options.resolvedModel.notes) io.out(`${io.style.dim("model:")} ${note}`);
    for (const warning of options.resolvedModel.warnings) io.err(`${io.errStyle.yellow("warning:")} ${warning}`);
  }

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
  io.out(io.style.green(`created ${result.written.length} files in ${options.directory}`));
  if (result.replaced.length > 0) io.out(`replaced your existing ${listed(result.replaced)}`);
  if (result.skipped.length > 0) io.out(`kept your existing ${result.skipped.join(", ")}`);

  const ran = await postSteps(options, flags, team !== undefined, io);
  const done = { installed: ran.install, nodeInstalled: ran.npmInstall };
  for (const line of nextSteps(options, done, process.cwd(), io.style)) io.out(line);
  if (io.interactive && !flags.yes) {
    const teamWords = team ? { source: team.recordSource, answers: teamAnswers } : undefined;
    const command = reproduceCommand(flags, options, teamWords, packageManagerOf(io.env.npm_config_user_agent));
    io.out(`\n${io.style.bold("to do this again without questions:")}\n  ${io.style.cyan(command)}`);
  }
  return { exitCode: 0, wroteProject: true };
}

/** --list-models: the catalog from one region (--region, else the environment's), as a table or JSON. */
async function listModels(given: Flags, io: Io): Promise<Outcome> {
  const provider = given.provider?.toLowerCase();
  if (provider !== undefined && provider !== "bedrock") {
    if (!isDirect(provider)) throw new UsageError(`--provider must be one of ${choiceValues("provider").join(", ")}`);
    const { listedDirectModels, directModelTable } = await import("./models/list.js");
    if (given.json) io.out(JSON.stringify(listedDirectModels(provider, io.today), null, 2));
    else for (const line of directModelTable(provider, io.today)) io.out(line);
    return { exitCode: 0, wroteProject: false };
  }
  const { region, source } =
    given.region !== undefined ? { region: given.region, source: "--region" } : regionFromEnvironment(io.env);
  const problem = fullRegionProblem(region, given["skip-region-check"] === true);
  if (problem) throw new UsageError(`${source}: ${problem}`);
  const profile = (given["inference-profile"] ?? "geo") as ProfilePreference;
  if (!choiceValues("inference-profile").includes(profile))
    throw new UsageError(`--inference-profile must be one of ${choiceValues("inference-profile").join(", ")}`);
  const { listedModels, modelTable } = await import("./models/list.js");
  if (given.json) io.out(JSON.stringify(listedModels(region, profile, io.today), null, 2));
  else for (const line of modelTable(region, profile, io.today)) io.out(line);
  return { exitCode: 0, wroteProject: false };
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
): Promise<{ flags: Flags; team?: LoadedTeam; teamAnswers: TeamAnswers; context: Context; modelShown?: string }> {
  const preset = given.preset !== undefined ? await readPreset(given.preset) : undefined;
  if (given["update-template"] && !preset?.templateSha256)
    throw new UsageError(
      "--update-template applies only with --preset naming a project's record made from a team template",
    );
  let flags = preset ? withPreset(given, preset.flags) : given;
  const sources: Record<string, string> = {};
  for (const key of Object.keys(preset?.flags ?? {}))
    if (given[key as keyof Flags] === undefined) sources[key] = `--preset ${preset!.path}: "${key}"`;
  const context: Context = { sources };

  if (flags.template !== undefined && isBuiltinTemplate(flags.template)) {
    // A built-in name is the framework's layers: --template langgraph is --framework langgraph.
    if (flags.framework !== undefined && flags.framework !== flags.template) {
      throw new UsageError(
        `--template ${flags.template} and --framework ${flags.framework} contradict each other; give one`,
      );
    }
    flags = { ...flags, framework: flags.template };
  }
  // At a terminal, the directory (and what to do when it is not empty) comes first of all, before
  // a template is fetched; the answers already given are checked before that question.
  const prompts = io.interactive && !flags.yes ? await import("./prompts.js") : undefined;
  let modelShown: string | undefined;
  if (prompts) flags = await prompts.askDirectory(flags, { io, context });
  const team = await loadTeam(given, preset, flags, io, prompts?.say);
  let teamAnswers: TeamAnswers = {};
  if (team) {
    ({ flags, teamAnswers } = applyTeam(team, given, preset, flags, io, sources));
  } else if (flags.answer && Object.keys(flags.answer).length > 0) {
    const what = given.answer ? "--answer" : `--preset ${preset!.path}: "answer"`;
    throw new UsageError(`${what} answers a team template's questions: give --template with it`);
  }

  if (prompts) {
    ({ flags, modelShown } = await prompts.askMissing(flags, {
      io,
      suggested: team?.template.defaults,
      context,
      locked: new Set(Object.keys(team?.template.locked ?? {})),
    }));
    if (team) {
      const { parseAnswer } = team.module;
      teamAnswers = await prompts.askTeam(
        team.template.label,
        team.template.manifest.questions,
        teamAnswers,
        (question, raw) => {
          const parsed = parseAnswer(question, raw);
          return "problem" in parsed ? parsed.problem : undefined;
        },
      );
    }
    prompts.closePrompts(`Creating ${flags.directory}`);
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
  return { flags, team, teamAnswers, context, modelShown };
}

/** git init, uv sync and the deploy target's npm install, as asked; each reports what it did, and a failure is only a warning. */
async function postSteps(options: Options, flags: Flags, teamTemplate: boolean, io: Io): Promise<Ran> {
  // uv sync and npm install build the project and install its dependencies: for a team template,
  // that is the template author's pyproject.toml and package.json, so they run only when asked
  // (--install).
  const wantInstall = flags.install ?? !teamTemplate;
  const install = wantInstall && !flags.offline;
  const folders = { agent: agentDir(options), node: choiceOf("deploy", options.deploy)?.nodeProject };
  let ran: Ran = { git: false, install: false, npmInstall: false };
  if (flags.git || install) {
    const { runPostSteps } = await import("./post-steps.js");
    ran = await runPostSteps(options.directory, folders, { git: flags.git, install }, io);
  }
  const [installs, they, them] = folders.node
    ? ["uv sync and npm install", "they", "them"]
    : ["uv sync", "it", "uv sync"];
  if (wantInstall && flags.offline) {
    io.out(
      `skipped ${installs}: --offline (${they} download${folders.node ? "" : "s"} packages); run ${them} when online, or uv sync --offline with uv's cache already filled`,
    );
  } else if (teamTemplate && flags.install === undefined) {
    const manifests = folders.node ? `pyproject.toml and ${folders.node}/package.json` : "pyproject.toml";
    io.out(
      `skipped ${installs}: ${they} would run the team template's build and dependencies; review ${manifests}, then run ${them} (or pass --install)`,
    );
  }
  return ran;
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
  say: (line: string) => void = io.out,
): Promise<LoadedTeam | undefined> {
  if (flags.template === undefined || isBuiltinTemplate(flags.template)) return undefined;
  // Loaded only now: the template reader, the Handlebars compiler and (for a remote) the fetcher.
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
  // A fetch takes seconds: on a terminal, a spinner shows it is under way.
  const spinner =
    source.kind === "remote" && io.terminal
      ? (await import("./spinner.js")).startSpinner(terminalText(`fetching ${source.given}`))
      : undefined;
  const template = await team
    .loadTeamTemplate(source, {
      offline: flags.offline,
      env: io.env,
      cacheDir: io.cacheDir ?? "", // a local folder needs no cache
      timeoutMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 30) * 1000,
      notice: (line) => io.err(terminalText(line)),
    })
    .finally(() => spinner?.stop());
  const { name, version } = template.manifest;
  const detail = [
    template.fetched.commit && `commit ${template.fetched.commit.slice(0, 12)}`,
    template.fetched.cached && "from the cache",
  ].filter(Boolean);
  say(
    terminalText(
      `template: ${name} ${version} from ${template.label}${detail.length ? ` (${detail.join(", ")})` : ""}`,
    ),
  );
  if (fromPreset && preset?.templateSha256 && preset.templateSha256 !== template.folder.sha256) {
    // As a lockfile would: the record names the template's files, so other files need a yes.
    const change = `the template ${name} has changed since the project in ${preset.path} was made (its files' sha256 was ${preset.templateSha256.slice(0, 12)}…, now ${template.folder.sha256.slice(0, 12)}…)`;
    if (!given["update-template"])
      throw new UsageError(`${change}; pass --update-template to make it from the template as it is now`);
    say(terminalText(`template: ${change}; making it from the template as it is now (--update-template)`));
  }
  return { module: team, template, recordSource: source.kind === "local" ? source.dir : source.given };
}

/** Built-in answers that have a prompt, where a template's default is shown preselected. */
const PROMPTED = new Set<string>(QUESTIONS.filter((entry) => "prompt" in entry).map((entry) => entry.key));

/**
 * The template's locks and the answers given to its questions; defaults too when nobody is asked.
 * `sources` learns which answers the template gave, for errors to name it.
 */
function applyTeam(
  team: LoadedTeam,
  given: Flags,
  preset: Preset | undefined,
  flags: Flags,
  io: Io,
  sources: Record<string, string>,
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
    sources[key] = `the template ${template.label} (default ${key})`;
    if (asking && PROMPTED.has(key)) continue;
    if (merged[key] === undefined) merged[key] = value;
  }
  for (const key of Object.keys(template.locked)) sources[key] = `the template ${template.label} (locked ${key})`;
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

/** An empty or new directory is written; otherwise --force, --keep-existing, or the user's answer, decides. */
async function decideExisting(options: Options, state: TargetState, flags: Flags, io: Io): Promise<ExistingFiles> {
  if (state.empty) return "overwrite";
  if (flags.force) return "overwrite";
  if (flags["keep-existing"]) return "skip";
  if (io.interactive) {
    const { askExisting } = await import("./prompts.js");
    return askExisting(options.directory, state.existing);
  }
  const clashes =
    state.existing.length > 0
      ? ` (${state.existing.length} of its files would be replaced: ${listed(state.existing)})`
      : "";
  throw new UsageError(
    `${options.directory} is not empty${clashes}: choose another directory, or --force to write the project's files (other files are kept), or --keep-existing to add only the missing ones`,
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
