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
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readTree, writeTemplateFolder } from "./fixtures.js";

// Every file-system failure of a real run is one line, exit code 2, and leaves the target as it
// was (parent folders the run created included); --dry-run fails the same way. Real faults, not
// mocks: full and read-only file systems and mount points inside a mount namespace of the test's
// own (unshare -m, test/support/scenario.mjs), permissions as an unprivileged user (setpriv).
// CI runs as root; elsewhere a user namespace stands in (unshare -rm), the runs are unprivileged
// already, and the two tests that need a second user or one with no passwd entry say why they
// cannot run.

const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "index.cjs");
const SCENARIO = join(import.meta.dirname, "support", "scenario.mjs");
const work = mkdtempSync(join(tmpdir(), "faults-"));
chmodSync(work, 0o755); // the unprivileged user's runs must reach their folders
after(() => rmSync(work, { recursive: true, force: true }));

const ENV = { AWS_REGION: "", AWS_DEFAULT_REGION: "", CREATE_AGENTCORE_CACHE_DIR: join(work, "cache") };
// The starter toolkit's layout (the agent's files at the root): these tests are about the writer, not the target.
const PLAIN = ["--yes", "--no-git", "--no-install", "--deploy", "starter-toolkit"];
const ONE_LINE_ERROR = /^create-agentcore: error: [^\n]+\n$/;
const isWorking = (path: string) => path.split("/").some((part) => part.startsWith(".create-agentcore-"));
const visible = (tree: Record<string, string>) =>
  Object.fromEntries(Object.entries(tree).filter(([path]) => !isWorking(path)));
const isRoot = process.getuid?.() === 0;
const asRoot = {
  skip: isRoot ? false : "a file of another user's, or a user with no passwd entry, needs root (CI runs as root)",
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  after: Record<string, string>;
}
type Outcome = Run & { before: Record<string, string> };

type Step = { sh: string } | { cli: { args: string[]; pauseAt?: string; whilePaused?: string; kill?: boolean } };

let scenarios = 0;
/** Runs the steps in a mount namespace; $D is a fresh folder, observed before the first run and after each. */
function steps(list: Step[]): { before: Record<string, string>; runs: Run[]; dir: string } {
  const dir = join(work, `ns-${++scenarios}`);
  mkdirSync(dir);
  const withDir = (script: string) => `D=${JSON.stringify(dir)}\n${script}`;
  const scenario = {
    observe: dir,
    steps: list.map((step) =>
      "sh" in step
        ? { sh: withDir(step.sh) }
        : {
            cli: {
              argv: [CLI, ...step.cli.args.map((arg) => arg.replaceAll("$D", dir))],
              cwd: dir,
              env: ENV,
              pauseAt: step.cli.pauseAt,
              whilePaused: step.cli.whilePaused && withDir(step.cli.whilePaused),
              kill: step.cli.kill,
            },
          },
    ),
  };
  const unshare = isRoot ? ["-m"] : ["-r", "-m"];
  const result = spawnSync("unshare", [...unshare, process.execPath, SCENARIO, JSON.stringify(scenario)], {
    encoding: "utf8",
  });
  assert.equal(result.status, 0, `the scenario failed: ${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as { before: Record<string, string>; runs: Run[] }), dir };
}

/** Runs the CLI in a mount namespace after `prepare` (bash; $D is a fresh folder, which is observed). */
function inNamespace(
  prepare: string,
  args: string[],
  options: { pauseAt?: string; whilePaused?: string } = {},
): Outcome & { dir: string } {
  const { before, runs, dir } = steps([{ sh: prepare }, { cli: { args, ...options } }]);
  return { ...runs[0]!, before, dir };
}

function run(
  args: string[],
  options: { cwd?: string; user?: "nobody" | undefined; env?: NodeJS.ProcessEnv; node?: string[] } = {},
) {
  const command = [...(options.node ?? []), CLI, ...args];
  const [file, argv] =
    options.user === "nobody"
      ? ["setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, ...command]]
      : [process.execPath, command];
  const result = spawnSync(file, argv, {
    cwd: options.cwd ?? work,
    encoding: "utf8",
    env: { ...process.env, ...ENV, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The outcome is a one-line error matching `message`, exit 2, and the observed tree is as before. */
function assertRefused(outcome: Outcome, message: RegExp, what: string): void {
  assert.equal(outcome.code, 2, `${what}: exit ${outcome.code}: ${outcome.stderr}`);
  assert.match(outcome.stderr, ONE_LINE_ERROR, what);
  assert.match(outcome.stderr, message, what);
  assert.deepEqual(outcome.after, outcome.before, `${what}: the folder changed`);
}

test("a file system too small for the project: one line, exit 2, nothing written, and --dry-run says the same", () => {
  for (const [options, what] of [
    ["size=32k", "blocks"],
    ["size=1m,nr_inodes=12", "inodes"],
  ]) {
    const prepare = `mkdir "$D/fs" && mount -t tmpfs -o ${options} tmpfs "$D/fs" && mkdir "$D/fs/existing"`;
    for (const target of ["$D/fs/new/project", "$D/fs/existing"]) {
      const real = inNamespace(prepare, [target, ...PLAIN]);
      assertRefused(real, /no space left on the device \(ENOSPC\)/, `${what}, ${target}`);
      const dry = inNamespace(prepare, [target, ...PLAIN, "--dry-run"]);
      assertRefused(dry, /no space left on the device \(ENOSPC\)/, `${what}, ${target}, --dry-run`);
      // The same line but for the free space, which the real run's lock file takes a block of.
      const words = (outcome: Outcome & { dir: string }) =>
        outcome.stderr.replaceAll(outcome.dir, "").replace(/\d+/g, "N");
      assert.equal(words(dry), words(real));
    }
  }
});

test("the disk filling up while the files are written: undone, parents the run created removed, one line", () => {
  const prepare = `mkdir "$D/fs" && mount -t tmpfs -o size=512k tmpfs "$D/fs"
mkdir "$D/fs/existing" && echo mine > "$D/fs/existing/agent.py" && echo keep > "$D/fs/existing/notes.md"`;
  const fill = `cat /dev/zero > "$D/fs/filler" 2>/dev/null || true`;
  for (const args of [["$D/fs/made/by/run/project"], ["$D/fs/existing", "--force"]]) {
    const outcome = inNamespace(prepare, [...args, ...PLAIN], { pauseAt: "staging", whilePaused: fill });
    assert.equal(outcome.code, 2, outcome.stderr);
    assert.match(outcome.stderr, ONE_LINE_ERROR);
    assert.match(outcome.stderr, /no space left on the device \(ENOSPC\); nothing was written/);
    const { "fs/filler": filler, ...after } = outcome.after;
    assert.ok(filler, "the disk was not filled");
    assert.deepEqual(after, outcome.before, args.join(" "));
  }
});

test("a read-only file system: one line, exit 2, nothing written, and --dry-run says the same", () => {
  const prepare = `mkdir -p "$D/ro/existing" && echo mine > "$D/ro/existing/agent.py"
mount --bind "$D/ro" "$D/ro" && mount -o remount,ro,bind "$D/ro"`;
  for (const args of [["$D/ro/made/project"], ["$D/ro/existing", "--force"]]) {
    const real = inNamespace(prepare, [...args, ...PLAIN]);
    assertRefused(real, /the file system is read-only \(EROFS\); nothing was written/, args.join(" "));
    const dry = inNamespace(prepare, [...args, ...PLAIN, "--dry-run"]);
    assertRefused(dry, /the file system is read-only \(EROFS\); nothing was written/, `${args.join(" ")} --dry-run`);
  }
});

test("a mount point inside the project fails the moves halfway: those made are undone, backups restored", () => {
  const prepare = `mkdir -p "$D/project/tests" && echo mine > "$D/project/agent.py" && echo keep > "$D/project/notes.md"
echo mine > "$D/project/tests/test_mine.py" && mount --bind "$D/project/tests" "$D/project/tests"`;
  // Paused in the middle of the moves (of 19 files, in path order): the first half is in place,
  // agent.py among them over the user's (backed up), and pyproject.toml is not yet.
  const outcome = inNamespace(prepare, ["$D/project", "--force", ...PLAIN], {
    pauseAt: "moving",
    whilePaused: `test -f "$D/project/.gitignore" && ! grep -qx mine "$D/project/agent.py" && ! test -e "$D/project/pyproject.toml"`,
  });
  assertRefused(
    outcome,
    /\(tests\/[^)]+\): it crosses into another file system .* \(EXDEV\); nothing was written/,
    "EXDEV",
  );
  assert.equal(outcome.after["project/agent.py"], "file 644 mine\n");
});

test("an interrupted run's changes that can be neither finished nor undone: one line, kept; a later run undoes them", () => {
  const staged = `"$D/project/.create-agentcore-staging-self/new"`;
  const args = ["$D/project", "--force", ...PLAIN];
  const { before, runs } = steps([
    {
      sh: `mkdir -p "$D/project/tests" && echo mine > "$D/project/agent.py" && echo mine > "$D/project/tests/test_mine.py"`,
    },
    { cli: { args, pauseAt: "moving", kill: true } },
    // The staged files on a mount of their own: neither moving them in nor the others back works.
    { sh: `mount --bind ${staged} ${staged} && mount -o remount,ro,bind ${staged} ${staged}` },
    { cli: { args } },
    { sh: `umount ${staged}` },
    { cli: { args } },
  ]);
  const [killed, failed, finished] = runs as [Run, Run, Run];
  assert.equal(failed.code, 2, failed.stderr);
  assert.match(failed.stderr, ONE_LINE_ERROR);
  assert.match(
    failed.stderr,
    /project holds the half-moved files of an interrupted run, which could be neither finished nor undone: [^;]+ \((EXDEV|EROFS)\); they stay in \.create-agentcore-staging-self for the next run/,
  );
  // The undo got as far as it could, and its journal stays for the next run.
  assert.ok(
    Object.keys(failed.after).some((path) => /staging-self\/undo\.json$/.test(path)),
    "no undo journal kept",
  );
  assert.notDeepEqual(visible(killed.after), before, "the kill did not land halfway through the moves");
  assert.equal(finished.code, 0, finished.stderr);
  assert.match(finished.stdout, /^undid the changes an interrupted run had begun in \S+project$/m);
  assert.deepEqual(Object.keys(finished.after).filter(isWorking), []);
  assert.equal(finished.after["project/tests/test_mine.py"], "file 644 mine\n");
  assert.notEqual(finished.after["project/agent.py"], "file 644 mine\n");
});

test("a failure whose undo fails too: one line saying so; the next run finishes the undo", () => {
  const staged = `"$D/project/.create-agentcore-staging-self/new"`;
  const args = ["$D/project", "--force", ...PLAIN];
  const { before, runs } = steps([
    {
      sh: `mkdir -p "$D/project/tests" && echo mine > "$D/project/agent.py" && echo mine > "$D/project/tests/test_mine.py"`,
    },
    // Halfway through the moves the staged files end up on a mount of their own: the next move
    // fails, and so does moving back the ones already made.
    {
      cli: {
        args,
        pauseAt: "moving",
        whilePaused: `mount --bind ${staged} ${staged} && mount -o remount,ro,bind ${staged} ${staged}`,
      },
    },
    { sh: `umount ${staged}` },
    { cli: { args } },
  ]);
  const [failed, next] = runs as [Run, Run];
  assert.equal(failed.code, 2, failed.stderr);
  assert.match(failed.stderr, ONE_LINE_ERROR);
  assert.match(
    failed.stderr,
    /^create-agentcore: error: cannot write \S+project \([^)]+\): [^;]+\((EXDEV|EROFS)\), and undoing the changes failed too: [^;]+\((EXDEV|EROFS)\); the next run on \S+project finishes undoing them\n$/,
  );
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stdout, /^undid the changes an interrupted run had begun in \S+project$/m);
  assert.deepEqual(Object.keys(next.after).filter(isWorking), []);
  assert.equal(next.after["project/tests/test_mine.py"], before["project/tests/test_mine.py"]);
});

test("permission denied: one line, exit 2, nothing written, and --dry-run says the same", () => {
  // As root the runs switch to an unprivileged user (root may write anywhere); otherwise they run as is.
  const user = isRoot ? "nobody" : undefined;
  const locked = join(work, "locked");
  mkdirSync(locked, { mode: 0o555 });
  const owned = join(work, "owned");
  mkdirSync(join(owned, "tests"), { recursive: true });
  writeFileSync(join(owned, "agent.py"), "mine\n");
  chmodSync(join(owned, "tests"), 0o555);
  if (isRoot) for (const path of [owned, join(owned, "agent.py")]) chownSync(path, 65534, 65534);
  for (const [args, where] of [
    [
      [join(locked, "made", "project")],
      /cannot write \S+ \(locked\): permission denied \(EACCES\); nothing was written/,
    ],
    [[owned, "--force"], /cannot write \S+ \(tests\): permission denied \(EACCES\); nothing was written/],
  ] as const) {
    for (const dry of [[], ["--dry-run"]]) {
      const before = readTree(work);
      const outcome = run([...args, ...PLAIN, ...dry], { user });
      assert.equal(outcome.code, 2, outcome.stderr);
      assert.match(outcome.stderr, ONE_LINE_ERROR);
      assert.match(outcome.stderr, where);
      assert.deepEqual(readTree(work), before);
      assert.deepEqual(readdirSync(locked), []);
    }
  }
});

test("a replaced file the user may not move (a sticky folder): what was done is undone, one line", asRoot, () => {
  const sticky = join(work, "sticky");
  mkdirSync(sticky);
  chmodSync(sticky, 0o1777);
  writeFileSync(join(sticky, ".gitignore"), "theirs\n");
  chownSync(join(sticky, ".gitignore"), 65534, 65534); // backed up first: theirs to move
  writeFileSync(join(sticky, "agent.py"), "root's\n"); // then this: not theirs, in a sticky folder
  const before = readTree(sticky);
  const outcome = run([sticky, "--force", ...PLAIN], { user: "nobody" });
  assert.equal(outcome.code, 2, outcome.stderr);
  assert.match(outcome.stderr, ONE_LINE_ERROR);
  assert.match(outcome.stderr, /\(agent\.py\): not permitted \(EPERM\); nothing was written/);
  assert.deepEqual(readTree(sticky), before);
  assert.deepEqual(readdirSync(sticky).sort(), [".gitignore", "agent.py"]);
});

test("long names: 229 to 255 bytes work (the staging folder no longer adds to them); 256 is one line", () => {
  const names = [229, 240, 255].map((length) => "a".repeat(length));
  names.push("中".repeat(85)); // 255 bytes
  for (const name of names) {
    const outcome = run([name, ...PLAIN]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.ok(existsSync(join(work, name, "agent.py")));
    rmSync(join(work, name), { recursive: true });
  }
  for (const name of ["a".repeat(256), "中".repeat(86)]) {
    for (const dry of [[], ["--dry-run"]]) {
      const before = readdirSync(work).sort();
      const outcome = run([name, ...PLAIN, ...dry]);
      assert.equal(outcome.code, 2, outcome.stderr);
      assert.match(outcome.stderr, ONE_LINE_ERROR);
      assert.match(outcome.stderr, /: a name of (256|258) bytes; file systems take at most 255$/m);
      assert.deepEqual(readdirSync(work).sort(), before);
    }
  }
  assert.deepEqual(
    readdirSync(work).filter((entry) => entry.startsWith(".create-agentcore-")),
    [],
  );
});

test("a path too long for the system while it is written: one line, exit 2, and --dry-run says the same", {
  skip: process.platform === "linux" ? false : "the limit checked is Linux's",
}, () => {
  // A folder 4,000 bytes deep, made one level at a time (a path that long cannot be given at once).
  let deep = join(work, "deep");
  mkdirSync(deep);
  while (Buffer.byteLength(deep) < 4000) {
    deep = join(deep, "d".repeat(200));
    mkdirSync(deep);
  }
  for (const dry of [[], ["--dry-run"]]) {
    const outcome = run(["project", ...PLAIN, ...dry], { cwd: deep });
    assert.equal(outcome.code, 2, outcome.stderr);
    assert.match(outcome.stderr, ONE_LINE_ERROR);
    assert.match(outcome.stderr, /would need a path of \d+ bytes while it is written; this system takes at most 4095/);
    assert.deepEqual(readdirSync(deep), []);
  }
});

test("a team template file where the project has a folder (files/tests): one line, exit 2, nothing written", () => {
  const template = writeTemplateFolder(join(work, "clash"), "clash", { tests: "a file named tests\n" });
  for (const dry of [[], ["--dry-run"]]) {
    const before = readdirSync(work).sort();
    const outcome = run(["clashing", "--template", template, ...PLAIN, ...dry]);
    assert.equal(outcome.code, 2, outcome.stderr);
    assert.match(outcome.stderr, ONE_LINE_ERROR);
    assert.match(outcome.stderr, /cannot write tests: the project also has tests\/\S+, inside a folder of that name/);
    assert.deepEqual(readdirSync(work).sort(), before);
  }
});

test("a file where a folder of the path should be: one line naming it", () => {
  writeFileSync(join(work, "a-file"), "x");
  for (const dry of [[], ["--dry-run"]]) {
    const outcome = run(["a-file/project", ...PLAIN, ...dry]);
    assert.equal(outcome.code, 2, outcome.stderr);
    assert.equal(outcome.stderr, "create-agentcore: error: cannot create a-file/project: a-file is not a directory\n");
  }
});

test("a symbolic link as the target is called one, naming where it points", () => {
  symlinkSync(tmpdir(), join(work, "linked"));
  symlinkSync(join(work, "nowhere"), join(work, "dangling"));
  for (const [name, target] of [
    ["linked", tmpdir()],
    ["dangling", join(work, "nowhere")],
  ]) {
    const outcome = run([name, ...PLAIN]);
    assert.equal(outcome.code, 2);
    assert.equal(
      outcome.stderr,
      `create-agentcore: error: ${name} is a symbolic link (to ${target}): give the folder it points to, or another name\n`,
    );
  }
});

test("the files a run would replace are named: a preset pointing at a home folder shows .bashrc", () => {
  const home = join(work, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".bashrc"), "my shell\n");
  const template = writeTemplateFolder(join(work, "dotfiles"), "dotfiles", { _bashrc: "# the team's\n" });
  writeFileSync(join(work, "home.json"), JSON.stringify({ directory: home, template }));
  const refused = run(["--preset", join(work, "home.json"), ...PLAIN]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /is not empty \(1 of its files would be replaced: \.bashrc\)/);
  const dry = run(["--preset", join(work, "home.json"), ...PLAIN, "--force", "--dry-run"]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^ {2}\.bashrc +\d+ B {2}replaces the existing file$/m);
  assert.match(dry.stdout, /; would replace \.bashrc; nothing written \(--dry-run\)$/m);
  assert.equal(readFileSync(join(home, ".bashrc"), "utf8"), "my shell\n");
});

test("the cache folder being a file costs only the cache: the project is the same; a fetch into it is one line", () => {
  writeFileSync(join(work, "cache-file"), "not a folder");
  const reference = run(["with-cache", ...PLAIN]);
  assert.equal(reference.code, 0, reference.stderr);
  const outcome = run(["without-cache", ...PLAIN], {
    env: { CREATE_AGENTCORE_CACHE_DIR: join(work, "cache-file"), NODE_DISABLE_COMPILE_CACHE: "" },
  });
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.equal(outcome.stderr, "");
  const name = (tree: Record<string, string>) =>
    JSON.stringify(tree).replaceAll("without_cache", "with_cache").replaceAll("without-cache", "with-cache");
  assert.equal(name(readTree(join(work, "without-cache"))), JSON.stringify(readTree(join(work, "with-cache"))));
  assert.equal(readFileSync(join(work, "cache-file"), "utf8"), "not a folder");

  const fetch = run(["fetched", "--template", "http://127.0.0.1:9/template.tar.gz", ...PLAIN], {
    env: { CREATE_AGENTCORE_CACHE_DIR: join(work, "cache-file") },
  });
  assert.equal(fetch.code, 2, fetch.stderr);
  assert.match(fetch.stderr, ONE_LINE_ERROR);
  assert.match(fetch.stderr, /ENOTDIR/);
});

test("a user with no home folder (HOME unset, no passwd entry) still generates, without a cache", asRoot, () => {
  const folder = join(work, "homeless");
  mkdirSync(folder);
  chownSync(folder, 12345, 12345);
  const { HOME: _home, ...inherited } = process.env;
  const env = { ...inherited, ...ENV, CREATE_AGENTCORE_CACHE_DIR: "", XDG_CACHE_HOME: "" };
  const result = spawnSync(
    "setpriv",
    ["--reuid=12345", "--regid=12345", "--clear-groups", process.execPath, CLI, "project", ...PLAIN],
    { cwd: folder, encoding: "utf8", env },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.ok(existsSync(join(folder, "project", "agent.py")));
  const remote = spawnSync(
    "setpriv",
    [
      "--reuid=12345",
      "--regid=12345",
      "--clear-groups",
      process.execPath,
      CLI,
      "r",
      "--template",
      "http://127.0.0.1:9/t.tar.gz",
      ...PLAIN,
    ],
    { cwd: folder, encoding: "utf8", env },
  );
  assert.equal(remote.status, 2);
  assert.match(
    remote.stderr,
    /^create-agentcore: error: --template \S+: no cache folder to fetch it into \(no home folder\); set CREATE_AGENTCORE_CACHE_DIR\n$/,
  );
});

test("an internal error (a bug) is one line inviting a report, exit 1, and leaves nothing behind", () => {
  const breaker = join(work, "breaker.cjs");
  // Stands in for a bug in the writer: the final rename throws what no file system does.
  writeFileSync(
    breaker,
    `const fs = require("node:fs"); fs.renameSync = () => { throw new TypeError("renameSync is broken"); };`,
  );
  const parent = join(work, "bug");
  mkdirSync(parent);
  const outcome = run([join(parent, "made", "project"), ...PLAIN], { node: ["--require", breaker] });
  assert.equal(outcome.code, 1);
  assert.equal(
    outcome.stderr,
    "create-agentcore: internal error: TypeError: renameSync is broken; this is a bug in create-agentcore: please report it with the command you ran (npm bugs create-agentcore)\n",
  );
  assert.deepEqual(readdirSync(parent), []);
});
