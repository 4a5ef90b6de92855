/**
 * Turns what the user typed for --model into the ID the generated agent will call, for a region.
 * Pure: no I/O, no clock (the caller passes `today`), so every rule is table-testable.
 */

import { quoted } from "../escape.js";
import {
  CATALOG_CHECKED,
  type CatalogModel,
  DEFAULT_MODEL_ID,
  GEO_REGIONS,
  type GeoPrefix,
  KNOWN_REGIONS,
  MODELS,
  MODELS_BY_ID,
  PROFILE_NAMES,
  PROFILE_PREFIXES,
  type ProfilePrefix,
} from "./catalog.js";

export type ProfilePreference = "geo" | "global";

export interface ResolveInput {
  model: string;
  region: string;
  profile: ProfilePreference;
  /** YYYY-MM-DD; lifecycle checks compare against it. */
  today: string;
  /** --skip-model-check: keep any well-formed ID as given. */
  skipCatalog: boolean;
}

/** The model the agent calls, worked out once from --model, --region and --inference-profile. */
export interface ResolvedModel {
  /** The ID the generated agent calls, prefix included. */
  modelId: string;
  /** The catalog's name for it, else the ID. */
  label: string;
  /** The inference profile `modelId` is, when it is one given by prefix (`us.anthropic.x`); null for a base ID or an ARN. */
  profile: { id: string; geography: string; baseModelId: string } | null;
  /** One-line notes on what was chosen and why; repeated in the generated README. */
  notes: string[];
  /** Lines the user should read (legacy model, unknown region …). */
  warnings: string[];
  /** Of those, the model's end-of-life warnings (a legacy model), which the project's README repeats. */
  lifecycle: string[];
}

export type ResolveResult = ({ ok: true } & ResolvedModel) | { ok: false; error: string };

export interface ModelChoice {
  value: string;
  label: string;
  hint: string;
}

const SKIP_FLAG = "--skip-model-check";
const EXAMPLE_IDS = `anthropic.claude-haiku-5-5, us.anthropic.claude-haiku-4-5-20251001-v1:0 or arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-haiku-5-5`;
/** Bedrock's own limit for modelId (ARNs included). */
const MAX_MODEL_ID_LENGTH = 2048;
/** How a lifecycle warning names a legacy model's state (and how succeed() finds it). */
const LEGACY = " is a legacy model on Bedrock";
/** Past this age, every catalog answer carries a "check the catalog" warning. */
const STALE_CATALOG_DAYS = 180;

// vendor.model: lowercase, digits and . : _ -; starts and ends with a letter or digit.
const PLAIN_ID = /^[a-z0-9][a-z0-9-]*\.[a-z0-9](?:[a-z0-9.:_-]*[a-z0-9])?$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ARN =
  /^arn:(aws|aws-us-gov):bedrock:([^:]*):([^:]*):(foundation-model|inference-profile|application-inference-profile|provisioned-model)\/(.+)$/;
const ARN_RESOURCE = /^[a-z0-9](?:[a-z0-9.:_-]*[a-z0-9])?$/;

/** Shape check only: "us-west-2", "us-gov-west-1"; whether Bedrock is there is another matter. */
export function isValidRegion(region: string): boolean {
  return REGION.test(region);
}

export function resolveModel(input: ResolveInput): ResolveResult {
  const { model: raw, region, profile, today, skipCatalog } = input;
  if (!ISO_DATE.test(today)) throw new TypeError(`resolveModel: today must be YYYY-MM-DD, got ${quoted(today)}`);

  if (!isValidRegion(region)) {
    return fail(
      `--region ${quoted(region)} is not an AWS region name: expected e.g. us-west-2, eu-central-1 or us-gov-west-1`,
    );
  }
  const parsed = parseModelId(raw);
  if (!parsed.ok) return parsed;

  const warnings: string[] = [];
  if (!KNOWN_REGIONS.includes(region)) {
    warnings.push(
      `region ${region} is not in the list of known AWS regions (checked ${CATALOG_CHECKED}); check the spelling`,
    );
  }
  const catalogModel = MODELS_BY_ID.get(parsed.base ?? "");
  const label = catalogModel?.label ?? raw;

  if (skipCatalog) {
    return succeed(
      raw,
      label,
      [`using ${raw} as given — model catalog bypassed (${SKIP_FLAG}): no lifecycle or inference-profile check`],
      warnings,
    );
  }

  switch (parsed.kind) {
    case "arn":
      return resolveArn(parsed, raw, label, region, today, warnings);
    case "prefixed":
      return resolvePrefixed(parsed.prefix, parsed.base, raw, region, today, warnings);
    case "plain":
      return resolvePlain(parsed.base, region, profile, today, warnings);
  }
}

/** What is wrong with the shape of a model ID, ARN or profile ID (no catalog check), or undefined. */
export function modelIdProblem(raw: string): string | undefined {
  const parsed = parseModelId(raw);
  return parsed.ok ? undefined : parsed.error;
}

/** Picker entries: Active models (default first), then Legacy ones marked with their end of life. */
export function modelChoices(today: string): ModelChoice[] {
  const live = MODELS.filter((model) => !isRetired(model, today));
  const active = live.filter((model) => model.state === "active");
  const legacy = live.filter((model) => model.state !== "active");
  active.sort((a, b) => Number(b.id === DEFAULT_MODEL_ID) - Number(a.id === DEFAULT_MODEL_ID));
  return [
    ...active.map((model) => ({
      value: model.id,
      label: model.label,
      hint: (model.id === DEFAULT_MODEL_ID ? "recommended: fast and cheap; " : "") + coverageHint(model),
    })),
    ...legacy.map((model) => ({
      value: model.id,
      label: `${model.label} (legacy, end of life ${model.eol ?? "announced"})`,
      hint: coverageHint(model),
    })),
  ];
}

// ---------------------------------------------------------------------------------------------
// Parsing

type ParsedId =
  | { ok: true; kind: "plain"; base: string }
  | { ok: true; kind: "prefixed"; prefix: ProfilePrefix; base: string }
  | { ok: true; kind: "arn"; base: string | null; arnRegion: string; resourceType: string };

function parseModelId(raw: string): ParsedId | { ok: false; error: string } {
  if (raw.length === 0) return fail(`--model is empty: give a Bedrock model ID such as ${EXAMPLE_IDS}`);
  if (raw.length > MAX_MODEL_ID_LENGTH) {
    return fail(
      `--model is ${raw.length} characters long, over Bedrock's limit of ${MAX_MODEL_ID_LENGTH}: give a model ID such as ${EXAMPLE_IDS}`,
    );
  }
  if (raw.startsWith("arn:")) return parseArn(raw);
  if (!PLAIN_ID.test(raw)) {
    return fail(
      `--model ${quoted(raw)} is not a valid Bedrock model ID: use only lowercase letters, digits and . : _ -, as in ${EXAMPLE_IDS}`,
    );
  }
  const dot = raw.indexOf(".");
  const head = raw.slice(0, dot);
  const rest = raw.slice(dot + 1);
  // Only the prefixes Bedrock uses; anything else is a vendor name (e.g. "amazon.", "meta.").
  if (isProfilePrefix(head) && rest.includes(".")) return { ok: true, kind: "prefixed", prefix: head, base: rest };
  return { ok: true, kind: "plain", base: raw };
}

function parseArn(raw: string): ParsedId | { ok: false; error: string } {
  const expected =
    "expected arn:aws:bedrock:<region>:<account>:inference-profile/<id> (or foundation-model/, application-inference-profile/, provisioned-model/)";
  const match = ARN.exec(raw);
  if (!match) return fail(`--model ${quoted(raw)} is not a Bedrock model ARN: ${expected}`);
  const [, partition, arnRegion = "", account = "", resourceType = "", resource = ""] = match;
  const govRegion = arnRegion.startsWith("us-gov-");
  if (!isValidRegion(arnRegion) || govRegion !== (partition === "aws-us-gov")) {
    return fail(`--model ${quoted(raw)} has no valid region for partition ${partition}: ${expected}`);
  }
  // Foundation-model ARNs carry no account; every other kind belongs to one.
  const accountOk = resourceType === "foundation-model" ? /^(\d{12})?$/.test(account) : /^\d{12}$/.test(account);
  if (!accountOk) return fail(`--model ${quoted(raw)} needs a 12-digit account ID in its ARN: ${expected}`);
  if (!ARN_RESOURCE.test(resource)) {
    return fail(`--model ${quoted(raw)} has an invalid resource ID after ${resourceType}/: ${expected}`);
  }
  let base: string | null = null;
  if (resourceType === "foundation-model") base = resource;
  if (resourceType === "inference-profile") {
    const dot = resource.indexOf(".");
    const head = resource.slice(0, dot);
    base = dot > 0 && isProfilePrefix(head) ? resource.slice(dot + 1) : resource;
  }
  return { ok: true, kind: "arn", base, arnRegion, resourceType };
}

// ---------------------------------------------------------------------------------------------
// The three kinds of input

function resolveArn(
  parsed: { base: string | null; arnRegion: string; resourceType: string },
  raw: string,
  label: string,
  region: string,
  today: string,
  warnings: string[],
): ResolveResult {
  const model = parsed.base === null ? undefined : MODELS_BY_ID.get(parsed.base);
  if (model) {
    const life = checkLifecycle(model, today, raw);
    if (!life.ok) return life;
    warnings.push(...life.warnings);
  }
  if (parsed.arnRegion !== region) {
    warnings.push(
      `the ARN is in ${parsed.arnRegion} but --region is ${region}: calls from ${region} will not find it unless you use a ${region} ARN`,
    );
  }
  return succeed(
    raw,
    label,
    [
      `using the ARN as given (${parsed.resourceType} in ${parsed.arnRegion}); ARNs are not checked against the model catalog`,
    ],
    warnings,
  );
}

function resolvePrefixed(
  prefix: ProfilePrefix,
  base: string,
  raw: string,
  region: string,
  today: string,
  warnings: string[],
): ResolveResult {
  const profileName = `${PROFILE_NAMES[prefix]} inference profile`;
  const model = MODELS_BY_ID.get(base);
  if (!model) {
    warnings.push(
      `${base} is not in the model catalog checked on ${CATALOG_CHECKED}; ${raw} is used as given, with no lifecycle or inference-profile check`,
    );
    if (!prefixCanServeRegion(prefix, region)) warnings.push(prefixMismatch(prefix, region));
    return succeed(raw, raw, [`using ${raw} as given — the ${profileName}`], warnings);
  }
  const life = checkLifecycle(model, today, raw);
  if (!life.ok) return life;
  warnings.push(...life.warnings);

  const offered = prefix === "global" ? model.global : model.geo.includes(prefix);
  if (!offered) {
    warnings.push(
      `the model catalog (checked ${CATALOG_CHECKED}) lists no ${prefix}. profile for ${model.label}; calls to ${raw} may fail — ${describeRoutes(model)}`,
    );
  } else if (!profileServes(model, prefix, region)) {
    warnings.push(prefixMismatch(prefix, region));
  } else if (model.unverifiedGeo?.includes(prefix as GeoPrefix)) {
    warnings.push(unverifiedWarning(model, prefix, region));
  }
  return succeed(raw, model.label, [`using ${raw} as given — the ${profileName} of ${model.label}`], warnings);
}

function resolvePlain(
  base: string,
  region: string,
  preference: ProfilePreference,
  today: string,
  warnings: string[],
): ResolveResult {
  const model = MODELS_BY_ID.get(base);
  if (!model) {
    const tail = base.slice(base.indexOf(".") + 1);
    const head = base.slice(0, base.indexOf("."));
    const lookalike = MODELS_BY_ID.get(tail);
    if (lookalike) {
      const life = checkLifecycle(lookalike, today, base);
      if (!life.ok) return life;
      warnings.push(...life.warnings);
      warnings.push(
        `${head}. is not a known inference-profile prefix (known: ${PROFILE_PREFIXES.map((p) => `${p}.`).join(", ")}); ${base} is used as given — or pass --model ${tail} and let --region pick the profile`,
      );
    } else {
      warnings.push(
        `${base} is not in the model catalog checked on ${CATALOG_CHECKED}; it is used as given, with no lifecycle or inference-profile check`,
      );
    }
    return succeed(base, base, [`using ${base} as given`], warnings);
  }

  const life = checkLifecycle(model, today, base);
  if (!life.ok) return life;
  warnings.push(...life.warnings);

  const notes: string[] = [];
  const globalOk = servesGlobal(model, region);
  if (preference === "global") {
    if (globalOk) {
      const modelId = `global.${model.id}`;
      notes.push(
        `using ${modelId} — the global inference profile of ${model.label}, as asked (--inference-profile global); requests may be processed in any commercial region`,
      );
      return succeed(modelId, model.label, notes, warnings);
    }
    notes.push(
      model.global
        ? `--inference-profile global is not available from GovCloud (${region}); using a geography profile or the base ID instead`
        : `${model.label} has no global inference profile; using a geography profile or the base ID instead of --inference-profile global`,
    );
  }

  if (model.onDemand.includes(region)) {
    notes.unshift(`using ${model.id} — ${model.label} is served on demand in ${region}`);
    return succeed(model.id, model.label, notes, warnings);
  }

  const geo = geoProfileFor(model, region);
  if (geo) {
    const modelId = `${geo}.${model.id}`;
    notes.unshift(
      `using ${modelId} — ${model.label} is served in ${region} only through the ${PROFILE_NAMES[geo]} inference profile`,
    );
    if (model.unverifiedGeo?.includes(geo)) warnings.push(unverifiedWarning(model, geo, region));
    if (preference === "geo" && globalOk) {
      const price = model.provider === "Anthropic" ? "; Anthropic prices it about 10% below geographic profiles" : "";
      notes.push(
        `--inference-profile global would use global.${model.id} instead (requests may leave the ${PROFILE_NAMES[geo]} geography${price})`,
      );
    }
    return succeed(modelId, model.label, notes, warnings);
  }

  if (globalOk) {
    const modelId = `global.${model.id}`;
    notes.unshift(
      `using global.${model.id} — ${model.label} has no geographic inference profile in ${region}, so it is served there only through the global profile (requests may be processed in any commercial region)`,
    );
    return succeed(modelId, model.label, notes, warnings);
  }

  return fail(unreachableError(model, region, preference, today));
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

function isRetired(model: CatalogModel, today: string): boolean {
  return model.state === "eol" || (model.eol !== null && model.eol <= today);
}

/** The successor to suggest, skipping any that have retired by `today` themselves. */
function liveSuccessor(model: CatalogModel, today: string): CatalogModel | undefined {
  const seen = new Set<string>();
  let next = model.successor === null ? undefined : MODELS_BY_ID.get(model.successor);
  while (next && isRetired(next, today) && !seen.has(next.id)) {
    seen.add(next.id);
    next = next.successor === null ? undefined : MODELS_BY_ID.get(next.successor);
  }
  return next && !isRetired(next, today) ? next : MODELS_BY_ID.get(DEFAULT_MODEL_ID);
}

function checkLifecycle(
  model: CatalogModel,
  today: string,
  given: string,
): { ok: true; warnings: string[] } | { ok: false; error: string } {
  const successor = liveSuccessor(model, today);
  const suggested = successor ? `--model ${successor.id} (${successor.label})` : "another --model";
  if (isRetired(model, today)) {
    const when = model.eol ? ` on ${model.eol}` : "";
    return fail(
      `--model ${given}: ${model.label} reached end of life on Bedrock${when} and calls to it fail; use ${suggested} instead, or pass ${SKIP_FLAG} if your account still has access`,
    );
  }
  const warnings: string[] = [];
  if (model.state === "legacy") {
    const when = model.eol ? ` on ${model.eol}` : "";
    warnings.push(`${model.label}${LEGACY} and reaches end of life${when}; consider ${suggested}`);
  } else if (model.earliestEol && model.earliestEol < today && model.earliestEol > CATALOG_CHECKED) {
    warnings.push(
      `${model.label} was only promised until ${model.earliestEol} when the model catalog was checked (${CATALOG_CHECKED}); confirm it is still Active on the Bedrock "Model lifecycle" page`,
    );
  }
  const age = daysBetween(CATALOG_CHECKED, today);
  if (age > STALE_CATALOG_DAYS) {
    warnings.push(
      `the model catalog was checked on ${CATALOG_CHECKED} (${age} days ago); lifecycle and profile data may be out of date — update create-agentcore or check with aws bedrock list-inference-profiles`,
    );
  }
  return { ok: true, warnings };
}

// ---------------------------------------------------------------------------------------------
// Regions and profiles

function isProfilePrefix(value: string): value is ProfilePrefix {
  return (PROFILE_PREFIXES as readonly string[]).includes(value);
}

function isGovCloud(region: string): boolean {
  return region.startsWith("us-gov-");
}

/** global. routes among commercial regions only: not from GovCloud, nor China. */
function isCommercial(region: string): boolean {
  return !isGovCloud(region) && !region.startsWith("cn-");
}

function servesGlobal(model: CatalogModel, region: string): boolean {
  return model.global && isCommercial(region);
}

function profileRegions(model: CatalogModel, geo: GeoPrefix): readonly string[] {
  return [...GEO_REGIONS[geo], ...(model.geoExtraRegions?.[geo] ?? [])];
}

function profileServes(model: CatalogModel, prefix: ProfilePrefix, region: string): boolean {
  if (prefix === "global") return servesGlobal(model, region);
  return profileRegions(model, prefix).includes(region);
}

/** Without a model (unknown base ID), judge the prefix by its base regions only. */
function prefixCanServeRegion(prefix: ProfilePrefix, region: string): boolean {
  if (prefix === "global") return isCommercial(region);
  if (prefix === "us" && (region === "ca-central-1" || region === "ca-west-1")) return true;
  return GEO_REGIONS[prefix].includes(region);
}

function prefixMismatch(prefix: ProfilePrefix, region: string): string {
  if (prefix === "global") {
    return `the global. profile cannot be called from ${region} (GovCloud has no global profile); use a us-gov. profile or an on-demand model there`;
  }
  return `the ${prefix}. profile is called from ${GEO_REGIONS[prefix].join(", ")}, not from --region ${region}; calls will likely fail — pass the base ID without a prefix to let --region pick the profile`;
}

/** Narrow geographies first, so Tokyo picks jp. over apac. if a model ever offers both. */
const GEO_PREFERENCE: readonly GeoPrefix[] = ["us-gov", "us", "eu", "jp", "au", "apac"];

function geoProfileFor(model: CatalogModel, region: string): GeoPrefix | undefined {
  return GEO_PREFERENCE.find((geo) => model.geo.includes(geo) && profileRegions(model, geo).includes(region));
}

function unverifiedWarning(model: CatalogModel, prefix: ProfilePrefix, region: string): string {
  return `the ${prefix}. profile of ${model.label} is not confirmed by every source the model catalog used; check with: aws bedrock list-inference-profiles --region ${region}`;
}

function describeRoutes(model: CatalogModel): string {
  const profiles = [...model.geo.map((geo) => `${geo}.`), ...(model.global ? ["global."] : [])];
  return `its profiles are ${profiles.length ? profiles.join(", ") : "none"}`;
}

/** Regions from which the model can be called, same partition as `region` first. */
function workingRegions(model: CatalogModel, region: string): string[] {
  const all = new Set<string>(model.onDemand);
  for (const geo of GEO_PREFERENCE) if (model.geo.includes(geo)) for (const r of profileRegions(model, geo)) all.add(r);
  const samePartition = (r: string) => isGovCloud(r) === isGovCloud(region);
  return [...all].sort((a, b) => Number(samePartition(b)) - Number(samePartition(a)));
}

function routeExists(model: CatalogModel, region: string): boolean {
  return model.onDemand.includes(region) || geoProfileFor(model, region) !== undefined || servesGlobal(model, region);
}

function unreachableError(model: CatalogModel, region: string, preference: ProfilePreference, today: string): string {
  const reasons: string[] = [];
  reasons.push(
    model.onDemand.length
      ? `it is served on demand only in ${model.onDemand.join(", ")}`
      : "it has no on-demand region",
  );
  const geo = model.geo.map((g) => `${g}.`).join(", ");
  reasons.push(geo ? `its geography profiles (${geo}) do not cover ${region}` : "it has no geography profile");
  if (model.global) reasons.push("its global. profile cannot be called from GovCloud");
  else reasons.push("it has no global. profile");

  const examples = workingRegions(model, region).slice(0, 4);
  const anyCommercial = model.global ? " or any commercial region" : "";
  const tryRegion = examples.length ? `use --region ${examples.join(", ")}${anyCommercial}` : "use another --region";

  const alternative = [...MODELS]
    .sort((a, b) => Number(a.state !== "active") - Number(b.state !== "active"))
    .find((other) => other.id !== model.id && !isRetired(other, today) && routeExists(other, region));
  const tryModel = alternative ? `, or --model ${alternative.id} (${alternative.label}), which works in ${region}` : "";
  const asked = preference === "global" ? " (with --inference-profile global)" : "";
  return `--model ${model.id} (${model.label}) cannot be called from --region ${region}${asked}: ${reasons.join("; ")}; ${tryRegion}${tryModel}`;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function coverageHint(model: CatalogModel): string {
  const profiles = model.geo.join("/") + (model.global ? " + global" : "");
  const onDemand =
    model.onDemand.length === 0
      ? ""
      : model.onDemand.length <= 3
        ? `on demand in ${model.onDemand.join(", ")}`
        : `on demand in ${model.onDemand.length} regions`;
  return [profiles ? `profiles ${profiles}` : "", onDemand].filter(Boolean).join("; ");
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function succeed(modelId: string, label: string, notes: string[], warnings: string[]): ResolveResult {
  const lifecycle = warnings.filter((warning) => warning.includes(LEGACY));
  return { ok: true, modelId, label, profile: profileOf(modelId), notes, warnings, lifecycle };
}

/** `us.anthropic.x` → the US profile of anthropic.x; a base ID or an ARN → null. */
function profileOf(modelId: string): ResolvedModel["profile"] {
  const parsed = parseModelId(modelId);
  if (!parsed.ok || parsed.kind !== "prefixed") return null;
  return { id: modelId, geography: parsed.prefix, baseModelId: parsed.base };
}
