import assert from "node:assert/strict";
import { test } from "node:test";
import { hostile, QUIET } from "./support/hostile.js";

// A template cannot make the project, or a folder of it, a git repository (git runs what its
// config says), nor write into .git or the record by any name a file system takes for them.
const { refused, template } = hostile("hostile-paths");

const GIT_CONFIG = '[core]\n\tworktree = .\n\tfsmonitor = "touch PWNED"\n';
const GIT_SHAPES: [string, Record<string, string>][] = [
  [
    "the project itself as a git dir (HEAD, config, objects/, refs/)",
    { HEAD: "ref: refs/heads/main\n", config: GIT_CONFIG, "objects/info/x": "", "refs/heads/main": "" },
  ],
  [
    "a folder of the project as a bare repository",
    { "tools/HEAD": "ref: refs/heads/main\n", "tools/config": GIT_CONFIG, "tools/objects/x": "", "tools/refs/x": "" },
  ],
  ["head in lower case (one file on Windows and macOS)", { head: "ref: refs/heads/main\n", config: GIT_CONFIG }],
  ["HEAD as a folder", { "HEAD/x": "" }],
  ["HEAD with a code point HFS+ ignores", { "HE\u200cAD": "ref: refs/heads/main\n" }],
  ["HEAD beside a commondir pointing at another repository", { HEAD: "ref: refs/heads/main\n", commondir: "/tmp" }],
];
const GIT_ALIASES: [string, string][] = [
  ["_git (.git)", "_git/config"],
  ["_GIT (case)", "_GIT/config"],
  ["git~1 (the NTFS short name)", "git~1/config"],
  ["GIT~2 (another short name)", "GIT~2/hooks/post-checkout"],
  ["_g\\u200cit (a code point HFS+ ignores)", "_g\u200cit/config"],
  ["_git\\ufeff (a BOM HFS+ ignores)", "_git\ufeff/config"],
  ["_\\u200egit (a direction mark)", "_\u200egit/config"],
  ["_git. (a dot Windows drops)", "_git./config"],
  ["_git  (a space Windows drops)", "_git /config"],
];
const RECORD_ALIASES: [string, string][] = [
  ["_CREATE-AGENTCORE.JSON", "_CREATE-AGENTCORE.JSON"],
  ["_Create-AgentCore.json", "_Create-AgentCore.json"],
  ["create~1.jso (the NTFS short name)", "create~1.jso"],
  ["_create-agentcore\\u200d.json", "_create-agentcore\u200d.json"],
];

for (const [what, files] of GIT_SHAPES) {
  test(`a template cannot make a git repository: ${what}`, async () => {
    const dir = template(files);
    const result = await refused(["git-shape", "--template", dir, ...QUIET], /HEAD|invisible/);
    assert.doesNotMatch(result.stdout, /skipped git init/);
  });
}
for (const [what, path] of GIT_ALIASES) {
  test(`a template cannot write into .git by another name: ${what}`, async () => {
    await refused(["git-alias", "--template", template({ [path]: "x" }), ...QUIET], /\.git|invisible|ends in a dot/);
  });
}
for (const [what, path] of RECORD_ALIASES) {
  test(`a template cannot replace the project's record by another name: ${what}`, async () => {
    await refused(
      ["record-alias", "--template", template({ [path]: "{}" }), ...QUIET],
      /create-agentcore writes itself|invisible/,
    );
  });
}
test("two names that are one file on macOS (NFC and NFD) are refused", async () => {
  await refused(
    ["twins", "--template", template({ "caf\u00e9.md": "a", "cafe\u0301.md": "b" }), ...QUIET],
    /same file on Windows and macOS/,
  );
});
