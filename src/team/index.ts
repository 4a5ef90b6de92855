import { join } from "node:path";
import type { Flags } from "../args.js";
import { builtinLayer } from "../builtin-layers.js";
import { DEFAULT_MODEL_ID } from "../models/catalog.js";
import { resolveModel } from "../models/resolve.js";
import type { Options } from "../options.js";
import { layersFor, outputPath, templateContext, type Layer, type PlanExtension } from "../plan.js";
import { answersToFlags, type TemplateRecord } from "../preset.js";
import type { Template } from "../render.js";
import { compileTemplate, isTemplate } from "../template-folder.js";
import { accountProblem, discoveryUrlProblem, listProblem, parseList, regionProblem, validate } from "../validate.js";
import type { TeamAnswers } from "./answers.js";
import { checkTemplateSource } from "./check.js";
import { FILES_DIR, readTemplateFolder, type TemplateFolder } from "./folder.js";
import { MANIFEST_FILE, TemplateError, type Manifest } from "./manifest.js";
import { caseClash } from "./paths.js";
import { cached, fetchRemote, type FetchInfo, type TemplateSource } from "./source.js";

// For the bundle's shape only (cli.ts has no side effects): with this import, every module a plain
// run loads is reachable from this chunk as from prompts.ts, so esbuild keeps them in one shared
// chunk instead of splitting it by who imports what (test/perf.test.ts counts a plain run's files).
import "../cli.js";

export { checkGivenAnswers, checkLocks, completeAnswers, parseAnswer, unanswered } from "./answers.js";
export { parseSource } from "./source.js";
export { TemplateError } from "./manifest.js";

/**
 * Team templates: a folder (local, or fetched and cached) with agentcore-template.json and
 * files/. Its files become the last layer on top of the built-in layers the answers choose; its
 * defaults and locks are answers to the built-in questions; its own questions reach its files as
 * {{team.<name>}}. Loaded only when --template names one, so a plain run never loads this.
 */

/** A template read, checked and compiled, ready for answers. */
export interface TeamTemplate {
  source: TemplateSource & { kind: "local" | "remote" };
  manifest: Manifest;
  /** How errors and messages name it: the source as given. */
  label: string;
  folder: TemplateFolder;
  fetched: FetchInfo & { cached: boolean };
  defaults: Partial<Flags>;
  locked: Partial<Flags>;
  layer: Layer;
}

export interface LoadOptions {
  offline: boolean;
  env: NodeJS.ProcessEnv;
  /** create-agentcore's cache folder (src/cache-dir.ts): fetched templates go in its templates/. */
  cacheDir: string;
  today: string;
  /** The time limit of a remote fetch, in milliseconds. */
  timeoutMs: number;
}

/** Answers a template may suggest or lock: the built-in questions, keyed like the flags. */
const TEMPLATE_ANSWER_KEYS = [
  "description", "framework", "model", "region", "inference-profile", "skip-model-check", "auth", "discovery-url",
  "allowed-clients", "allowed-audience", "allowed-scopes", "streaming", "stream-mode", "async-task", "account",
];

export async function loadTeamTemplate(source: TemplateSource & { kind: "local" | "remote" }, options: LoadOptions): Promise<TeamTemplate> {
  const label = source.given;
  let dir: string;
  let fetched: FetchInfo & { cached: boolean };
  if (source.kind === "local") {
    dir = source.dir;
    fetched = { cached: false };
  } else {
    const templatesCache = join(options.cacheDir, "templates");
    const copy = cached(templatesCache, source);
    // A full commit id names one tree forever: the cached copy is that tree.
    const immutable = source.ref !== undefined && /^[0-9a-f]{40}$/.test(source.ref);
    if (options.offline && !copy) {
      throw new TemplateError(`--template ${label}: --offline, and it is not in the cache; run once with the network to cache it`);
    }
    const result = options.offline || (immutable && copy) ? copy! : await fetchRemote(source, { env: options.env, templatesCache, timeoutMs: options.timeoutMs });
    dir = result.dir;
    fetched = { ...result.info, cached: result.cached };
  }

  const folder = readTemplateFolder(dir, label);
  const { manifest } = folder;
  const manifestLabel = `${label}/${MANIFEST_FILE}`;
  const defaults = answersToFlags(manifest.defaults, `${manifestLabel}: defaults`, TEMPLATE_ANSWER_KEYS);
  const locked = answersToFlags(manifest.locked, `${manifestLabel}: locked`, TEMPLATE_ANSWER_KEYS);
  checkTemplateAnswers(manifestLabel, manifest, { ...defaults, ...locked }, options.today);

  const basic = builtinLayer("basic");
  for (const name of folder.partials.keys()) {
    if (basic.partials.has(name)) {
      throw new TemplateError(`${label}/${FILES_DIR}/partials/${name}.hbs: "${name}" is a built-in partial; give the template's own another name`);
    }
  }
  const scope = {
    rootKeys: new Set([...Object.keys(sampleContext(options.today)), "team", "template"]),
    questions: new Map(manifest.questions.map((question) => [question.name, question.type])),
    partials: new Set([...basic.partials.keys(), ...folder.partials.keys()]),
  };
  const files = new Map<string, Template | string>();
  for (const [path, text] of folder.files) {
    if (isTemplate(path)) {
      checkTemplateSource(text, `${label}/${FILES_DIR}/${path}`, scope);
      files.set(path, compileTemplate(text));
    } else {
      files.set(path, text);
    }
  }
  const partials = new Map<string, Template>();
  for (const [name, text] of folder.partials) {
    checkTemplateSource(text, `${label}/${FILES_DIR}/partials/${name}`, scope);
    partials.set(name, compileTemplate(text));
  }
  const layer: Layer = {
    name: `${label}/${FILES_DIR}`,
    manifest: { dependencies: manifest.dependencies, devDependencies: manifest.devDependencies },
    files,
    partials,
  };
  return { source, manifest, label, folder, fetched, defaults, locked, layer };
}

/** The template context's shape: its keys do not depend on the answers. */
function sampleContext(today: string) {
  const { options } = validate({ directory: "sample", skipModelCheck: true, offline: false, yes: true, force: false, git: false, dryRun: false, help: false, version: false }, {}, today);
  return templateContext(options, []);
}

/** The template's defaults and locks, each checked as its flag would be. */
function checkTemplateAnswers(label: string, manifest: Manifest, flags: Partial<Flags>, today: string): void {
  const where = (key: string) => (Object.hasOwn(manifest.locked, key) ? `locked.${key}` : `defaults.${key}`);
  const problems: [string, string | undefined][] = [];
  if (flags.region !== undefined) problems.push(["region", regionProblem(flags.region)]);
  if (flags.account !== undefined) problems.push(["account", accountProblem(flags.account)]);
  if (flags.discoveryUrl !== undefined) problems.push(["discovery-url", discoveryUrlProblem(flags.discoveryUrl)]);
  for (const key of ["allowed-clients", "allowed-audience", "allowed-scopes"] as const) {
    const field = ({ "allowed-clients": "allowedClients", "allowed-audience": "allowedAudience", "allowed-scopes": "allowedScopes" } as const)[key];
    if (flags[field] !== undefined) problems.push([key, listProblem(parseList(flags[field]))]);
  }
  if (flags.model !== undefined && flags.region !== undefined) {
    const resolved = resolveModel({ model: flags.model, region: flags.region, profile: (flags.inferenceProfile as "geo" | "global" | undefined) ?? "geo", today, skipCatalog: flags.skipModelCheck ?? false });
    if (!resolved.ok) problems.push(["model", resolved.error]);
  } else if (flags.model !== undefined && flags.model !== DEFAULT_MODEL_ID) {
    const resolved = resolveModel({ model: flags.model, region: "us-east-1", profile: "geo", today, skipCatalog: true });
    if (!resolved.ok) problems.push(["model", resolved.error]);
  }
  const found = problems.find(([, problem]) => problem !== undefined);
  if (found) throw new TemplateError(`${label}: ${where(found[0])}: ${found[1]}`);
}

/**
 * The template's part of the plan for these options and answers: checks where its files land
 * against the built-in files, then hands plan() its layer, its context and what to record.
 */
export function planExtension(team: TeamTemplate, options: Options, answers: TeamAnswers, recordSource: string): PlanExtension {
  const builtin = new Set<string>();
  for (const name of layersFor(options)) for (const path of builtinLayer(name).files.keys()) builtin.add(outputPath(path));
  const replaces = new Set(team.manifest.replaces);
  const landing: string[] = [];
  for (const path of team.layer.files.keys()) {
    const lands = outputPath(path);
    landing.push(lands);
    if (builtin.has(lands) && !replaces.has(lands)) {
      throw new TemplateError(
        `${team.label}/${FILES_DIR}/${path}: would replace the built-in ${lands}; if that is meant, list it in "replaces" in ${MANIFEST_FILE}`,
      );
    }
  }
  const clash = caseClash([...builtin, ...landing.filter((path) => !builtin.has(path))]);
  if (clash) throw new TemplateError(`${team.label}/${FILES_DIR}: ${clash[1]} and the built-in ${clash[0]} are the same file on Windows and macOS`);

  const record: TemplateRecord = {
    source: recordSource,
    name: team.manifest.name,
    version: team.manifest.version,
    ...(team.source.kind === "remote" && team.source.ref !== undefined && { ref: team.source.ref }),
    ...(team.fetched.commit !== undefined && { commit: team.fetched.commit }),
    sha256: team.folder.sha256,
    answers,
  };
  return {
    layer: team.layer,
    context: { team: answers, template: { name: team.manifest.name, version: team.manifest.version } },
    record,
  };
}
