import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parseFlags } from "../src/args.js";
import { everyCombination } from "../src/combinations.js";
import { plan } from "../src/plan.js";
import { choiceValues } from "../src/registry.js";
import { render, templateFromSpec } from "../src/render.js";
import { compileTemplate, precompileTemplate } from "../src/template-folder.js";
import { validate } from "../src/validate.js";

// Regression checks for what BENCHMARKS.md measured (`npm run bench`). None of them times
// anything: they guard the causes of a slow start instead: the size of what is published and
// loaded, the libraries a plain run loads, and template files read at run time. They run the
// built CLI (dist/), so `npm run build` comes first, as in `npm test`.

/** The budget for the published tarball. */
const PACKED_BYTES_MAX = 250_000;
/**
 * index.cjs, dist/main.cjs, the chunks a plain run requires (esbuild splits off the code main.cjs
 * shares with the lazily loaded parts) and its three template layers' files: 8 today. Each file
 * costs a module load.
 */
const PLAIN_RUN_FILES_MAX = 8;
/**
 * JavaScript a plain run parses, its own templates included (about 200 KB today, 100 KB of it
 * the precompiled layers python, strands and agentcore-cli; the other layers are not loaded).
 */
const PLAIN_RUN_JS_BYTES_MAX = 240_000;
/** The template layers a plain run (the defaults) is made of: it loads their files and no other. */
const PLAIN_RUN_LAYERS = ["agentcore-cli", "python", "strands"];
/** Sources a plain run must not load: each is for a path a plain run does not take. */
const NOT_IN_A_PLAIN_RUN: [RegExp, string][] = [
  [
    /node_modules\/handlebars\/(lib|dist\/cjs)\/(index\.js|handlebars\.js|handlebars\/compiler\/)/,
    "the Handlebars compiler (built-in templates are precompiled)",
  ],
  [/src\/template-folder\.ts|src\/team\//, "run-time template compilation or team templates"],
  [
    /node_modules\/(@clack|execa|giget|yaml|smol-toml|source-map)\//,
    "a library for prompts, post-steps, presets or team templates",
  ],
  [/src\/(prompts|post-steps|spinner)\.ts/, "prompts, post-steps or their spinner"],
  [/src\/colour\.ts/, "colours (a plain run writes to a pipe or a log)"],
  [/src\/models\/list\.ts/, "the model list of --list-models"],
];

/** Node's own modules a plain run (stdio not a terminal) must not load, and why each costs. */
const NODE_MODULES_NOT_IN_A_PLAIN_RUN: [string, string][] = [
  ["internal/modules/esm/translators", "an ES module was loaded; the bundle is CommonJS (scripts/build.mjs)"],
  ["internal/fs/promises", "fs/promises (with readline and streams) comes with importing node:fs as an ES module"],
  ["tty", "node:tty loads net and the stream modules; src/main.ts asks it only about a terminal"],
  ["stream", "the stream modules come with process.stdout; src/main.ts prints with fs.writeSync"],
  ["crypto", "node:crypto takes milliseconds to load; the staging folder's name does not need it"],
];

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "index.cjs");
const METAFILE = join(ROOT, ".cache", "build", "meta.json");
const work = mkdtempSync(join(tmpdir(), "perf-"));
after(() => rmSync(work, { recursive: true, force: true }));

const ENV = { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" };

function runCli(args: string[], nodeArgs: string[] = []) {
  const result = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { cwd: work, encoding: "utf8", env: ENV });
  assert.equal(result.status, 0, `create-agentcore ${args.join(" ")} failed: ${result.stderr}`);
  return result;
}

async function runCliAsync(args: string[]): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: work, env: ENV });
  } catch (error) {
    assert.fail(`create-agentcore ${args.join(" ")} failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
}

function filesUnder(dir: string): [string, string][] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry): [string, string] => {
      const full = join(entry.parentPath, entry.name);
      return [relative(dir, full).split("\\").join("/"), readFileSync(full, "utf8")];
    })
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

// Every layer with its features all on and all off: each template and partial of the bundle is
// rendered, and each of its feature conditions both ways (plan.test.ts snapshots every combination).
function allOnOrAllOff({ answers }: { answers: Record<string, string | boolean> }): boolean {
  const on = [answers.auth === "jwt", answers.streaming === true, answers["async-task"] === true];
  return on.every(Boolean) || !on.some(Boolean);
}

test("the built CLI writes exactly the files plan() plans from templates/, for every layer with its features all on and all off", async () => {
  const every = everyCombination();
  const combinations = every.filter(allOnOrAllOff).map((combination) => combination.flags);
  assert.ok(combinations.length >= every.length / 4, `only ${combinations.length} of ${every.length} combinations`);
  for (const value of choiceValues("framework"))
    assert.ok(
      combinations.some((flags) => flags.join(" ").includes(`--framework ${value} `)),
      `no combination of --framework ${value}`,
    );
  const argvs = combinations.map((flags, index) => [
    join(work, `combination-${index}`),
    ...flags,
    "--region",
    "us-west-2",
    "--no-git",
    "--no-install",
  ]);
  // Generate in a few parallel processes; the comparison below is sequential.
  for (let start = 0; start < argvs.length; start += 4) {
    await Promise.all(argvs.slice(start, start + 4).map((argv) => runCliAsync(argv)));
  }
  const today = new Date().toISOString().slice(0, 10);
  for (const argv of argvs) {
    const planned = plan(validate(parseFlags(argv), {}, today)).map((file): [string, string] => [
      file.path,
      file.contents,
    ]);
    assert.deepEqual(filesUnder(argv[0]!), planned, `the bundle and plan() disagree for ${argv.slice(1).join(" ")}`);
  }
});

test("precompiled templates behave as compiled ones: strict, unescaped, same helpers and partials", () => {
  const precompiled = (source: string) => {
    const spec = new Function(`return ${precompileTemplate(source, "t.hbs")}`)() as TemplateSpecification;
    return templateFromSpec(spec);
  };
  for (const [how, make] of [
    ["precompiled", precompiled],
    ["compiled at run time", compileTemplate],
  ] as const) {
    const partials = { piece: make("[{{toml name}}]") };
    const context = { name: `a "quoted" <b>`, flag: true, items: ["x", "y"] };
    assert.equal(
      render(
        make("{{py name}} {{name}} {{#if flag}}{{> piece}}{{/if}}{{#each items}} {{this}}{{/each}}"),
        context,
        "t.hbs",
        partials,
      ),
      `"a \\"quoted\\" <b>" a "quoted" <b> ["a \\"quoted\\" <b>"] x y`,
      how,
    );
    assert.throws(
      () => render(make("{{missing}}"), {}, "t.hbs"),
      /^Error: template t\.hbs: "missing" not defined/,
      `${how}: strict mode`,
    );
    assert.throws(
      () => render(make("{{> absent}}"), {}, "t.hbs"),
      /^Error: template t\.hbs: .*absent/,
      `${how}: unknown partial`,
    );
    assert.throws(
      () => render(make("{{py n}}"), { n: 1 }, "t.hbs"),
      /\{\{py\}\} needs a string/,
      `${how}: helper check`,
    );
  }
});

test("a plain run loads only the code it runs, and reads no template file", () => {
  assert.ok(existsSync(METAFILE), `${METAFILE} is missing: run \`npm run build\` first`);
  const probe = join(work, "probe.cjs");
  const log = join(work, "probe-log.json");
  // Preloaded: records every file the run requires (the bundle is CommonJS) and every path it reads.
  writeFileSync(
    probe,
    `const fs = require("node:fs");
const reads = [];
for (const name of ["readFileSync", "readdirSync", "openSync", "opendirSync"]) {
  const original = fs[name];
  fs[name] = function (path, ...rest) { reads.push(String(path)); return original.call(this, path, ...rest); };
}
const write = fs.writeFileSync;
process.on("exit", () => write(${JSON.stringify(log)}, JSON.stringify({ modules: Object.keys(require.cache), builtins: process.moduleLoadList, reads })));
`,
  );
  runCli([join(work, "plain"), "--yes", "--no-git", "--no-install"], ["--require", probe]);

  const {
    modules,
    builtins,
    reads: allReads,
  } = JSON.parse(readFileSync(log, "utf8")) as { modules: string[]; builtins: string[]; reads: string[] };
  const files = modules.filter((file) => file !== probe).map((file) => relative(ROOT, file).split("\\").join("/"));
  assert.ok(files.includes("dist/main.cjs"), `the probe saw no dist/main.cjs: ${files.join(", ")}`);
  assert.ok(
    files.length <= PLAIN_RUN_FILES_MAX,
    `a plain run loads ${files.length} files (budget ${PLAIN_RUN_FILES_MAX}): ${files.join(", ")}`,
  );
  const layers = files.flatMap((file) => /^dist\/chunks\/layer-(.+)-[\w-]{8}\.cjs$/.exec(file)?.[1] ?? []);
  assert.deepEqual(layers.sort(), PLAIN_RUN_LAYERS, "a plain run loads the template layers of other projects");
  const bytes = files.reduce((sum, file) => sum + statSync(join(ROOT, file)).size, 0);
  assert.ok(
    bytes <= PLAIN_RUN_JS_BYTES_MAX,
    `a plain run loads ${bytes} bytes of JavaScript (budget ${PLAIN_RUN_JS_BYTES_MAX})`,
  );

  const { outputs } = JSON.parse(readFileSync(METAFILE, "utf8")) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const inputs = files.flatMap((file) => Object.keys(outputs[file]?.inputs ?? {}));
  assert.ok(
    inputs.includes("src/builtin-layers.ts"),
    `the metafile does not match dist/ (loaded: ${files.join(", ")}); rebuild`,
  );
  for (const [pattern, what] of NOT_IN_A_PLAIN_RUN) {
    const found = inputs.filter((input) => pattern.test(input));
    assert.deepEqual(found, [], `a plain run loads ${what}`);
  }

  for (const [module, why] of NODE_MODULES_NOT_IN_A_PLAIN_RUN) {
    assert.ok(!builtins.includes(`NativeModule ${module}`), `a plain run loads Node's ${module}: ${why}`);
  }

  const templatesDir = join(ROOT, "templates");
  const reads = allReads.filter((path) => path.startsWith(templatesDir));
  assert.deepEqual(reads, [], "a plain run reads template files (they are precompiled into the bundle)");
});

test("the published package has no runtime dependencies and a small tarball", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  for (const field of [
    "dependencies",
    "optionalDependencies",
    "peerDependencies",
    "bundleDependencies",
    "bundledDependencies",
  ]) {
    assert.deepEqual(
      Object.keys(manifest[field] ?? {}),
      [],
      `package.json ${field}: the bundle in dist/ should carry them`,
    );
  }
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  );
  const { size, files } = packed[0] as { size: number; files: { path: string }[] };
  assert.ok(size <= PACKED_BYTES_MAX, `the packed tarball is ${size} bytes (budget ${PACKED_BYTES_MAX})`);
  assert.ok(
    files.some((file) => file.path === "dist/main.cjs"),
    "the tarball has no dist/main.cjs: run `npm run build` first",
  );
});
