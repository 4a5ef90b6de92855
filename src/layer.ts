import type { Template } from "./render.js";

/** One file of the project to write: a relative POSIX path and its full contents. */
export interface PlannedFile {
  path: string;
  contents: string;
}

/** What a layer declares besides its files (its `layer.json`). */
export interface LayerManifest {
  dependencies?: string[];
  devDependencies?: string[];
  /** Requirements for one framework only (a provider's model client differs per framework). */
  frameworkDependencies?: Record<string, string[]>;
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

/**
 * A folder named this in a layer stands for the agent's own folder: the project root for the
 * starter toolkit, `app/<agent>/` for the AgentCore CLI. Files outside it land at the project root.
 */
export const AGENT_DIR = "{{agentDir}}";

/**
 * Where a template file lands (files under a layer's `partials/` are pieces for `{{> name}}`, not
 * files): `.hbs` is dropped, a leading `_` becomes `.` (`_gitignore` → `.gitignore`), because npm
 * leaves some dot-files out of published packages, and `{{agentDir}}` becomes `agentDir`.
 * `__init__.py` keeps its name.
 */
export function outputPath(templatePath: string, agentDir = ""): string {
  return templatePath
    .replace(/\.hbs$/, "")
    .split("/")
    .flatMap((part) => (part === AGENT_DIR ? (agentDir ? [agentDir] : []) : [part.replace(/^_(?!_)/, ".")]))
    .join("/");
}
