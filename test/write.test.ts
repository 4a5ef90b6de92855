import assert from "node:assert/strict";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { inspectTarget, openTarget, WriteError, writePlan } from "../src/write.js";

const FILES = [
  { path: "agent.py", contents: "print('new agent')\n" },
  { path: "tests/test_agent.py", contents: "def test(): pass\n" },
];

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "write-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string) => readFileSync(join(root, path), "utf8");
const leftovers = () => readdirSync(root).filter((entry) => entry.includes(".create-agentcore-"));

test("a new directory arrives whole, with ordinary permissions, and no staging folder stays behind", () => {
  const target = join(root, "project");
  const result = writePlan(target, FILES, "overwrite");
  assert.deepEqual(result.written, ["agent.py", "tests/test_agent.py"]);
  assert.equal(read("project/agent.py"), FILES[0]!.contents);
  assert.equal(statSync(target).mode & 0o777, 0o777 & ~process.umask());
  assert.deepEqual(leftovers(), []);
});

test("a directory holding only .git counts as empty and keeps its .git", () => {
  mkdirSync(join(root, ".git"));
  writeFileSync(join(root, ".git", "HEAD"), "ref: refs/heads/main\n");
  assert.equal(inspectTarget(root, FILES).empty, true);
  writePlan(root, FILES, "overwrite");
  assert.equal(read(".git/HEAD"), "ref: refs/heads/main\n");
  assert.equal(read("agent.py"), FILES[0]!.contents);
});

test("overwrite replaces only the plan's files and never deletes anything else", () => {
  writeFileSync(join(root, "agent.py"), "mine\n");
  writeFileSync(join(root, "notes.md"), "keep me\n");
  mkdirSync(join(root, "tests"));
  writeFileSync(join(root, "tests", "test_mine.py"), "keep me too\n");
  const state = inspectTarget(root, FILES);
  assert.equal(state.empty, false);
  assert.deepEqual(state.existing, ["agent.py"]);

  writePlan(root, FILES, "overwrite");
  assert.equal(read("agent.py"), FILES[0]!.contents);
  assert.equal(read("notes.md"), "keep me\n");
  assert.equal(read("tests/test_mine.py"), "keep me too\n");
  assert.deepEqual(leftovers(), []);
});

test("skip writes the missing files and keeps every existing one", () => {
  writeFileSync(join(root, "agent.py"), "mine\n");
  writeFileSync(join(root, "notes.md"), "keep me\n");
  const result = writePlan(root, FILES, "skip");
  assert.deepEqual(result.skipped, ["agent.py"]);
  assert.deepEqual(result.written, ["tests/test_agent.py"]);
  assert.equal(read("agent.py"), "mine\n");
  assert.equal(read("notes.md"), "keep me\n");
});

test("a symbolic link on the way is refused before anything is written", () => {
  const outside = mkdtempSync(join(tmpdir(), "outside-"));
  try {
    symlinkSync(outside, join(root, "tests"));
    assert.throws(
      () => writePlan(root, FILES, "overwrite"),
      (error) => error instanceof WriteError && /tests is a symbolic link/.test(error.message),
    );
    assert.deepEqual(readdirSync(outside), []);
    assert.deepEqual(readdirSync(root).sort(), ["tests"]);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test("a directory where a file belongs, or a file where a directory belongs, is refused", () => {
  mkdirSync(join(root, "agent.py"));
  assert.throws(() => inspectTarget(root, FILES), /a directory of that name exists/);
  rmSync(join(root, "agent.py"), { recursive: true });
  writeFileSync(join(root, "tests"), "a file\n");
  assert.throws(() => inspectTarget(root, FILES), /tests is not a directory/);
  assert.equal(read("tests"), "a file\n");
});

test("a target that is a file is refused", () => {
  writeFileSync(join(root, "project"), "x");
  assert.throws(() => inspectTarget(join(root, "project"), FILES), /exists and is not a directory/);
});

test("a plan that puts a file where another of its files needs a folder is refused before anything is written", () => {
  const target = join(root, "a", "b", "project");
  assert.throws(
    () => writePlan(target, [...FILES, { path: "tests", contents: "a file named tests\n" }], "overwrite"),
    (error) =>
      error instanceof WriteError &&
      error.message === "cannot write tests: the project also has tests/test_agent.py, inside a folder of that name",
  );
  assert.deepEqual(readdirSync(root), []);
});

test("names the file system cannot hold, and names of create-agentcore's working files, are refused", () => {
  for (const [path, message] of [
    [`${"中".repeat(86)}.py`, /a name of 261 bytes; file systems take at most 255/],
    [".create-agentcore-lock-self", /create-agentcore's working files/],
  ] as const) {
    assert.throws(() => writePlan(root, [...FILES, { path, contents: "" }], "overwrite"), message);
  }
  assert.deepEqual(readdirSync(root), []);
});

test("into an existing folder, a folder it lacks arrives whole, replaced files are reported, and nothing else is touched", () => {
  writeFileSync(join(root, "agent.py"), "mine\n");
  writeFileSync(join(root, "notes.md"), "keep me\n");
  const result = writePlan(root, [...FILES, { path: "deep/er/file.txt", contents: "x\n" }], "overwrite");
  assert.deepEqual(result, {
    written: ["agent.py", "tests/test_agent.py", "deep/er/file.txt"],
    replaced: ["agent.py"],
    skipped: [],
  });
  assert.equal(read("deep/er/file.txt"), "x\n");
  assert.equal(read("notes.md"), "keep me\n");
  assert.deepEqual(leftovers(), []);
});

test("a write that fails after creating the target's parents removes them again, and its lock", {
  skip: process.platform === "win32" ? "the path limit is checked where it is known (Linux, macOS)" : false,
}, () => {
  // Each name fits; the whole path does not (Linux: 4,095 bytes).
  const long = Array.from({ length: 21 }, () => "x".repeat(200)).join("/");
  const target = join(root, "made", "by", "the-run");
  assert.throws(
    () => writePlan(target, [...FILES, { path: long, contents: "" }], "overwrite"),
    /would need a path of \d+ bytes while it is written/,
  );
  assert.deepEqual(readdirSync(root), []);
});

test("an open target holds its lock: a second opening is refused with one line until the first is released", () => {
  const first = openTarget(root, FILES);
  try {
    assert.throws(
      () => openTarget(root, FILES),
      (error) =>
        error instanceof WriteError &&
        error.message ===
          `${root} is being written by another create-agentcore run (pid ${process.pid}); try again when it has finished`,
    );
  } finally {
    first.release();
  }
  openTarget(root, FILES).release();
  assert.deepEqual(leftovers(), []);
});

test("a lock whose owner is on another host is never broken: the message says which file to remove", () => {
  const lock = join(root, ".create-agentcore-lock-self");
  const owner = { pid: 1, start: "1", boot: "b", ns: "n", host: "elsewhere.example" };
  symlinkSync(JSON.stringify({ owner, data: { createdLevels: 0 } }), lock); // as a run there writes it
  assert.throws(
    () => openTarget(root, FILES),
    (error) =>
      error instanceof WriteError &&
      error.message ===
        `${root} is being written by another create-agentcore run (pid 1 on elsewhere.example); if no run is going on there, remove ${lock}`,
  );
  assert.ok(lstatSync(lock).isSymbolicLink());
});
