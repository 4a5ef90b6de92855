import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { openTarget } from "../src/write.js";
import { writeTemplateFolder } from "./fixtures.js";

// Kills of the built CLI while it writes a project from a 1,000-file team template: into a new
// folder (whose parents it creates), into an existing empty one (`cd x && create .`), and over an
// existing project with --force. At moments spread evenly over a measured unkilled run, and inside
// each phase of the writer (CREATE_AGENTCORE_TEST_PAUSE stops it there, src/transaction.ts).
// After any kill, once the next run has recovered, the target must be exactly as it was before or
// complete: a partial tree or a leftover working file is a failure. And two runs on one target:
// one wins, the other gets one line.

const CLI = join(import.meta.dirname, "..", "index.cjs");
const work = mkdtempSync(join(tmpdir(), "kill-"));
after(() => rmSync(work, { recursive: true, force: true }));

const TEMPLATE = writeTemplateFolder(
  join(work, "template"),
  "thousand",
  Object.fromEntries(
    Array.from({ length: 1000 }, (_, i) => [`data/d${String(i % 20).padStart(2, "0")}/f${i}.txt`, `line ${i}\n`]),
  ),
);
const ENV = {
  ...process.env,
  AWS_REGION: "",
  AWS_DEFAULT_REGION: "",
  CREATE_AGENTCORE_CACHE_DIR: join(work, "cache"),
  CREATE_AGENTCORE_TEST_PAUSE: "",
};

type Tree = Record<string, string>;

/** Every entry under dir: "dir", "link → target" or "file <mode> <contents>". */
function snapshot(dir: string): Tree {
  const tree: Tree = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const full = join(dir, path);
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        tree[path] = "dir";
        walk(path);
      } else if (stat.isSymbolicLink()) tree[path] = `link → ${readlinkSync(full)}`;
      else tree[path] = `file ${(stat.mode & 0o7777).toString(8)} ${readFileSync(full, "utf8")}`;
    }
  };
  walk("");
  return tree;
}

const isWorking = (path: string) => path.split("/").some((part) => part.startsWith(".create-agentcore-"));
const withoutWorkingFiles = (tree: Tree) =>
  Object.fromEntries(Object.entries(tree).filter(([path]) => !isWorking(path)));
const workingFiles = (tree: Tree) => Object.keys(tree).filter(isWorking);
/** A committed transaction in flight: a staging folder with a journal (to finish) or an undo journal. */
const inFlight = (tree: Tree) =>
  Object.keys(tree).some((path) => /\.create-agentcore-staging-[^/]+\/(journal|undo)\.json$/.test(path));
const same = (a: Tree, b: Tree) => JSON.stringify(a) === JSON.stringify(b);

interface Mode {
  name: string;
  /** The folder whose whole tree is compared (the target and, for a new one, its parents). */
  observe: string;
  /** The target as the recovery in this process names it. */
  target: string;
  cwd: string;
  args: string[];
  /** Folders the run creates on the way to the target (recorded in its lock, removed by recovery). */
  parents: string[];
  prepare(): void;
  phases: string[];
}

const common = ["--template", TEMPLATE, "--yes", "--no-git", "--no-install"];
const MODES: Mode[] = [
  {
    name: "a new folder",
    observe: join(work, "new"),
    target: join(work, "new", "made", "by", "the-run"),
    cwd: join(work, "new"),
    args: ["made/by/the-run", ...common],
    parents: ["made", "made/by"],
    prepare() {
      rmSync(this.observe, { recursive: true, force: true });
      mkdirSync(this.observe);
    },
    phases: ["making parents", "placing parents", "staging", "moving", "cleaning up"],
  },
  {
    name: "an existing empty folder (cd x && create .)",
    observe: join(work, "existing"),
    target: join(work, "existing"),
    cwd: join(work, "existing"),
    args: [".", ...common],
    parents: [],
    prepare() {
      rmSync(this.observe, { recursive: true, force: true });
      mkdirSync(join(this.observe, ".git"), { recursive: true });
      writeFileSync(join(this.observe, ".git", "HEAD"), "ref: refs/heads/main\n");
    },
    phases: ["staging", "journaling", "moving", "cleaning up"],
  },
  {
    name: "an existing project with --force",
    observe: join(work, "forced"),
    target: join(work, "forced", "project"),
    cwd: join(work, "forced"),
    args: ["project", "--force", ...common],
    parents: [],
    prepare() {
      rmSync(this.observe, { recursive: true, force: true });
      const project = join(this.observe, "project");
      mkdirSync(join(project, "data", "d00"), { recursive: true });
      writeFileSync(join(project, "notes.md"), "my notes\n");
      writeFileSync(join(project, "agent.py"), "my agent\n");
      writeFileSync(join(project, "README.md"), "my readme\n");
      writeFileSync(join(project, "data", "d00", "f0.txt"), "my data\n");
      writeFileSync(join(project, "data", "mine.txt"), "mine\n");
    },
    phases: ["staging", "journaling", "backing up", "moving", "cleaning up"],
  },
];

interface Run {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => { stdout: string; stderr: string };
  /** Resolves when the run says it has paused. */
  paused: Promise<void>;
}

function start(mode: Mode, pauseAt = ""): Run {
  const child = spawn(process.execPath, [CLI, ...mode.args], {
    cwd: mode.cwd,
    env: { ...ENV, CREATE_AGENTCORE_TEST_PAUSE: pauseAt },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let onPause = () => {};
  const paused = new Promise<void>((resolve) => {
    onPause = resolve;
  });
  child.stdout!.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
    if (pauseAt && stderr.includes(`paused at ${pauseAt}\n`)) onPause();
  });
  child.stdin!.on("error", () => {}); // a killed run's stdin
  if (!pauseAt) child.stdin!.end();
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }), paused };
}

/** What the next run's start-up recovery does, here in-process: lock, recover, write nothing, release. */
function recover(mode: Mode): void {
  openTarget(mode.target, []).release();
}

/** The target before a run, and after an unkilled one; worked out once per mode. */
const references = new Map<Mode, { before: Tree; complete: Tree }>();
async function reference(mode: Mode): Promise<{ before: Tree; complete: Tree }> {
  if (!references.has(mode)) {
    mode.prepare();
    const before = snapshot(mode.observe);
    const { exited, output } = start(mode);
    assert.equal(await exited, 0, output().stderr);
    references.set(mode, { before, complete: snapshot(mode.observe) });
  }
  return references.get(mode)!;
}

/** The tree as it was, but for the target's parents the killed run created (its lock records them for recovery). */
const beforeButParents = (mode: Mode, visible: Tree, before: Tree) =>
  same(Object.fromEntries(Object.entries(visible).filter(([path]) => !mode.parents.includes(path))), before);

for (const mode of MODES) {
  test(`kills at 30 moments spread over a run, into ${mode.name}: before or complete once recovered, never partial`, async (t) => {
    const { before, complete } = await reference(mode);
    // The median of five unkilled runs (a busy machine makes single runs vary by half).
    const durations: number[] = [];
    for (let run = 0; run < 5; run++) {
      mode.prepare();
      const began = performance.now();
      const { exited, output } = start(mode);
      assert.equal(await exited, 0, output().stderr);
      durations.push(performance.now() - began);
    }
    const unkilled = durations.sort((a, b) => a - b)[2]!;

    const counts = { killed: 0, partialBeforeRecovery: 0, before: 0, complete: 0, partial: 0 };
    const moments = 30;
    for (let i = 0; i < moments; i++) {
      mode.prepare();
      const { child, exited } = start(mode);
      await delay(((i + 0.5) * unkilled) / moments);
      child.kill("SIGKILL");
      if ((await exited) !== 0) counts.killed++;

      const left = snapshot(mode.observe);
      const visible = withoutWorkingFiles(left);
      if (!same(visible, before) && !same(visible, complete)) {
        counts.partialBeforeRecovery++;
        assert.ok(
          inFlight(left) || (beforeButParents(mode, visible, before) && workingFiles(left).length > 0),
          `kill ${i}: a partial tree with nothing to recover it from: ${workingFiles(left).join(", ")}`,
        );
      }
      recover(mode);
      const recovered = snapshot(mode.observe);
      assert.deepEqual(workingFiles(recovered), [], `kill ${i}: working files left after recovery`);
      if (same(recovered, before)) counts.before++;
      else if (same(recovered, complete)) counts.complete++;
      else counts.partial++;
    }
    t.diagnostic(`unkilled run ${unkilled.toFixed(0)} ms; ${JSON.stringify(counts)}`);
    assert.equal(counts.partial, 0, "partial trees after recovery");
    assert.ok(counts.killed >= 10, `only ${counts.killed} of ${moments} kills landed before the run ended`);
  });

  for (const phase of mode.phases) {
    test(`a kill while ${phase}, into ${mode.name}: the next run recovers, and the project is complete`, async () => {
      const { before, complete: completeTree } = await reference(mode);

      mode.prepare();
      const run = start(mode, phase);
      await run.paused;
      run.child.kill("SIGKILL");
      await run.exited;
      const left = snapshot(mode.observe);
      const visible = withoutWorkingFiles(left);
      if (
        phase === "making parents" ||
        phase === "placing parents" ||
        phase === "staging" ||
        phase === "journaling" ||
        (phase === "moving" && mode.name === MODES[0]!.name)
      ) {
        assert.ok(beforeButParents(mode, visible, before), "before the commit point, the target is as it was");
      } else if (phase === "cleaning up") {
        assert.deepEqual(visible, completeTree, "after the last move, the project is complete");
      } else {
        assert.ok(inFlight(left), "while moving, the journal is there to finish the moves");
        assert.ok(!same(visible, before) && !same(visible, completeTree), "the kill landed between two moves");
      }
      assert.ok(workingFiles(left).length > 0, "the killed run left its lock");

      // The next run, as a user would start it again: it recovers first, then does its own work.
      const again = start(mode);
      const code = await again.exited;
      const { stdout, stderr } = again.output();
      if (phase === "backing up" || phase === "moving") {
        assert.match(
          stdout,
          mode.name === MODES[0]!.name
            ? /removed the unfinished files/
            : /finished moving the files of an interrupted run/,
        );
      }
      assert.ok(code === 0 || /is not empty/.test(stderr), `exit ${code}: ${stderr}`);
      const final = snapshot(mode.observe);
      assert.deepEqual(workingFiles(final), []);
      assert.deepEqual(final, completeTree);
    });
  }
}

test("two runs on one target: while one writes, the other gets one line and exit 2; the first finishes", async () => {
  for (const [mode, phase] of [
    [MODES[0]!, "staging"],
    [MODES[2]!, "moving"],
  ] as const) {
    mode.prepare();
    const first = start(mode, phase);
    await first.paused;
    const second = start(mode);
    assert.equal(await second.exited, 2);
    assert.match(
      second.output().stderr,
      new RegExp(
        `^create-agentcore: error: [^\\n]* is being written by another create-agentcore run \\(pid ${first.child.pid}\\); try again when it has finished\\n$`,
      ),
    );
    first.child.stdin!.end("\n");
    assert.equal(await first.exited, 0, first.output().stderr);
    assert.deepEqual(workingFiles(snapshot(mode.observe)), []);
  }
});

test("two runs started together on one new target, also over a killed run's stale lock: one wins, the other gets one line", async (t) => {
  const mode = MODES[0]!;
  const { complete } = await reference(mode);
  const outcomes: Record<string, number> = {};
  for (let round = 0; round < 12; round++) {
    mode.prepare();
    if (round % 2 === 1) {
      // A killed run's leftovers: its lock, its staging folder and the parents it created.
      const killed = start(mode, "staging");
      await killed.paused;
      killed.child.kill("SIGKILL");
      await killed.exited;
    }
    const runs = [start(mode), start(mode)];
    const codes = await Promise.all(runs.map((run) => run.exited));
    assert.deepEqual([...codes].sort(), [0, 2], `round ${round}: exits ${codes}`);
    const loser = runs[codes.indexOf(2)]!.output().stderr;
    assert.match(loser, /^create-agentcore: error: [^\n]+\n$/);
    const why = /is being written by another/.test(loser) ? "busy" : /is not empty/.test(loser) ? "not empty" : loser;
    outcomes[why] = (outcomes[why] ?? 0) + 1;
    assert.deepEqual(snapshot(mode.observe), complete, `round ${round}`);
  }
  t.diagnostic(`the loser's error: ${JSON.stringify(outcomes)}`);
  assert.deepEqual(
    Object.keys(outcomes).filter((why) => why !== "busy" && why !== "not empty"),
    [],
  );
});

test("two new targets under the same missing folders: the run whose folders another run put in place first starts again, and both finish", async () => {
  const mode = MODES[0]!;
  const sibling = (name: string): Mode => ({ ...mode, args: [`made/by/${name}`, ...common] });
  mode.prepare();
  // The first has made its folders under their working name, with its lock in them, and waits.
  const first = start(sibling("first"), "placing parents");
  await first.paused;
  const second = start(sibling("second"));
  assert.equal(await second.exited, 0, second.output().stderr);
  first.child.stdin!.end("\n");
  assert.equal(await first.exited, 0, first.output().stderr);
  const tree = snapshot(mode.observe);
  assert.deepEqual(workingFiles(tree), []);
  for (const name of ["first", "second"]) assert.ok(tree[`made/by/${name}/README.md`], `${name} is complete`);
});
