// One fault scenario, run by test/faults.test.ts inside a mount namespace of its own (unshare -m),
// so that the small file systems and read-only mounts it makes are seen by nothing else and
// vanish with it. Plain JavaScript: it starts in a few milliseconds.
//
// argv[2] is JSON: { observe: folder, steps: [step…] }, each step either { sh: bash script }
// (mounts, folders, files) or { cli: { argv, cwd, env?, pauseAt?, whilePaused?, kill? } }: the
// CLI run; with pauseAt it stops in that writer phase (CREATE_AGENTCORE_TEST_PAUSE,
// src/transaction.ts), then whilePaused (bash) runs, and the CLI is killed (kill: true) or goes on.
// Prints JSON: { before, runs: [{ code, stdout, stderr, after }] }: the observed tree before the
// first run, and each run's outcome with the tree after it.

import { execFileSync, spawn } from "node:child_process";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

const { observe, steps } = JSON.parse(process.argv[2]);
const bash = (script) =>
  execFileSync("bash", ["-euo", "pipefail", "-c", script], { stdio: ["ignore", "ignore", "inherit"] });

/** path → "dir", "link → target" or "file <mode> <contents>", for every entry under dir. */
function tree(dir) {
  const entries = {};
  const walk = (relative) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const full = join(dir, path);
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        entries[path] = "dir";
        walk(path);
      } else if (stat.isSymbolicLink()) entries[path] = `link → ${readlinkSync(full)}`;
      else {
        // A file filling a disk is told by its size.
        const contents = stat.size > 65536 ? `(${stat.size} bytes)` : readFileSync(full, "utf8");
        entries[path] = `file ${(stat.mode & 0o7777).toString(8)} ${contents}`;
      }
    }
  };
  walk("");
  return entries;
}

async function runCli({ argv, cwd, env = {}, pauseAt, whilePaused, kill }) {
  const child = spawn(process.execPath, argv, {
    cwd,
    env: {
      ...process.env,
      AWS_REGION: "",
      AWS_DEFAULT_REGION: "",
      ...env,
      CREATE_AGENTCORE_TEST_PAUSE: pauseAt ?? "",
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let paused = false;
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    if (pauseAt && !paused && stderr.includes(`paused at ${pauseAt}\n`)) {
      paused = true;
      bash(whilePaused ?? "true");
      if (kill) child.kill("SIGKILL");
      else child.stdin.end("\n");
    }
  });
  child.stdin.on("error", () => {}); // a killed run's stdin
  if (!pauseAt) child.stdin.end();
  const code = await new Promise((resolve) => child.on("close", (status) => resolve(status)));
  return { code, stdout, stderr: stderr.replace(`create-agentcore: paused at ${pauseAt}\n`, "") };
}

let before;
const runs = [];
for (const step of steps) {
  if (step.sh) {
    bash(step.sh);
    continue;
  }
  before ??= tree(observe);
  runs.push({ ...(await runCli(step.cli)), after: tree(observe) });
}
process.stdout.write(JSON.stringify({ before, runs }));
