/**
 * Turns what the user typed for --model into the ID the generated agent will call, for a region.
 * Pure: no I/O, no clock (the caller passes `today`), so every rule is table-testable.
 */

import { quoted } from "../escape.js";
import { editDistance } from "../nearest.js";
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
  /** --model in full: as given, or the catalog ID a prefix of it stood for (`anthropic.claude-sonnet-4-5` → `…-20250929-v1:0`). */
  requestedId: string;
}

export type ResolveResult = ({ ok: true } & ResolvedModel) | ResolveFailure;

export interface ResolveFailure {
  ok: false;
  error: string;
  /** The ID is well formed but not in the catalog: --skip-model-check would use it as given. */
  unknownModel?: true;
}

export interface ModelChoice {
  value: string;
  label: string;
  hint: string;
}

/** What a catalog model becomes in one region: the ID it would use, or why it cannot be called there. */
export interface ModelInRegion {
  model: CatalogModel;
  /** Active, legacy, or retired by `today` (end of life reached). */
  lifecycle: "active" | "legacy" | "eol";
  result: ResolveResult;
  /** Why it cannot be called from the region, in a few words; undefined when it can. */
  whyNot?: string;
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
      raw,
    );
  }
  if (parsed.kind === "arn") return resolveArn(parsed, raw, label, region, today, warnings);

  const prefix = parsed.kind === "prefixed" ? parsed.prefix : undefined;
  const found = catalogModelFor(raw, parsed.base, prefix, today);
  if ("failure" in found) return found.failure;
  // A unique prefix of a catalog ID stands for the full ID, and the notes say so.
  const { model } = found;
  const requestedId = prefix ? `${prefix}.${model.id}` : model.id;
  const resolved = prefix
    ? resolvePrefixed(prefix, model, requestedId, region, today, warnings)
    : resolvePlain(model, region, profile, today, warnings);
  if (!resolved.ok || requestedId === raw) return resolved;
  return { ...resolved, notes: [completedNote(raw, requestedId, model), ...resolved.notes], requestedId };
}

/** What is wrong with the shape of a model ID, ARN or profile ID (no catalog check), or undefined. */
export function modelIdProblem(raw: string): string | undefined {
  const parsed = parseModelId(raw);
  return parsed.ok ? undefined : parsed.error;
}

/**
 * What is wrong with a model ID whatever the region: its shape, and (unless the catalog is
 * skipped) an ID the catalog does not know, a prefix of several, or a model past its end of life.
 * For checking a given --model before the region is asked.
 */
export function modelProblem(raw: string, today: string, skipCatalog: boolean): ResolveFailure | undefined {
  const parsed = parseModelId(raw);
  if (!parsed.ok) return parsed;
  if (skipCatalog || parsed.kind === "arn") return undefined;
  const found = catalogModelFor(raw, parsed.base, parsed.kind === "prefixed" ? parsed.prefix : undefined, today);
  if ("failure" in found) return found.failure;
  const life = checkLifecycle(found.model, today, raw);
  return life.ok ? undefined : life;
}

/** Every catalog model in `region`: the ID it would use there, or why not (for --list-models and the prompt). */
export function modelsInRegion(region: string, profile: ProfilePreference, today: string): ModelInRegion[] {
  return MODELS.map((model) => {
    const result = resolveModel({ model: model.id, region, profile, today, skipCatalog: false });
    const retired = isRetired(model, today);
    const lifecycle = retired ? "eol" : model.state === "active" ? "active" : "legacy";
    if (result.ok) return { model, lifecycle, result };
    const elsewhere = callableFrom(model, region);
    const whyNot = retired
      ? `reached end of life${model.eol ? ` on ${model.eol}` : ""}; use ${liveSuccessor(model, today)?.id ?? "another model"}`
      : `${unreachableReasons(model, region)}${elsewhere ? `; callable from ${elsewhere}` : ""}`;
    return { model, lifecycle, result, whyNot };
  });
}

/**
 * The prompt's list for a region: the models callable from it (Active first, the default first of
 * all, then Legacy ones marked with their end of life), each hinted with the ID it would use; and
 * how many models that have not reached end of life are left out because they cannot be called there.
 */
export function modelChoicesIn(
  region: string,
  profile: ProfilePreference,
  today: string,
): { choices: ModelChoice[]; hidden: number } {
  const usable = modelsInRegion(region, profile, today).filter((entry) => entry.lifecycle !== "eol");
  const callable = usable.filter((entry) => entry.result.ok);
  const byId = new Map(callable.map((entry) => [entry.model.id, entry.result as { modelId: string }]));
  const choices = modelChoices(today)
    .filter((choice) => byId.has(choice.value))
    .map((choice) => {
      const recommended = choice.value === DEFAULT_MODEL_ID ? "recommended: fast and cheap; " : "";
      return { ...choice, hint: `${recommended}uses ${byId.get(choice.value)!.modelId}` };
    });
  return { choices, hidden: usable.length - callable.length };
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
    const guesses = lookalikes(raw);
    const guess = `did you mean ${guesses.join(" or ")}?`;
    // A known model without its provider (`claude-sonnet-4-5`): the shape is not what is wrong.
    if (guesses.length > 0 && !raw.includes(".") && /^[a-z0-9:_-]+$/.test(raw))
      return fail(`--model ${quoted(raw)} has no provider prefix: ${guess}`);
    const hint = guesses.length > 0 ? `${guess} (` : "";
    return fail(
      `--model ${quoted(raw)} is not a valid Bedrock model ID: ${hint}use only lowercase letters, digits and . : _ -, as in ${EXAMPLE_IDS}${hint ? ")" : ""}`,
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
// Which catalog model an ID names

/**
 * The catalog model `base` names: itself, or the one catalog ID it is the start of, cut where a
 * part of the ID ends (`anthropic.claude-sonnet-4-5` → `anthropic.claude-sonnet-4-5-20250929-v1:0`).
 * Otherwise why not: the start of several IDs, a known model behind a prefix Bedrock does not use,
 * or an ID the catalog does not know (with the nearest ones it does).
 */
function catalogModelFor(
  raw: string,
  base: string,
  prefix: ProfilePrefix | undefined,
  today: string,
): { model: CatalogModel } | { failure: ResolveFailure } {
  const exact = MODELS_BY_ID.get(base);
  if (exact) return { model: exact };
  const completions = MODELS.filter((model) => model.id.startsWith(base) && ":-".includes(model.id[base.length]!));
  if (completions.length === 1) return { model: completions[0]! };
  const profile = prefix ? `${prefix}.` : "";
  if (completions.length > 1) {
    const listed = completions.map(
      (model) => `${profile}${model.id} (${model.label}${isRetired(model, today) ? ", end of life" : ""})`,
    );
    return {
      failure: fail(
        `--model ${raw} is the start of ${listed.length} catalog IDs: ${listed.join(", ")}; give one in full`,
      ),
    };
  }
  const dot = base.indexOf(".");
  const tail = base.slice(dot + 1);
  if (!prefix && tail.includes(".")) {
    // `ca.anthropic.x`: a known model behind a prefix Bedrock does not use; a retired one is refused as such.
    const behind = catalogModelFor(tail, tail, undefined, today);
    if ("model" in behind) {
      const life = checkLifecycle(behind.model, today, raw);
      if (!life.ok) return { failure: life };
      return {
        failure: unknownModel(
          `--model ${raw}: ${base.slice(0, dot)}. is not a known inference-profile prefix (known: ${PROFILE_PREFIXES.map((p) => `${p}.`).join(", ")}); pass --model ${behind.model.id} and let --region pick the profile, or add ${SKIP_FLAG} to use ${raw} as given`,
        ),
      };
    }
  }
  const guesses = lookalikes(raw);
  const guess = guesses.length > 0 ? `: did you mean ${guesses.join(" or ")}?` : "";
  return {
    failure: unknownModel(
      `--model ${raw} is not in the model catalog${guess} (a model newer than the catalog of ${CATALOG_CHECKED} needs ${SKIP_FLAG}, which uses it as given)`,
    ),
  };
}

function completedNote(raw: string, full: string, model: CatalogModel): string {
  return `${raw} taken as ${full} (${model.label}), the one model ID in the catalog that starts with it`;
}

/** A name as a loose key: `Claude Sonnet 4.5` and `claude-sonnet-4-5` are both `claude-sonnet-4-5`. */
function looseKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9:]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const PROFILE_HEAD = new RegExp(`^(${[...PROFILE_PREFIXES].sort((a, b) => b.length - a.length).join("|")})-`);

/**
 * Catalog IDs that typed text most likely meant (at most three, live models first): the same ID
 * with another case, quoting or spacing, without its provider (`claude-sonnet-4-5`), by the model's
 * name (`Claude Sonnet 4.5`), or within a few typing mistakes. A profile prefix typed is kept.
 */
function lookalikes(raw: string): string[] {
  const key = looseKey(raw.slice(0, 200));
  if (key === "") return [];
  const head = PROFILE_HEAD.exec(key)?.[1];
  const variants: [key: string, profile: string][] = [[key, ""]];
  if (head) variants.push([key.slice(head.length + 1), `${head}.`]);
  const keysOf = (model: CatalogModel) => [
    looseKey(model.id),
    looseKey(model.id.slice(model.id.indexOf(".") + 1)),
    looseKey(model.label),
  ];
  // Closest first: the same key, then the start of one (`claude-son`), then a few typing mistakes away.
  const stages: ((typed: string, known: string) => number | undefined)[] = [
    (typed, known) => (typed === known ? 0 : undefined),
    (typed, known) => (typed.length >= 6 && known.startsWith(typed) ? 0 : undefined),
    (typed, known) => {
      const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 8)));
      const distance = editDistance(typed, known, limit);
      return distance <= limit ? distance : undefined;
    },
  ];
  for (const stage of stages) {
    const found: { id: string; distance: number; live: boolean }[] = [];
    for (const [typed, profile] of variants) {
      for (const model of MODELS) {
        const distances = keysOf(model)
          .map((known) => stage(typed, known))
          .filter((distance) => distance !== undefined);
        if (distances.length > 0)
          found.push({ id: `${profile}${model.id}`, distance: Math.min(...distances), live: model.state !== "eol" });
      }
    }
    if (found.length === 0) continue;
    const live = found.filter((entry) => entry.live);
    return (live.length > 0 ? live : found)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 3)
      .map((entry) => entry.id);
  }
  return [];
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
    raw,
  );
}

function resolvePrefixed(
  prefix: ProfilePrefix,
  model: CatalogModel,
  raw: string,
  region: string,
  today: string,
  warnings: string[],
): ResolveResult {
  const profileName = `${PROFILE_NAMES[prefix]} inference profile`;
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
  return succeed(raw, model.label, [`using ${raw} as given — the ${profileName} of ${model.label}`], warnings, raw);
}

function resolvePlain(
  model: CatalogModel,
  region: string,
  preference: ProfilePreference,
  today: string,
  warnings: string[],
): ResolveResult {
  const life = checkLifecycle(model, today, model.id);
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
      return succeed(modelId, model.label, notes, warnings, model.id);
    }
    notes.push(
      model.global
        ? `--inference-profile global is not available from GovCloud (${region}); using a geography profile or the base ID instead`
        : `${model.label} has no global inference profile; using a geography profile or the base ID instead of --inference-profile global`,
    );
  }

  if (model.onDemand.includes(region)) {
    notes.unshift(`using ${model.id} — ${model.label} is served on demand in ${region}`);
    return succeed(model.id, model.label, notes, warnings, model.id);
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
    return succeed(modelId, model.label, notes, warnings, model.id);
  }

  if (globalOk) {
    const modelId = `global.${model.id}`;
    notes.unshift(
      `using global.${model.id} — ${model.label} has no geographic inference profile in ${region}, so it is served there only through the global profile (requests may be processed in any commercial region)`,
    );
    return succeed(modelId, model.label, notes, warnings, model.id);
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

/** Why no route reaches `model` from `region`: its on-demand regions, geography profiles and global profile. */
function unreachableReasons(model: CatalogModel, region: string): string {
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
  return reasons.join("; ");
}

/** A few regions the model can be called from, as words (`us-east-1, us-west-2 or any commercial region`). */
function callableFrom(model: CatalogModel, region: string): string | undefined {
  const examples = workingRegions(model, region).slice(0, 4);
  return examples.length ? `${examples.join(", ")}${model.global ? " or any commercial region" : ""}` : undefined;
}

function unreachableError(model: CatalogModel, region: string, preference: ProfilePreference, today: string): string {
  const reasons = unreachableReasons(model, region);
  const examples = callableFrom(model, region);
  const tryRegion = examples ? `use --region ${examples}` : "use another --region";

  const alternative = [...MODELS]
    .sort((a, b) => Number(a.state !== "active") - Number(b.state !== "active"))
    .find((other) => other.id !== model.id && !isRetired(other, today) && routeExists(other, region));
  const tryModel = alternative ? `, or --model ${alternative.id} (${alternative.label}), which works in ${region}` : "";
  const asked = preference === "global" ? " (with --inference-profile global)" : "";
  return `--model ${model.id} (${model.label}) cannot be called from --region ${region}${asked}: ${reasons}; ${tryRegion}${tryModel}`;
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

function succeed(
  modelId: string,
  label: string,
  notes: string[],
  warnings: string[],
  requestedId: string,
): ResolveResult {
  const lifecycle = warnings.filter((warning) => warning.includes(LEGACY));
  return { ok: true, modelId, label, profile: profileOf(modelId), notes, warnings, lifecycle, requestedId };
}

function unknownModel(error: string): ResolveFailure {
  return { ok: false, error, unknownModel: true };
}

/** `us.anthropic.x` → the US profile of anthropic.x; a base ID or an ARN → null. */
function profileOf(modelId: string): ResolvedModel["profile"] {
  const parsed = parseModelId(modelId);
  if (!parsed.ok || parsed.kind !== "prefixed") return null;
  return { id: modelId, geography: parsed.prefix, baseModelId: parsed.base };
}
