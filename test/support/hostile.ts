import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { writeTemplateFolder } from "../fixtures.js";
import { type Route, startTemplateServer, type TemplateServer } from "./template-server.js";

/**
 * What the test/hostile-*.test.ts files share: the built CLI (dist/) run with no terminal, a
 * template server on 127.0.0.1, a folder of their own, and helpers to make templates, serve
 * archives, and look into the cache. `hostile()` registers the file's before and after hooks.
 */

const ROOT = join(import.meta.dirname, "..", "..");
export const CLI = join(ROOT, "index.cjs");
export const TOKEN = "hostile-test-token-0123456789";
export const QUIET = ["--yes", "--no-git", "--no-install"];

export interface Run {
  /** null: killed (the time limit). */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed past this (the run then has code null). */
  timeoutMs?: number;
  /** The cache folder (default: one shared by the file's runs). */
  cache?: string;
}

/** A run started and not waited for: its process, its stderr so far, and its end. */
export interface Started {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<Run>;
}

export function hostile(name: string) {
  const work = mkdtempSync(join(tmpdir(), `${name}-`));
  let server: TemplateServer | undefined;
  before(async () => {
    server = await startTemplateServer();
    // The default cache folder, there before any test lists what a run wrote.
    mkdirSync(join(work, "cache"));
  });
  after(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });
  const origin = () => server!.origin;

  const env = (options: RunOptions): NodeJS.ProcessEnv => ({
    ...process.env,
    AWS_REGION: "",
    AWS_DEFAULT_REGION: "",
    GIGET_AUTH: "",
    CREATE_AGENTCORE_CACHE_DIR: options.cache ?? join(work, "cache"),
    GIGET_GITHUB_URL: origin(),
    ...options.env,
  });

  let projects = 0;
  /**
   * Runs the CLI without blocking this process, which serves the templates. A project named by a
   * bare name gets a number, so no run's project (a defect that let one through) changes another's outcome.
   */
  const run = (given: string[], options: RunOptions = {}): Promise<Run> => {
    const [first, ...rest] = given;
    const args = first !== undefined && /^[a-z][a-z-]*$/.test(first) ? [`${first}-${++projects}`, ...rest] : given;
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        { cwd: options.cwd ?? work, env: env(options), timeout: options.timeoutMs ?? 60_000, maxBuffer: 1 << 26 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? ((error as { code?: number | null }).code ?? null) : 0,
            stdout,
            stderr,
            ms: Date.now() - started,
          }),
      );
    });
  };

  /** A refused run: exit 2, one error line matching `message`, and nothing written in its folder. */
  const refused = async (args: string[], message: RegExp, options: RunOptions = {}): Promise<Run> => {
    const cwd = options.cwd ?? work;
    const before = readdirSync(cwd).sort();
    const result = await run(args, options);
    assert.equal(result.code, 2, `expected exit 2 (${result.ms} ms): ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message);
    assert.match(result.stderr, /^create-agentcore: error: [^\n]+\n$/, "one error line");
    assert.deepEqual(readdirSync(cwd).sort(), before, "nothing written");
    return result;
  };

  /** Starts the CLI and returns at once. */
  const start = (args: string[], options: RunOptions = {}): Started => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? work, env: env(options) });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr!.on("data", (chunk) => {
      stderr += chunk;
    });
    const done = new Promise<Run>((resolve) =>
      child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })),
    );
    return { child, stderr: () => stderr, done };
  };

  let folders = 0;
  /** A template folder with a manifest (`manifest` merged in) and `files` (path under files/ → text). */
  const template = (files: Record<string, string>, manifest: object = {}): string =>
    writeTemplateFolder(join(work, "templates", `t${++folders}`), `t${folders}`, files, manifest);

  /** A file holding `text` as written (a preset keeps `\ud800` a JSON escape); returns its path. */
  const file = (text: string, extension = ".json"): string => {
    const path = join(work, `file-${++folders}${extension}`);
    writeFileSync(path, text);
    return path;
  };

  let routes = 0;
  /** Serves `body` at a new path of the file's server; returns its URL. */
  const serve = (body: Buffer, extra: Partial<Omit<Route, "body">> = {}): string => {
    const path = `/archive-${++routes}.tar.gz`;
    server!.routes.set(path, { body, ...extra });
    return `${origin()}${path}`;
  };

  return { work, server: () => server!, env, run, refused, start, template, file, serve };
}

/** Everything under a cache folder's templates/: entries, fetch folders and locks. */
export function cacheContents(cache: string): string[] {
  const dir = join(cache, "templates");
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

/** The fetch folders at the top of a cache's templates/. */
export function fetchFolders(cache: string): string[] {
  const dir = join(cache, "templates");
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith(".fetch-")) : [];
}
