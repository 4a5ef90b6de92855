import assert from "node:assert/strict";
import { test } from "node:test";
import { hostile, QUIET } from "./support/hostile.js";

// Template text (question messages, pattern messages, file names, Handlebars names) never reaches
// the terminal raw: every sequence that could steer it arrives escaped. (Prompts: team-prompts.test.ts.)
const { refused, template } = hostile("hostile-terminal");

const ESCAPES: [string, string][] = [
  [
    "clear the screen and print a fake success line",
    "\u001b[2J\u001b[H\u001b[32mcreated 14 files in my-agent\u001b[0m",
  ],
  ["retitle the window (OSC)", "\u001b]0;pwned\u0007"],
  ["a C1 control sequence introducer", "\u009b2J"],
  ["a carriage return over the line", "\rcreated 14 files in my-agent"],
  ["backspaces", "\b\b\b\bok"],
  ["a right-to-left override", "\u202egnp.exe"],
  ["a line separator", "\u2028created 14 files"],
  ["a terminal reset (ESC c)", "\u001bc"],
];
// What a terminal would act on: C0 and C1 controls but the line feed, direction controls, separators.
const STEERING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

for (const [what, attack] of ESCAPES) {
  test(`template text cannot steer the terminal in an error: ${what}`, async () => {
    // In a pattern's message (shown when an answer does not match)…
    const patterned = template(
      {},
      {
        questions: [{ name: "code", type: "text", message: "Code", pattern: "[0-9]+", patternMessage: `bad${attack}` }],
      },
    );
    const first = await refused(["esc", "--template", patterned, "--answer", "code=x", ...QUIET], /--answer code: bad/);
    assert.doesNotMatch(first.stderr, STEERING);
    assert.match(first.stderr, /\\u\{[0-9a-f]+\}/, "the character is shown escaped");
    // …and in a file name.
    const named = template({ [`notes${attack}.md`]: "x" });
    const second = await refused(["esc", "--template", named, ...QUIET], /files\/notes/);
    assert.doesNotMatch(second.stderr, STEERING);
  });
}
test("template text cannot steer the terminal in a Handlebars error", async () => {
  // A name Handlebars accepts, quoted in the "not defined" error.
  const dir = template({ "NOTES.md.hbs": "{{a\u001bcb\u202e\u009b2J}}" });
  const result = await refused(["esc", "--template", dir, ...QUIET], /NOTES\.md\.hbs/);
  assert.doesNotMatch(result.stderr, STEERING);
});
