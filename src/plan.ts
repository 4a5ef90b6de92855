import { builtinLayer } from "./builtin-layers.js";
import type { Options } from "./options.js";
import { render, type Template } from "./render.js";
import { PROFILE_PREFIXES } from "./models/catalog.js";
import { configureCommand } from "./next-steps.js";
import { projectRecord, RECORD_FILE, type TemplateRecord } from "./preset.js";
import { VERSION } from "./version.js";

/** One file of the project to write: a relative POSIX path and its full contents. */
export interface PlannedFile {
  path: string;
  contents: string;
}

/** What a layer declares besides its files (its `layer.json`). */
export interface LayerManifest {
  dependencies?: string[];
  devDependencies?: string[];
}

/**
 * One layer of templates/, ready to use: its `.hbs` files and partials compiled, its other files
 * as text. Where layers come from: `builtin-layers.ts` (precompiled in the published CLI) and
 * `template-folder.ts` (any folder, compiled at run time).
 */
export interface Layer {
  name: string;
  manifest: LayerManifest;
  files: Map<string, Template | string>; // template path → template to render, or text to copy
  partials: Map<string, Template>; // partial name → template
}

/** The layers a project is made of, in order: later layers replace earlier layers' files. */
export function layersFor(options: Options): string[] {
  const layers = ["basic"];
  if (options.framework !== "basic") layers.push(options.framework);
  if (options.streaming) layers.push("streaming");
  if (options.asyncTask) layers.push("async-task");
  if (options.auth === "jwt") layers.push("jwt-auth");
  return layers;
}

/**
 * Where a template file lands (files under a layer's `partials/` are pieces for `{{> name}}`, not
 * files): `.hbs` is dropped, and a leading `_` becomes `.` (`_gitignore` →
 * `.gitignore`), because npm leaves some dot-files out of published packages. `__init__.py` keeps
 * its name.
 */
export function outputPath(templatePath: string): string {
  return templatePath
    .replace(/\.hbs$/, "")
    .split("/")
    .map((part) => part.replace(/^_(?!_)/, "."))
    .join("/");
}

/** Python requirement specifiers keyed by distribution name, so a later layer can re-pin one. */
function mergeRequirements(lists: (string[] | undefined)[]): string[] {
  const byName = new Map<string, string>();
  for (const list of lists) {
    for (const requirement of list ?? []) {
      const name = requirement.match(/^[A-Za-z0-9._-]+/)![0].toLowerCase().replace(/[._]/g, "-");
      byName.set(name, requirement);
    }
  }
  // Code-point order: the same on every machine, and no ICU collator to load (~15 ms of a run).
  return [...byName.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const FRAMEWORK_LABELS: Record<Options["framework"], string> = {
  basic: "plain Python (boto3 and the Bedrock Converse API)",
  strands: "Strands Agents",
  langgraph: "LangGraph",
};

/** `us.anthropic.x` → { profile: "us.anthropic.x", model: "anthropic.x" }; a base ID or an ARN → null. */
function inferenceProfileOf(modelId: string): { profile: string; model: string } | null {
  const [prefix, ...rest] = modelId.split(".");
  return (PROFILE_PREFIXES as readonly string[]).includes(prefix!) && rest.length > 1
    ? { profile: modelId, model: rest.join(".") }
    : null;
}

/** Everything a template may refer to. Strict rendering makes a missing key an error. */
export function templateContext(options: Options, layers: Layer[]) {
  const profile = inferenceProfileOf(options.modelId);
  return {
    ...options,
    // The Python distribution name in its normalised form (PEP 503): my_agent → my-agent.
    packageName: options.agentName.toLowerCase().replace(/_/g, "-"),
    frameworkLabel: FRAMEWORK_LABELS[options.framework],
    inferenceProfile: profile?.profile ?? false,
    inferenceProfileModel: profile?.model ?? false,
    jwt: options.jwt ?? false,
    account: options.account ?? false,
    dependencies: mergeRequirements(layers.map((layer) => layer.manifest.dependencies)),
    devDependencies: mergeRequirements(layers.map((layer) => layer.manifest.devDependencies)),
    configureCommand: configureCommand(options),
    toolVersion: VERSION,
  };
}

/**
 * A team template's part of a project (src/team/): its layer goes on top of the built-in ones,
 * its values (`team`, `template`) join the context, and the record names it.
 */
export interface PlanExtension {
  layer: Layer;
  context: Record<string, unknown>;
  record: TemplateRecord;
}

/**
 * The whole project as data: every file's path and contents, sorted by path. Reads the built-in
 * template layers (from templates/ in development, from the bundle when built) and nothing else;
 * writes nothing.
 */
export function plan(options: Options, extension?: PlanExtension): PlannedFile[] {
  const layers = layersFor(options).map((name) => builtinLayer(name));
  if (extension) layers.push(extension.layer);
  const context = { ...templateContext(options, layers), ...extension?.context };
  // Output path → where it comes from; a later layer's file replaces an earlier one's.
  const chosen = new Map<string, { templatePath: string; source: Template | string }>();
  const partials: Record<string, Template> = {};
  for (const layer of layers) {
    for (const [name, source] of layer.partials) partials[name] = source;
    for (const [templatePath, source] of layer.files) {
      chosen.set(outputPath(templatePath), { templatePath: `${layer.name}/${templatePath}`, source });
    }
  }
  const files = [...chosen].map(([path, { templatePath, source }]) => ({
    path,
    contents: typeof source === "string" ? source : render(source, context, templatePath, partials),
  }));
  files.push({ path: RECORD_FILE, contents: projectRecord(options, extension?.record) });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
