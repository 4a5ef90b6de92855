import { join } from "node:path";
import type { Layer } from "./layer.js";
import { loadLayerFolder, TEMPLATES_DIR } from "./template-folder.js";

/**
 * The built-in layer `name` (a folder of templates/), ready for plan().
 *
 * This file is what development and tests run: it reads templates/ and compiles it on every call.
 * `npm run build` swaps in a generated module with the same export that holds every built-in
 * layer precompiled (scripts/build.mjs), so the published CLI reads no template file and loads
 * only the Handlebars runtime. test/perf.test.ts checks that both produce the same projects.
 */
export function builtinLayer(name: string): Layer {
  return loadLayerFolder(join(TEMPLATES_DIR, name), name);
}
