import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import {
  dockerfileString,
  markdownText,
  pythonString,
  shellWord,
  terminalText,
  tomlString,
  yamlString,
} from "../src/escape.js";
import { HOSTILE } from "./fixtures.js";

test("Python string literals parse back to the same value", () => {
  const program = HOSTILE.map((value) => `print(json.dumps(${pythonString(value)}))`).join("\n");
  const output = execFileSync("python3", ["-c", `import json\n${program}`], { encoding: "utf8" });
  const values = output
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as string);
  // Even the lone surrogate survives: the literal carries it as the escape \ud800.
  assert.deepEqual(values, HOSTILE);
});

test("TOML basic strings parse back to the same value", () => {
  for (const value of HOSTILE.filter((v) => !/[\ud800-\udfff]/.test(v))) {
    const parsed = parseToml(`key = ${tomlString(value)}\n`) as { key: string };
    assert.equal(parsed.key, value);
  }
});

test("YAML double-quoted scalars parse back to the same value, as values and as keys", () => {
  for (const value of HOSTILE.filter((v) => !/[\ud800-\udfff]/.test(v))) {
    const parsed = parseYaml(`${yamlString(value)}:\n  key: ${yamlString(value)}\n`) as Record<string, { key: string }>;
    assert.deepEqual(Object.keys(parsed), [value]);
    assert.equal(parsed[value]!.key, value);
  }
});

test("every escaped literal is one line, so no input can add a line of its own", () => {
  for (const value of HOSTILE) {
    for (const escaper of [pythonString, tomlString, yamlString, dockerfileString, markdownText]) {
      assert.doesNotMatch(escaper(value), /[\n\r\u2028\u2029]/, `${escaper.name}(${JSON.stringify(value)})`);
    }
  }
});

test("shell words reach a command as exactly the given argument", () => {
  const safe = HOSTILE.filter((value) => !/[\u0000\ud800-\udfff]/.test(value));
  const script = safe.map((value) => `printf '%s\\0' ${shellWord(value)}`).join("\n");
  const output = execFileSync("sh", ["-c", script], { encoding: "utf8" });
  assert.deepEqual(output.split("\0").slice(0, -1), safe);
});

test("shell words stay bare when they need no quotes", () => {
  assert.equal(shellWord("us.anthropic.claude-haiku-5-5"), "us.anthropic.claude-haiku-5-5");
  assert.equal(shellWord("it's"), `'it'\\''s'`);
});

test("Dockerfile strings cannot expand variables", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a Dockerfile would expand
  assert.equal(dockerfileString("a$HOME${PATH}"), '"a\\$HOME\\${PATH}"');
});

test("Markdown text carries no HTML, link, emphasis or block syntax", () => {
  const text = markdownText(`<script>x</script> **bold** [a](b) \`code\` # h`);
  assert.doesNotMatch(text, /<|(?<!\\)[*[\]`#]/);
  assert.equal(markdownText("- item"), "\\- item");
  assert.equal(markdownText("1. item"), "1\\. item");
  assert.equal(markdownText("a & b"), "a &amp; b");
});

test("terminal text: every character that could steer a terminal is shown escaped, the rest kept", () => {
  const steering = [
    "\u001b[2J",
    "\u001b]0;title\u0007",
    "\u009b2J",
    "\r",
    "\b",
    "\n",
    "\u0000",
    "\u007f",
    "\u0085",
    "\u202e",
    "\u2066",
    "\u200e",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ud800",
    "\udc00",
  ];
  for (const text of steering) {
    const shown = terminalText(`a${text}b`);
    assert.doesNotMatch(
      shown,
      /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]|\p{Cs}/u,
      JSON.stringify(text),
    );
    assert.match(shown, /\\u\{[0-9a-f]+\}/, JSON.stringify(text));
  }
  for (const kept of ["plain ASCII", "é ü 中文", "🎉 👨‍👩‍👧 (a ZWJ sequence)", "می‌خواهم (a ZWNJ)", "tab-free"])
    assert.equal(terminalText(kept), kept);
  assert.equal(terminalText("\u001b[31mred"), "\\u{1b}[31mred");
});
