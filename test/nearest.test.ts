import assert from "node:assert/strict";
import { test } from "node:test";
import { editDistance, nearest } from "../src/nearest.js";

test("editDistance: insertions, deletions, substitutions; unicode by code unit; stops past its limit", () => {
  assert.equal(editDistance("", ""), 0);
  assert.equal(editDistance("eu-centrl-1", "eu-central-1"), 1);
  assert.equal(editDistance("--framwork", "--framework"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("é", "e"), 1);
  assert.equal(editDistance("abc", "xyz", 1), 2, "past the limit: limit + 1");
  // A very long word is refused by its length alone, at once.
  const long = "x".repeat(1_000_000);
  const started = performance.now();
  assert.equal(editDistance(long, "--region", 3), 4);
  assert.ok(performance.now() - started < 50);
});

test("nearest: the closest candidate within a third of the word (1 to 3 edits), else none", () => {
  const flags = ["--framework", "--region", "--model", "--yes", "--streaming", "--no-streaming"];
  assert.equal(nearest("--framwork", flags), "--framework");
  assert.equal(nearest("--regoin", flags), "--region");
  assert.equal(nearest("--streming", flags), "--streaming");
  assert.equal(nearest("--frobnicate", flags), undefined);
  assert.equal(nearest("", flags), undefined);
  assert.equal(nearest("ap-southeast-8", ["ap-southeast-1", "ap-southeast-7"]), "ap-southeast-1", "ties: the first");
  assert.equal(nearest("zz-nowhere-9", ["us-east-1", "eu-west-1"]), undefined);
});
