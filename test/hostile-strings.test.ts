import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse as parseToml } from "smol-toml";
import { hostile, QUIET } from "./support/hostile.js";

// Every answer is Unicode text within its field's limit, from flags, presets and templates alike.
const { work, run, refused, template, file } = hostile("hostile-strings");

const TEXT_QUESTION = { questions: [{ name: "who", type: "text", message: "Who?" }] };
const LONE_SURROGATES: [string, () => string[], RegExp][] = [
  [
    "a lone high surrogate in a preset's description",
    () => ["unicode", "--preset", file('{"description": "agent \\ud800"}')],
    /--preset \S+: "description": must be Unicode text; it holds a lone surrogate/,
  ],
  [
    "a lone low surrogate at the start",
    () => ["unicode", "--preset", file('{"description": "\\udc00 agent"}')],
    /--preset \S+: "description": .*lone surrogate/,
  ],
  [
    "a reversed pair",
    () => ["unicode", "--preset", file('{"description": "\\udc00\\ud800"}')],
    /--preset \S+: "description": .*lone surrogate/,
  ],
  ["in the directory's name", () => ["--preset", file('{"directory": "agent-\\ud800"}')], /directory.*lone surrogate/],
  [
    "in the model ID",
    () => ["unicode", "--preset", file('{"model": "anthropic.claude\\ud800"}')],
    /--preset \S+: "model": .*lone surrogate/,
  ],
  [
    "in a template's default description",
    () => ["unicode", "--template", template({}, { defaults: { description: "agent \ud800" } })],
    /defaults(\.description)?: .*lone surrogate/,
  ],
  [
    "in a template's locked description",
    () => ["unicode", "--template", template({}, { locked: { description: "\udfff" } })],
    /locked(\.description)?: .*lone surrogate/,
  ],
  [
    "in a template question's message",
    () => [
      "unicode",
      "--template",
      template({}, { questions: [{ name: "who", type: "text", message: "Who\ud800?", default: "a" }] }),
    ],
    /questions\[0\]\.message: .*lone surrogate/,
  ],
  [
    "in an answer to a template's question, from a preset",
    () => ["unicode", "--template", template({}, TEXT_QUESTION), "--preset", file('{"answer": {"who": "me \\ud800"}}')],
    /"answer"\."who": must be Unicode text; it holds a lone surrogate/,
  ],
];

for (const [what, args, message] of LONE_SURROGATES) {
  test(`a string that is not Unicode is refused, naming the field: ${what}`, async () => {
    const dir = mkdtempSync(join(work, "surrogate-"));
    await refused([...args(), ...QUIET], message, { cwd: dir });
  });
}

const TOO_LONG: [string, string[], RegExp][] = [
  [
    "--description of 301 characters",
    ["--description", "d".repeat(301)],
    /--description: must be at most 300 characters/,
  ],
  ["--description of 100,000 characters", ["--description", "d".repeat(100_000)], /--description: must be at most 300/],
  ["--model of 2049 characters", ["--model", "m".repeat(2049), "--skip-model-check"], /--model: must be at most 2048/],
  [
    "--discovery-url of 2049 characters",
    [
      "--auth",
      "jwt",
      "--allowed-clients",
      "a",
      "--discovery-url",
      `https://x/${"a".repeat(2049)}/.well-known/openid-configuration`,
    ],
    /--discovery-url: must be at most 2048/,
  ],
  [
    "--allowed-audience of 4097 characters",
    [
      "--auth",
      "jwt",
      "--discovery-url",
      "https://x/.well-known/openid-configuration",
      "--allowed-audience",
      "a,".repeat(2049),
    ],
    /--allowed-audience: must be at most 4096/,
  ],
];

for (const [what, args, message] of TOO_LONG) {
  test(`a field has a limit: ${what}`, async () => {
    await refused(["long", ...args, ...QUIET], message);
  });
}
test("the limit counts characters, not UTF-16 units: 300 emoji make a description", async () => {
  const result = await run([join(work, "emoji"), "--description", "🎉".repeat(300), ...QUIET]);
  assert.equal(result.code, 0, result.stderr);
  const pyproject = parseToml(readFileSync(join(work, "emoji", "app", "emoji", "pyproject.toml"), "utf8")) as {
    project: { description: string };
  };
  assert.equal(pyproject.project.description, "🎉".repeat(300));
});
test("a preset's description of 2 MB is refused, naming the field", async () => {
  await refused(
    ["huge", "--preset", file(JSON.stringify({ description: "x".repeat(2 * 1024 * 1024) })), ...QUIET],
    /--preset \S+: "description": must be at most 300/,
  );
});
