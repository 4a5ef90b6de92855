import { join } from "node:path";
import { builtinLayer } from "../builtin-layers.js";
import { textLimitProblem } from "../checks.js";
import { type Layer, outputPath } from "../layer.js";
import { modelIdProblem } from "../models/resolve.js";
import { agentDir, type Options } from "../options.js";
import { FREE_TEXT_CONTEXT_KEYS, type PlanExtension, projectLayers, TEMPLATE_CONTEXT_KEYS } from "../plan.js";
import { answersToFlags, type TemplateRecord } from "../preset.js";
import { type Flags, isQuestionKey, question, textAnswerProblem, visibleQuestions } from "../registry.js";
import type { Template } from "../render.js";
import { compileTemplate, isTemplate } from "../template-folder.js";
import type { TeamAnswers } from "./answers.js";
import { remoteTemplate } from "./cache.js";
import { checkTemplateSource, templateVariables } from "./check.js";
import type { FetchInfo } from "./fetch.js";
import { FILES_DIR, readTemplateFolder, type TemplateFolder } from "./folder.js";
import { MANIFEST_FILE, type Manifest, TemplateError } from "./manifest.js";
import { sameFileClash } from "./paths.js";
import type { TemplateSource } from "./source.js";

export { checkGivenAnswers, checkLocks, completeAnswers, parseAnswer, unanswered } from "./answers.js";
export { TemplateError } from "./manifest.js";
export { parseSource } from "./source.js";

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
  /** The time limit of a remote fetch, in milliseconds. */
  timeoutMs: number;
  /** Says, on stderr, what the run waits for (another run fetching the same template). */
  notice: (line: string) => void;
}

/** Answers a template may suggest or lock: the built-in questions a user can answer, keyed like the flags. */
export const TEMPLATE_ANSWER_KEYS: readonly string[] = visibleQuestions()
  .filter((entry) => entry.team)
  .map((entry) => entry.key);

export async function loadTeamTemplate(
  source: TemplateSource & { kind: "local" | "remote" },
  options: LoadOptions,
): Promise<TeamTemplate> {
  const label = source.given;
  let folder: TemplateFolder;
  let fetched: FetchInfo & { cached: boolean };
  if (source.kind === "local") {
    folder = readTemplateFolder(source.dir, label);
    fetched = { cached: false };
  } else {
    const remote = await remoteTemplate(
      source,
      {
        offline: options.offline,
        env: options.env,
        templatesCache: join(options.cacheDir, "templates"),
        timeoutMs: options.timeoutMs,
        startedAt: performance.timeOrigin,
        notice: options.notice,
      },
      // Read while the cache entry is locked, and before a fetched copy is kept: only a template that passes is cached.
      (dir) => readTemplateFolder(dir, label),
    );
    folder = remote.value;
    fetched = { ...remote.info, cached: remote.cached };
  }

  const { manifest } = folder;
  const manifestLabel = `${label}/${MANIFEST_FILE}`;
  const defaults = answersToFlags(manifest.defaults, `${manifestLabel}: defaults`, [...TEMPLATE_ANSWER_KEYS]);
  const locked = answersToFlags(manifest.locked, `${manifestLabel}: locked`, [...TEMPLATE_ANSWER_KEYS]);
  checkTemplateAnswers(manifestLabel, manifest, { ...defaults, ...locked });

  // The shared pieces live in the language's base layer.
  const languages = question("language");
  const baseLayers = languages.kind === "choice" ? languages.choices.flatMap((choice) => choice.layers ?? []) : [];
  const builtinPartials = new Set(baseLayers.flatMap((name) => [...builtinLayer(name).partials.keys()]));
  for (const name of folder.partials.keys()) {
    if (builtinPartials.has(name)) {
      throw new TemplateError(
        `${label}/${FILES_DIR}/partials/${name}.hbs: "${name}" is a built-in partial; give the template's own another name`,
      );
    }
  }
  const scope = {
    variables: templateVariables(TEMPLATE_CONTEXT_KEYS, FREE_TEXT_CONTEXT_KEYS),
    questions: new Map(manifest.questions.map((entry) => [entry.name, entry.type])),
    partials: new Set([...builtinPartials, ...folder.partials.keys()]),
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

/**
 * The template's defaults and locks, each checked as its flag would be (choices are in the
 * manifest's schema). The model's ID is checked for its shape only: it is resolved for the
 * region once, with the other answers (validate.ts).
 */
function checkTemplateAnswers(label: string, manifest: Manifest, answers: Partial<Flags>): void {
  for (const [key, value] of Object.entries(answers)) {
    if (!isQuestionKey(key) || typeof value !== "string") continue;
    const entry = question(key);
    if (entry.kind !== "text" && entry.kind !== "list") continue;
    const problem =
      key === "model"
        ? (textLimitProblem(value, entry.maxLength) ?? modelIdProblem(value))
        : textAnswerProblem(entry, value);
    if (problem)
      throw new TemplateError(
        `${label}: ${Object.hasOwn(manifest.locked, key) ? "locked" : "defaults"}.${key}: ${problem}`,
      );
  }
}

/**
 * The template's part of the plan for these options and answers: checks where its files land
 * against the built-in files, then hands plan() its layer, its context and what to record.
 */
export function planExtension(
  team: TeamTemplate,
  options: Options,
  answers: TeamAnswers,
  recordSource: string,
): PlanExtension {
  const builtin = new Set<string>();
  for (const name of projectLayers(options))
    for (const path of builtinLayer(name).files.keys()) builtin.add(outputPath(path, agentDir(options)));
  const replaces = new Set(team.manifest.replaces.map((path) => outputPath(path, agentDir(options))));
  const landing: string[] = [];
  for (const path of team.layer.files.keys()) {
    const lands = outputPath(path, agentDir(options));
    landing.push(lands);
    if (builtin.has(lands) && !replaces.has(lands)) {
      throw new TemplateError(
        `${team.label}/${FILES_DIR}/${path}: would replace the built-in ${lands}; if that is meant, list it in "replaces" in ${MANIFEST_FILE}`,
      );
    }
  }
  const clash = sameFileClash([...builtin, ...landing.filter((path) => !builtin.has(path))]);
  if (clash)
    throw new TemplateError(
      `${team.label}/${FILES_DIR}: ${clash[1]} and the built-in ${clash[0]} are the same file on Windows and macOS`,
    );

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
