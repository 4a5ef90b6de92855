import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { parseFlags } from "../src/args.js";
import { builtinLayer } from "../src/builtin-layers.js";
import { markdownText } from "../src/escape.js";
import { outputPath, type PlannedFile } from "../src/layer.js";
import { plan, projectLayers } from "../src/plan.js";
import { choiceOf, choiceValues } from "../src/registry.js";
import { validate } from "../src/validate.js";
import { everyCombination, HOSTILE, JWT, jwtOptions, options } from "./fixtures.js";
import { readSnapshots, writeSnapshots } from "./snapshots.js";

const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";

const fileOf = (files: PlannedFile[], path: string) => {
  const file = files.find((candidate) => candidate.path === path);
  assert.ok(file, `the plan has no ${path}`);
  return file.contents;
};

test("layers compose in the registry's order: the language's base, the framework, then features and the deploy target", () => {
  assert.deepEqual(projectLayers(options({ framework: "basic" })), ["python", "basic", "bedrock", "agentcore-cli"]);
  assert.deepEqual(
    projectLayers(jwtOptions({ framework: "langgraph", streaming: true, asyncTask: true, deploy: "starter-toolkit" })),
    ["python", "langgraph", "bedrock", "jwt-auth", "streaming", "async-task", "starter-toolkit"],
  );
  // A provider called with an API key: where the key comes from, then the provider's own pieces.
  assert.deepEqual(projectLayers(options({ provider: "gemini" })), [
    "python",
    "strands",
    "api-key",
    "gemini",
    "agentcore-cli",
  ]);
});

test("each framework takes its own model client for the provider, and no other provider's", () => {
  const clients: Record<string, Record<string, string>> = {
    strands: {
      bedrock: "strands-agents",
      anthropic: "strands-agents[anthropic]",
      openai: "strands-agents[openai]",
      gemini: "strands-agents[gemini]",
    },
    langgraph: {
      bedrock: "langchain-aws",
      anthropic: "langchain-anthropic",
      openai: "langchain-openai",
      gemini: "langchain-google-genai",
    },
    basic: { bedrock: "boto3", anthropic: "anthropic", openai: "openai", gemini: "google-genai" },
  };
  // Every project declares boto3 (the AgentCore SDK uses it) and each Strands one strands-agents.
  const everywhere = ["boto3", "strands-agents"];
  const everyClient = Object.values(clients).flatMap((byProvider) => Object.values(byProvider));
  for (const [framework, byProvider] of Object.entries(clients)) {
    for (const [provider, client] of Object.entries(byProvider)) {
      const pyproject = fileOf(plan(options({}, { framework, provider })), "app/my_agent/pyproject.toml");
      const declared = [...pyproject.matchAll(/^ {4}"([a-z0-9-]+(?:\[[a-z]+\])?)[<>=]/gm)].map((match) => match[1]);
      assert.ok(declared.includes(client), `${framework} with ${provider}: ${declared.join(", ")}`);
      const others = everyClient.filter((other) => other !== client && !everywhere.includes(other));
      assert.deepEqual(
        declared.filter((name) => others.includes(name)),
        [],
        `${framework} with ${provider}`,
      );
    }
  }
});

test("pyproject's name is the agent's, as a valid Python package name: no trailing separator", () => {
  for (const [name, packageName] of [
    ["my_agent", "my-agent"],
    ["Ends_with_", "ends-with"],
    ["a__b___", "a--b"],
  ]) {
    const pyproject = parseToml(
      fileOf(plan(options({}, { name })), "app/my_agent/pyproject.toml".replace("my_agent", name)),
    );
    const project = pyproject.project as { name: string };
    assert.equal(project.name, packageName);
    // PEP 508: a letter or digit at each end, and only letters, digits, ".", "_" and "-" between.
    assert.match(project.name, /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/);
  }
});

test("only a framework layer replaces files of the base layer; no two other layers write the same file", () => {
  const frameworks = new Set(choiceValues("framework").flatMap((value) => choiceOf("framework", value)?.layers ?? []));
  for (const { options: combination } of everyCombination()) {
    const owner = new Map<string, string>();
    for (const name of projectLayers(combination)) {
      for (const path of builtinLayer(name).files.keys()) {
        const earlier = owner.get(outputPath(path));
        if (earlier !== undefined && earlier !== name) {
          assert.ok(
            earlier === "python" && frameworks.has(name),
            `${name}/${path} replaces ${earlier}'s file: layer order would matter`,
          );
        } else {
          owner.set(outputPath(path), name);
        }
      }
    }
  }
});

test("template paths map to project paths", () => {
  assert.equal(outputPath("_gitignore"), ".gitignore");
  assert.equal(outputPath("_bedrock_agentcore.yaml.hbs"), ".bedrock_agentcore.yaml");
  assert.equal(outputPath("tests/__init__.py"), "tests/__init__.py");
  assert.equal(outputPath("tests/support.py.hbs"), "tests/support.py");
});

test("every combination matches its reviewed snapshot (npm run test:snapshots to accept a change)", () => {
  const planned = new Map(
    everyCombination().map(({ name, options: combination }) => [
      name,
      Object.fromEntries(plan(combination).map((file) => [file.path, file.contents])),
    ]),
  );
  if (UPDATE) writeSnapshots(planned);
  const stored = readSnapshots();
  const differ: string[] = [];
  for (const name of new Set([...planned.keys(), ...stored.keys()])) {
    const now = planned.get(name);
    const then = stored.get(name);
    if (!now || !then) {
      differ.push(`${name} (${now ? "no snapshot" : "no longer generated"})`);
      continue;
    }
    for (const path of new Set([...Object.keys(now), ...Object.keys(then)])) {
      if (now[path] !== then[path]) differ.push(`${name}/${path}`);
    }
  }
  assert.deepEqual(
    differ,
    [],
    "generated files differ from the snapshots; review `git diff` after npm run test:snapshots",
  );
});

test("the plan is deterministic and sorted", () => {
  const first = plan(options({ framework: "langgraph", streaming: true, asyncTask: true }));
  assert.deepEqual(plan(options({ framework: "langgraph", streaming: true, asyncTask: true })), first);
  const paths = first.map((file) => file.path);
  assert.deepEqual(paths, [...paths].sort());
});

test("the deploy config carries the choices: name, region, account, authorizer", () => {
  const files = plan(jwtOptions({ account: "123456789012", region: "eu-central-1", deploy: "starter-toolkit" }));
  const config = parseYaml(fileOf(files, ".bedrock_agentcore.yaml"));
  const agent = config.agents.my_agent;
  assert.equal(config.default_agent, "my_agent");
  assert.equal(agent.entrypoint, "agent.py");
  assert.equal(agent.platform, "linux/arm64");
  assert.equal(agent.aws.region, "eu-central-1");
  assert.equal(agent.aws.account, "123456789012"); // a string: the toolkit's schema rejects an int
  assert.deepEqual(agent.authorizer_configuration, {
    customJWTAuthorizer: {
      discoveryUrl: JWT.discoveryUrl,
      allowedClients: JWT.allowedClients,
      allowedAudience: JWT.allowedAudience,
    },
  });
  assert.deepEqual(agent.request_header_configuration, { requestHeaderAllowlist: ["Authorization"] });
});

test("without an account the deploy config has an empty account, which agentcore deploy fills in from STS", () => {
  // Left out, the toolkit stops with "Missing 'aws.account'" (test/e2e/test_deploy.py runs both).
  const config = parseYaml(fileOf(plan(options({ deploy: "starter-toolkit" })), ".bedrock_agentcore.yaml"));
  assert.equal(config.agents.my_agent.aws.account, null);
  assert.ok("account" in config.agents.my_agent.aws);
});

test("a legacy model's end-of-life warning, which the CLI prints, is in the README too", () => {
  const argv = ["my-agent", "--model", "anthropic.claude-sonnet-4-5-20250929-v1:0", "--region", "us-west-2"];
  const legacy = validate(parseFlags(argv), {}, "2026-11-29");
  const { warnings } = legacy.resolvedModel;
  const warning = warnings.find((line) => line.includes("reaches end of life on 2027-04-08"));
  assert.ok(warning, warnings.join(" | "));
  assert.deepEqual(legacy.resolvedModel.lifecycle, [warning]);
  assert.ok(fileOf(plan(legacy), "README.md").includes(`- **Warning:** ${markdownText(warning)}`));
  assert.deepEqual(options().resolvedModel.lifecycle, []); // an Active model: no such line
});

test("layers add their requirements to pyproject.toml", () => {
  const pyproject = parseToml(fileOf(plan(options({ framework: "langgraph" })), "app/my_agent/pyproject.toml")) as {
    project: { dependencies: string[] };
    "dependency-groups": { dev: string[] };
  };
  const names = pyproject.project.dependencies.map((requirement) => requirement.match(/^[a-z0-9-]+/)![0]);
  assert.ok(names.includes("bedrock-agentcore"), names.join(", "));
  assert.ok(names.includes("langgraph"), names.join(", "));
  assert.ok(
    pyproject["dependency-groups"].dev.some((requirement) => requirement.startsWith("pytest")),
    "pytest in the dev group",
  );
});

test("hostile input lands in every format as data, never as syntax", () => {
  const dir = mkdtempSync(join(tmpdir(), "hostile-"));
  try {
    for (const [value, deploy] of HOSTILE.filter((v) => !/[\u0000\ud800-\udfff]/.test(v)).flatMap((v) =>
      (["agentcore-cli", "starter-toolkit"] as const).map((target) => [v, target] as const),
    )) {
      const hostileModel = {
        modelId: value,
        label: value,
        profile: null,
        notes: [value],
        warnings: [],
        lifecycle: [value],
        requestedId: value,
      };
      const files = plan(
        jwtOptions({
          deploy,
          directoryName: value,
          projectName: value,
          description: value,
          resolvedModel: hostileModel,
          allowedClients: [value || "x"],
          allowedScopes: [value || "y"],
          account: "123456789012",
          framework: "basic",
          asyncTask: true,
          streaming: true,
        }),
      );
      const agent = deploy === "agentcore-cli" ? "app/my_agent/" : "";
      const pyproject = parseToml(fileOf(files, `${agent}pyproject.toml`)) as { project: { description: string } };
      assert.equal(pyproject.project.description, value);

      if (deploy === "starter-toolkit") {
        const config = parseYaml(fileOf(files, ".bedrock_agentcore.yaml")).agents.my_agent;
        assert.deepEqual(config.authorizer_configuration.customJWTAuthorizer.allowedClients, [value || "x"]);
      } else {
        const config = JSON.parse(fileOf(files, "agentcore/agentcore.json"));
        assert.equal(config.name, value);
        assert.deepEqual(config.runtimes[0].authorizerConfiguration.customJwtAuthorizer.allowedClients, [value || "x"]);
        assert.deepEqual(config.runtimes[0].envVars[0], { name: "BEDROCK_MODEL_ID", value });
      }

      // agent.py must parse, and its MODEL_ID default must be exactly the value.
      writeFileSync(join(dir, "agent.py"), fileOf(files, `${agent}agent.py`));
      const seen = execFileSync(
        "python3",
        [
          "-c",
          "import ast, json, sys; tree = ast.parse(open(sys.argv[1]).read()); print(json.dumps([n.value.args[1].value for n in ast.walk(tree) if isinstance(n, ast.Assign) and getattr(n.targets[0], 'id', '') == 'MODEL_ID'][0]))",
          join(dir, "agent.py"),
        ],
        { encoding: "utf8" },
      );
      assert.equal(JSON.parse(seen), value);

      // .env.example is meant to be sourced by a shell.
      writeFileSync(join(dir, ".env"), fileOf(files, `${agent}.env.example`));
      const sourced = execFileSync(
        "sh",
        ["-c", `set -a; . "$1"; printf %s "$BEDROCK_MODEL_ID"`, "sh", join(dir, ".env")],
        { encoding: "utf8" },
      );
      assert.equal(sourced, value);

      // In the Dockerfile, every line is a comment, an instruction or a continuation of one.
      const dockerfile = fileOf(files, `${agent}Dockerfile`).split("\n");
      dockerfile.forEach((line, index) => {
        const continued = index > 0 && dockerfile[index - 1]!.endsWith("\\");
        assert.ok(
          line === "" || line.startsWith("#") || continued || /^[A-Z]+ /.test(line),
          `Dockerfile line ${index + 1}: ${line}`,
        );
      });

      // The README shows names and descriptions as escaped text. (Model IDs and regions appear
      // there only in code spans, and validation admits no backtick or space in them.)
      const readme = fileOf(
        plan(
          options({
            deploy,
            directoryName: value,
            description: value,
            resolvedModel: { ...options().resolvedModel, label: value },
          }),
        ),
        "README.md",
      );
      // Code blocks show text as it is (there the name is a shell word); everywhere else, no HTML.
      const prose = readme.replace(/^```[a-z]*\n[\s\S]*?^```$/gm, "");
      assert.ok(!prose.includes("<script>"), "raw HTML in the README");
      assert.ok(readme.includes(`\n${markdownText(value)}\n`), "the description is not one escaped paragraph");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
