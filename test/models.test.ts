import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CATALOG_CHECKED,
  DEFAULT_MODEL_ID,
  GEO_PREFIXES,
  GEO_REGIONS,
  KNOWN_REGIONS,
  MODELS,
  MODELS_BY_ID,
  SOURCES,
} from "../src/models/catalog.js";
import {
  isValidRegion,
  modelChoices,
  modelChoicesIn,
  modelProblem,
  modelsInRegion,
  type ResolveInput,
  type ResolveResult,
  resolveModel,
} from "../src/models/resolve.js";

const TODAY = "2026-11-22";

function resolve(model: string, region: string, extra: Partial<ResolveInput> = {}): ResolveResult {
  return resolveModel({ model, region, profile: "geo", today: TODAY, skipCatalog: false, ...extra });
}

/** Every message must fit on one line, whatever the input was. */
function assertOneLine(result: ResolveResult): void {
  const lines = result.ok ? [...result.notes, ...result.warnings] : [result.error];
  for (const line of lines) {
    assert.ok(line.length > 0, "empty message");
    assert.doesNotMatch(line, /[\n\r\u2028\u2029\u0000-\u001f\u007f]/, `not one clean line: ${JSON.stringify(line)}`);
  }
}

function expectOk(result: ResolveResult): Extract<ResolveResult, { ok: true }> {
  assertOneLine(result);
  if (!result.ok) assert.fail(`expected ok, got error: ${result.error}`);
  return result;
}

function expectError(result: ResolveResult): string {
  assertOneLine(result);
  if (result.ok) assert.fail(`expected an error, got ${result.modelId}`);
  return result.error;
}

// ---------------------------------------------------------------------------------------------
// Catalog integrity

test("catalog: dated, sourced, unique IDs", () => {
  assert.match(CATALOG_CHECKED, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(SOURCES.length >= 5, "SOURCES.length >= 5");
  assert.equal(new Set(MODELS.map((m) => m.id)).size, MODELS.length);
  assert.equal(MODELS_BY_ID.size, MODELS.length);
  for (const model of MODELS) assert.ok(model.source.trim().length > 0, `${model.id} has no source note`);
});

test("catalog: lifecycle fields are consistent", () => {
  for (const model of MODELS) {
    for (const date of [model.eol, model.earliestEol])
      if (date !== null) assert.match(date, /^\d{4}-\d{2}-\d{2}$/, model.id);
    if (model.state === "legacy") assert.ok(model.eol, `legacy ${model.id} needs its EOL date`);
    if (model.state === "active") {
      assert.equal(model.eol, null, `active ${model.id} has an EOL date`);
      assert.equal(model.successor, null, `active ${model.id} has a successor`);
    } else {
      assert.ok(model.successor, `${model.state} ${model.id} needs a successor`);
      const successor = MODELS_BY_ID.get(model.successor!);
      assert.ok(successor, `${model.id}: successor ${model.successor} is not in the catalog`);
      assert.equal(successor.state, "active", `${model.id}: successor ${successor.id} is not active`);
    }
  }
});

test("catalog: every region it names is a known, well-formed region", () => {
  for (const region of KNOWN_REGIONS) assert.ok(isValidRegion(region), region);
  assert.equal(new Set(KNOWN_REGIONS).size, KNOWN_REGIONS.length);
  for (const geo of GEO_PREFIXES)
    for (const region of GEO_REGIONS[geo]) assert.ok(KNOWN_REGIONS.includes(region), `${geo}: ${region}`);
  for (const model of MODELS) {
    for (const region of model.onDemand)
      assert.ok(KNOWN_REGIONS.includes(region), `${model.id} on demand in ${region}`);
    for (const regions of Object.values(model.geoExtraRegions ?? {}))
      for (const region of regions) assert.ok(KNOWN_REGIONS.includes(region), region);
    for (const geo of model.unverifiedGeo ?? [])
      assert.ok(model.geo.includes(geo), `${model.id}: unverified ${geo} not offered`);
  }
});

test("catalog: Tokyo is apac. for older profiles and jp. for newer ones; Canada rides on us.", () => {
  assert.ok(GEO_REGIONS.apac.includes("ap-northeast-1"), 'GEO_REGIONS.apac.includes("ap-northeast-1")');
  assert.ok(GEO_REGIONS.jp.includes("ap-northeast-1"), 'GEO_REGIONS.jp.includes("ap-northeast-1")');
  assert.ok(!GEO_REGIONS.us.includes("ca-central-1"), "Canada must come from per-model data, not all us. profiles");
  assert.ok(GEO_REGIONS.apac.includes("ap-southeast-1"), "Singapore is in apac.");
  assert.ok(
    !GEO_REGIONS.jp.includes("ap-southeast-1") && !GEO_REGIONS.au.includes("ap-southeast-1"),
    '!GEO_REGIONS.jp.includes("ap-southeast-1") && !GEO_REGIONS.au.includes("ap-southeast-1")',
  );
});

test("catalog: the default model is Active, in the catalog, widest coverage and latest guaranteed life", () => {
  assert.equal(DEFAULT_MODEL_ID, "anthropic.claude-haiku-5-5");
  const model = MODELS_BY_ID.get(DEFAULT_MODEL_ID)!;
  assert.equal(model.state, "active");
  assert.deepEqual([...model.geo].sort(), ["au", "eu", "jp", "us"]);
  assert.equal(model.global, true);
  const latest = MODELS.filter((m) => m.state === "active" && m.earliestEol)
    .map((m) => m.earliestEol!)
    .sort()
    .at(-1);
  assert.equal(model.earliestEol, latest);
});

test("catalog: every base ID is itself a well-formed --model value", () => {
  for (const model of MODELS) {
    const result = expectOk(resolve(model.id, "us-east-1", { skipCatalog: true }));
    assert.equal(result.modelId, model.id);
  }
});

// ---------------------------------------------------------------------------------------------
// Every catalog entry against a spread of regions

const REGIONS = [
  "us-west-2",
  "us-east-1",
  "eu-central-1",
  "eu-west-2",
  "ap-northeast-1",
  "ap-southeast-2",
  "ap-southeast-1",
  "sa-east-1",
  "us-gov-west-1",
  "ca-central-1",
] as const;

// Cell = prefix the resolver must add, "base" (plain ID, on demand), "x" (error); "EOL" = refused everywhere.
// Columns:                                          usw2   use1   euc1   euw2   tokyo  sydney singap saopau gov    canada
const GEO_TABLE: Record<string, string> = {
  "anthropic.claude-haiku-5-5": "us     us     eu     eu     jp     au     global global x      us",
  "anthropic.claude-sonnet-5-5": "us     us     eu     eu     global global global global x      us",
  "anthropic.claude-opus-5-5": "us     us     eu     base   jp     au     global global x      us",
  "anthropic.claude-opus-5": "us     us     eu     eu     global au     global global x      us",
  "anthropic.claude-sonnet-5": "us     us     eu     eu     global au     global global x      us",
  "anthropic.claude-opus-4-8": "us     us     eu     eu     jp     au     global global x      us",
  "anthropic.claude-opus-4-7": "us     us     eu     eu     jp     au     global global x      us",
  "anthropic.claude-sonnet-4-6": "us     us     eu     base   jp     au     global global x      us",
  "anthropic.claude-opus-4-6-v1": "us     us     eu     base   global au     global global x      us",
  "anthropic.claude-haiku-4-5-20251001-v1:0": "us     us     eu     eu     jp     au     global global x      us",
  "anthropic.claude-opus-4-5-20251101-v1:0": "us     us     eu     eu     global global global global x      us",
  "anthropic.claude-sonnet-4-5-20250929-v1:0": "us     us     eu     eu     jp     au     global global us-gov us",
  "anthropic.claude-opus-4-1-20250805-v1:0": "us     us     x      x      x      x      x      x      x      x",
  "anthropic.claude-sonnet-4-20250514-v1:0": "EOL",
  "anthropic.claude-opus-4-20250514-v1:0": "EOL",
  "anthropic.claude-3-7-sonnet-20250219-v1:0": "EOL",
  "anthropic.claude-3-5-sonnet-20241022-v2:0": "EOL",
  "anthropic.claude-3-5-sonnet-20240620-v1:0": "EOL",
  "anthropic.claude-3-5-haiku-20241022-v1:0": "EOL",
  "anthropic.claude-3-opus-20240229-v1:0": "EOL",
  "anthropic.claude-3-sonnet-20240229-v1:0": "EOL",
  "anthropic.claude-3-haiku-20240307-v1:0": "EOL",
  "amazon.nova-2-lite-v1:0": "us     us     eu     eu     jp     global global global x      global",
  "amazon.nova-pro-v1:0": "us     base   eu     base   apac   base   apac   x      base   x",
  "amazon.nova-lite-v1:0": "base   base   eu     base   base   base   apac   x      base   x",
  "amazon.nova-micro-v1:0": "us     base   eu     base   x      base   x      x      base   x",
  "amazon.nova-premier-v1:0": "EOL",
  "meta.llama3-3-70b-instruct-v1:0": "us     us     x      x      x      x      x      x      x      x",
  "meta.llama4-maverick-17b-instruct-v1:0": "us     us     x      x      x      x      x      x      x      x",
  "meta.llama4-scout-17b-instruct-v1:0": "us     us     x      x      x      x      x      x      x      x",
  "meta.llama3-1-405b-instruct-v1:0": "EOL",
  "meta.llama3-2-90b-instruct-v1:0": "EOL",
  "meta.llama3-2-11b-instruct-v1:0": "EOL",
  "meta.llama3-2-3b-instruct-v1:0": "EOL",
  "meta.llama3-2-1b-instruct-v1:0": "EOL",
};

// Same with --inference-profile global: global. wherever the model has it, except from GovCloud.
const GLOBAL_TABLE: Record<string, string> = {
  "anthropic.claude-haiku-5-5": "global global global global global global global global x      global",
  "anthropic.claude-sonnet-5-5": "global global global global global global global global x      global",
  "anthropic.claude-opus-5-5": "global global global global global global global global x      global",
  "anthropic.claude-opus-5": "global global global global global global global global x      global",
  "anthropic.claude-sonnet-5": "global global global global global global global global x      global",
  "anthropic.claude-opus-4-8": "global global global global global global global global x      global",
  "anthropic.claude-opus-4-7": "global global global global global global global global x      global",
  "anthropic.claude-sonnet-4-6": "global global global global global global global global x      global",
  "anthropic.claude-opus-4-6-v1": "global global global global global global global global x      global",
  "anthropic.claude-haiku-4-5-20251001-v1:0": "global global global global global global global global x      global",
  "anthropic.claude-opus-4-5-20251101-v1:0": "global global global global global global global global x      global",
  "anthropic.claude-sonnet-4-5-20250929-v1:0": "global global global global global global global global us-gov global",
  "anthropic.claude-opus-4-1-20250805-v1:0": "us     us     x      x      x      x      x      x      x      x",
  "amazon.nova-2-lite-v1:0": "global global global global global global global global x      global",
  "amazon.nova-pro-v1:0": "us     base   eu     base   apac   base   apac   x      base   x",
  "amazon.nova-lite-v1:0": "base   base   eu     base   base   base   apac   x      base   x",
  "amazon.nova-micro-v1:0": "us     base   eu     base   x      base   x      x      base   x",
  "meta.llama3-3-70b-instruct-v1:0": "us     us     x      x      x      x      x      x      x      x",
  "meta.llama4-maverick-17b-instruct-v1:0": "us     us     x      x      x      x      x      x      x      x",
  "meta.llama4-scout-17b-instruct-v1:0": "us     us     x      x      x      x      x      x      x      x",
};

const PROFILE_NAME: Record<string, string> = {
  us: "US",
  eu: "EU",
  apac: "APAC",
  jp: "Japan",
  au: "Australia",
  "us-gov": "US GovCloud",
};

function cells(row: string): string[] {
  const parts = row.trim().split(/\s+/);
  if (parts.length === 1 && parts[0] === "EOL") return REGIONS.map(() => "EOL");
  assert.equal(parts.length, REGIONS.length, `row has ${parts.length} cells: ${row}`);
  return parts;
}

test("tables cover exactly the catalog (a new model needs expectations)", () => {
  assert.deepEqual(Object.keys(GEO_TABLE).sort(), MODELS.map((m) => m.id).sort());
  const live = MODELS.filter((m) => m.state !== "eol")
    .map((m) => m.id)
    .sort();
  assert.deepEqual(Object.keys(GLOBAL_TABLE).sort(), live);
});

for (const [profile, table] of [
  ["geo", GEO_TABLE],
  ["global", GLOBAL_TABLE],
] as const) {
  for (const [id, row] of Object.entries(table)) {
    const expected = cells(row);
    REGIONS.forEach((region, column) => {
      const cell = expected[column]!;
      test(`${profile}: ${id} in ${region} → ${cell === "base" ? id : cell === "x" || cell === "EOL" ? cell : `${cell}.${id}`}`, () => {
        const result = resolve(id, region, { profile });
        const model = MODELS_BY_ID.get(id)!;
        if (cell === "EOL") {
          const error = expectError(result);
          assert.match(error, /^--model /);
          assert.ok(error.includes("end of life"), error);
          assert.ok(error.includes(`--model ${model.successor}`), `names successor: ${error}`);
          assert.ok(error.includes("--skip-model-check"), error);
          return;
        }
        if (cell === "x") {
          const error = expectError(result);
          assert.ok(error.startsWith(`--model ${id} (${model.label}) cannot be called from --region ${region}`), error);
          // Names at least one region that would work.
          assert.match(error, /use --region [a-z]{2}(-gov)?-[a-z]+-\d/, error);
          return;
        }
        const ok = expectOk(result);
        const modelId = cell === "base" ? id : `${cell}.${id}`;
        assert.equal(ok.modelId, modelId);
        assert.equal(ok.label, model.label);
        const main = ok.notes[0]!;
        if (cell === "base") assert.equal(main, `using ${id} — ${model.label} is served on demand in ${region}`);
        else if (cell === "global" && profile === "global")
          assert.ok(
            main.startsWith(`using ${modelId} — the global inference profile of ${model.label}, as asked`),
            main,
          );
        else if (cell === "global")
          assert.ok(
            main.startsWith(
              `using ${modelId} — ${model.label} has no geographic inference profile in ${region}, so it is served there only through the global profile`,
            ),
            main,
          );
        else
          assert.equal(
            main,
            `using ${modelId} — ${model.label} is served in ${region} only through the ${PROFILE_NAME[cell]} inference profile`,
          );
        // Legacy models always warn, active ones never do about lifecycle.
        const lifecycle = ok.warnings.filter((w) => w.includes("legacy"));
        assert.equal(lifecycle.length, model.state === "legacy" ? 1 : 0, ok.warnings.join(" | "));
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Specific notes and errors

test("the main note matches the documented wording", () => {
  const result = expectOk(resolve("anthropic.claude-haiku-4-5-20251001-v1:0", "us-west-2"));
  assert.equal(
    result.notes[0],
    "using us.anthropic.claude-haiku-4-5-20251001-v1:0 — Claude Haiku 4.5 is served in us-west-2 only through the US inference profile",
  );
  assert.deepEqual(result.warnings, []);
});

test("geo choice mentions the global alternative (and its price for Claude)", () => {
  const claude = expectOk(resolve("anthropic.claude-haiku-5-5", "eu-central-1"));
  assert.ok(
    claude.notes.some(
      (n) =>
        n.includes("--inference-profile global") &&
        n.includes("global.anthropic.claude-haiku-5-5") &&
        n.includes("10%"),
    ),
    claude.notes.join(" | "),
  );
  const nova = expectOk(resolve("amazon.nova-2-lite-v1:0", "us-east-1"));
  assert.ok(
    nova.notes.some((n) => n.includes("global.amazon.nova-2-lite-v1:0") && !n.includes("10%")),
    nova.notes.join(" | "),
  );
  const noGlobal = expectOk(resolve("amazon.nova-pro-v1:0", "us-west-2"));
  assert.ok(!noGlobal.notes.some((n) => n.includes("--inference-profile global")), noGlobal.notes.join(" | "));
});

test("Singapore and São Paulo: global. only, and the note says so", () => {
  for (const region of ["ap-southeast-1", "sa-east-1"]) {
    const result = expectOk(resolve("anthropic.claude-sonnet-4-6", region));
    assert.equal(result.modelId, "global.anthropic.claude-sonnet-4-6");
    assert.ok(result.notes[0]!.includes(`no geographic inference profile in ${region}`), String(result.notes[0]));
  }
});

test("GovCloud with --inference-profile global falls back to the geography profile with a note", () => {
  const result = expectOk(resolve("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov-east-1", { profile: "global" }));
  assert.equal(result.modelId, "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0");
  assert.ok(
    result.notes.some((n) => n.includes("not available from GovCloud")),
    result.notes.join(" | "),
  );
  assert.ok(
    result.warnings.some(
      (w) => w.includes("us-gov. profile") && w.includes("list-inference-profiles --region us-gov-east-1"),
    ),
    result.warnings.join(" | "),
  );
});

test("GovCloud with --inference-profile global and an on-demand model uses the base ID with a note", () => {
  const result = expectOk(resolve("amazon.nova-pro-v1:0", "us-gov-west-1", { profile: "global" }));
  assert.equal(result.modelId, "amazon.nova-pro-v1:0");
  assert.ok(
    result.notes.some((n) => n.includes("Amazon Nova Pro has no global inference profile")),
    result.notes.join(" | "),
  );
});

test("a model without global. keeps its geo profile under --inference-profile global, with a note", () => {
  const result = expectOk(resolve("meta.llama3-3-70b-instruct-v1:0", "us-west-2", { profile: "global" }));
  assert.equal(result.modelId, "us.meta.llama3-3-70b-instruct-v1:0");
  assert.ok(
    result.notes.some((n) => n.includes("has no global inference profile")),
    result.notes.join(" | "),
  );
});

test("unreachable: the error names working regions and a model that works in the region", () => {
  const gov = expectError(resolve("anthropic.claude-haiku-5-5", "us-gov-west-1"));
  assert.ok(gov.includes("cannot be called from GovCloud"), gov);
  assert.ok(gov.includes("use --region us-east-1"), gov);
  assert.ok(gov.includes("--model amazon.nova-pro-v1:0 (Amazon Nova Pro), which works in us-gov-west-1"), gov);

  const micro = expectError(resolve("amazon.nova-micro-v1:0", "us-gov-east-1"));
  assert.ok(micro.includes("use --region us-gov-west-1,"), `same partition first: ${micro}`);

  const opus41 = expectError(resolve("anthropic.claude-opus-4-1-20250805-v1:0", "eu-central-1"));
  assert.ok(opus41.includes("no global. profile"), opus41);
  assert.ok(opus41.includes("--model anthropic.claude-haiku-5-5"), `suggests an active model first: ${opus41}`);

  const global = expectError(resolve("amazon.nova-micro-v1:0", "sa-east-1", { profile: "global" }));
  assert.ok(global.includes("(with --inference-profile global)"), global);
});

test("Haiku 4.5 in Tokyo uses jp. with a warning that not every source lists it", () => {
  const result = expectOk(resolve("anthropic.claude-haiku-4-5-20251001-v1:0", "ap-northeast-3"));
  assert.equal(result.modelId, "jp.anthropic.claude-haiku-4-5-20251001-v1:0");
  assert.equal(result.warnings.length, 1);
  assert.ok(
    result.warnings[0]!.includes("jp. profile of Claude Haiku 4.5 is not confirmed"),
    String(result.warnings[0]),
  );
  // A fully sourced jp. profile gives no such warning.
  assert.deepEqual(expectOk(resolve("anthropic.claude-haiku-5-5", "ap-northeast-1")).warnings, []);
});

test("Nova Lite in Singapore uses apac. (unverified) while Nova Pro's apac. is not flagged", () => {
  const lite = expectOk(resolve("amazon.nova-lite-v1:0", "ap-southeast-1"));
  assert.equal(lite.modelId, "apac.amazon.nova-lite-v1:0");
  assert.ok(
    lite.warnings.some((w) => w.includes("apac. profile of Amazon Nova Lite is not confirmed")),
    lite.warnings.join(" | "),
  );
  assert.deepEqual(expectOk(resolve("amazon.nova-pro-v1:0", "ap-southeast-1")).warnings, []);
});

test("other Canadian and Australian regions follow the per-model data", () => {
  assert.equal(expectOk(resolve("anthropic.claude-haiku-5-5", "ca-west-1")).modelId, "us.anthropic.claude-haiku-5-5");
  assert.equal(
    expectOk(resolve("anthropic.claude-haiku-5-5", "ap-southeast-4")).modelId,
    "au.anthropic.claude-haiku-5-5",
  );
  assert.equal(expectOk(resolve("amazon.nova-pro-v1:0", "ap-northeast-2")).modelId, "apac.amazon.nova-pro-v1:0");
  assert.equal(expectOk(resolve("amazon.nova-pro-v1:0", "me-central-1")).modelId, "amazon.nova-pro-v1:0");
  assert.equal(
    expectOk(resolve("anthropic.claude-opus-4-1-20250805-v1:0", "us-west-1")).modelId,
    "us.anthropic.claude-opus-4-1-20250805-v1:0",
  );
  expectError(resolve("anthropic.claude-opus-4-1-20250805-v1:0", "ca-central-1"));
  expectError(resolve("meta.llama3-3-70b-instruct-v1:0", "ca-central-1"));
});

// ---------------------------------------------------------------------------------------------
// Lifecycle over time (injected today)

test("legacy: warns with the EOL date and the successor", () => {
  const result = expectOk(resolve("anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1"));
  assert.deepEqual(result.warnings, [
    "Claude Sonnet 4.5 is a legacy model on Bedrock and reaches end of life on 2027-04-08; consider --model anthropic.claude-sonnet-5-5 (Claude Sonnet 5.5)",
  ]);
});

const LEGACY_TURNING_EOL: [id: string, eol: string, successor: string][] = [
  ["anthropic.claude-opus-4-1-20250805-v1:0", "2027-01-08", "anthropic.claude-opus-5-5"],
  ["anthropic.claude-sonnet-4-5-20250929-v1:0", "2027-04-08", "anthropic.claude-sonnet-5-5"],
  ["meta.llama3-3-70b-instruct-v1:0", "2027-03-30", "amazon.nova-2-lite-v1:0"],
  ["meta.llama4-maverick-17b-instruct-v1:0", "2027-03-30", "amazon.nova-2-lite-v1:0"],
  ["meta.llama4-scout-17b-instruct-v1:0", "2027-03-30", "amazon.nova-2-lite-v1:0"],
];

for (const [id, eol, successor] of LEGACY_TURNING_EOL) {
  const dayBefore = new Date(Date.parse(`${eol}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  test(`${id}: legacy on ${dayBefore}, refused from ${eol} on`, () => {
    const before = expectOk(resolve(id, "us-east-1", { today: dayBefore }));
    assert.ok(
      before.warnings.some((w) => w.includes(`reaches end of life on ${eol}`) && w.includes(`--model ${successor}`)),
      before.warnings.join(" | "),
    );
    for (const today of [eol, "2030-01-01"]) {
      const error = expectError(resolve(id, "us-east-1", { today }));
      assert.ok(error.includes(`reached end of life on Bedrock on ${eol}`), error);
      assert.ok(error.includes(`use --model ${successor}`), error);
      assert.ok(error.includes("--skip-model-check"), error);
    }
  });
}

test("EOL by state is refused even when today is before the recorded date", () => {
  const error = expectError(resolve("anthropic.claude-3-haiku-20240307-v1:0", "us-east-1", { today: "2026-01-01" }));
  assert.equal(
    error,
    "--model anthropic.claude-3-haiku-20240307-v1:0: Claude 3 Haiku reached end of life on Bedrock on 2026-09-10 and calls to it fail; use --model anthropic.claude-haiku-5-5 (Claude Haiku 5.5) instead, or pass --skip-model-check if your account still has access",
  );
});

test("EOL with no recorded date still names the successor", () => {
  const error = expectError(resolve("anthropic.claude-3-opus-20240229-v1:0", "us-east-1"));
  assert.ok(error.includes("Claude 3 Opus reached end of life on Bedrock and calls"), error);
  assert.ok(error.includes("--model anthropic.claude-opus-5-5"), error);
});

test("an Active model past its promised date, after the catalog check, gets a warning", () => {
  const before = expectOk(resolve("anthropic.claude-opus-4-6-v1", "us-east-1", { today: "2027-02-05" }));
  assert.ok(!before.warnings.some((w) => w.includes("only promised")), before.warnings.join(" | "));
  const after = expectOk(resolve("anthropic.claude-opus-4-6-v1", "us-east-1", { today: "2027-02-06" }));
  assert.ok(
    after.warnings.some((w) => w.includes("only promised until 2027-02-05")),
    after.warnings.join(" | "),
  );
  // Haiku 4.5's date predates the check, which saw no notice: no warning on the check day.
  assert.deepEqual(expectOk(resolve("anthropic.claude-haiku-4-5-20251001-v1:0", "us-east-1")).warnings, []);
});

test("a catalog older than 180 days warns", () => {
  const fresh = expectOk(resolve("amazon.nova-pro-v1:0", "us-east-1", { today: "2027-05-21" }));
  assert.deepEqual(fresh.warnings, []);
  const stale = expectOk(resolve("amazon.nova-pro-v1:0", "us-east-1", { today: "2027-05-22" }));
  assert.ok(
    stale.warnings.some((w) => w.includes(`checked on ${CATALOG_CHECKED} (181 days ago)`)),
    stale.warnings.join(" | "),
  );
});

test("today must be YYYY-MM-DD (a programming error, not user input)", () => {
  assert.throws(() => resolve("anthropic.claude-haiku-5-5", "us-east-1", { today: "22/11/2026" }), TypeError);
});

// ---------------------------------------------------------------------------------------------
// Prefixed IDs

const PREFIXED: [model: string, region: string, warning: string | null][] = [
  ["us.anthropic.claude-haiku-5-5", "us-west-2", null],
  ["us.anthropic.claude-haiku-5-5", "ca-central-1", null],
  ["eu.anthropic.claude-haiku-5-5", "eu-west-2", null],
  ["jp.anthropic.claude-opus-4-7", "ap-northeast-1", null],
  ["au.anthropic.claude-sonnet-5", "ap-southeast-2", null],
  ["apac.amazon.nova-pro-v1:0", "ap-southeast-1", null],
  ["global.anthropic.claude-haiku-5-5", "sa-east-1", null],
  ["global.anthropic.claude-haiku-5-5", "us-east-1", null],
  ["eu.anthropic.claude-haiku-5-5", "us-west-2", "the eu. profile is called from eu-central-1"],
  ["us.anthropic.claude-haiku-5-5", "eu-central-1", "not from --region eu-central-1"],
  ["jp.anthropic.claude-haiku-5-5", "ap-southeast-1", "not from --region ap-southeast-1"],
  ["apac.amazon.nova-pro-v1:0", "ap-southeast-4", "not from --region ap-southeast-4"],
  ["us.amazon.nova-micro-v1:0", "ca-central-1", "not from --region ca-central-1"],
  ["global.anthropic.claude-haiku-5-5", "us-gov-west-1", "GovCloud has no global profile"],
  ["global.amazon.nova-micro-v1:0", "us-east-1", "lists no global. profile for Amazon Nova Micro"],
  ["au.anthropic.claude-sonnet-5-5", "ap-southeast-2", "lists no au. profile for Claude Sonnet 5.5"],
  ["apac.anthropic.claude-haiku-5-5", "ap-northeast-1", "lists no apac. profile for Claude Haiku 5.5"],
  ["jp.anthropic.claude-haiku-4-5-20251001-v1:0", "ap-northeast-1", "jp. profile of Claude Haiku 4.5 is not confirmed"],
];

for (const [model, region, warning] of PREFIXED) {
  test(`prefixed ${model} in ${region} is kept${warning ? " with a warning" : ""}`, () => {
    const result = expectOk(resolve(model, region));
    assert.equal(result.modelId, model);
    assert.equal(result.label, MODELS_BY_ID.get(model.slice(model.indexOf(".") + 1))!.label);
    assert.ok(result.notes[0]!.startsWith(`using ${model} as given`), result.notes[0]);
    if (warning === null) assert.deepEqual(result.warnings, []);
    else {
      assert.equal(result.warnings.length, 1, result.warnings.join(" | "));
      assert.ok(result.warnings[0]!.includes(warning), result.warnings[0]);
    }
  });
}

test("prefixed IDs are kept under --inference-profile global too", () => {
  assert.equal(
    expectOk(resolve("us.anthropic.claude-haiku-5-5", "us-east-1", { profile: "global" })).modelId,
    "us.anthropic.claude-haiku-5-5",
  );
});

test("prefixed IDs still get the lifecycle check on their base", () => {
  const eol = expectError(resolve("us.anthropic.claude-3-7-sonnet-20250219-v1:0", "us-east-1"));
  assert.ok(
    eol.startsWith("--model us.anthropic.claude-3-7-sonnet-20250219-v1:0: Claude 3.7 Sonnet reached end of life"),
    eol,
  );
  assert.ok(eol.includes("--model anthropic.claude-sonnet-5-5"), eol);
  expectError(resolve("eu.anthropic.claude-3-haiku-20240307-v1:0", "eu-west-1"));
  expectError(resolve("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov-west-1", { today: "2027-04-08" }));

  const legacy = expectOk(resolve("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov-east-1"));
  assert.equal(legacy.modelId, "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0");
  assert.equal(legacy.warnings.length, 2);
  assert.ok(legacy.warnings[0]!.includes("legacy"), String(legacy.warnings[0]));
  assert.ok(
    legacy.warnings[1]!.includes("us-gov. profile of Claude Sonnet 4.5 is not confirmed"),
    String(legacy.warnings[1]),
  );
});

test("a known prefix on an unknown base is refused as unknown, naming --skip-model-check; with it, kept as given", () => {
  for (const id of ["us.vendor.some-model-v1:0", "eu.vendor.some-model-v1:0"]) {
    const result = resolve(id, "us-east-1");
    const error = expectError(result);
    assert.equal(
      error,
      `--model ${id} is not in the model catalog (a model newer than the catalog of ${CATALOG_CHECKED} needs --skip-model-check, which uses it as given)`,
    );
    assert.equal(!result.ok && result.unknownModel, true);
    assert.equal(expectOk(resolve(id, "us-east-1", { skipCatalog: true })).modelId, id);
  }
});

test("an unknown prefix is not treated as a profile: refused, naming the base ID to give instead", () => {
  const result = resolve("ca.anthropic.claude-haiku-5-5", "ca-central-1");
  const error = expectError(result);
  assert.ok(error.includes("ca. is not a known inference-profile prefix"), error);
  assert.ok(error.includes("--model anthropic.claude-haiku-5-5"), error);
  assert.ok(error.includes("--skip-model-check"), error);
  assert.equal(!result.ok && result.unknownModel, true);
  const skipped = expectOk(resolve("ca.anthropic.claude-haiku-5-5", "ca-central-1", { skipCatalog: true }));
  assert.equal(skipped.modelId, "ca.anthropic.claude-haiku-5-5");
  // …and a retired model behind it is refused as retired.
  const retired = expectError(resolve("in.anthropic.claude-3-5-haiku-20241022-v1:0", "ap-south-1"));
  assert.match(retired, /Claude 3\.5 Haiku reached end of life/);
});

// ---------------------------------------------------------------------------------------------
// ARNs

const GOOD_ARNS: [arn: string, region: string, label: string, regionWarning: boolean][] = [
  ["arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0", "us-east-1", "Amazon Nova Pro", false],
  [
    "arn:aws:bedrock:us-east-1:123456789012:foundation-model/amazon.nova-pro-v1:0",
    "us-east-1",
    "Amazon Nova Pro",
    false,
  ],
  [
    "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-haiku-5-5",
    "us-west-2",
    "Claude Haiku 5.5",
    false,
  ],
  [
    "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-5-5",
    "us-west-2",
    "Claude Haiku 5.5",
    true,
  ],
  [
    "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
    "eu-west-1",
    "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
    false,
  ],
  [
    "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123xyz",
    "us-east-1",
    "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123xyz",
    false,
  ],
  [
    "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "us-gov-west-1",
    "Claude Sonnet 4.5",
    false,
  ],
];

for (const [arn, region, label, regionWarning] of GOOD_ARNS) {
  test(`ARN kept: ${arn} (${region})`, () => {
    const result = expectOk(resolve(arn, region));
    assert.equal(result.modelId, arn);
    assert.equal(result.label, label);
    assert.ok(result.notes[0]!.startsWith("using the ARN as given"), result.notes[0]);
    assert.equal(
      result.warnings.some((w) => w.includes(`but --region is ${region}`)),
      regionWarning,
    );
  });
}

test("an ARN of a retired model is refused; of a legacy one, warned", () => {
  expectError(
    resolve("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0", "us-east-1"),
  );
  expectError(
    resolve(
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "us-east-1",
    ),
  );
  const legacy = expectOk(
    resolve("arn:aws:bedrock:us-east-2::foundation-model/meta.llama3-3-70b-instruct-v1:0", "us-east-2"),
  );
  assert.ok(
    legacy.warnings.some((w) => w.includes("legacy")),
    legacy.warnings.join(" | "),
  );
});

const BAD_ARNS = [
  "arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude-haiku-5-5",
  "arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-haiku-5-5",
  "arn:aws:bedrock:us-east-1::application-inference-profile/abc",
  "arn:aws:s3:::my-bucket",
  "arn:aws:bedrock:us-east-1:123456789012:agent/ABCDEFGHIJ",
  "arn:aws-us-gov:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-5-5",
  "arn:aws:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-haiku-5-5",
  "arn:aws:bedrock:US-EAST-1::foundation-model/amazon.nova-pro-v1:0",
  "arn:aws:bedrock:us-east-1::foundation-model/Amazon.Nova-Pro",
  "arn:aws:bedrock:us-east-1::foundation-model/",
  "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova pro",
  "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0\n",
  "arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.nova-pro-v1:0",
];

for (const arn of BAD_ARNS) {
  test(`malformed ARN refused: ${JSON.stringify(arn)}`, () => {
    const error = expectError(resolve(arn, "us-east-1"));
    assert.match(
      error,
      /^--model ".*" (is not a Bedrock model ARN|has no valid region|needs a 12-digit account|has an invalid resource ID)/,
    );
    assert.ok(error.includes("inference-profile/<id>"), error);
  });
}

// ---------------------------------------------------------------------------------------------
// Unknown and malformed IDs

const UNKNOWN_WELL_FORMED = [
  "vendor.model-name-v1:0",
  "cohere.command-r-plus-v1:0",
  "mistral.mistral-large-2407-v1:0",
  "openai.gpt-oss-120b-1:0",
  "deepseek.r1-v1:0",
  "amazon.nova-2-pro-v1:0",
  "ai21.jamba-1-5-large-v1:0",
];

for (const id of UNKNOWN_WELL_FORMED) {
  test(`unknown but well-formed ID refused unless --skip-model-check, which keeps it as given: ${id}`, () => {
    for (const profile of ["geo", "global"] as const) {
      const result = resolve(id, "us-west-2", { profile });
      const error = expectError(result);
      assert.ok(error.startsWith(`--model ${id} is not in the model catalog`), error);
      assert.ok(
        error.endsWith(
          `(a model newer than the catalog of ${CATALOG_CHECKED} needs --skip-model-check, which uses it as given)`,
        ),
        error,
      );
      assert.equal(!result.ok && result.unknownModel, true);
      const skipped = expectOk(resolve(id, "us-west-2", { profile, skipCatalog: true }));
      assert.equal(skipped.modelId, id);
      assert.equal(skipped.requestedId, id);
    }
  });
}

const MALFORMED = [
  "",
  " ",
  "\t",
  "Anthropic.claude-haiku-5-5",
  "anthropic.Claude-Haiku-5-5",
  "anthropic.claude haiku",
  " anthropic.claude-haiku-5-5",
  "anthropic.claude-haiku-5-5 ",
  "anthropic.claude-haiku-5-5\n",
  "anthropic.claude-haiku-5-5\nregion: us-east-1",
  "anthropic.claude-haiku-5-5\r\n",
  '"anthropic.claude-haiku-5-5"',
  "'anthropic.claude-haiku-5-5'",
  'anthropic.claude-haiku-5-5"; echo pwned',
  "$(rm -rf /)",
  "a.b$(rm -rf /)",
  "a.b`id`",
  "a.b;rm -rf /",
  "a.b|cat",
  "a.b&&true",
  "a.b>out",
  "a.b: #comment",
  "a.b:#x",
  "key: value",
  "{{model}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: text that looks like a substitution
  "${MODEL_ID}",
  "%s.%d",
  "a.b\\c",
  "../etc/passwd",
  "x/y.z",
  "nodot",
  "-rf.x",
  ".hidden",
  "x.",
  "x..y",
  "x.y-",
  "x.y:",
  "a.b\u0000",
  "a.b\u001b[31m",
  "a.b\u2028c",
  "a.b\u00e9",
  "a.b🙂",
  "x.".padEnd(2100, "a"),
];

for (const bad of MALFORMED) {
  test(`malformed --model refused: ${JSON.stringify(bad).slice(0, 60)}`, () => {
    for (const skipCatalog of [false, true]) {
      const error = expectError(resolve(bad, "us-east-1", { skipCatalog }));
      assert.match(error, /^--model /);
      assert.ok(error.includes("anthropic.claude-haiku-5-5"), `shows a valid example: ${error}`);
      // The user's text is quoted and escaped, never echoed raw.
      if (bad.length > 0 && bad.length <= 80 && /[\n"\\]/.test(bad)) assert.ok(!error.includes(bad), error);
    }
  });
}

test("malformed input is shown quoted and escaped", () => {
  const error = expectError(resolve('a.b\n$(rm -rf /)"', "us-east-1"));
  assert.ok(error.startsWith(String.raw`--model "a.b\n$(rm -rf /)\"" is not a valid Bedrock model ID`), error);
  const long = expectError(resolve("x.".padEnd(2100, "a"), "us-east-1"));
  assert.ok(long.includes("2100 characters"), long);
  assert.ok(long.length < 400, "long input is not echoed in full");
});

// ---------------------------------------------------------------------------------------------
// Regions

test("isValidRegion: shape check", () => {
  for (const good of ["us-west-2", "eu-central-1", "us-gov-west-1", "ap-southeast-12", "xx-moon-1"])
    assert.equal(isValidRegion(good), true, good);
  for (const bad of [
    "",
    "US-WEST-2",
    "us-west",
    "uswest2",
    "us-west-2 ",
    "us-west-2\n",
    "us_west_2",
    "us-west-123",
    "usa-west-1",
    "us-gov-west",
    "global",
    "us-west-2a",
  ]) {
    assert.equal(isValidRegion(bad), false, JSON.stringify(bad));
  }
});

test("a malformed --region is an error naming --region, even with the catalog bypassed", () => {
  for (const skipCatalog of [false, true]) {
    const error = expectError(resolve("anthropic.claude-haiku-5-5", "US-WEST-2\n", { skipCatalog }));
    assert.ok(error.startsWith(String.raw`--region "US-WEST-2\n" is not an AWS region name`), error);
  }
});

test("a well-formed but unknown region warns; global. still applies to it", () => {
  const result = expectOk(resolve("anthropic.claude-haiku-5-5", "xx-moon-1"));
  assert.equal(result.modelId, "global.anthropic.claude-haiku-5-5");
  assert.ok(
    result.warnings.some((w) => w.includes("xx-moon-1 is not in the list of known AWS regions")),
    result.warnings.join(" | "),
  );
  expectError(resolve("amazon.nova-pro-v1:0", "xx-moon-1"));
});

// ---------------------------------------------------------------------------------------------
// skipCatalog

test("skipCatalog keeps any well-formed ID as given, with a note and no checks", () => {
  const cases: [model: string, region: string][] = [
    ["anthropic.claude-3-7-sonnet-20250219-v1:0", "us-east-1"],
    ["anthropic.claude-haiku-5-5", "us-west-2"],
    ["eu.anthropic.claude-haiku-5-5", "us-west-2"],
    ["global.anthropic.claude-haiku-5-5", "us-gov-west-1"],
    ["vendor.model-name-v1:0", "us-east-1"],
    ["arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3", "us-east-1"],
  ];
  for (const [model, region] of cases) {
    for (const profile of ["geo", "global"] as const) {
      const result = expectOk(resolve(model, region, { skipCatalog: true, profile }));
      assert.equal(result.modelId, model);
      assert.deepEqual(result.warnings, []);
      assert.equal(result.notes.length, 1);
      assert.ok(result.notes[0]!.includes("model catalog bypassed (--skip-model-check)"), result.notes[0]);
    }
  }
  assert.equal(
    expectOk(resolve("anthropic.claude-haiku-5-5", "us-west-2", { skipCatalog: true })).label,
    "Claude Haiku 5.5",
  );
});

// ---------------------------------------------------------------------------------------------
// modelChoices

test("modelChoices: default first, Active then Legacy, EOL hidden", () => {
  const choices = modelChoices(TODAY);
  assert.deepEqual(
    choices.map((c) => c.value),
    [
      "anthropic.claude-haiku-5-5",
      "anthropic.claude-sonnet-5-5",
      "anthropic.claude-opus-5-5",
      "anthropic.claude-opus-5",
      "anthropic.claude-sonnet-5",
      "anthropic.claude-opus-4-8",
      "anthropic.claude-opus-4-7",
      "anthropic.claude-sonnet-4-6",
      "anthropic.claude-opus-4-6-v1",
      "anthropic.claude-haiku-4-5-20251001-v1:0",
      "anthropic.claude-opus-4-5-20251101-v1:0",
      "amazon.nova-2-lite-v1:0",
      "amazon.nova-pro-v1:0",
      "amazon.nova-lite-v1:0",
      "amazon.nova-micro-v1:0",
      "anthropic.claude-sonnet-4-5-20250929-v1:0",
      "anthropic.claude-opus-4-1-20250805-v1:0",
      "meta.llama3-3-70b-instruct-v1:0",
      "meta.llama4-maverick-17b-instruct-v1:0",
      "meta.llama4-scout-17b-instruct-v1:0",
    ],
  );
  assert.equal(choices[0]!.label, "Claude Haiku 5.5");
  assert.ok(choices[0]!.hint.includes("recommended"), 'choices[0]!.hint.includes("recommended")');
  assert.equal(
    choices.find((c) => c.value === "anthropic.claude-sonnet-4-5-20250929-v1:0")!.label,
    "Claude Sonnet 4.5 (legacy, end of life 2027-04-08)",
  );
  for (const choice of choices) {
    const model = MODELS_BY_ID.get(choice.value)!;
    assert.equal(choice.label.includes("(legacy, end of life"), model.state === "legacy", choice.label);
    assert.ok(choice.hint.length > 0, "choice.hint.length > 0");
  }
});

test("modelChoices: a legacy model disappears once today reaches its EOL date", () => {
  const values = (today: string) => modelChoices(today).map((c) => c.value);
  assert.ok(
    values("2027-01-07").includes("anthropic.claude-opus-4-1-20250805-v1:0"),
    'values("2027-01-07").includes("anthropic.claude-opus-4-1-20250805-v1:0")',
  );
  assert.ok(
    !values("2027-01-08").includes("anthropic.claude-opus-4-1-20250805-v1:0"),
    '!values("2027-01-08").includes("anthropic.claude-opus-4-1-20250805-v1:0")',
  );
  assert.ok(
    values("2027-01-08").includes("anthropic.claude-sonnet-4-5-20250929-v1:0"),
    'values("2027-01-08").includes("anthropic.claude-sonnet-4-5-20250929-v1:0")',
  );
  const later = values("2027-04-08");
  assert.ok(
    !later.includes("anthropic.claude-sonnet-4-5-20250929-v1:0"),
    '!later.includes("anthropic.claude-sonnet-4-5-20250929-v1:0")',
  );
  assert.ok(!later.some((v) => v.startsWith("meta.")), "all Llama retired 2027-03-30");
  assert.equal(later[0], DEFAULT_MODEL_ID);
  assert.equal(later.length, 15);
});

test("every picker choice resolves for a US region", () => {
  for (const choice of modelChoices(TODAY)) {
    const result = expectOk(resolve(choice.value, "us-east-1"));
    assert.ok(result.modelId.endsWith(choice.value), "result.modelId.endsWith(choice.value)");
  }
});

// ---------------------------------------------------------------------------------------------
// Short IDs, lookalikes, and the models of one region

test("a unique start of a catalog ID resolves to the full ID and says so", () => {
  const cases: [typed: string, region: string, full: string, modelId: string][] = [
    [
      "anthropic.claude-sonnet-4-5",
      "us-west-2",
      "anthropic.claude-sonnet-4-5-20250929-v1:0",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    ],
    [
      "anthropic.claude-haiku-4-5",
      "eu-central-1",
      "anthropic.claude-haiku-4-5-20251001-v1:0",
      "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
    ],
    ["anthropic.claude-opus-4-6", "us-east-1", "anthropic.claude-opus-4-6-v1", "us.anthropic.claude-opus-4-6-v1"],
    [
      "us.anthropic.claude-sonnet-4-5",
      "us-east-1",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    ],
    ["meta.llama4-scout", "us-east-1", "meta.llama4-scout-17b-instruct-v1:0", "us.meta.llama4-scout-17b-instruct-v1:0"],
  ];
  for (const [typed, region, full, modelId] of cases) {
    const result = expectOk(resolve(typed, region));
    assert.equal(result.modelId, modelId, typed);
    assert.equal(result.requestedId, full, typed);
    assert.equal(result.label, MODELS_BY_ID.get(full.replace(/^us\./, ""))!.label);
    assert.equal(
      result.notes[0],
      `${typed} taken as ${full} (${result.label}), the one model ID in the catalog that starts with it`,
    );
    // The same as giving the full ID, but for that first note.
    const given = expectOk(resolve(full, region));
    assert.deepEqual(result.notes.slice(1), given.notes);
    assert.deepEqual(result.warnings, given.warnings);
  }
  // A full ID is its own requested ID; a prefix that ends mid-word is no completion.
  assert.equal(expectOk(resolve("anthropic.claude-haiku-5-5", "us-east-1")).requestedId, "anthropic.claude-haiku-5-5");
  assert.ok(expectError(resolve("anthropic.claude-son", "us-east-1")).includes("is not in the model catalog"));
  // An exact ID wins over being the start of a longer one (anthropic.claude-sonnet-5 / -5-5).
  assert.equal(expectOk(resolve("anthropic.claude-sonnet-5", "us-east-1")).modelId, "us.anthropic.claude-sonnet-5");
});

test("the start of several catalog IDs is refused, listing them", () => {
  const error = expectError(resolve("anthropic.claude-sonnet-4", "us-east-1"));
  assert.equal(
    error,
    "--model anthropic.claude-sonnet-4 is the start of 3 catalog IDs: anthropic.claude-sonnet-4-6 (Claude Sonnet 4.6), anthropic.claude-sonnet-4-5-20250929-v1:0 (Claude Sonnet 4.5), anthropic.claude-sonnet-4-20250514-v1:0 (Claude Sonnet 4, end of life); give one in full",
  );
  // A retired model's unique start is refused as retired.
  assert.match(expectError(resolve("anthropic.claude-3-haiku", "us-east-1")), /Claude 3 Haiku reached end of life/);
});

test("a known model without its provider, by its name or with a typo gets a did-you-mean", () => {
  const cases: [typed: string, expected: string][] = [
    [
      "claude-sonnet-4-5",
      `--model "claude-sonnet-4-5" has no provider prefix: did you mean anthropic.claude-sonnet-4-5-20250929-v1:0?`,
    ],
    ["claude-haiku-5-5", `--model "claude-haiku-5-5" has no provider prefix: did you mean anthropic.claude-haiku-5-5?`],
    ["nova-pro-v1:0", `--model "nova-pro-v1:0" has no provider prefix: did you mean amazon.nova-pro-v1:0?`],
  ];
  for (const [typed, expected] of cases) assert.equal(expectError(resolve(typed, "us-east-1")), expected);
  assert.ok(
    expectError(resolve("Claude Sonnet 4.5", "us-east-1")).includes(
      "did you mean anthropic.claude-sonnet-4-5-20250929-v1:0?",
    ),
  );
  assert.ok(
    expectError(resolve("Anthropic.Claude-Haiku-5-5", "us-east-1")).includes(
      "did you mean anthropic.claude-haiku-5-5?",
    ),
  );
  const typo = resolve("anthropic.claude-haiku-5-6", "us-east-1");
  assert.ok(expectError(typo).includes(": did you mean anthropic.claude-haiku-5-5? (a model newer"), expectError(typo));
  assert.equal(!typo.ok && typo.unknownModel, true);
  // A profile prefix typed is kept in the suggestion.
  assert.ok(
    expectError(resolve("us.claude-haiku-5-5", "us-east-1")).includes("did you mean us.anthropic.claude-haiku-5-5?"),
  );
  // Nothing close: no guess.
  assert.doesNotMatch(expectError(resolve("vendor.model-name-v1:0", "us-east-1")), /did you mean/);
  // Long input is cut before it is compared, and the message stays short.
  assert.ok(expectError(resolve(`claude-${"x".repeat(3000)}`, "us-east-1")).length < 600);
});

test("modelProblem: a given model checked before the region is known", () => {
  assert.equal(modelProblem("anthropic.claude-haiku-5-5", TODAY, false), undefined);
  assert.equal(modelProblem("anthropic.claude-sonnet-4-5", TODAY, false), undefined);
  assert.equal(modelProblem("meta.llama4-scout-17b-instruct-v1:0", TODAY, false), undefined);
  assert.equal(modelProblem("arn:aws:bedrock:us-east-1::foundation-model/x.y", TODAY, false), undefined);
  assert.equal(modelProblem("vendor.new-model-v9", TODAY, true), undefined);
  assert.equal(modelProblem("vendor.new-model-v9", TODAY, false)?.unknownModel, true);
  assert.match(modelProblem("anthropic.claude-3-7-sonnet-20250219-v1:0", TODAY, false)!.error, /end of life/);
  assert.match(modelProblem("Claude", TODAY, true)!.error, /not a valid Bedrock model ID/);
});

test("modelChoicesIn: only models callable from the region, each with the ID it would use, and how many are hidden", () => {
  const singapore = modelChoicesIn("ap-southeast-1", "geo", TODAY);
  const values = singapore.choices.map((choice) => choice.value);
  assert.equal(values[0], DEFAULT_MODEL_ID);
  assert.ok(!values.includes("meta.llama4-scout-17b-instruct-v1:0"), "Llama 4 Scout has only a us. profile");
  assert.ok(!values.includes("anthropic.claude-opus-4-1-20250805-v1:0"), "Opus 4.1 has only a us. profile");
  for (const choice of singapore.choices) {
    const result = expectOk(resolve(choice.value, "ap-southeast-1"));
    assert.ok(choice.hint.endsWith(`uses ${result.modelId}`), choice.hint);
  }
  const live = modelChoices(TODAY).length;
  assert.equal(singapore.hidden, live - singapore.choices.length);
  assert.ok(singapore.hidden > 0);
  // Oregon reaches every live model.
  const oregon = modelChoicesIn("us-west-2", "geo", TODAY);
  assert.equal(oregon.hidden, 0);
  assert.equal(oregon.choices.length, live);
  // GovCloud reaches few, and global. never.
  const gov = modelChoicesIn("us-gov-west-1", "global", TODAY);
  assert.ok(
    gov.choices.every((choice) => !choice.hint.includes("global.")),
    JSON.stringify(gov.choices),
  );
});

test("modelsInRegion: every catalog model, with the ID it would use or why not", () => {
  const entries = modelsInRegion("ap-southeast-1", "geo", TODAY);
  assert.equal(entries.length, MODELS.length);
  for (const entry of entries) {
    assert.equal(entry.whyNot === undefined, entry.result.ok, entry.model.id);
    assert.equal(
      entry.lifecycle === "eol",
      entry.model.state === "eol" || (entry.model.eol !== null && entry.model.eol <= TODAY),
    );
  }
  const scout = entries.find((entry) => entry.model.id === "meta.llama4-scout-17b-instruct-v1:0")!;
  assert.equal(
    scout.whyNot,
    "it has no on-demand region; its geography profiles (us.) do not cover ap-southeast-1; it has no global. profile; callable from us-east-1, us-east-2, us-west-1, us-west-2",
  );
  const retired = entries.find((entry) => entry.model.id === "anthropic.claude-3-7-sonnet-20250219-v1:0")!;
  assert.match(retired.whyNot!, /^reached end of life on 2026-04-28; use anthropic\./);
});
