import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { everyCombination as combinations } from "../src/combinations.js";
import type { Options } from "../src/options.js";
import type { Answers } from "../src/registry.js";
import { validate } from "../src/validate.js";

export const JWT = {
  discoveryUrl: "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Example/.well-known/openid-configuration",
  allowedClients: ["client-one", "client-two"],
  allowedAudience: ["api://agents"],
  allowedScopes: [],
};

/** The day the tests are as of: the resolver's warnings depend on the date. */
export const TODAY = "2026-11-29";

/** The answers of `my-agent --yes --region us-west-2`. */
const BASE: Answers = { directory: "my-agent", region: "us-west-2" };

/** Options as validate() makes them for `my-agent --yes --region us-west-2` and `answers`, with overrides. */
export function options(overrides: Partial<Options> = {}, answers: Answers = {}): Options {
  return { ...validate({ ...BASE, ...answers }, {}, TODAY), ...overrides };
}

/** Options with JWT auth and the example authorizer settings above. */
export function jwtOptions(overrides: Partial<Options> = {}): Options {
  return options({ auth: "jwt", ...JWT, ...overrides });
}

/** Every combination the CLI accepts (src/combinations.ts), as validate() makes its options. */
export function everyCombination(): { name: string; options: Options }[] {
  return combinations().map(({ name, answers }) => ({ name, options: options({}, answers as Answers) }));
}

/** Strings a user could type, or paste, that break a naive template. */
export const HOSTILE = [
  `plain`,
  `quote " and ' and \\ backslash`,
  `"""triple"""`,
  `'''triple'''`,
  `new\nline and\r\ncarriage`,
  `tab\there`,
  `{{handlebars}} and \${shell} and $(rm -rf /) and \`backticks\``,
  `yaml: # comment\n- list\n? key\n&anchor *alias !tag`,
  `toml = "x"\n[section]\n`,
  `<script>alert(1)</script> & [link](javascript:alert(1)) ![img](x) # heading`,
  `unicode: é ü 中文 🎉 \u00a0nbsp`,
  `controls: \u0000\u0001\u001b[31m\u007f\u0085\u2028\u2029\ufeff`,
  `lone surrogate \ud800 end`,
  `\\u0041 looks like an escape`,
  `--flag-looking`,
  ``,
];

/** Every file under `dir`, by path relative to it, with its contents: to compare generated trees. */
export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[relative(dir, join(entry.parentPath, entry.name))] = readFileSync(
        join(entry.parentPath, entry.name),
        "utf8",
      );
  }
  return files;
}

/**
 * Asserts that `againDir` holds the same project as `firstDir` but for its name, which is
 * `againName` there and `name` in the first (as a directory name, with "_" as a Python name, and
 * without other characters as the AgentCore CLI's project name).
 */
export function assertSameProjectButName(firstDir: string, name: string, againDir: string, againName: string): void {
  const snake = (text: string) => text.replaceAll("-", "_");
  const alphanumeric = (text: string) => text.replace(/[^A-Za-z0-9]/g, "");
  // The name is in paths too (app/<agent>/), as a Python name; in contents as written, as a
  // Python name and as the AgentCore CLI's project name (letters and digits).
  const renamed = (text: string) =>
    text
      .replaceAll(againName, name)
      .replaceAll(snake(againName), snake(name))
      .replaceAll(alphanumeric(againName), alphanumeric(name));
  const first = readTree(firstDir);
  const second = Object.fromEntries(Object.entries(readTree(againDir)).map(([path, text]) => [renamed(path), text]));
  assert.deepEqual(Object.keys(second).sort(), Object.keys(first).sort());
  for (const path of Object.keys(first)) assert.equal(renamed(second[path]!), first[path], path);
}

/** Writes a minimal team template folder at `dir`: its manifest (`manifest` merged in) and `files` (path → text). */
export function writeTemplateFolder(
  dir: string,
  name: string,
  files: Record<string, string>,
  manifest: object = {},
): string {
  mkdirSync(join(dir, "files"), { recursive: true });
  writeFileSync(join(dir, "agentcore-template.json"), JSON.stringify({ name, version: "0.0.1", ...manifest }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, "files", path, ".."), { recursive: true });
    writeFileSync(join(dir, "files", path), text);
  }
  return dir;
}
