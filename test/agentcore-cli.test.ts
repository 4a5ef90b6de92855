import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { agentcoreProjectFrom } from "../src/checks.js";
import { UsageError } from "../src/errors.js";
import { plan } from "../src/plan.js";
import { validate } from "../src/validate.js";
import { everyCombination, TODAY } from "./fixtures.js";

// The AgentCore CLI target: agentcore/agentcore.json against the CLI's published v2 JSON Schema
// (test/fixtures/agentcore-cli/, see SOURCE.md), for every combination, and the names the CLI
// allows. The CLI itself (`agentcore validate`), CDK synthesis and `agentcore dev` run in the
// end-to-end suite (test/e2e/).

const SCHEMA = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "agentcore-cli", "agentcore.schema.v2.json"), "utf8"),
);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const schemaValid = ajv.compile(SCHEMA);

function fileOf(files: { path: string; contents: string }[], path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  assert.ok(file, `the plan has no ${path}: ${files.map((f) => f.path).join(", ")}`);
  return file.contents;
}

interface Runtime {
  name: string;
  build: string;
  entrypoint: string;
  codeLocation: string;
  envVars: { name: string; value: string }[];
  requestHeaderAllowlist?: string[];
  authorizerType?: string;
  authorizerConfiguration?: { customJwtAuthorizer: Record<string, unknown> };
}

test("every AgentCore CLI combination's agentcore.json passes the CLI's v2 schema and says what the answers say", () => {
  const combinations = everyCombination().filter(({ options }) => options.deploy === "agentcore-cli");
  assert.ok(combinations.length >= 32, `${combinations.length} combinations`);
  for (const { name, options } of combinations) {
    const files = plan(options);
    const config = JSON.parse(fileOf(files, "agentcore/agentcore.json")) as {
      name: string;
      version: number;
      runtimes: Runtime[];
      credentials?: { authorizerType: string; name: string }[];
    };
    assert.ok(schemaValid(config), `${name}: ${ajv.errorsText(schemaValid.errors)}`);
    assert.equal(config.version, 2);
    assert.equal(config.name, "myagent");
    const [runtime] = config.runtimes;
    assert.equal(config.runtimes.length, 1);
    assert.equal(runtime!.name, options.name);
    assert.equal(runtime!.build, options.build);
    // The agent's code is where codeLocation points, and its entrypoint is there.
    const folder = runtime!.codeLocation.replace(/\/$/, "");
    for (const path of [runtime!.entrypoint, "pyproject.toml", "Dockerfile"]) fileOf(files, `${folder}/${path}`);
    const direct = options.provider !== "bedrock";
    const modelVariable = direct ? `${options.provider.toUpperCase()}_MODEL_ID` : "BEDROCK_MODEL_ID";
    assert.deepEqual(Object.fromEntries(runtime!.envVars.map(({ name: key, value }) => [key, value])), {
      [modelVariable]: options.resolvedModel.modelId,
      AWS_REGION: options.region,
    });
    // A provider called with an API key: one API-key credential, which `agentcore deploy` fills
    // from agentcore/.env.local; Bedrock needs none.
    assert.deepEqual(
      config.credentials,
      direct ? [{ authorizerType: "ApiKeyCredentialProvider", name: `${options.provider}-api-key` }] : undefined,
      name,
    );
    if (options.auth === "jwt") {
      assert.equal(runtime!.authorizerType, "CUSTOM_JWT");
      assert.deepEqual(runtime!.requestHeaderAllowlist, ["Authorization"]);
      assert.deepEqual(runtime!.authorizerConfiguration, {
        customJwtAuthorizer: {
          discoveryUrl: options.discoveryUrl,
          allowedClients: options.allowedClients,
          allowedAudience: options.allowedAudience,
        },
      });
    } else {
      assert.equal(runtime!.authorizerType, undefined);
      assert.equal(runtime!.requestHeaderAllowlist, undefined);
    }
    assert.deepEqual(JSON.parse(fileOf(files, "agentcore/aws-targets.json")), []);
  }
});

test("with an account, aws-targets.json names the default target the CLI deploys to", () => {
  const options = validate({ directory: "my-agent", region: "eu-central-1", account: "123456789012" }, {}, TODAY);
  assert.deepEqual(JSON.parse(fileOf(plan(options), "agentcore/aws-targets.json")), [
    {
      name: "default",
      description: "The account and region create-agentcore was given",
      account: "123456789012",
      region: "eu-central-1",
    },
  ]);
});

test("the longest names and lists the CLI allows still make a valid agentcore.json", () => {
  const answers = {
    directory: "a".repeat(200),
    name: `Agent_${"x".repeat(18)}`, // with a 23-character project: 23 + 1 + 24 = 48
    region: "ap-northeast-1",
    model: "arn:aws:bedrock:ap-northeast-1:123456789012:inference-profile/jp.anthropic.claude-haiku-5-5",
    auth: "jwt",
    "discovery-url": `https://${"idp.".repeat(40)}example.com/${"tenant/".repeat(30)}.well-known/openid-configuration`,
    "allowed-clients": Array.from({ length: 20 }, (_, i) => `client-${i}-${"c".repeat(40)}`).join(","),
    "allowed-audience": Array.from({ length: 20 }, (_, i) => `api://aud-${i}`).join(","),
    "allowed-scopes": Array.from({ length: 20 }, (_, i) => `agent/scope.${i}`).join(","),
    build: "Container",
  };
  const options = validate(answers, {}, TODAY);
  const config = JSON.parse(fileOf(plan(options), "agentcore/agentcore.json")) as { name: string; runtimes: Runtime[] };
  assert.ok(schemaValid({ ...config }), ajv.errorsText(schemaValid.errors));
  assert.equal(`${config.name}_${config.runtimes[0].name}`.length, 48);
});

test("the CLI's project name comes from the directory's letters and digits, and the runtime's AWS name fits 48", () => {
  assert.equal(agentcoreProjectFrom("my-agent"), "myagent");
  assert.equal(agentcoreProjectFrom("/tmp/2 Cool Agents!"), "CoolAgents");
  assert.equal(agentcoreProjectFrom("a-very-long-directory-name-for-an-agent"), "averylongdirectorynamef");
  assert.equal(agentcoreProjectFrom("日本語"), "");
  const refuse = (answers: Record<string, string>, message: RegExp) =>
    assert.throws(
      () => validate({ region: "us-east-1", ...answers }, {}, TODAY),
      (error) => error instanceof UsageError && message.test(error.message),
    );
  refuse(
    { directory: "日本語" },
    /^--project-name: the directory's name has no letters to make one from; "" is not an AgentCore CLI project name/,
  );
  refuse(
    { directory: "x", "project-name": "my-project" },
    /^--project-name: "my-project" is not an AgentCore CLI project name: a letter, then letters or digits, 23 at most/,
  );
  refuse(
    { directory: "x", "project-name": "averylongdirectorynamef", name: `a${"b".repeat(30)}` },
    /^--project-name: with --name abbb+ the runtime's AWS name averylongdirectorynamef_abbb+ has 55 characters, over AgentCore's 48/,
  );
  // A --name that leaves no room for a project name says so, not that the directory has no letters.
  refuse(
    { directory: "x1", name: `a${"b".repeat(47)}` },
    /^--project-name: with --name abbb+ the runtime's AWS name x_abbb+ has 50 characters, over AgentCore's 48: shorten --project-name or --name$/,
  );
  // Names made from a long directory are cut to fit together; a given one is kept as given.
  const long = "an-agent-in-a-folder-whose-name-is-much-longer-than-agentcore-allows";
  const derived = validate({ directory: long, region: "us-east-1" }, {}, TODAY);
  assert.equal(derived.projectName, "anagentinafolderwhosena");
  assert.equal(derived.name, "an_agent_in_a_folder_who");
  assert.equal(`${derived.projectName}_${derived.name}`.length, 48);
  const named = validate({ directory: long, region: "us-east-1", name: `my_${"x".repeat(40)}` }, {}, TODAY);
  assert.equal(named.name, `my_${"x".repeat(40)}`);
  assert.equal(named.projectName, "anag");
  // Cut at a word break, the name loses the separator too, on either deploy target.
  const atBreak = "langgraph-anthropic-jwt-stream-messages-noasync-starter-toolkit";
  const starter = validate({ directory: atBreak, region: "us-east-1", deploy: "starter-toolkit" }, {}, TODAY);
  assert.equal(starter.name, "langgraph_anthropic_jwt_stream_messages_noasync");
  const digits = validate(
    { directory: `1-${"a".repeat(39)}-b`, region: "us-east-1", deploy: "starter-toolkit" },
    {},
    TODAY,
  );
  assert.equal(digits.name, `agent_1_${"a".repeat(39)}`);
  // The starter toolkit keeps the agent name it always made: up to 48 characters.
  const toolkit = validate({ directory: long, region: "us-east-1", deploy: "starter-toolkit" }, {}, TODAY);
  assert.equal(toolkit.name, "an_agent_in_a_folder_whose_name_is_much_longer_t");
  // The starter toolkit has no project name: the same directory is fine there.
  assert.equal(
    validate({ directory: "日本語", region: "us-east-1", deploy: "starter-toolkit" }, {}, TODAY).deploy,
    "starter-toolkit",
  );
});
