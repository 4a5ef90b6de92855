import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import * as nodeModule from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { Script } from "node:vm";
import { readTree } from "./fixtures.js";

// The compile cache (src/compile-cache.ts) on the built CLI: what it writes, that a later run takes
// it as it is, that a bad one costs nothing but a rewrite, and that generated files never depend on it.
const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "index.cjs");
const work = mkdtempSync(join(tmpdir(), "compile-cache-"));
after(() => rmSync(work, { recursive: true, force: true }));

let runs = 0;
/** A plain generating run with the given cache folder; returns the project folder (always "agent"). */
function generate(cacheDir: string, env: NodeJS.ProcessEnv = {}, timeout?: number): string {
  const project = join(work, `run-${++runs}`, "agent");
  const result = spawnSync(
    process.execPath,
    [CLI, project, "--yes", "--region", "us-west-2", "--no-git", "--no-install"],
    {
      encoding: "utf8",
      env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "", ...env, CREATE_AGENTCORE_CACHE_DIR: cacheDir },
      timeout,
    },
  );
  assert.equal(result.status, 0, `the CLI failed: ${result.error ?? result.stderr}`);
  return project;
}

/** Where the CLI keeps compiled code under a cache folder, on this Node. */
const compiledCodeDir = (cacheDir: string) => join(cacheDir, "compile", `v8-${process.version}-${process.arch}`);

/** The cache files under a cache folder, by name, with what identifies a write. */
function cacheFiles(cacheDir: string): Map<string, { bytes: Buffer; mtimeMs: number; ino: number }> {
  const dir = compiledCodeDir(cacheDir);
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir).map((name) => {
      const stat = statSync(join(dir, name));
      return [name, { bytes: readFileSync(join(dir, name)), mtimeMs: stat.mtimeMs, ino: stat.ino }];
    }),
  );
}

const chunks = () => readdirSync(join(ROOT, "dist", "chunks"));

/** Node 22.1+ has a compile cache of its own, which the CLI uses instead of src/compile-cache.ts's. */
const ours = {
  skip:
    "enableCompileCache" in nodeModule
      ? "this Node has module.enableCompileCache(), which the CLI uses instead"
      : false,
};

test("a first run caches the compiled code of the chunks it loaded, and only those", ours, () => {
  const cacheDir = join(work, "cache-first");
  generate(cacheDir);
  const names = [...cacheFiles(cacheDir).keys()];
  assert.ok(names.length >= 1, "the first run wrote no cache");
  for (const name of names) {
    assert.match(name, /\.cjs\.cache$/, `${name}: not a chunk's cache`);
    assert.ok(chunks().includes(name.replace(/\.cache$/, "")), `${name}: no such chunk in dist/chunks`);
  }
  const core = chunks().find((chunk) =>
    readFileSync(join(ROOT, "dist", "chunks", chunk), "utf8").includes("built-in template layer"),
  );
  assert.ok(
    core && names.includes(`${core}.cache`),
    `the chunk with the templates (${core}) has no cache: ${names.join(", ")}`,
  );
  assert.ok(
    !names.some((name) => /^(prompts|post-steps|team)-/.test(name)),
    `a plain run cached a chunk it should not load: ${names.join(", ")}`,
  );
});

test("a later run takes the cache as it is, and writes the same project", ours, () => {
  const cacheDir = join(work, "cache-again");
  const first = generate(cacheDir);
  const before = cacheFiles(cacheDir);
  const second = generate(cacheDir);
  const afterwards = cacheFiles(cacheDir);
  // The cache is written only when V8 had none or rejected it: an untouched file was accepted.
  for (const [name, file] of before) {
    assert.equal(afterwards.get(name)?.ino, file.ino, `${name} was rewritten: V8 rejected its own cache`);
    assert.equal(afterwards.get(name)?.mtimeMs, file.mtimeMs, `${name} was rewritten: V8 rejected its own cache`);
  }
  assert.deepEqual(readTree(second), readTree(first), "a run with a cache wrote a different project");
});

test("a damaged cache is set aside: the run succeeds and writes a good one", ours, () => {
  const cacheDir = join(work, "cache-damaged");
  const reference = generate(cacheDir);
  const damaged = cacheFiles(cacheDir);
  const dir = compiledCodeDir(cacheDir);
  for (const name of damaged.keys()) writeFileSync(join(dir, name), "not a V8 code cache");
  const project = generate(cacheDir);
  assert.deepEqual(readTree(project), readTree(reference), "a run with a damaged cache wrote a different project");
  const rewritten = cacheFiles(cacheDir);
  assert.deepEqual([...rewritten.keys()], [...damaged.keys()], "the rewrite cached other chunks");
  for (const [name, file] of rewritten)
    assert.notEqual(file.bytes.toString(), "not a V8 code cache", `${name} was not rewritten`);
  // And the rewritten cache is good: the next run takes it without writing again.
  generate(cacheDir);
  for (const [name, file] of cacheFiles(cacheDir))
    assert.equal(file.ino, rewritten.get(name)?.ino, `${name}: V8 rejected the rewritten cache`);
});

test(
  "only a run that writes a project keeps its compiled code: not --help, --version, --dry-run or an error",
  ours,
  () => {
    const cacheDir = join(work, "cache-not-generating");
    for (const args of [
      ["--help"],
      ["--version"],
      [join(work, "dry"), "--yes", "--dry-run"],
      [join(work, "bad"), "--yes", "--framework", "nope"],
    ]) {
      spawnSync(process.execPath, [CLI, ...args], {
        env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "", CREATE_AGENTCORE_CACHE_DIR: cacheDir },
      });
      assert.deepEqual([...cacheFiles(cacheDir).keys()], [], `${args.join(" ")} wrote a compile cache`);
    }
    generate(cacheDir);
    assert.ok(cacheFiles(cacheDir).size >= 1, "the generating run after them wrote no cache");
  },
);

test("writing a cache removes those of chunks the package no longer has, and nothing else", ours, () => {
  const cacheDir = join(work, "cache-old");
  const dir = compiledCodeDir(cacheDir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "chunk-OLDVERSN.cjs.cache"), "an earlier version's chunk");
  writeFileSync(join(dir, "notes.txt"), "not a chunk's cache");
  generate(cacheDir);
  const names = [...cacheFiles(cacheDir).keys()];
  assert.ok(!names.includes("chunk-OLDVERSN.cjs.cache"), "the cache of a chunk that no longer exists was kept");
  assert.ok(names.includes("notes.txt"), "a file that is not a chunk's cache was removed");
  assert.ok(
    names.some((name) => chunks().includes(name.replace(/\.cache$/, ""))),
    `no cache of this build's chunks: ${names.join(", ")}`,
  );
});

test("a cache folder that cannot be created costs the run nothing", () => {
  const blocker = join(work, "a-file");
  writeFileSync(blocker, "a file where the cache folder would go");
  const reference = generate(join(work, "cache-reference"));
  // Under a file, the cache folder cannot exist: the exit handler's mkdir fails, and must fail quietly.
  const project = generate(join(blocker, "cache"));
  assert.deepEqual(
    readTree(project),
    readTree(reference),
    "the run without a usable cache folder wrote a different project",
  );
});

test("NODE_DISABLE_COMPILE_CACHE=1 writes no cache, and the project is the same", () => {
  const withCache = generate(join(work, "cache-on"));
  const cacheDir = join(work, "cache-off");
  const project = generate(cacheDir, { NODE_DISABLE_COMPILE_CACHE: "1" });
  assert.equal(
    existsSync(join(cacheDir, "compile")),
    false,
    "a cache was written although NODE_DISABLE_COMPILE_CACHE=1",
  );
  assert.deepEqual(readTree(project), readTree(withCache), "the project depends on the compile cache");
});

/**
 * A cache for `chunk` made from other code of the same length, which V8 accepts in its place: run
 * by any run that trusts the cache, it writes `marker`.
 */
function plantedCache(chunk: string, marker: string): Buffer {
  const content = readFileSync(join(ROOT, "dist", "chunks", chunk), "utf8");
  const attack = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");`;
  assert.ok(attack.length < content.length);
  const script = new Script(nodeModule.Module.wrap(attack.padEnd(content.length, " ")), {
    filename: join(ROOT, "dist", "chunks", chunk),
  });
  return script.createCachedData();
}

const isRoot = process.getuid?.() === 0;
const PLANTED: [string, (cacheDir: string, file: string) => void, { skip?: string | false }][] = [
  [
    "the cache file is owned by another user",
    (_, file) => chownSync(file, 65534, 65534),
    { skip: !isRoot && "needs root to chown" },
  ],
  ["the cache file is writable by its group", (_, file) => chmodSync(file, 0o664), {}],
  ["the cache file is writable by anyone", (_, file) => chmodSync(file, 0o646), {}],
  ["its folder is writable by its group", (_, file) => chmodSync(dirname(file), 0o775), {}],
  ["compile/ is writable by anyone", (cacheDir) => chmodSync(join(cacheDir, "compile"), 0o777), {}],
  [
    "compile/ is owned by another user",
    (cacheDir) => chownSync(join(cacheDir, "compile"), 65534, 65534),
    { skip: !isRoot && "needs root to chown" },
  ],
  ["the cache folder is writable by anyone", (cacheDir) => chmodSync(cacheDir, 0o777), {}],
];

for (const [what, loosen, options] of [
  ["(the control) everything is ours alone, so the planted code runs", () => {}, {}] as const,
  ...PLANTED,
]) {
  test(`a planted compile cache runs only from a folder no one else can write: ${what}`, {
    ...ours,
    ...options,
  }, () => {
    const cacheDir = mkdtempSync(join(work, "planted-"));
    const marker = join(cacheDir, "MARKER");
    const dir = compiledCodeDir(cacheDir);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(join(cacheDir, "compile"), 0o755);
    chmodSync(cacheDir, 0o755);
    // --version loads the chunk the CLI's flow is in: plant a cache for every chunk.
    for (const chunk of chunks()) {
      const file = join(dir, `${chunk}.cache`);
      writeFileSync(file, plantedCache(chunk, marker), { mode: 0o644 });
      chmodSync(file, 0o644);
      loosen(cacheDir, file);
    }
    spawnSync(process.execPath, [CLI, "--version"], {
      env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "", CREATE_AGENTCORE_CACHE_DIR: cacheDir },
    });
    const ran = existsSync(marker);
    if (what.startsWith("(the control)"))
      assert.ok(ran, "the planted cache did not run: the test's attack is not real");
    else assert.ok(!ran, "the planted code ran");
  });
}

test("a FIFO where a cache file belongs does not stop the run: it goes without that cache", ours, () => {
  const cacheDir = join(work, "cache-fifo");
  const dir = compiledCodeDir(cacheDir);
  mkdirSync(dir, { recursive: true });
  for (const chunk of chunks()) spawnSync("mkfifo", [join(dir, `${chunk}.cache`)]);
  const reference = generate(join(work, "cache-fifo-reference"));
  // Reading a FIFO with no writer blocks forever; the run has a minute, as the others.
  const project = generate(cacheDir, {}, 60_000);
  assert.deepEqual(readTree(project), readTree(reference));
});
