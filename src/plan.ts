import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Options } from "./options.js";
import { render } from "./render.js";
import { PROFILE_PREFIXES } from "./models/catalog.js";
import { configureCommand } from "./next-steps.js";
import { projectRecord, RECORD_FILE } from "./preset.js";
import { VERSION } from "./version.js";

/** One file of the project to write: a relative POSIX path and its full contents. */
export interface PlannedFile {
  path: string;
  contents: string;
}

/** What a layer declares besides its files (its `layer.json`). */
interface LayerManifest {
  dependencies?: string[];
  devDependencies?: string[];
}

interface Layer {
  name: string;
  manifest: LayerManifest;
  files: Map<string, string>; // template path → source
  partials: Map<string, string>; // partial name → source
}

// templates/ sits beside src/ in the repo and beside dist/ in the published package.
export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "templates");

/** The layers a project is made of, in order: later layers replace earlier layers' files. */
export function layersFor(options: Options): string[] {
  const layers = ["basic"];
  if (options.framework !== "basic") layers.push(options.framework);
  if (options.streaming) layers.push("streaming");
  if (options.asyncTask) layers.push("async-task");
  if (options.auth === "jwt") layers.push("jwt-auth");
  return layers;
}

function readLayer(name: string, root: string): Layer {
  const dir = join(root, name);
  const files = new Map<string, string>();
  const partials = new Map<string, string>();
  let manifest: LayerManifest = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const relative = full.slice(dir.length + 1).split("\\").join("/");
    const source = readFileSync(full, "utf8");
    if (relative === "layer.json") manifest = JSON.parse(source) as LayerManifest;
    else if (relative.startsWith("partials/")) partials.set(entry.name.replace(/\..*$/, ""), source);
    else files.set(relative, source);
  }
  return { name, manifest, files, partials };
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
  return [...byName.values()].sort((a, b) => a.localeCompare(b));
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
  return {
    ...options,
    // The Python distribution name in its normalised form (PEP 503): my_agent → my-agent.
    packageName: options.agentName.toLowerCase().replace(/_/g, "-"),
    frameworkLabel: FRAMEWORK_LABELS[options.framework],
    inferenceProfile: inferenceProfileOf(options.modelId)?.profile ?? false,
    inferenceProfileModel: inferenceProfileOf(options.modelId)?.model ?? false,
    jwt: options.jwt ?? false,
    account: options.account ?? false,
    dependencies: mergeRequirements(layers.map((layer) => layer.manifest.dependencies)),
    devDependencies: mergeRequirements(layers.map((layer) => layer.manifest.devDependencies)),
    configureCommand: configureCommand(options),
    toolVersion: VERSION,
  };
}

/**
 * The whole project as data: every file's path and contents, sorted by path. Reads the template
 * files and nothing else; writes nothing.
 */
export function plan(options: Options, templatesDir = TEMPLATES_DIR): PlannedFile[] {
  const layers = layersFor(options).map((name) => readLayer(name, templatesDir));
  const context = templateContext(options, layers);
  const sources = new Map<string, string>(); // output path → template path, last layer wins
  const templates = new Map<string, string>();
  const partials: Record<string, string> = {};
  for (const layer of layers) {
    for (const [name, source] of layer.partials) partials[name] = source;
    for (const [templatePath, source] of layer.files) {
      const path = outputPath(templatePath);
      sources.set(path, `${layer.name}/${templatePath}`);
      templates.set(path, source);
    }
  }
  const files = [...templates.keys()].map((path) => {
    const templatePath = sources.get(path)!;
    const source = templates.get(path)!;
    const contents = templatePath.endsWith(".hbs") ? render(source, context, templatePath, partials) : source;
    return { path, contents };
  });
  files.push({ path: RECORD_FILE, contents: projectRecord(options) });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
