import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Options } from "../src/options.js";

export const JWT = {
  discoveryUrl: "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Example/.well-known/openid-configuration",
  allowedClients: ["client-one", "client-two"],
  allowedAudience: ["api://agents"],
  allowedScopes: [],
};

/** Options as validate() would produce them for `my-agent --yes`, with overrides. */
export function options(overrides: Partial<Options> = {}): Options {
  return {
    directory: "my-agent",
    projectName: "my-agent",
    agentName: "my_agent",
    description: "An Amazon Bedrock AgentCore Runtime agent",
    framework: "strands",
    requestedModel: "anthropic.claude-haiku-5-5",
    inferenceProfile: "geo",
    skipModelCheck: false,
    modelId: "us.anthropic.claude-haiku-5-5",
    modelLabel: "Claude Haiku 5.5",
    modelNotes: ["using us.anthropic.claude-haiku-5-5 — Claude Haiku 5.5 is served in us-west-2 only through the US inference profile"],
    modelLifecycle: [],
    region: "us-west-2",
    auth: "iam",
    jwt: null,
    streaming: false,
    streamMode: "messages",
    asyncTask: false,
    account: null,
    ...overrides,
  };
}

/** Every combination the CLI accepts, named for snapshot files: framework-streaming-async-auth. */
export function everyCombination(): { name: string; options: Options }[] {
  const combinations: { name: string; options: Options }[] = [];
  for (const framework of ["basic", "strands", "langgraph"] as const) {
    for (const streaming of [false, true]) {
      const streamModes = framework === "langgraph" && streaming ? (["messages", "updates", "values"] as const) : (["messages"] as const);
      for (const streamMode of streamModes) {
        for (const asyncTask of [false, true]) {
          for (const auth of ["iam", "jwt"] as const) {
            const name = [
              framework,
              streaming ? (framework === "langgraph" ? `stream-${streamMode}` : "stream") : "sync",
              asyncTask ? "async" : "noasync",
              auth,
            ].join("-");
            combinations.push({
              name,
              options: options({ framework, streaming, streamMode, asyncTask, auth, jwt: auth === "jwt" ? JWT : null }),
            });
          }
        }
      }
    }
  }
  return combinations;
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
    if (entry.isFile()) files[relative(dir, join(entry.parentPath, entry.name))] = readFileSync(join(entry.parentPath, entry.name), "utf8");
  }
  return files;
}

/**
 * Asserts that `againDir` holds the same project as `firstDir` but for its name, which is
 * `againName` there and `name` in the first (as a directory name and, with "_", as a Python name).
 */
export function assertSameProjectButName(firstDir: string, name: string, againDir: string, againName: string): void {
  const first = readTree(firstDir);
  const second = readTree(againDir);
  assert.deepEqual(Object.keys(second).sort(), Object.keys(first).sort());
  const snake = (text: string) => text.replaceAll("-", "_");
  for (const path of Object.keys(first)) {
    assert.equal(second[path]!.replaceAll(againName, name).replaceAll(snake(againName), snake(name)), first[path], path);
  }
}

/** Writes a minimal team template folder at `dir`: its manifest (`manifest` merged in) and `files` (path → text). */
export function writeTemplateFolder(dir: string, name: string, files: Record<string, string>, manifest: object = {}): string {
  mkdirSync(join(dir, "files"), { recursive: true });
  writeFileSync(join(dir, "agentcore-template.json"), JSON.stringify({ name, version: "0.0.1", ...manifest }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, "files", path, ".."), { recursive: true });
    writeFileSync(join(dir, "files", path), text);
  }
  return dir;
}
