// Bundles the CLI and its libraries into dist/, so the published package has no runtime
// dependencies. Code split: @clack/prompts and execa land in chunks that load only when used.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/main.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.12",
  minify: true,
  legalComments: "none",
  // Bundled CommonJS (cross-spawn inside execa) calls require() for Node built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  metafile: true,
  logLevel: "warning",
});
