import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFlags } from "../src/args.js";
import { presetAnswers, projectRecord, withPreset } from "../src/preset.js";
import { JWT, jwtOptions } from "./fixtures.js";

test("preset keys are the flags' names, and lists may be arrays", () => {
  assert.deepEqual(
    presetAnswers(
      { framework: "langgraph", "stream-mode": "updates", streaming: true, "allowed-clients": ["a", "b"] },
      "p.json",
    ),
    {
      framework: "langgraph",
      "stream-mode": "updates",
      streaming: true,
      "allowed-clients": "a,b",
    },
  );
});

test("flags given on the command line win over the preset", () => {
  const flags = withPreset(parseFlags(["here", "--framework", "basic"]), {
    framework: "strands",
    region: "eu-west-1",
    directory: "there",
  });
  assert.equal(flags.framework, "basic");
  assert.equal(flags.region, "eu-west-1");
  assert.equal(flags.directory, "here");
});

test("a bad preset names the key and what it accepts", () => {
  assert.throws(
    () => presetAnswers({ framwork: "strands" }, "team.json"),
    /--preset team\.json: unknown key "framwork"; expected one of directory, name/,
  );
  assert.throws(
    () => presetAnswers({ streaming: "yes" }, "team.json"),
    /--preset team\.json: "streaming" must be true or false/,
  );
  assert.throws(() => presetAnswers({ region: 1 }, "team.json"), /"region" must be a string/);
  assert.throws(() => presetAnswers(["strands"], "team.json"), /expected an object of answers/);
});

test("a project's record is a preset that gives back the same answers", () => {
  const original = jwtOptions({
    framework: "langgraph",
    streaming: true,
    streamMode: "values",
    account: "123456789012",
  });
  const record = JSON.parse(projectRecord(original));
  assert.equal(record.tool, "create-agentcore");
  const flags = presetAnswers(record, ".create-agentcore.json");
  assert.deepEqual(flags, {
    directory: "my-agent",
    name: "my_agent",
    description: original.description,
    framework: "langgraph",
    provider: "bedrock",
    model: "anthropic.claude-haiku-5-5",
    region: "us-west-2",
    "inference-profile": "geo",
    auth: "jwt",
    "discovery-url": JWT.discoveryUrl,
    "allowed-clients": "client-one,client-two",
    "allowed-audience": "api://agents",
    "allowed-scopes": "",
    streaming: true,
    "stream-mode": "values",
    "async-task": false,
    deploy: "agentcore-cli",
    build: "CodeZip",
    "project-name": "myagent",
    account: "123456789012",
  });
});
