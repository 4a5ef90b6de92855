import assert from "node:assert/strict";
import { test } from "node:test";
import { DIRECT_CATALOGS, type DirectProvider } from "../src/models/direct-catalog.js";
import { resolveDirectModel } from "../src/models/resolve-direct.js";
import { question } from "../src/registry.js";
import { checkGiven, validate } from "../src/validate.js";

const PROVIDERS = Object.keys(DIRECT_CATALOGS) as DirectProvider[];
const TODAY = "2026-11-29";

test("each provider's default is in its catalog, with no end of life announced", () => {
  for (const provider of PROVIDERS) {
    const catalog = DIRECT_CATALOGS[provider];
    const result = resolveDirectModel({ provider, model: catalog.defaultModel, today: TODAY, skipCatalog: false });
    assert.ok(result.ok, `${provider}: ${!result.ok && result.error}`);
    assert.deepEqual(result.lifecycle, [], provider);
  }
});

test("every catalog entry is well formed: unique IDs, dates, a live successor from the same catalog, a source", () => {
  for (const provider of PROVIDERS) {
    const { models } = DIRECT_CATALOGS[provider];
    const ids = new Set(models.map((model) => model.id));
    assert.equal(ids.size, models.length, `${provider}: duplicate IDs`);
    for (const model of models) {
      assert.ok(model.sources.length > 0, model.id);
      if (model.eol !== null) assert.match(model.eol, /^\d{4}-\d{2}-\d{2}$/, model.id);
      if (model.successor) {
        const successor = models.find((entry) => entry.id === model.successor);
        assert.ok(successor, `${model.id}: successor ${model.successor} is not in the ${provider} catalog`);
        assert.ok(
          successor.eol === null || successor.eol > (model.eol ?? ""),
          `${model.id}: its successor retires first`,
        );
      }
    }
  }
});

test("a model past its end of life is refused, naming the date and what to use", () => {
  const result = resolveDirectModel({
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    today: "2026-11-30",
    skipCatalog: false,
  });
  assert.deepEqual(result, {
    ok: false,
    error:
      "Claude Sonnet 4.5 (claude-sonnet-4-5) reached end of life on the Anthropic API on 2026-11-30: use claude-sonnet-4-6",
  });
  // --skip-model-check is for IDs the catalog does not know, not for retired ones.
  assert.equal(
    resolveDirectModel({ provider: "anthropic", model: "claude-sonnet-4-5", today: "2026-11-30", skipCatalog: true })
      .ok,
    false,
  );
});

test("a model with an announced end of life is used, with the date and successor to repeat", () => {
  const result = resolveDirectModel({
    provider: "gemini",
    model: "gemini-2.5-flash",
    today: "2026-11-29",
    skipCatalog: false,
  });
  assert.ok(result.ok);
  assert.deepEqual(result.lifecycle, [
    "Gemini 2.5 Flash reaches end of life on the Google Gemini API on 2026-12-01: use gemini-3.8-flash",
  ]);
});

test("an unknown ID gets a did-you-mean, and --skip-model-check takes it as given", () => {
  const typo = resolveDirectModel({ provider: "openai", model: "gpt-5.55", today: TODAY, skipCatalog: false });
  assert.equal(typo.ok, false);
  assert.match(!typo.ok ? typo.error : "", /did you mean gpt-5\.5\?/);
  const given = resolveDirectModel({
    provider: "openai",
    model: "ft:gpt-5.5:acme::abc123",
    today: TODAY,
    skipCatalog: true,
  });
  assert.ok(given.ok);
  assert.equal(given.modelId, "ft:gpt-5.5:acme::abc123");
});

test("IDs that are not IDs are refused before anything else, whatever --skip-model-check says", () => {
  for (const model of ['gpt"; import os', "claude\nx", "", "a".repeat(129), "-flag", "模型"]) {
    const result = resolveDirectModel({ provider: "openai", model, today: TODAY, skipCatalog: true });
    assert.equal(result.ok, false, JSON.stringify(model));
    assert.match(!result.ok ? result.error : "", /is not a model ID OpenAI takes: letters, digits/);
  }
});

test("another provider's model ID with Bedrock gets the flag it misses; while the provider is still to be asked, its prompt decides", () => {
  assert.throws(
    () => validate({ directory: "my-agent", model: "gpt-5.5" }, {}, TODAY),
    /--model gpt-5\.5 is not in the model catalog .*\. Or, for the OpenAI API's own gpt-5\.5, --provider openai$/,
  );
  assert.throws(
    () => checkGiven({ model: "claude-sonnet-4-6", region: "us-west-2" }, [], TODAY, {}),
    /did you mean anthropic\.claude-sonnet-4-6\? Or, for the Anthropic API's own claude-sonnet-4-6, --provider anthropic$/,
  );
  // At a terminal with the provider not yet asked, the model waits for it (the model prompt checks it).
  assert.doesNotThrow(() => checkGiven({ model: "gpt-5.5" }, [question("provider")], TODAY, {}));
  assert.equal(
    validate({ directory: "my-agent", provider: "openai", model: "gpt-5.5" }, {}, TODAY).resolvedModel.modelId,
    "gpt-5.5",
  );
});
