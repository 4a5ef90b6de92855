import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import type { Layer, LayerManifest } from "./layer.js";
import { COMPILE_OPTIONS, HELPERS, type Template, templateError } from "./render.js";

/**
 * Template layers read from a folder and compiled at run time, with the full Handlebars compiler.
 *
 * Who uses this: the built-in layers in development and tests (`builtin-layers.ts`), and
 * scripts/build.mjs, which precompiles them into the bundle. The published CLI does not load this
 * module for the built-in layers. A feature that reads a user's template folder should load it
 * only then — `const { loadLayerFolder } = await import("./template-folder.js")` — so a plain run
 * keeps loading only the Handlebars runtime.
 */

// templates/ sits beside src/ in the repo and beside dist/ in the published package.
export const TEMPLATES_DIR = join(import.meta.dirname, "..", "templates");

/** A layer folder as text: `layer.json`, its files (by path) and its `partials/` (by name). */
export interface LayerSources {
  manifest: LayerManifest;
  files: Map<string, string>; // template path → source
  partials: Map<string, string>; // partial name → source
}

/** Files ending in `.hbs` are rendered; every other file is copied as it is. */
export const isTemplate = (templatePath: string) => templatePath.endsWith(".hbs");

export function readLayerSources(dir: string): LayerSources {
  const files = new Map<string, string>();
  const partials = new Map<string, string>();
  let manifest: LayerManifest = {};
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  for (const entry of entries) {
    const full = join(entry.parentPath, entry.name);
    const relative = full
      .slice(dir.length + 1)
      .split("\\")
      .join("/");
    const source = readFileSync(full, "utf8");
    if (relative === "layer.json") manifest = JSON.parse(source) as LayerManifest;
    else if (relative.startsWith("partials/")) partials.set(entry.name.replace(/\..*$/, ""), source);
    else files.set(relative, source);
  }
  return { manifest, files, partials };
}

/** A compiler instance with the same helpers as the runtime in render.ts. */
const compiler = Handlebars.create();
compiler.registerHelper(HELPERS);

/** Handlebars compiles on the first render, and render() names the file in any error. */
export function compileTemplate(source: string): Template {
  return compiler.compile(source, COMPILE_OPTIONS);
}

/** JavaScript source of the template's spec, for `templateFromSpec` in render.ts (used by the build). */
export function precompileTemplate(source: string, fileName: string): string {
  try {
    return compiler.precompile(source, COMPILE_OPTIONS) as unknown as string;
  } catch (error) {
    throw templateError(fileName, error);
  }
}

/** A layer folder, ready for plan(): templates and partials compiled, other files as text. */
export function loadLayerFolder(dir: string, name: string): Layer {
  const sources = readLayerSources(dir);
  const files = new Map<string, Template | string>();
  for (const [path, source] of sources.files) {
    files.set(path, isTemplate(path) ? compileTemplate(source) : source);
  }
  const partials = new Map<string, Template>();
  for (const [partial, source] of sources.partials) {
    partials.set(partial, compileTemplate(source));
  }
  return { name, manifest: sources.manifest, files, partials };
}
