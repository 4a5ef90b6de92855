import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gunzipSync } from "node:zlib";
import schema from "../schema/agentcore-template.schema.json" with { type: "json" };
import { parseFlags } from "../src/args.js";
import { builtinLayer } from "../src/builtin-layers.js";
import { FREE_TEXT_CONTEXT_KEYS, plan, projectLayers, TEMPLATE_CONTEXT_KEYS, templateContext } from "../src/plan.js";
import { presetAnswers } from "../src/preset.js";
import { choiceValues, visibleQuestions } from "../src/registry.js";
import { checkGivenAnswers, checkLocks, completeAnswers, parseAnswer, unanswered } from "../src/team/answers.js";
import { manifestSchema } from "../src/team/answers-schema.js";
import { type CheckScope, checkTemplateSource, type Shape, templateVariables } from "../src/team/check.js";
import { readTemplateFolder } from "../src/team/folder.js";
import { loadTeamTemplate, planExtension } from "../src/team/index.js";
import { parseManifest, type Question } from "../src/team/manifest.js";
import { fileSystemKey, projectPathProblem, sameFileClash } from "../src/team/paths.js";
import { compilePattern } from "../src/team/pattern.js";
import { ANNOTATION_KEYWORDS, CHECKED_KEYWORDS, checkSchema, type Schema } from "../src/team/schema-check.js";
import { parseSource } from "../src/team/source.js";
import { TemplateUnpacker } from "../src/team/tar.js";
import { readLayerSources, TEMPLATES_DIR } from "../src/template-folder.js";
import { validate } from "../src/validate.js";
import { jwtOptions, writeTemplateFolder } from "./fixtures.js";
import { type Entry, tarOf, templateEntries } from "./support/tar-builder.js";
import { gitTarballOf, tarballOf } from "./support/template-server.js";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "examples", "team-template");
const work = mkdtempSync(join(tmpdir(), "team-"));
after(() => rmSync(work, { recursive: true, force: true }));

// The manifest and its schema ------------------------------------------------------------------

test("the shipped schema uses only keywords the checker enforces, so it promises nothing the CLI skips", () => {
  const walk = (node: unknown, where: string) => {
    if (!node || typeof node !== "object" || Array.isArray(node)) return;
    for (const [key, value] of Object.entries(node)) {
      assert.ok(
        CHECKED_KEYWORDS.includes(key) || ANNOTATION_KEYWORDS.includes(key),
        `${where}: unsupported keyword ${key}`,
      );
      if (key === "properties" || key === "$defs")
        for (const [name, child] of Object.entries(value as object)) walk(child, `${where}.${key}.${name}`);
      else if (key === "items") walk(value, `${where}.items`);
    }
  };
  walk(schema, "schema");
});

test("the shipped schema is what the registry makes (npm run generate), so its choices are the CLI's", () => {
  assert.deepEqual(
    schema,
    manifestSchema(schema as Schema),
    "schema/agentcore-template.schema.json is out of date: run npm run generate",
  );
  const answers = (schema as Schema).$defs!.answers!.properties!;
  for (const entry of visibleQuestions().filter((question) => question.team && question.kind === "choice")) {
    assert.deepEqual(answers[entry.key]!.enum, choiceValues(entry.key), entry.key);
  }
  for (const key of Object.keys(answers))
    assert.doesNotThrow(
      () =>
        presetAnswers(
          {
            [key]: key.includes("allowed")
              ? ["a"]
              : typeof answers[key]!.type === "string" && answers[key]!.type === "boolean"
                ? true
                : "x",
          },
          "p",
        ),
      key,
    );
});

test("the example team template's manifest is valid", () => {
  const manifest = parseManifest(readFileSync(join(EXAMPLE, "agentcore-template.json"), "utf8"), "example");
  assert.equal(manifest.name, "acme-platform-agent");
  assert.deepEqual(manifest.locked, { region: "eu-central-1", auth: "iam" });
  assert.deepEqual(
    manifest.questions.map((question) => question.name),
    ["cost_center", "owner", "data_classification", "pager"],
  );
});

const BAD_MANIFESTS: [string, unknown, RegExp][] = [
  ["not an object", [], /t\.json: must be an object; got a list/],
  ["no version", { name: "x" }, /t\.json: "version" is required/],
  [
    "an unknown key",
    { name: "x", version: "1", extends: ["strands"] },
    /t\.json: unknown key "extends"; expected "\$schema", "name", "version"/,
  ],
  ["a bad name", { name: "Team Template", version: "1" }, /t\.json: name: "Team Template" does not match/],
  [
    "an unknown default",
    { name: "x", version: "1", defaults: { framwork: "strands" } },
    /t\.json: defaults: unknown key "framwork"/,
  ],
  [
    "a bad framework",
    { name: "x", version: "1", locked: { framework: "autogen" } },
    /t\.json: locked\.framework: must be one of "strands", "langgraph", "pydantic-ai", "crewai", "basic"; got "autogen"/,
  ],
  [
    "a key both suggested and locked",
    { name: "x", version: "1", defaults: { region: "eu-west-1" }, locked: { region: "eu-west-1" } },
    /t\.json: locked\.region: is also in defaults/,
  ],
  [
    "a question without a message",
    { name: "x", version: "1", questions: [{ name: "a", type: "text" }] },
    /t\.json: questions\[0\]: "message" is required/,
  ],
  [
    "an unknown question type",
    { name: "x", version: "1", questions: [{ name: "a", type: "number", message: "?" }] },
    /questions\[0\]\.type: must be one of "text", "select", "confirm"/,
  ],
  [
    "a select without options",
    { name: "x", version: "1", questions: [{ name: "a", type: "select", message: "?" }] },
    /questions\[0\]\.options: is required for a select question/,
  ],
  [
    "a default that is not an option",
    {
      name: "x",
      version: "1",
      questions: [{ name: "a", type: "select", message: "?", options: [{ value: "b" }], default: "c" }],
    },
    /questions\[0\]\.default: must be one of the options' values: b/,
  ],
  [
    "a text-only key on a confirm",
    { name: "x", version: "1", questions: [{ name: "a", type: "confirm", message: "?", pattern: "x" }] },
    /questions\[0\]\.pattern: is for text questions only/,
  ],
  [
    "a pattern that is not a regular expression",
    { name: "x", version: "1", questions: [{ name: "a", type: "text", message: "?", pattern: "(" }] },
    /questions\[0\]\.pattern: is not a regular expression/,
  ],
  [
    "a default that fails its own pattern",
    {
      name: "x",
      version: "1",
      questions: [{ name: "a", type: "text", message: "?", pattern: "[0-9]+", default: "abc" }],
    },
    /questions\[0\]\.default: must match \[0-9\]\+/,
  ],
  [
    "a question asked twice",
    {
      name: "x",
      version: "1",
      questions: [
        { name: "a", type: "confirm", message: "?" },
        { name: "a", type: "confirm", message: "?" },
      ],
    },
    /questions\[1\]\.name: "a" is asked twice/,
  ],
  [
    "a secret question",
    { name: "x", version: "1", questions: [{ name: "db_password", type: "text", message: "?" }] },
    /questions\[0\]\.name: "db_password" looks like a secret/,
  ],
  [
    "a requirement that is not one",
    { name: "x", version: "1", dependencies: ["--index-url http://evil"] },
    /dependencies\[0\]: .* does not match/,
  ],
];

for (const [what, data, message] of BAD_MANIFESTS) {
  test(`a manifest with ${what} is refused`, () => {
    assert.throws(() => parseManifest(JSON.stringify(data), "t.json"), message);
  });
}

test("the schema checker reports where and what", () => {
  const object: Schema = {
    type: "object",
    additionalProperties: false,
    required: ["a"],
    properties: { a: { type: "array", items: { type: "string", maxLength: 2 } } },
  };
  assert.equal(checkSchema({ a: ["ok", "long"] }, object), "a[1]: must be at most 2 characters");
  assert.equal(checkSchema({ a: [], b: 1 }, object), 'unknown key "b"; expected "a"');
  assert.equal(checkSchema({ a: ["x"] }, object), undefined);
  assert.throws(() => checkSchema(1, { oneOf: [] } as unknown as Schema), /unsupported keyword oneOf/);
});

// Where files land ------------------------------------------------------------------------------

test("a template's file may not land outside the project, in .git, or on a name Windows refuses", () => {
  for (const ok of ["README.md", ".github/CODEOWNERS", "src/pkg/__init__.py", ".env.example", ".gitignore"])
    assert.equal(projectPathProblem(ok), undefined, ok);
  const bad: [string, RegExp][] = [
    ["../x", /leads out of the project/],
    ["a/../../x", /leads out of the project/],
    ["/etc/passwd", /absolute/],
    ["C:/x", /absolute/],
    ["a//b", /empty or '\.' part/],
    ["./a", /empty or '\.' part/],
    [".git/hooks/pre-commit", /inside \.git/],
    ["sub/.GIT/config", /inside \.git/],
    ["NUL", /reserved on Windows/],
    ["docs/com1.txt", /reserved on Windows/],
    ["notes:v2.md", /invalid on Windows/],
    ["a\\b", /invalid on Windows/],
    ["trailing.", /ends in a dot or a space/],
    [".create-agentcore.json", /writes itself/],
  ];
  for (const [path, message] of bad) assert.match(projectPathProblem(path) ?? "", message, path);
  assert.deepEqual(sameFileClash(["README.md", "src/a.py", "readme.md"]), ["README.md", "readme.md"]);
  assert.equal(sameFileClash(["a", "b"]), undefined);
});

function folder(name: string, files: Record<string, string>, manifest: object = {}): string {
  return writeTemplateFolder(join(work, name), name, files, manifest);
}

test("reading a template folder: links inside are followed, links out, binaries and clashes are refused", () => {
  const inside = folder("links-inside", { "docs/real.md": "real\n" });
  symlinkSync("real.md", join(inside, "files", "docs", "alias.md"));
  assert.equal(readTemplateFolder(inside, "t").files.get("docs/alias.md"), "real\n");

  const out = folder("links-out", {});
  symlinkSync("/etc/hostname", join(out, "files", "hostname"));
  assert.throws(
    () => readTemplateFolder(out, "t"),
    /t\/files\/hostname: a symbolic link that points outside the template; refused/,
  );

  const binary = folder("binary", {});
  writeFileSync(join(binary, "files", "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]));
  assert.throws(() => readTemplateFolder(binary, "t"), /t\/files\/logo\.png: a binary file/);

  assert.throws(
    () => readTemplateFolder(folder("same-place", { _env: "a", ".env": "b" }), "t"),
    /lands on \.env, as files\/.* does/,
  );
  assert.throws(
    () => readTemplateFolder(folder("case", { "Notes.md": "a", "notes.md": "b" }), "t"),
    /are the same file on Windows and macOS/,
  );
  assert.throws(
    () => readTemplateFolder(folder("replaces-nothing", {}, { replaces: ["Dockerfile"] }), "t"),
    /replaces\[0\]: no file under files\/ lands on Dockerfile/,
  );
  assert.throws(() => readTemplateFolder(join(work, "absent"), "t"), /t: no such folder/);
});

test("the template's hash covers its manifest and files only", () => {
  const dir = folder("hashing", { "a.txt": "a\n" });
  const first = readTemplateFolder(dir, "t").sha256;
  writeFileSync(join(dir, "README.md"), "the template's own docs\n");
  assert.equal(readTemplateFolder(dir, "t").sha256, first, "a file beside files/ does not change the output");
  writeFileSync(join(dir, "files", "a.txt"), "b\n");
  assert.notEqual(readTemplateFolder(dir, "t").sha256, first, "a changed file changes the hash");
});

// Handlebars checks -----------------------------------------------------------------------------

const SCOPE: CheckScope = {
  variables: templateVariables(["region", "description", "jwt", "dependencies", "streaming"], ["description"]),
  questions: new Map([
    ["cost_center", "text"],
    ["owner", "select"],
    ["pager", "confirm"],
  ]),
  partials: new Set(["imports", "mine"]),
};

test("template checks accept what the built-in templates do", () => {
  const ok = [
    "{{region}} {{py description}} {{md team.cost_center}} {{team.owner}} {{#if team.pager}}x{{/if}}",
    "{{#each dependencies}}{{toml this}} {{@index}} {{../region}} {{@root.region}}{{/each}}",
    '{{#if (eq team.owner "payments")}}p{{else}}{{jwt.discoveryUrl}}{{/if}}',
    '{{> imports}}{{> mine}}{{!-- a comment --}}{{#*inline "local"}}x{{/inline}}{{> local}}',
    "{{template.name}} {{template.version}} {{#unless streaming}}sync{{/unless}}",
  ];
  for (const source of ok) assert.doesNotThrow(() => checkTemplateSource(source, "f.hbs", SCOPE), source);
});

test("template checks refuse unknown names, helpers, partials and unescaped typed text", () => {
  const bad: [string, RegExp][] = [
    ["{{regoin}}", /template f\.hbs: line 1: "regoin" is not defined/],
    [
      "\n\n{{md team.cost}}",
      /line 3: "team\.cost" is not defined: the template has the questions cost_center, owner, pager/,
    ],
    ["{{team.cost_center}}", /\{\{team\.cost_center\}\} is typed by a person: write it through the escaper/],
    ["{{description}}", /\{\{description\}\} is typed by a person/],
    ["{{template.author}}", /"template\.author" is not defined/],
    ["{{log region}}", /unknown helper log/],
    ['{{lookup team "owner"}}', /unknown helper lookup/],
    ["{{#each dependencies}}{{/with}}", /template f\.hbs: each doesn't match with/],
    ["{{#if streaming}}", /template f\.hbs: Parse error on line 1/],
    ["{{> missing}}", /unknown partial missing/],
    ["{{> mine region}}", /takes no arguments/],
    ["{{@foo}}", /@foo is not a variable/],
    ["{{../region}}", /goes above the top of the template/],
    ["{{#> mine}}x{{/mine}}", /PartialBlockStatement is not supported/],
    ["{{#each team}}{{this}}{{/each}}", /use the answers one at a time, team\.<name>/],
    ["{{#with description}}{{this}}{{/with}}", /unknown helper with/],
    ["{{#team.cost_center}}{{this}}{{/team.cost_center}}", /enters a value a person typed/],
    ["{{#description}}{{this}}{{/description}}", /enters a value a person typed/],
    [
      "{{#each dependencies}}{{#@root.description}}{{this}}{{/@root.description}}{{/each}}",
      /enters a value a person typed/,
    ],
  ];
  for (const [source, message] of bad)
    assert.throws(() => checkTemplateSource(source, "f.hbs", SCOPE), message, source);
});

test("the variables' shapes are what plan.ts puts in the context: lists are lists, jwt and apiKey are objects", () => {
  const options = jwtOptions({ provider: "openai" }); // jwt and apiKey both objects
  const context = templateContext(
    options,
    projectLayers(options).map((name) => builtinLayer(name)),
  );
  const shapes = templateVariables(TEMPLATE_CONTEXT_KEYS, FREE_TEXT_CONTEXT_KEYS);
  const matches = (shape: Shape, value: unknown, where: string): void => {
    if (shape === "typed" || shape === "safe") {
      assert.ok(["string", "boolean", "number"].includes(typeof value) || value === null, `${where}: a single value`);
    } else if ("list" in shape) {
      assert.ok(Array.isArray(value), `${where}: a list`);
      for (const item of value as unknown[]) matches(shape.list, item, `${where}[]`);
    } else {
      assert.deepEqual(Object.keys(value as object).sort(), Object.keys(shape.fields).sort(), where);
      for (const [key, field] of Object.entries(shape.fields))
        matches(field, (value as Record<string, unknown>)[key], `${where}.${key}`);
    }
  };
  for (const [key, shape] of shapes) matches(shape, context[key as keyof typeof context], key);
});

test("every built-in template passes the team-template checks, so the allow-list covers what they do", () => {
  const layers = readdirSync(TEMPLATES_DIR).map(
    (layer) => [layer, readLayerSources(join(TEMPLATES_DIR, layer))] as const,
  );
  const partials = new Set(layers.flatMap(([, sources]) => [...sources.partials.keys()]));
  const scope: CheckScope = {
    variables: templateVariables(TEMPLATE_CONTEXT_KEYS, FREE_TEXT_CONTEXT_KEYS),
    questions: new Map(),
    partials,
  };
  let checked = 0;
  for (const [layer, sources] of layers) {
    for (const [path, source] of [...sources.files, ...sources.partials]) {
      if (sources.files.has(path) && !path.endsWith(".hbs")) continue;
      assert.doesNotThrow(() => checkTemplateSource(source, `${layer}/${path}`, scope), `${layer}/${path}`);
      checked++;
    }
  }
  assert.ok(checked >= 10, `only ${checked} templates`);
});

test("patterns match as JavaScript's RegExp would, whole answer, in linear time", () => {
  const cases: [string, string[]][] = [
    ["CC-[0-9]{4}", ["CC-1234", "CC-12345", "cc-1234", ""]],
    ["a|b|cd", ["a", "b", "cd", "c", "ab"]],
    ["^x\\d?$", ["x", "x1", "x12"]],
    ["\\bfoo\\b.*", ["foo bar", "foobar"]],
    ["(?<pair>\\d{2}){1,3}", ["12", "1234", "123456", "12345678", "1"]],
    ["[^]*", ["anything é", ""]],
    ["[\\]a-]+", ["]a-", "b"]],
    ["\\p{L}+", ["héllo", "h3"]],
    ["\\uD83D\\uDE00+", ["😀😀", "😀x"]],
    ["\\u{1F600}?x", ["😀x", "x"]],
    ["(a*)*", ["", "aaa", "ab"]],
    ["(a|ab)(c|bcd)(d*)", ["abcd", "abcdd", "acd"]],
    ["x{2,}?", ["x", "xx", "xxxxx"]],
    [".", ["\n", "a", "😀"]],
    ["[a-z]+(?:-[a-z]+)*", ["my-agent", "my--agent", "-a"]],
  ];
  for (const [source, inputs] of cases) {
    const pattern = compilePattern(source);
    const expected = new RegExp(`^(?:${source})$`, "u");
    for (const input of inputs)
      assert.equal(pattern.test(input), expected.test(input), `${source} on ${JSON.stringify(input)}`);
  }
  for (const source of ["(a+)+b", "(a|a)*b", "(.*a){20}", "\\d*\\d*\\d*\\d*\\d*\\d*x", "(a?){30}a{30}"]) {
    const started = performance.now();
    compilePattern(source).test("a".repeat(1000));
    assert.ok(performance.now() - started < 1000, `${source}: ${Math.round(performance.now() - started)} ms`);
  }
  assert.throws(() => compilePattern("a{3000}"), /too large/);
  assert.throws(() => compilePattern("("), /is not a regular expression/);
});

test("git repositories and every name of .git and of the record are refused as landing places", () => {
  const bad: [string, RegExp][] = [
    ["HEAD", /named HEAD/],
    ["tools/head", /named HEAD/],
    ["HEAD/x", /named HEAD/],
    ["git~1/config", /inside \.git/],
    ["GIT~3/x", /inside \.git/],
    [".G\u200cIT/x", /invisible|inside \.git/],
    ["a\u202eb.md", /invisible/],
    ["a\u0085b.md", /invisible/],
    [".CREATE-AGENTCORE.JSON", /writes itself/],
    ["CREATE~1.JSO", /writes itself/],
  ];
  for (const [path, message] of bad) assert.match(projectPathProblem(path) ?? "", message, path);
  for (const ok of [
    "config/settings.yaml",
    "objects.py",
    "refs/README.md",
    "docs/headings.md",
    "sub/.create-agentcore.json",
  ])
    assert.equal(projectPathProblem(ok), undefined, ok);
  assert.deepEqual(sameFileClash(["caf\u00e9.md", "cafe\u0301.md"]), ["caf\u00e9.md", "cafe\u0301.md"]);
  assert.deepEqual(sameFileClash(["Docs/a.md", "docs/A.md"]), ["Docs/a.md", "docs/A.md"]);
  assert.equal(fileSystemKey(".G\u200cIT."), ".git");
});

// Sources ---------------------------------------------------------------------------------------

test("--template sources: built-in names, folders and remote references", () => {
  assert.deepEqual(parseSource("langgraph", "/base"), { kind: "builtin", given: "langgraph", framework: "langgraph" });
  assert.deepEqual(parseSource("./team", "/base"), { kind: "local", given: "./team", dir: "/base/team" });
  assert.deepEqual(parseSource("team", "/base"), { kind: "local", given: "team", dir: "/base/team" });
  const gh = parseSource("gh:acme/templates/agents/platform#v1.2.0", "/base");
  assert.deepEqual(gh, {
    kind: "remote",
    given: "gh:acme/templates/agents/platform#v1.2.0",
    provider: "github",
    prefix: "gh",
    tarball: `${process.env.GIGET_GITHUB_URL || "https://api.github.com"}/repos/acme/templates/tarball/v1.2.0`,
    ref: "v1.2.0",
    subdir: "agents/platform",
  });
  assert.equal((parseSource("github:acme/templates", "/") as { ref: string }).ref, "main");
  const gitlab = parseSource("gitlab:group/sub/repo::path/to#dev", "/") as { tarball: string; subdir: string };
  assert.match(gitlab.tarball, /\/group\/sub\/repo\/-\/archive\/dev\.tar\.gz$/);
  assert.equal(gitlab.subdir, "path/to");
  assert.equal(
    (parseSource("bitbucket:acme/t", "/") as { tarball: string }).tarball,
    "https://bitbucket.org/acme/t/get/main.tar.gz",
  );
  assert.equal(
    (parseSource("https://example.com/t.tar.gz", "/") as { tarball: string }).tarball,
    "https://example.com/t.tar.gz",
  );
  assert.equal(parseSource("http://127.0.0.1:8080/t.tgz", "/").kind, "remote");

  assert.throws(
    () => parseSource("http://example.com/t.tar.gz", "/"),
    /use https \(plain http is accepted only from this machine/,
  );
  assert.throws(
    () => parseSource("https://user:pass@example.com/t.tar.gz", "/"),
    /must not carry credentials .* GIGET_AUTH/,
  );
  assert.throws(
    () => parseSource("https://bucket.s3.amazonaws.com/t.tar.gz?X-Amz-Signature=abc", "/"),
    /"X-Amz-Signature" parameter looks like a credential/,
  );
  assert.throws(() => parseSource("git+ssh://git@example.com/t.git", "/"), /unsupported source "git\+ssh:"/);
  assert.throws(() => parseSource("gh:acme", "/"), /not a gh: reference/);
  assert.throws(() => parseSource("gh:acme/t/../x", "/"), /must not contain \. or \.\./);
});

/** Unpacks an archive (gzipped or not) as the fetch does, into a new folder; returns it and the commit. */
function unpacked(archive: Buffer, subdir = ""): { dir: string; commit?: string } {
  const dir = mkdtempSync(join(work, "unpacked-"));
  const unpacker = new TemplateUnpacker(join(dir, "template"), subdir);
  unpacker.write(archive[0] === 0x1f ? gunzipSync(archive) : archive);
  unpacker.end();
  return { dir: join(dir, "template"), ...(unpacker.commit && { commit: unpacker.commit }) };
}

test("the commit a git-archive tarball (GitHub's, GitLab's) was made from is read from its pax header", () => {
  const dir = folder("to-archive", { "a.txt": "a\n" });
  const { body, commit } = gitTarballOf(dir, "sub");
  assert.equal(unpacked(body, "sub").commit, commit);
  assert.equal(unpacked(tarOf(templateEntries())).commit, undefined);
});

test("tarball entries are read (long names, links) and ones that escape are refused", () => {
  const long = `${"deep/".repeat(25)}file.txt`;
  const dir = folder("to-tar", { [long]: "x\n", "a.txt": "a\n" });
  symlinkSync("a.txt", join(dir, "files", "alias.txt"));
  const out = unpacked(tarballOf(dir, "top")).dir;
  assert.equal(readFileSync(join(out, "files", long), "utf8"), "x\n", "a name longer than 100 bytes");
  assert.equal(readlinkSync(join(out, "files", "alias.txt")), "a.txt");
  assert.deepEqual([...readTemplateFolder(out, "t").files.keys()].sort(), ["a.txt", "alias.txt", long].sort());

  const refused = (entry: Entry, message: RegExp) =>
    assert.throws(() => unpacked(tarOf(templateEntries([entry]))), message, entry.path);
  refused({ path: "top/../../etc/cron.d/x" }, /would be written outside the template/);
  refused({ path: "/etc/passwd" }, /would be written outside the template/);
  refused(
    { path: "top/files/x", type: "2", linkpath: "/etc/passwd" },
    /"files\/x" is a link to "\/etc\/passwd", outside the template/,
  );
  refused({ path: "top/files/x", type: "2", linkpath: "../../../x" }, /outside the template/);
  assert.doesNotThrow(() =>
    unpacked(tarOf(templateEntries([{ path: "top/files/sub/x", type: "2", linkpath: "../y" }]))),
  );
  refused({ path: "top/files/dev", type: "3" }, /not a file, a folder or a link/);
});

// Answers ---------------------------------------------------------------------------------------

const QUESTIONS: Question[] = parseManifest(
  readFileSync(join(EXAMPLE, "agentcore-template.json"), "utf8"),
  "m",
).questions;

test("answers are checked per question type; unknown names are refused", () => {
  const [costCenter, owner, , pager] = QUESTIONS as [Question, Question, Question, Question];
  assert.deepEqual(parseAnswer(costCenter, "CC-1234"), { value: "CC-1234" });
  assert.deepEqual(parseAnswer(costCenter, "CC-12345"), { problem: "a cost center looks like CC-1234" });
  assert.deepEqual(parseAnswer(costCenter, "CC-1234\n"), {
    problem: "must be one line of text, without control characters",
  });
  assert.deepEqual(parseAnswer(owner, "search"), { value: "search" });
  assert.match(
    (parseAnswer(owner, "Search") as { problem: string }).problem,
    /must be one of payments, search, platform/,
  );
  assert.deepEqual(parseAnswer(pager, "yes"), { value: true });
  assert.deepEqual(parseAnswer(pager, "false"), { value: false });
  assert.throws(
    () => checkGivenAnswers(QUESTIONS, { owners: "x" }, "t", (name) => `--answer ${name}`),
    /--answer owners: the template t has no question "owners"/,
  );
  const given = checkGivenAnswers(QUESTIONS, { pager: "true", owner: "search" }, "t", (name) => name);
  assert.deepEqual(
    unanswered(QUESTIONS, given).map((question) => question.name),
    ["cost_center"],
  );
  // Complete, in the manifest's order whatever order the answers came in.
  assert.deepEqual(Object.entries(completeAnswers(QUESTIONS, { ...given, cost_center: "CC-1" })), [
    ["cost_center", "CC-1"],
    ["owner", "search"],
    ["data_classification", "internal"],
    ["pager", true],
  ]);
});

test("locks: the same value passes, another is an error naming the flag or the preset key", () => {
  const locked = { region: "eu-central-1", streaming: true, "allowed-clients": "a,b" };
  assert.doesNotThrow(() =>
    checkLocks(locked, "t", [{ flags: { region: "eu-central-1", "allowed-clients": "a, b" } }]),
  );
  assert.throws(
    () => checkLocks(locked, "t", [{ flags: { region: "us-east-1" } }]),
    /^Error: --region "us-east-1" contradicts the template t, which locks region to "eu-central-1"$/,
  );
  assert.throws(
    () => checkLocks(locked, "t", [{ flags: {} }, { flags: { streaming: false }, where: "--preset p.yaml" }]),
    /--preset p\.yaml: "streaming" false contradicts the template t, which locks streaming to true/,
  );
  assert.throws(() => checkLocks(locked, "t", [{ flags: { streaming: false } }]), /--no-streaming contradicts/);
});

// The plan --------------------------------------------------------------------------------------

test("a team template is the last layer: the same answers give the same bytes, and the record names it", async () => {
  const today = "2026-01-01";
  const team = await loadTeamTemplate(
    { kind: "local", given: "example", dir: EXAMPLE },
    { offline: true, env: {}, cacheDir: join(work, "cache"), timeoutMs: 1000, notice: () => {} },
  );
  const options = validate({ ...parseFlags(["demo"]), ...team.defaults, ...team.locked }, {}, today);
  const answers = completeAnswers(team.manifest.questions, { cost_center: "CC-1234" });
  const files = plan(options, planExtension(team, options, answers, "/abs/example"));
  const again = plan(options, planExtension(team, options, answers, "/abs/example"));
  assert.deepEqual(files, again, "deterministic");
  const paths = files.map((file) => file.path);
  for (const path of [
    ".github/CODEOWNERS",
    "Makefile",
    "PLATFORM.md",
    // The agent's own files, the template's among them, in the agent's folder (the AgentCore CLI's layout).
    "app/demo/tests/test_platform.py",
    "app/demo/agent.py",
    "app/demo/.env.example",
  ])
    assert.ok(paths.includes(path), path);
  const record = JSON.parse(files.find((file) => file.path === ".create-agentcore.json")!.contents);
  assert.equal(record.answers.template, "/abs/example");
  assert.equal(record.template.name, "acme-platform-agent");
  assert.equal(record.template.sha256, team.folder.sha256);
  assert.deepEqual(presetAnswers(record, "r").answer, {
    cost_center: "CC-1234",
    owner: "platform",
    data_classification: "internal",
    pager: "false",
  });
});
