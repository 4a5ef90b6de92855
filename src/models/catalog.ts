/**
 * Bedrock text models the scaffolder knows: lifecycle state and how each one can be called
 * from a given region (plain base ID on demand, a geography inference profile, or global.).
 *
 * This is dated data, not eternal truth: Bedrock moves models Active → Legacy → EOL and adds
 * profiles and regions over time. Update CATALOG_CHECKED with every edit. AWS itself says to
 * ask `aws bedrock list-inference-profiles --region <source region>` rather than trust a prefix.
 */

/** The day the facts below were last checked against SOURCES. */
export const CATALOG_CHECKED = "2026-11-22";

export const SOURCES = [
  { id: "lifecycle", title: 'Amazon Bedrock User Guide: "Model lifecycle"' },
  { id: "lifecycle-legacy", title: 'Amazon Bedrock User Guide: "Model lifecycle (Legacy)"' },
  { id: "profiles", title: 'Amazon Bedrock User Guide: "Supported Regions and models for inference profiles"' },
  { id: "model-cards", title: "Amazon Bedrock User Guide: model cards (per-model Regions and inference profiles)" },
  { id: "anthropic", title: "Anthropic: Claude on Amazon Bedrock (model overview page)" },
  { id: "third-party", title: "Third-party reports and code seen in 2026 (used only where marked ?)" },
] as const;

export type SourceId = (typeof SOURCES)[number]["id"];

export const GEO_PREFIXES = ["us", "eu", "apac", "jp", "au", "us-gov"] as const;
export type GeoPrefix = (typeof GEO_PREFIXES)[number];
/** Every inference-profile prefix Bedrock uses for system-defined profiles. */
export const PROFILE_PREFIXES = [...GEO_PREFIXES, "global"] as const;
export type ProfilePrefix = (typeof PROFILE_PREFIXES)[number];

export type ModelState = "active" | "legacy" | "eol";
export type Provider = "Anthropic" | "Amazon" | "Meta";

/**
 * Source regions from which each geography profile can be called. A model may add regions to a
 * prefix through its own `geoExtraRegions` (e.g. Canada for the US profile of newer Claude models).
 * il-central-1 is reported in eu. "for some models" without saying which: left out, so Tel Aviv
 * falls back to global. where a model has it.
 */
export const GEO_REGIONS: Readonly<Record<GeoPrefix, readonly string[]>> = {
  us: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
  eu: ["eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"],
  // Older models (Claude 3.x, Sonnet 4, Nova v1); newer ones use jp./au. instead.
  apac: [
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
  ],
  jp: ["ap-northeast-1", "ap-northeast-3"],
  au: ["ap-southeast-2", "ap-southeast-4", "ap-southeast-6"],
  "us-gov": ["us-gov-east-1", "us-gov-west-1"],
};

/** Human name of each prefix, for one-line notes ("…only through the US inference profile"). */
export const PROFILE_NAMES: Readonly<Record<ProfilePrefix, string>> = {
  us: "US",
  eu: "EU",
  apac: "APAC",
  jp: "Japan",
  au: "Australia",
  "us-gov": "US GovCloud",
  global: "global",
};

/** There is no ca. prefix: newer Claude models take Canadian traffic into their US profile. */
const CANADA_IN_US_PROFILE: Partial<Record<GeoPrefix, readonly string[]>> = { us: ["ca-central-1", "ca-west-1"] };

export const GOVCLOUD_REGIONS = ["us-gov-east-1", "us-gov-west-1"] as const;

/** AWS regions by name (commercial, then GovCloud), for validation hints; not all serve Bedrock. */
export const KNOWN_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "ca-west-1",
  "mx-central-1",
  "sa-east-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  ...GOVCLOUD_REGIONS,
];

export interface CatalogModel {
  /** Base model ID, without any inference-profile prefix. */
  readonly id: string;
  readonly label: string;
  readonly provider: Provider;
  readonly state: ModelState;
  /** Announced end-of-life date (YYYY-MM-DD) for legacy/EOL models; null when none is announced or known. */
  readonly eol: string | null;
  /**
   * For Active models: the date before which the model will not be retired ("not before"/"≥" in the
   * sources; a month-only "≥ YYYY-MM" is stored as its first day). Past it, the catalog may be stale.
   */
  readonly earliestEol: string | null;
  /** Base ID to suggest instead, for legacy/EOL models. */
  readonly successor: string | null;
  /** Geography profiles the model offers, e.g. ["us", "eu", "au", "jp"]. */
  readonly geo: readonly GeoPrefix[];
  /** Regions a geography profile of this model serves beyond GEO_REGIONS. */
  readonly geoExtraRegions?: Partial<Record<GeoPrefix, readonly string[]>>;
  /** Geography profiles listed by only some sources ("?"): using one adds a warning. */
  readonly unverifiedGeo?: readonly GeoPrefix[];
  /** Whether a global. profile exists (callable from any commercial region, never from GovCloud). */
  readonly global: boolean;
  /** Regions that serve the plain base ID in-region (on-demand throughput). */
  readonly onDemand: readonly string[];
  /** Which SOURCES say so, and what is uncertain ("?"). */
  readonly source: string;
}

const NOVA_2_LITE = "amazon.nova-2-lite-v1:0";
const HAIKU_5_5 = "anthropic.claude-haiku-5-5";
const SONNET_5_5 = "anthropic.claude-sonnet-5-5";
const OPUS_5_5 = "anthropic.claude-opus-5-5";

/** Good first model: Active, the latest announced earliest-EOL, us/eu/au/jp + global, fast and cheap. */
export const DEFAULT_MODEL_ID = HAIKU_5_5;

/** Retired models get nothing to call: no profiles, no on-demand regions. */
const RETIRED = { earliestEol: null, geo: [], global: false, onDemand: [] } as const;

/**
 * In picker order: newest first per provider. Successors are the newest Active model of the same
 * tier; Meta and Nova Premier have no Active same-family model here, so they point to Nova 2 Lite.
 */
export const MODELS: readonly CatalogModel[] = [
  // ---- Anthropic Claude, Active ----
  {
    id: HAIKU_5_5,
    label: "Claude Haiku 5.5",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-10-07",
    successor: null,
    geo: ["us", "eu", "au", "jp"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: [],
    source: "lifecycle (EOL not before 2027-10-07); profiles; ca- in us. assumed for newer Claude",
  },
  {
    id: SONNET_5_5,
    label: "Claude Sonnet 5.5",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-09-28",
    successor: null,
    geo: ["us", "eu"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: [],
    source: "lifecycle (EOL not before 2027-09-28); profiles",
  },
  {
    id: OPUS_5_5,
    label: "Claude Opus 5.5",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-09-22",
    successor: null,
    geo: ["us", "eu", "au", "jp"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: ["eu-west-2"],
    source: "lifecycle (EOL not before 2027-09-22); profiles; model card (on demand in eu-west-2)",
  },
  {
    id: "anthropic.claude-opus-5",
    label: "Claude Opus 5",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-07-01",
    successor: null,
    geo: ["us", "eu", "au"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: [],
    source: "lifecycle (EOL ≥ 2027-07, month only); profiles",
  },
  {
    id: "anthropic.claude-sonnet-5",
    label: "Claude Sonnet 5",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-06-01",
    successor: null,
    geo: ["us", "eu", "au"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: [],
    source: "lifecycle (EOL ≥ 2027-06, month only); profiles",
  },
  {
    id: "anthropic.claude-opus-4-8",
    label: "Claude Opus 4.8",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-05-01",
    successor: null,
    geo: ["us", "eu", "jp", "au"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: [],
    source: "lifecycle (EOL ≥ 2027-05, month only); profiles",
  },
  {
    id: "anthropic.claude-opus-4-7",
    label: "Claude Opus 4.7",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-04-01",
    successor: null,
    geo: ["us", "eu", "jp", "au"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: [],
    source: "lifecycle (EOL ≥ 2027-04, month only); profiles",
  },
  {
    id: "anthropic.claude-sonnet-4-6",
    label: "Claude Sonnet 4.6",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-02-01",
    successor: null,
    geo: ["us", "eu", "au", "jp"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: ["eu-west-2"],
    source: "lifecycle (EOL ≥ 2027-02, month only); profiles; model card (on demand in eu-west-2)",
  },
  {
    id: "anthropic.claude-opus-4-6-v1",
    label: "Claude Opus 4.6",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2027-02-05",
    successor: null,
    geo: ["us", "eu", "au"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: ["eu-west-2"],
    source: "lifecycle (EOL not before 2027-02-05); profiles; model card (on demand in eu-west-2)",
  },
  {
    id: "anthropic.claude-haiku-4-5-20251001-v1:0",
    label: "Claude Haiku 4.5",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: "2026-10-01",
    successor: null,
    geo: ["us", "eu", "au", "jp"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    unverifiedGeo: ["jp"],
    global: true,
    onDemand: [],
    source:
      "lifecycle (EOL not before 2026-10-01, no notice seen by 2026-11-22); profiles list jp., anthropic does not (jp ?)",
  },
  {
    id: "anthropic.claude-opus-4-5-20251101-v1:0",
    label: "Claude Opus 4.5",
    provider: "Anthropic",
    state: "active",
    eol: null,
    earliestEol: null,
    successor: null,
    geo: ["us", "eu"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    global: true,
    onDemand: [],
    source: "lifecycle (EOL date ?); profiles",
  },
  // ---- Anthropic Claude, Legacy ----
  {
    id: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    label: "Claude Sonnet 4.5",
    provider: "Anthropic",
    state: "legacy",
    eol: "2027-04-08",
    earliestEol: null,
    successor: SONNET_5_5,
    geo: ["us", "eu", "au", "jp", "us-gov"],
    geoExtraRegions: CANADA_IN_US_PROFILE,
    unverifiedGeo: ["us-gov"],
    global: true,
    onDemand: [],
    source:
      "lifecycle-legacy (EOL 2027-04-08); profiles; us-gov. prefix from third-party code and model card 'Geo: US' (us-gov ?)",
  },
  {
    id: "anthropic.claude-opus-4-1-20250805-v1:0",
    label: "Claude Opus 4.1",
    provider: "Anthropic",
    state: "legacy",
    eol: "2027-01-08",
    earliestEol: null,
    successor: OPUS_5_5,
    geo: ["us"],
    global: false,
    onDemand: [],
    source: "lifecycle-legacy (EOL 2027-01-08); profiles (us only)",
  },
  // ---- Anthropic Claude, end of life (kept so they are refused with a successor) ----
  {
    ...RETIRED,
    id: "anthropic.claude-sonnet-4-20250514-v1:0",
    label: "Claude Sonnet 4",
    provider: "Anthropic",
    state: "eol",
    eol: "2026-10-14",
    successor: SONNET_5_5,
    source: "lifecycle-legacy (EOL 2026-10-14 in the listed regions)",
  },
  {
    ...RETIRED,
    id: "anthropic.claude-opus-4-20250514-v1:0",
    label: "Claude Opus 4",
    provider: "Anthropic",
    state: "eol",
    eol: "2026-05-31",
    successor: OPUS_5_5,
    source: "lifecycle-legacy (EOL 2026-05-31)",
  },
  {
    ...RETIRED,
    id: "anthropic.claude-3-7-sonnet-20250219-v1:0",
    label: "Claude 3.7 Sonnet",
    provider: "Anthropic",
    state: "eol",
    eol: "2026-04-28",
    successor: SONNET_5_5,
    source: "lifecycle-legacy (EOL 2026-04-28 in commercial regions)",
  },
  {
    ...RETIRED,
    id: "anthropic.claude-3-5-sonnet-20241022-v2:0",
    label: "Claude 3.5 Sonnet v2",
    provider: "Anthropic",
    state: "eol",
    eol: "2026-03-01",
    successor: SONNET_5_5,
    source: "lifecycle-legacy (EOL 2026-03-01 in US/EU, up to 2026-07-30 elsewhere; earliest kept)",
  },
  {
    ...RETIRED,
    id: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    label: "Claude 3.5 Sonnet",
    provider: "Anthropic",
    state: "eol",
    eol: "2026-03-01",
    successor: SONNET_5_5,
    source: "lifecycle-legacy (EOL 2026-03-01 in US/EU, up to 2026-07-30 elsewhere; earliest kept)",
  },
  {
    ...RETIRED,
    id: "anthropic.claude-3-5-haiku-20241022-v1:0",
    label: "Claude 3.5 Haiku",
    provider: "Anthropic",
    state: "eol",
    eol: "2026-06-19",
    successor: HAIKU_5_5,
    source: "lifecycle-legacy (EOL 2026-06-19)",
  },
  {
    ...RETIRED,
    id: "anthropic.claude-3-opus-20240229-v1:0",
    label: "Claude 3 Opus",
    provider: "Anthropic",
    state: "eol",
    eol: null,
    successor: OPUS_5_5,
    source: "lifecycle-legacy (EOL before 2026-07-30; exact date ?)",
  },
  {
    ...RETIRED,
    id: "anthropic.claude-3-sonnet-20240229-v1:0",
    label: "Claude 3 Sonnet",
    provider: "Anthropic",
    state: "eol",
    eol: "2026-07-30",
    successor: SONNET_5_5,
    source: "lifecycle-legacy (EOL 2026-07-30)",
  },
  {
    // Had us./eu. profiles; kept in the data for the record, but the model is refused anyway.
    id: "anthropic.claude-3-haiku-20240307-v1:0",
    label: "Claude 3 Haiku",
    provider: "Anthropic",
    state: "eol",
    eol: "2026-09-10",
    earliestEol: null,
    successor: HAIKU_5_5,
    geo: ["us", "eu"],
    global: false,
    onDemand: [],
    source: "lifecycle-legacy (EOL 2026-09-10 in most regions; some regions still serving ?)",
  },
  // ---- Amazon Nova ----
  {
    id: NOVA_2_LITE,
    label: "Amazon Nova 2 Lite",
    provider: "Amazon",
    state: "active",
    eol: null,
    earliestEol: null,
    successor: null,
    geo: ["us", "eu", "jp"],
    global: true,
    onDemand: [],
    source: "model card; profiles",
  },
  {
    id: "amazon.nova-pro-v1:0",
    label: "Amazon Nova Pro",
    provider: "Amazon",
    state: "active",
    eol: null,
    earliestEol: null,
    successor: null,
    geo: ["us", "eu", "apac"],
    global: false,
    onDemand: ["us-east-1", "us-gov-west-1", "eu-west-2", "ap-southeast-2", "ap-southeast-3", "me-central-1"],
    source: "model card; profiles",
  },
  {
    id: "amazon.nova-lite-v1:0",
    label: "Amazon Nova Lite",
    provider: "Amazon",
    state: "active",
    eol: null,
    earliestEol: null,
    successor: null,
    geo: ["us", "eu", "apac"],
    unverifiedGeo: ["apac"],
    global: false,
    onDemand: [
      "us-east-1",
      "us-east-2",
      "us-west-2",
      "us-gov-west-1",
      "eu-north-1",
      "eu-west-2",
      "ap-northeast-1",
      "ap-southeast-2",
    ],
    source: "model card; profiles (apac ?)",
  },
  {
    id: "amazon.nova-micro-v1:0",
    label: "Amazon Nova Micro",
    provider: "Amazon",
    state: "active",
    eol: null,
    earliestEol: null,
    successor: null,
    geo: ["us", "eu"],
    global: false,
    onDemand: ["us-east-1", "us-gov-west-1", "eu-west-2", "ap-southeast-2"],
    source: "model card; profiles",
  },
  {
    ...RETIRED,
    id: "amazon.nova-premier-v1:0",
    label: "Amazon Nova Premier",
    provider: "Amazon",
    state: "eol",
    eol: "2026-09-14",
    successor: NOVA_2_LITE,
    source: "lifecycle-legacy (EOL 2026-09-14)",
  },
  // ---- Meta Llama ----
  {
    id: "meta.llama3-3-70b-instruct-v1:0",
    label: "Meta Llama 3.3 70B Instruct",
    provider: "Meta",
    state: "legacy",
    eol: "2027-03-30",
    earliestEol: null,
    successor: NOVA_2_LITE,
    geo: ["us"],
    global: false,
    onDemand: ["us-east-2"],
    source: "lifecycle-legacy (EOL 2027-03-30); profiles; model card (on demand in us-east-2)",
  },
  {
    id: "meta.llama4-maverick-17b-instruct-v1:0",
    label: "Meta Llama 4 Maverick 17B Instruct",
    provider: "Meta",
    state: "legacy",
    eol: "2027-03-30",
    earliestEol: null,
    successor: NOVA_2_LITE,
    geo: ["us"],
    global: false,
    onDemand: [],
    source: "lifecycle-legacy (EOL 2027-03-30); profiles",
  },
  {
    id: "meta.llama4-scout-17b-instruct-v1:0",
    label: "Meta Llama 4 Scout 17B Instruct",
    provider: "Meta",
    state: "legacy",
    eol: "2027-03-30",
    earliestEol: null,
    successor: NOVA_2_LITE,
    geo: ["us"],
    global: false,
    onDemand: [],
    source: "lifecycle-legacy (EOL 2027-03-30); profiles",
  },
  {
    ...RETIRED,
    id: "meta.llama3-1-405b-instruct-v1:0",
    label: "Meta Llama 3.1 405B Instruct",
    provider: "Meta",
    state: "eol",
    eol: "2026-07-07",
    successor: NOVA_2_LITE,
    source: "lifecycle-legacy (EOL 2026-07-07)",
  },
  {
    ...RETIRED,
    id: "meta.llama3-2-90b-instruct-v1:0",
    label: "Meta Llama 3.2 90B Instruct",
    provider: "Meta",
    state: "eol",
    eol: "2026-07-07",
    successor: NOVA_2_LITE,
    source: "lifecycle-legacy (EOL 2026-07-07, all Llama 3.2)",
  },
  {
    ...RETIRED,
    id: "meta.llama3-2-11b-instruct-v1:0",
    label: "Meta Llama 3.2 11B Instruct",
    provider: "Meta",
    state: "eol",
    eol: "2026-07-07",
    successor: NOVA_2_LITE,
    source: "lifecycle-legacy (EOL 2026-07-07, all Llama 3.2)",
  },
  {
    ...RETIRED,
    id: "meta.llama3-2-3b-instruct-v1:0",
    label: "Meta Llama 3.2 3B Instruct",
    provider: "Meta",
    state: "eol",
    eol: "2026-07-07",
    successor: NOVA_2_LITE,
    source: "lifecycle-legacy (EOL 2026-07-07, all Llama 3.2)",
  },
  {
    ...RETIRED,
    id: "meta.llama3-2-1b-instruct-v1:0",
    label: "Meta Llama 3.2 1B Instruct",
    provider: "Meta",
    state: "eol",
    eol: "2026-07-07",
    successor: NOVA_2_LITE,
    source: "lifecycle-legacy (EOL 2026-07-07, all Llama 3.2)",
  },
];

export const MODELS_BY_ID: ReadonlyMap<string, CatalogModel> = new Map(MODELS.map((model) => [model.id, model]));
