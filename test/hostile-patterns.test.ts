import assert from "node:assert/strict";
import { test } from "node:test";
import { hostile, QUIET } from "./support/hostile.js";

// A question's pattern is matched in linear time: backtracking shapes answer at once, as defaults
// and as answers, and syntax that needs backtracking is refused.
const { run, refused, template } = hostile("hostile-patterns");

const BACKTRACKING: [string, string][] = [
  ["(a+)+b", "a".repeat(40)],
  ["(a|a)*b", "a".repeat(40)],
  ["(a|aa)+c", "a".repeat(40)],
  ["(\\w+\\s?)+!", "a".repeat(40)],
  ["([a-z]+)*[0-9]", "a".repeat(40)],
  ["(x+x+)+y", "x".repeat(40)],
  ["(.*a){20}", `${"a".repeat(40)}b`],
  ["\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*x", "1".repeat(200)],
  ["(\\d+\\.?)+x", "1".repeat(40)],
];

for (const [pattern, text] of BACKTRACKING) {
  test(`a pattern cannot hang the CLI: ${pattern} against ${text.length} characters`, async () => {
    // The text as the question's default (checked when the manifest is read), then as an answer.
    const withDefault = template(
      {},
      { questions: [{ name: "x", type: "text", message: "X", pattern, default: text, maxLength: 1000 }] },
    );
    const first = await run(["redos", "--template", withDefault, "--dry-run", ...QUIET], { timeoutMs: 20_000 });
    assert.notEqual(first.code, null, `killed after ${first.ms} ms: the pattern hung the CLI`);
    assert.ok(first.code === 0 || first.code === 2, first.stderr);
    const asked = template({}, { questions: [{ name: "x", type: "text", message: "X", pattern, maxLength: 1000 }] });
    const second = await run(["redos", "--template", asked, "--answer", `x=${text}`, "--dry-run", ...QUIET], {
      timeoutMs: 20_000,
    });
    assert.notEqual(second.code, null, `killed after ${second.ms} ms: the pattern hung the CLI`);
    assert.ok(second.ms < 5_000, `${second.ms} ms`);
  });
}
test("a pattern that needs backtracking (lookaround, backreferences) is refused, naming why", async () => {
  for (const pattern of ["(?=a)a", "(a)\\1", "(?<x>a)\\k<x>", "(?<!a)b"]) {
    const dir = template({}, { questions: [{ name: "x", type: "text", message: "X", pattern }] });
    await refused(["re", "--template", dir, ...QUIET], /questions\[0\]\.pattern: uses .*linear time/);
  }
});
