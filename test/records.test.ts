import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readTree } from "./fixtures.js";

// Records made by create-agentcore 0.1.0 (test/fixtures/records-0.1.0.json: the
// .create-agentcore.json of every combination, as 0.1.0 wrote them) replay through the built CLI
// to the reviewed snapshot of that combination: the same answers, the same project.

const ROOT = join(import.meta.dirname, "..");
const RECORDS = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "records-0.1.0.json"), "utf8")) as Record<
  string,
  object
>;
const SNAPSHOTS = join(ROOT, "test", "__snapshots__");
const work = mkdtempSync(join(tmpdir(), "records-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A snapshot folder as the project it stands for (`.gitignore.snap` is `.gitignore`). */
function snapshotTree(name: string): Record<string, string> {
  const tree = readTree(join(SNAPSHOTS, name));
  return Object.fromEntries(
    Object.entries(tree).map(([path, text]) => [path.replace(/(^|\/)(\.git\w+)\.snap$/, "$1$2"), text]),
  );
}

test("every 0.1.0 record replays to its combination's snapshot", () => {
  const names = Object.keys(RECORDS);
  assert.equal(names.length, 32);
  for (const name of names) {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "record.json"), JSON.stringify(RECORDS[name]));
    const result = spawnSync(
      process.execPath,
      [join(ROOT, "index.cjs"), "--preset", "record.json", "--yes", "--no-git", "--no-install"],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" },
      },
    );
    assert.equal(result.status, 0, `${name}: ${result.stderr}`);
    assert.deepEqual(readTree(join(dir, "my-agent")), snapshotTree(name), name);
  }
});
