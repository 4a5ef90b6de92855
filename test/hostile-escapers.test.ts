import assert from "node:assert/strict";
import { test } from "node:test";
import { hostile, QUIET } from "./support/hostile.js";

// Text a person typed reaches a file only through its escaper, whatever context the expression is
// written in (each over @root or this, blocks that keep the context, block parameters, partials).
const { run, refused, template } = hostile("hostile-escapers");

const INJECTION = '";__import__("os").system("touch PWNED");"';
const BYPASSES: [string, string][] = [
  ["each over @root, then each over this", "{{#each @root}}{{#each this}}{{this}}{{/each}}{{/each}}"],
  ["each over this at the top", "{{#each this}}{{#each this}}{{this}}{{/each}}{{/each}}"],
  ["each over . at the top", "{{#each .}}{{#each .}}{{.}}{{/each}}{{/each}}"],
  [
    "each over ../this from a list",
    "{{#each dependencies}}{{#each ../this}}{{#each this}}{{this}}{{/each}}{{/each}}{{/each}}",
  ],
  ["each over @root with a block parameter", "{{#each @root as |value|}}{{#each value}}{{this}}{{/each}}{{/each}}"],
  ["a boolean block that keeps the context", "{{#streaming}}{{team.who}}{{/streaming}}"],
  ["each over @root inside an if", "{{#if streaming}}{{#each @root}}{{#each this}}{{this}}{{/each}}{{/each}}{{/if}}"],
  [
    "each over @root inside each over a list",
    "{{#each dependencies}}{{#each @root}}{{#each this}}{{this}}{{/each}}{{/each}}{{/each}}",
  ],
  [
    "a block on the template object, then each over @root",
    "{{#template}}{{#each @root}}{{#each this}}{{this}}{{/each}}{{/each}}{{/template}}",
  ],
  [
    "an inline partial defined in a list, used at the top",
    '{{#each dependencies}}{{#*inline "p"}}{{this}}{{/inline}}{{/each}}{{#each @root}}{{> p}}{{/each}}',
  ],
];

for (const [what, source] of BYPASSES) {
  test(`a typed answer cannot skip its escaper: ${what}`, async () => {
    const dir = template(
      { "inject.py.hbs": `X = "${source}"\n` },
      { questions: [{ name: "who", type: "text", message: "Who?" }] },
    );
    await refused(
      ["bypass", "--template", dir, "--answer", `who=${INJECTION}`, "--streaming", ...QUIET],
      /inject\.py\.hbs: line 1: .*(typed|one at a time|block parameters)/,
    );
  });
}
test("what the built-in templates do, and {{json @root}}, still pass the escaper check", async () => {
  const dir = template(
    {
      "OK.md.hbs":
        "{{#each dependencies}}{{toml this}} {{@index}} {{../region}}{{/each}}{{#if jwt}}{{#each jwt.allowedClients}}{{yaml this}}{{/each}}{{/if}}{{#each modelNotes}}{{md this}}{{/each}}{{json @root}}{{#streaming}}{{region}}{{/streaming}}{{md team.who}}",
    },
    { questions: [{ name: "who", type: "text", message: "Who?", default: "me" }] },
  );
  const result = await run(["checked-ok", "--template", dir, ...QUIET]);
  assert.equal(result.code, 0, result.stderr);
});
