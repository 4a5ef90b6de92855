import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readTree, writeTemplateFolder } from "./fixtures.js";
import { gitTarballOf, startTemplateServer, type TemplateServer, tarballOf } from "./support/template-server.js";

// Team templates end to end, through the built CLI (dist/) with no terminal: a local folder, the
// example in examples/team-template, templates served by a loopback HTTP server (public,
// private, missing, hanging), the cache and --offline, presets, and regeneration from a
// project's record. Nothing here reaches the internet.
const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "index.cjs");
const EXAMPLE = join(ROOT, "examples", "team-template");
const work = mkdtempSync(join(tmpdir(), "team-cli-"));
const cache = join(work, "cache");
const TOKEN = "s3cr3t-template-token-0123456789";
let server: TemplateServer;

before(async () => {
  server = await startTemplateServer();
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process, which serves the templates. */
function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: options.cwd ?? work,
        env: {
          ...process.env,
          AWS_REGION: "",
          AWS_DEFAULT_REGION: "",
          GIGET_AUTH: "",
          CREATE_AGENTCORE_CACHE_DIR: cache,
          GIGET_GITHUB_URL: server.origin,
          ...options.env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function record(dir: string) {
  return JSON.parse(readFileSync(join(dir, ".create-agentcore.json"), "utf8"));
}

const QUIET = ["--no-git", "--no-install"];
const EXAMPLE_ANSWERS = ["--answer", "cost_center=CC-4242", "--answer", "owner=payments"];

/** A failed run: exit 2, one error line matching `message`, and nothing written in `cwd`. */
async function refused(
  args: string[],
  message: RegExp,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  const cwd = options.cwd ?? work;
  const before = readdirSync(cwd).sort();
  const result = await run(args, options);
  assert.equal(result.code, 2, `expected exit 2: ${result.stdout}${result.stderr}`);
  assert.match(result.stderr, message);
  assert.match(result.stderr, /create-agentcore: error: [^\n]+\n$/, "one error line");
  assert.deepEqual(readdirSync(cwd).sort(), before, "nothing written");
  return result;
}

for (const deploy of ["agentcore-cli", "starter-toolkit"]) {
  test(`a local template: its locks, defaults, questions and files make the project, and the record names it (${deploy})`, async () => {
    // No --no-install: a team template still does not run uv sync unless asked (--install).
    // Later tests compare their projects with this one (the default target's).
    const name = deploy === "agentcore-cli" ? "local-example" : "local-example-toolkit";
    const result = await run([
      name,
      "--template",
      EXAMPLE,
      ...EXAMPLE_ANSWERS,
      "--deploy",
      deploy,
      "--yes",
      "--no-git",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^template: acme-platform-agent 1\.0\.0 from /m);
    const dir = join(work, name);
    const files = readTree(dir);
    // The agent's own files are in its folder; the template's project files at the root.
    const agent = deploy === "agentcore-cli" ? `app/${name.replaceAll("-", "_")}/` : "";
    // Locked region and auth; the template's default framework and streaming.
    if (deploy === "agentcore-cli") {
      const runtime = JSON.parse(files["agentcore/agentcore.json"]!).runtimes[0];
      assert.deepEqual(runtime.envVars[1], { name: "AWS_REGION", value: "eu-central-1" });
      assert.equal(runtime.authorizerType, undefined, "auth is locked to IAM");
    } else {
      assert.match(files[".bedrock_agentcore.yaml"]!, /region: "eu-central-1"/);
      assert.ok(!files[".bedrock_agentcore.yaml"]!.includes("authorizer_configuration"), "auth is locked to IAM");
    }
    assert.match(files[`${agent}agent.py`]!, /strands/i);
    assert.ok(files[`${agent}tests/test_streaming.py`], "the template's default turns streaming on");
    assert.ok(files[`${agent}tests/test_platform.py`], "the template's test is beside the agent's");
    // The answers reach the template's files; one built-in file is replaced, as the manifest says.
    assert.match(files[`${agent}.env.example`]!, /^ACME_COST_CENTER=CC-4242$/m);
    assert.match(files[".github/CODEOWNERS"]!, /@acme\/payments-agents/);
    assert.match(files["PLATFORM.md"]!, /acme-platform-agent 1\.0\.0/);
    assert.ok(files.Makefile?.includes("\tcd $(AGENT) && uv run pytest"), "the Makefile keeps its tabs");
    assert.match(files[`${agent}pyproject.toml`]!, /"python-dotenv>=1\.0,<2"/);
    const recorded = record(dir);
    assert.deepEqual(Object.keys(recorded.template), ["name", "version", "sha256"]);
    assert.equal(recorded.answers.template, EXAMPLE);
    assert.deepEqual(recorded.answers.answer, {
      cost_center: "CC-4242",
      owner: "payments",
      data_classification: "internal",
      pager: false,
    });
    assert.match(
      result.stdout,
      deploy === "agentcore-cli"
        ? /^skipped uv sync and npm install: they would run the team template's build and dependencies; review pyproject\.toml and agentcore\/cdk\/package\.json/m
        : /^skipped uv sync: it would run the team template's build/m,
    );
  });
}

test("a flag or a preset that contradicts a lock is refused, naming both", async () => {
  await refused(
    ["locked", "--template", EXAMPLE, ...EXAMPLE_ANSWERS, "--region", "us-west-2", "--yes", ...QUIET],
    /--region "us-west-2" contradicts the template .* which locks region to "eu-central-1"/,
  );
  writeFileSync(join(work, "jwt.json"), JSON.stringify({ auth: "jwt" }));
  await refused(
    ["locked", "--template", EXAMPLE, "--preset", "jwt.json", ...EXAMPLE_ANSWERS, "--yes", ...QUIET],
    /--preset jwt\.json: "auth" "jwt" contradicts the template .* which locks auth to "iam"/,
  );
});

test("the template's questions: missing, unknown and invalid answers are refused like missing flags", async () => {
  await refused(
    ["q", "--template", EXAMPLE, "--yes", ...QUIET],
    /no terminal to ask questions: give --answer cost_center=…; the template .* has no default for that question/,
  );
  await refused(
    ["--template", EXAMPLE, "--framework", "strands", ...QUIET],
    /no terminal to ask questions: give <directory> and --answer cost_center=…/,
  );
  await refused(
    ["q", "--template", EXAMPLE, "--answer", "cost_center=1234", "--yes", ...QUIET],
    /--answer cost_center: a cost center looks like CC-1234/,
  );
  await refused(
    ["q", "--template", EXAMPLE, "--answer", "owner=sales", "--answer", "cost_center=CC-1111", "--yes", ...QUIET],
    /--answer owner: must be one of payments, search, platform; got "sales"/,
  );
  await refused(
    ["q", "--template", EXAMPLE, "--answer", "costcenter=CC-1111", "--yes", ...QUIET],
    /--answer costcenter: the template .* has no question "costcenter"; its questions are cost_center, owner/,
  );
  await refused(
    ["q", "--answer", "cost_center=CC-1111", "--yes", ...QUIET],
    /--answer answers a team template's questions: give --template with it/,
  );
});

test("--dry-run lists a template's files and writes nothing", async () => {
  const result = await run(["dry", "--template", EXAMPLE, ...EXAMPLE_ANSWERS, "--yes", "--dry-run"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ {2}\.github\/CODEOWNERS +\d+ B$/m);
  assert.equal(existsSync(join(work, "dry")), false);
});

test("a built-in name is the framework's template; it cannot contradict --framework", async () => {
  const result = await run(["builtin-name", "--template", "langgraph", "--yes", ...QUIET]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(record(join(work, "builtin-name")).answers.framework, "langgraph");
  assert.equal(record(join(work, "builtin-name")).template, "built-in");
  await refused(
    ["x", "--template", "langgraph", "--framework", "basic", "--yes"],
    /--template langgraph and --framework basic contradict each other/,
  );
});

/** A minimal template folder with `files` (path → text) and a manifest with `manifest` merged in. */
function template(name: string, files: Record<string, string>, manifest: object = {}): string {
  return writeTemplateFolder(join(work, "templates", name), name, files, manifest);
}

const BAD_TEMPLATES: [string, () => string, RegExp][] = [
  [
    "a file that lands outside the project (_. becomes ..)",
    () => template("escape-dots", { "_./_./escaped.txt": "x" }),
    /files\/_\.\/_\.\/escaped\.txt: would be written to "\.\.\/\.\.\/escaped\.txt", a path that leads out of the project/,
  ],
  [
    "a symbolic link pointing out of the template",
    () => {
      const dir = template("escape-link", {});
      writeFileSync(join(work, "outside-secret.txt"), "not yours\n");
      symlinkSync(join(work, "outside-secret.txt"), join(dir, "files", "innocent.txt"));
      return dir;
    },
    /files\/innocent\.txt: a symbolic link that points outside the template; refused/,
  ],
  [
    "a file in .git, where git would run it",
    () => template("git-hook", { "_git/hooks/pre-commit": "#!/bin/sh\necho owned\n" }),
    /would be written to "\.git\/hooks\/pre-commit", a path inside \.git/,
  ],
  [
    "a name Windows cannot create",
    () => template("windows", { "docs/aux.md": "x" }),
    /files\/docs\/aux\.md: .*reserved on Windows/,
  ],
  [
    "a name with a character Windows refuses",
    () => template("windows-char", { "what?.md": "x" }),
    /invalid on Windows/,
  ],
  [
    "a file that would overwrite the record",
    () => template("record", { "_create-agentcore.json": "{}" }),
    /\.create-agentcore\.json, which create-agentcore writes itself/,
  ],
  [
    "a variable that is not defined",
    () => template("undefined-var", { "NOTES.md.hbs": "# {{md projectName}}\n{{costCenter}}\n" }),
    /template .*files\/NOTES\.md\.hbs: line 2: "costCenter" is not defined/,
  ],
  [
    "a question that does not exist",
    () => template("undefined-answer", { "NOTES.md.hbs": "{{md team.cost}}\n" }),
    /NOTES\.md\.hbs: line 1: "team\.cost" is not defined: the template has no questions/,
  ],
  [
    "a typed answer written without an escaper",
    () =>
      template(
        "unescaped",
        { "NOTES.md.hbs": "{{team.who}}\n" },
        { questions: [{ name: "who", type: "text", message: "Who?" }] },
      ),
    /\{\{team\.who\}\} is typed by a person: write it through the escaper for its format, \{\{py team\.who\}\}/,
  ],
  [
    "a Handlebars syntax error",
    () => template("syntax", { "NOTES.md.hbs": "{{#if streaming}}\nopen block\n" }),
    /template .*files\/NOTES\.md\.hbs: Parse error on line 3/,
  ],
  [
    "a helper templates cannot call",
    () => template("helper", { "NOTES.md.hbs": "{{log region}}\n" }),
    /NOTES\.md\.hbs: line 1: unknown helper log/,
  ],
  [
    "an unknown manifest key",
    () => template("unknown-key", {}, { extends: ["strands"] }),
    /agentcore-template\.json: unknown key "extends"; expected "\$schema", "name"/,
  ],
  [
    "an unknown answer key in defaults",
    () => template("unknown-default", {}, { defaults: { regoin: "eu-west-1" } }),
    /agentcore-template\.json: defaults: unknown key "regoin"/,
  ],
  [
    "a default that is not valid",
    () => template("bad-default", {}, { locked: { region: "mars-1" } }),
    /agentcore-template\.json: locked\.region: "mars-1" is not an AWS region name/,
  ],
  [
    "a question that asks for a secret",
    () => template("secret", {}, { questions: [{ name: "api_key", type: "text", message: "Key?" }] }),
    /questions\[0\]\.name: "api_key" looks like a secret; templates cannot ask for secrets/,
  ],
  [
    "a built-in file replaced without saying so",
    () => template("silent-replace", { "{{agentDir}}/Dockerfile": "FROM scratch\n" }),
    /files\/\{\{agentDir\}\}\/Dockerfile: would replace the built-in app\/bad\/Dockerfile; if that is meant, list it in "replaces"/,
  ],
  [
    "a folder with no manifest",
    () => {
      mkdirSync(join(work, "templates", "no-manifest", "files"), { recursive: true });
      return join(work, "templates", "no-manifest");
    },
    /no agentcore-template\.json at its root/,
  ],
];

for (const [what, make, message] of BAD_TEMPLATES) {
  test(`refused before anything is written: ${what}`, async () => {
    const dir = make();
    await refused(["bad", "--template", dir, "--yes", ...QUIET], message);
  });
}

// Remote templates ------------------------------------------------------------------------------

function serveExample(path: string, options: { token?: string; denied?: 401 | 404 } = {}): string {
  server.routes.set(path, { body: tarballOf(EXAMPLE), ...options });
  return `${server.origin}${path}`;
}

test("a template served as a tarball over HTTP is fetched, cached, and recorded by its URL", async () => {
  const url = serveExample("/acme/agent-template-1.0.0.tar.gz");
  const result = await run(["served", "--template", url, ...EXAMPLE_ANSWERS, "--yes", ...QUIET]);
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stdout, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|\u001b/, "a spinner or colour with no terminal");
  const local = readTree(join(work, "local-example"));
  const served = readTree(join(work, "served"));
  // The same template makes the same files; only the record's template source and names differ.
  // (The agent's folder is named after the project: app/served/ and app/local_example/.)
  for (const path of [".env.example", "agent.py"]) {
    assert.equal(served[`app/served/${path}`], local[`app/local_example/${path}`], path);
  }
  for (const path of [".github/CODEOWNERS", "Makefile", "PLATFORM.md"]) {
    assert.equal(
      served[path]?.replaceAll("served", "local_example"),
      local[path]?.replaceAll("local-example", "local_example"),
      path,
    );
  }
  assert.equal(record(join(work, "served")).answers.template, url);
  assert.equal(record(join(work, "served")).template.sha256, record(join(work, "local-example")).template.sha256);
  assert.ok(readdirSync(join(cache, "templates")).length >= 1, "the template is cached");
});

test("a served template with a symbolic link pointing out of it is refused", async () => {
  const dir = template("served-link", {});
  symlinkSync("../../../../../../../../etc/passwd", join(dir, "files", "passwd.txt"));
  server.routes.set("/link.tar.gz", { body: tarballOf(dir) });
  await refused(
    ["served-link", "--template", `${server.origin}/link.tar.gz`, "--yes", ...QUIET],
    /link\.tar\.gz: "files\/passwd\.txt" is a link to "(\.\.\/)+etc\/passwd", outside the template; refused/,
  );
});

test("gh: references resolve through GitHub's tarball API, and record the ref and the commit", async () => {
  const { body, commit } = gitTarballOf(EXAMPLE, "platform");
  server.routes.set("/repos/acme/templates/tarball/v1", { body });
  const result = await run([
    "from-gh",
    "--template",
    "gh:acme/templates/platform#v1",
    ...EXAMPLE_ANSWERS,
    "--yes",
    ...QUIET,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    new RegExp(
      `template: acme-platform-agent 1\\.0\\.0 from gh:acme/templates/platform#v1 \\(commit ${commit.slice(0, 12)}\\)`,
    ),
  );
  const recorded = record(join(work, "from-gh"));
  assert.equal(recorded.template.ref, "v1");
  assert.equal(recorded.template.commit, commit);
  assert.equal(recorded.answers.template, "gh:acme/templates/platform#v1");
});

test("a private template: refused without its token, made with it, and the token is written nowhere", async () => {
  const url = serveExample("/private/template.tar.gz", { token: TOKEN });
  await refused(
    ["private", "--template", url, ...EXAMPLE_ANSWERS, "--yes", ...QUIET],
    /127\.0\.0\.1:\d+ needs a token \(HTTP 401\); set GIGET_AUTH to one that can read it/,
  );
  await refused(
    ["private", "--template", url, ...EXAMPLE_ANSWERS, "--yes", ...QUIET],
    /refused the token in GIGET_AUTH \(HTTP 401\)/,
    { env: { GIGET_AUTH: "wrong" } },
  );

  const { body } = gitTarballOf(EXAMPLE, ".");
  server.routes.set("/repos/acme/private-templates/tarball/main", { body, token: TOKEN, denied: 404 });
  await refused(
    ["private", "--template", "gh:acme/private-templates", ...EXAMPLE_ANSWERS, "--yes", ...QUIET],
    /not found on 127\.0\.0\.1:\d+ \(HTTP 404\); check the name and the ref, or private: set GIGET_AUTH/,
  );

  for (const [dir, source] of [
    ["private", url],
    ["private-gh", "gh:acme/private-templates"],
  ] as const) {
    const result = await run([dir, "--template", source, ...EXAMPLE_ANSWERS, "--yes", ...QUIET], {
      env: { GIGET_AUTH: TOKEN },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes(TOKEN) && !result.stderr.includes(TOKEN), "the token is not printed");
    for (const [path, text] of Object.entries(readTree(join(work, dir))))
      assert.ok(!text.includes(TOKEN), `the token is in ${path}`);
  }
  for (const [path, text] of Object.entries(readTree(cache)))
    assert.ok(!text.includes(TOKEN), `the token is in the cache: ${path}`);
  assert.ok(
    server.requests.some((request) => request.authorization === `Bearer ${TOKEN}`),
    "the token went to the server as a bearer token",
  );
});

test("not found, no answer in time, and nothing listening each get a clear message", async () => {
  await refused(
    ["missing", "--template", `${server.origin}/nothing-here.tar.gz`, "--yes"],
    /not found on 127\.0\.0\.1:\d+ \(HTTP 404\)/,
  );
  server.hanging.add("/slow.tar.gz");
  const started = Date.now();
  await refused(
    ["slow", "--template", `${server.origin}/slow.tar.gz`, "--yes"],
    /no complete answer from 127\.0\.0\.1:\d+ within 1 s/,
    { env: { CREATE_AGENTCORE_FETCH_TIMEOUT: "1" } },
  );
  assert.ok(Date.now() - started < 20_000, "the time limit holds");
  // A port that was just free: nothing listens, so the connection is refused at once.
  const closed = await startTemplateServer();
  const port = new URL(closed.origin).port;
  await closed.close();
  await refused(
    ["down", "--template", `http://127.0.0.1:${port}/template.tar.gz`, "--yes"],
    /cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/m,
  );
});

test("--offline makes a cached template again without the network, byte for byte; unreachable suggests it", async () => {
  const url = serveExample("/offline/template.tar.gz");
  const online = await run(["online", "--template", url, ...EXAMPLE_ANSWERS, "--yes", ...QUIET]);
  assert.equal(online.code, 0, online.stderr);

  server.routes.delete("/offline/template.tar.gz");
  server.hanging.add("/offline/template.tar.gz");
  const requests = server.requests.length;
  const offline = await run(["online", "--template", url, ...EXAMPLE_ANSWERS, "--yes", "--offline", ...QUIET], {
    cwd: join(work, "templates"),
  });
  assert.equal(offline.code, 0, offline.stderr);
  assert.match(offline.stdout, /\(from the cache\)/);
  assert.equal(server.requests.length, requests, "--offline made a request");
  assert.deepEqual(readTree(join(work, "templates", "online")), readTree(join(work, "online")));

  // Online again with the host unreachable: the message points at the cached copy.
  const down = await refused(
    ["down", "--template", url, "--yes"],
    /no complete answer .* within 1 s; a copy fetched earlier is cached: add --offline to use it/,
    { env: { CREATE_AGENTCORE_FETCH_TIMEOUT: "1" } },
  );
  assert.ok(down.stderr.length > 0, "a message");
  await refused(
    ["never", "--template", `${server.origin}/never-fetched.tar.gz`, "--offline", "--yes"],
    /--offline, and it is not in the cache; run once with the network to cache it/,
  );
});

test("--offline with the built-in templates needs no network and skips uv sync with a note", async () => {
  const result = await run(["offline-builtin", "--yes", "--offline", "--no-git"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^skipped uv sync and npm install: --offline \(they download packages\); run them when online/m,
  );
  assert.ok(!/^ran (uv sync|npm install)/m.test(result.stdout), "an install ran");
  const toolkit = await run([
    "offline-builtin-toolkit",
    "--yes",
    "--offline",
    "--no-git",
    "--deploy",
    "starter-toolkit",
  ]);
  assert.equal(toolkit.code, 0, toolkit.stderr);
  assert.match(toolkit.stdout, /^skipped uv sync: --offline \(it downloads packages\); run uv sync when online/m);
});

test("a preset names the template (relative to the preset) and its answers; flags still win", async () => {
  const kit = join(work, "workshop-kit");
  cpSync(EXAMPLE, join(kit, "template"), { recursive: true });
  writeFileSync(
    join(kit, "preset.yaml"),
    "template: ./template\nframework: strands\nanswer:\n  cost_center: CC-0001\n  owner: search\n  pager: true\n",
  );
  const result = await run([
    "from-preset",
    "--preset",
    join(kit, "preset.yaml"),
    "--answer",
    "owner=payments",
    "--yes",
    ...QUIET,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const recorded = record(join(work, "from-preset"));
  assert.equal(recorded.answers.template, join(kit, "template"));
  assert.deepEqual(recorded.answers.answer, {
    cost_center: "CC-0001",
    owner: "payments",
    data_classification: "internal",
    pager: true,
  });

  writeFileSync(join(kit, "bad.json"), JSON.stringify({ template: "./template", answer: { cost_center: "CC-1" } }));
  await refused(
    ["x", "--preset", join(kit, "bad.json"), "--yes"],
    /--preset .*bad\.json: "answer"\."cost_center": a cost center looks like CC-1234/,
  );
});

test("a project's record regenerates it byte for byte from the same template: local, served, and offline", async () => {
  const elsewhere = join(work, "regenerated");
  mkdirSync(elsewhere);
  for (const original of ["local-example", "served", "from-gh", "from-preset"]) {
    const again = await run(["--preset", join(work, original, ".create-agentcore.json"), "--yes", ...QUIET], {
      cwd: elsewhere,
    });
    assert.equal(again.code, 0, `${original}: ${again.stderr}`);
    assert.equal(again.stderr, "", `${original}: no warning`);
    assert.deepEqual(readTree(join(elsewhere, original)), readTree(join(work, original)), original);
  }
  const offline = join(work, "regenerated-offline");
  mkdirSync(offline);
  const again = await run(
    ["--preset", join(work, "from-gh", ".create-agentcore.json"), "--offline", "--yes", ...QUIET],
    { cwd: offline },
  );
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(readTree(join(offline, "from-gh")), readTree(join(work, "from-gh")));
});

test("replaying a record whose template changed is refused, unless --update-template takes the new version", async () => {
  const changed =
    /the template acme-platform-agent has changed since the project in .*\.create-agentcore\.json was made \(its files' sha256 was [0-9a-f]{12}…, now [0-9a-f]{12}…\); pass --update-template to make it from the template as it is now/;
  // A local template, and a served one, changed after the project was made.
  const dir = join(work, "changing-template");
  cpSync(EXAMPLE, dir, { recursive: true });
  const url = serveExample("/changing/template.tar.gz");
  for (const [name, source, change] of [
    ["changing", dir, () => writeFileSync(join(dir, "files", "Makefile.hbs"), "# changed\n")],
    [
      "changing-served",
      url,
      () => {
        const copy = join(work, "changing-served-template");
        cpSync(EXAMPLE, copy, { recursive: true });
        writeFileSync(join(copy, "files", "Makefile.hbs"), "# changed\n");
        server.routes.set("/changing/template.tar.gz", { body: tarballOf(copy) });
      },
    ],
  ] as const) {
    const first = await run([name, "--template", source, ...EXAMPLE_ANSWERS, "--yes", ...QUIET]);
    assert.equal(first.code, 0, first.stderr);
    change();
    const recordFile = join(work, name, ".create-agentcore.json");
    const elsewhere = mkdtempSync(join(work, "changed-"));
    await refused(["--preset", recordFile, "--yes", ...QUIET], changed, { cwd: elsewhere });
    const again = await run(["--preset", recordFile, "--update-template", "--yes", ...QUIET], { cwd: elsewhere });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /making it from the template as it is now \(--update-template\)/);
    assert.equal(readFileSync(join(elsewhere, name, "Makefile"), "utf8"), "# changed\n");
    assert.notEqual(record(join(elsewhere, name)).template.sha256, record(join(work, name)).template.sha256);
  }
  await refused(
    ["plain", "--update-template", "--yes", ...QUIET],
    /--update-template applies only with --preset naming a project's record made from a team template/,
  );
});
