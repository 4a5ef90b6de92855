import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { everyCombination } from "../src/combinations.js";
import { readTree } from "./fixtures.js";
import { readSnapshot } from "./snapshots.js";

// Records made by create-agentcore 0.1.0 (test/fixtures/records-0.1.0.json: the
// .create-agentcore.json of every combination, as 0.1.0 wrote them) replay through the built CLI
// to the reviewed snapshot of that combination: the same answers, the same project. 0.1.0 knew one
// deploy target, the starter toolkit, and a record without a deploy answer replays as that.

const ROOT = join(import.meta.dirname, "..");
const RECORDS = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "records-0.1.0.json"), "utf8")) as Record<
  string,
  object
>;
const work = mkdtempSync(join(tmpdir(), "records-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** The combination a 0.1.0 record's answers make: the starter toolkit, as 0.1.0 deployed every project. */
function combinationOf(record: object): string {
  const recorded = (record as { answers: Record<string, unknown> }).answers;
  // Lists are arrays in a record and comma-separated in a combination: both print as "a,b".
  const match = everyCombination().find(
    ({ answers }) =>
      answers.deploy === "starter-toolkit" &&
      Object.entries(answers).every(
        // 0.1.0 had no provider question: every agent called Bedrock.
        ([key, value]) =>
          key === "deploy" || String(recorded[key] ?? (key === "provider" ? "bedrock" : undefined)) === String(value),
      ),
  );
  assert.ok(match, `no combination has the answers of ${JSON.stringify(recorded)}`);
  return match.name;
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
    assert.deepEqual(readTree(join(dir, "my-agent")), readSnapshot(combinationOf(RECORDS[name]!)), name);
  }
});
