import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { UsageError } from "../src/errors.js";
import { DIRECT_CATALOGS } from "../src/models/direct-catalog.js";
import { canonicalChoice, choiceOf, choiceValues, question, ruledOut } from "../src/registry.js";
import { validate } from "../src/validate.js";
import { readTree } from "./fixtures.js";

// The registry's promise: a new framework is one row in src/registry.ts and one folder of
// templates/. This test makes exactly that change in a copy of the repository, builds it as
// `npm test` does, and checks every place the choice must appear.

const ROOT = join(import.meta.dirname, "..");
const copy = mkdtempSync(join(tmpdir(), "registry-"));
after(() => rmSync(copy, { recursive: true, force: true }));

const ROW = `      {
        value: "madeup",
        label: "Made-up Agents",
        hint: "a framework that exists only in this test",
        layers: ["madeup"],
        supports: { "stream-mode": ["messages"], provider: ["bedrock"] },
      },
`;

/** The copy, with the row added after the framework question's last choice and the folder as templates/madeup. */
function addMadeUpFramework(): void {
  for (const path of ["src", "templates", "scripts", "schema", "package.json", "tsconfig.json", "index.cjs"]) {
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  const registry = join(copy, "src", "registry.ts");
  const source = readFileSync(registry, "utf8");
  const question = source.indexOf('key: "framework"');
  const endOfChoices = source.indexOf("    ],\n  },", question);
  assert.ok(
    question > 0 && endOfChoices > question,
    "the framework question's choices were not found in src/registry.ts",
  );
  writeFileSync(registry, source.slice(0, endOfChoices) + ROW + source.slice(endOfChoices));
  cpSync(join(ROOT, "test", "fixtures", "made-up-framework"), join(copy, "templates", "madeup"), { recursive: true });
  execFileSync(process.execPath, ["scripts/generate.mjs"], { cwd: copy });
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: copy, stdio: "pipe" });
}

function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [join(copy, "index.cjs"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" },
  });
  assert.equal(result.status, 0, `create-agentcore ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

test("a made-up framework, added as one registry row and one template folder, is offered everywhere", () => {
  addMadeUpFramework();
  const work = join(copy, "work");
  mkdirSync(work);

  const frameworks = [...choiceValues("framework"), "madeup"];
  const help = cli(["--help"], work);
  const line = help.slice(
    help.indexOf("--framework <name>"),
    help.indexOf("(default:", help.indexOf("--framework <name>")),
  );
  assert.equal(line.replace(/\s+/g, " "), `--framework <name> ${frameworks.join(" | ")} `);

  const schema = JSON.parse(readFileSync(join(copy, "schema", "agentcore-template.schema.json"), "utf8"));
  assert.deepEqual(schema.$defs.answers.properties.framework.enum, frameworks);

  const combinations = JSON.parse(readFileSync(join(copy, ".cache", "build", "combinations.json"), "utf8")) as {
    name: string;
    flags: string[];
  }[];
  const madeUp = combinations.filter((combination) => combination.flags.join(" ").includes("--framework madeup"));
  assert.equal(
    madeUp.length,
    24,
    "auth × streaming × async-task × (AgentCore CLI code zip or container, or starter toolkit), with its one stream mode",
  );
  assert.ok(
    madeUp.some((combination) => combination.name === "madeup-jwt-stream-messages-async-agentcore-cli-CodeZip"),
    madeUp.map((c) => c.name).join(", "),
  );

  // What the row does not support is refused in one line naming what works.
  const refused = spawnSync(
    process.execPath,
    [join(copy, "index.cjs"), "x", "--framework", "madeup", "--streaming", "--stream-mode", "values", "--yes"],
    { cwd: work, encoding: "utf8" },
  );
  assert.equal(refused.status, 2, refused.stderr);
  assert.equal(
    refused.stderr,
    "create-agentcore: error: --framework madeup does not work with --stream-mode values; with --stream-mode values, --framework can be langgraph\n",
  );

  // The prompt offers it (a pseudo-terminal; Ctrl-C once the choices are drawn).
  const script = join(work, "steps.json");
  const down = "\x1b[B";
  const steps = [
    ["Project directory", "prompted\r"],
    ["Made-up Agents", down.repeat(choiceValues("framework").length)], // past the built-in ones
    ["a framework that exists only in this test", "\x03"],
  ];
  writeFileSync(script, JSON.stringify(steps));
  const prompted = spawnSync(
    "python3",
    [join(ROOT, "test", "support", "drive_prompts.py"), script, "--", process.execPath, join(copy, "index.cjs")],
    {
      cwd: work,
      encoding: "utf8",
    },
  );
  const transcript = JSON.parse(prompted.stdout) as { code: number; transcript: string };
  assert.equal(transcript.code, 130, transcript.transcript);
  assert.match(
    transcript.transcript,
    /Agent framework[\s\S]*Made-up Agents[\s\S]*a framework that exists only in this test/,
  );

  // It generates from its own layer, records the answer, and the record replays to the same tree.
  cli(["made", "--framework", "madeup", "--streaming", "--yes", "--no-git", "--no-install"], work);
  const made = join(work, "made");
  assert.match(readFileSync(join(made, "app", "made", "agent.py"), "utf8"), /made-up framework/);
  assert.match(readFileSync(join(made, "app", "made", "pyproject.toml"), "utf8"), /"made-up-agents>=1,<2"/);
  const record = JSON.parse(readFileSync(join(made, ".create-agentcore.json"), "utf8"));
  assert.equal(record.answers.framework, "madeup");
  const again = join(work, "again");
  mkdirSync(again);
  cli(["--preset", join(made, ".create-agentcore.json"), "--yes", "--no-git", "--no-install"], again);
  assert.deepEqual(readTree(join(again, "made")), readTree(made));
});

test("ruledOut: a given answer is ruled out only when no answer to the questions still open makes it apply", () => {
  const streamMode = question("stream-mode");
  const open = (...keys: string[]) => keys.map(question);
  // --stream-mode alone: a framework and streaming still to come can make it apply.
  assert.equal(ruledOut(streamMode, { "stream-mode": "updates" }, open("framework", "streaming")), undefined);
  // Strands never streams LangGraph modes, whatever streaming is answered.
  assert.equal(
    ruledOut(streamMode, { "stream-mode": "updates", framework: "strands" }, open("streaming")),
    "only with --framework langgraph and --streaming",
  );
  // Streaming answered no, nothing open: ruled out; a text question open decides nothing.
  assert.ok(ruledOut(streamMode, { framework: "langgraph", streaming: false }, open("account")));
  assert.equal(ruledOut(question("discovery-url"), { "discovery-url": "x" }, open("auth")), undefined);
  assert.equal(ruledOut(question("discovery-url"), { auth: "iam" }, []), "only with --auth jwt");
});

test("canonicalChoice: a choice in any case as the question spells it; anything else untouched", () => {
  assert.equal(canonicalChoice("framework", "LangGraph"), "langgraph");
  assert.equal(canonicalChoice("framework", "STRANDS"), "strands");
  assert.equal(canonicalChoice("framework", "CrewAI"), "crewai");
  assert.equal(canonicalChoice("framework", "autogen"), "autogen", "not a choice: left for its check");
  assert.equal(canonicalChoice("region", "EU-WEST-1"), "EU-WEST-1", "not a choice question: left for its check");
  assert.equal(canonicalChoice("template", "LangGraph"), "LangGraph", "not a question at all");
});

test("a framework that names its providers: OpenAI Agents defaults to the OpenAI API and refuses Bedrock in one line", () => {
  const today = "2026-11-29";
  const options = validate({ directory: "my-agent", framework: "openai-agents" }, {}, today);
  assert.equal(options.provider, "openai");
  assert.equal(options.model, "gpt-5.5");
  assert.equal(options.resolvedModel.modelId, "gpt-5.5");
  for (const provider of ["bedrock", "anthropic"]) {
    assert.throws(
      () => validate({ directory: "my-agent", framework: "openai-agents", provider }, {}, today),
      (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.doesNotMatch(error.message, /\n/);
        assert.match(
          error.message,
          new RegExp(`^--framework openai-agents does not work with --provider ${provider}; `),
        );
        // It names what works: frameworks that take this provider, never this one.
        const works = /, --framework can be (.+)$/.exec(error.message)?.[1].split(", ") ?? [];
        assert.ok(works.includes("strands"), error.message);
        assert.ok(!works.includes("openai-agents"), error.message);
        return true;
      },
    );
  }
});

test("a framework that names its providers defaults to the first, and refuses the others in one line naming them", () => {
  const today = "2026-11-30";
  // Google ADK: Gemini first, its own default; Bedrock is not native to it.
  assert.deepEqual(choiceOf("framework", "google-adk")?.supports?.provider, ["gemini", "anthropic", "openai"]);
  const options = validate({ directory: "my-agent", framework: "google-adk" }, {}, today);
  assert.equal(options.provider, "gemini");
  assert.equal(options.model, DIRECT_CATALOGS.gemini.defaultModel);
  assert.equal(options.resolvedModel.modelId, DIRECT_CATALOGS.gemini.defaultModel);
  // Another provider it names is taken with that provider's default model.
  const openai = validate({ directory: "my-agent", framework: "google-adk", provider: "openai" }, {}, today);
  assert.equal(openai.model, DIRECT_CATALOGS.openai.defaultModel);

  assert.throws(
    () => validate({ directory: "my-agent", framework: "google-adk", provider: "bedrock" }, {}, today),
    (error: unknown) =>
      error instanceof UsageError &&
      !error.message.includes("\n") &&
      error.message ===
        `--framework google-adk does not work with --provider bedrock; with --provider bedrock, --framework can be ${choiceValues(
          "framework",
        )
          .filter((value) => choiceOf("framework", value)?.supports?.provider?.includes("bedrock") ?? true)
          .join(", ")}`,
  );
});

test("CrewAI is packaged as a container on the AgentCore CLI: its code zip would pass AgentCore's 250 MB", () => {
  const today = "2026-11-30";
  const options = validate({ directory: "my-agent", framework: "crewai" }, {}, today);
  assert.equal(options.build, "Container");
  assert.equal(
    validate({ directory: "my-agent", framework: "crewai", deploy: "starter-toolkit" }, {}, today).deploy,
    "starter-toolkit",
  );
  assert.throws(
    () => validate({ directory: "my-agent", framework: "crewai", build: "CodeZip" }, {}, today),
    (error: unknown) =>
      error instanceof UsageError &&
      /^--framework crewai does not work with --build CodeZip; with --build CodeZip, --framework can be strands, .*basic$/.test(
        error.message,
      ),
  );
});
