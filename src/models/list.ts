import { CATALOG_CHECKED } from "./catalog.js";
import {
  DIRECT_CATALOG_CHECKED,
  DIRECT_CATALOGS,
  DIRECT_PROVIDERS,
  DIRECT_SOURCES,
  type DirectProvider,
} from "./direct-catalog.js";
import { modelsInRegion, type ProfilePreference } from "./resolve.js";

// --list-models: the catalog as seen from one region. Loaded only for that flag.

/** One model in --list-models --json. */
export interface ListedModel {
  id: string;
  name: string;
  provider: string;
  lifecycle: "active" | "legacy" | "eol";
  /** The announced end of life (legacy, retired), else the date it is promised until (active), else null. */
  endOfLife: string | null;
  /** Whether `endOfLife` is announced, or only the earliest date it may come. */
  endOfLifeIs: "announced" | "not before" | null;
  region: string;
  /** The ID a project for `region` would call, or null when it cannot be called from there. */
  modelId: string | null;
  /** Why it cannot be called from `region`, else null. */
  whyNot: string | null;
}

export function listedModels(region: string, profile: ProfilePreference, today: string): ListedModel[] {
  return modelsInRegion(region, profile, today).map(({ model, lifecycle, result, whyNot }) => ({
    id: model.id,
    name: model.label,
    provider: model.provider,
    lifecycle,
    endOfLife: model.eol ?? model.earliestEol,
    endOfLifeIs: model.eol ? "announced" : model.earliestEol ? "not before" : null,
    region,
    modelId: result.ok ? result.modelId : null,
    whyNot: whyNot ?? null,
  }));
}

/** The list as lines of a table: name, lifecycle, end of life, then the ID or why not. */
export function modelTable(region: string, profile: ProfilePreference, today: string): string[] {
  const models = listedModels(region, profile, today);
  const rows = models.map((model) => [
    model.name,
    model.lifecycle === "eol" ? "end of life" : model.lifecycle,
    model.endOfLife === null ? "-" : model.endOfLifeIs === "not before" ? `≥ ${model.endOfLife}` : model.endOfLife,
    model.modelId ?? `cannot be called: ${model.whyNot}`,
  ]);
  const callable = models.filter((model) => model.modelId !== null).length;
  return [
    `${callable} of ${models.length} models can be called from ${region} (inference profile: ${profile}; catalog checked ${CATALOG_CHECKED})`,
    "",
    ...table(["MODEL", "LIFECYCLE", "END OF LIFE", `ID FROM ${region.toUpperCase()}`], rows),
    "",
    `Called with an API key instead of Bedrock: --list-models --provider ${DIRECT_PROVIDERS.join("|")}`,
  ];
}

/** One model of a provider called directly, in --list-models --provider X --json. */
export interface ListedDirectModel {
  id: string;
  name: string;
  provider: DirectProvider;
  lifecycle: "active" | "eol";
  /** The end of life a source names, or null when none does ("unknown", not "never"). */
  endOfLife: string | null;
  sources: string[];
}

export function listedDirectModels(provider: DirectProvider, today: string): ListedDirectModel[] {
  return DIRECT_CATALOGS[provider].models.map((model) => ({
    id: model.id,
    name: model.label,
    provider,
    lifecycle: model.eol !== null && model.eol <= today ? "eol" : "active",
    endOfLife: model.eol,
    sources: model.sources.map((source) => DIRECT_SOURCES[source]),
  }));
}

/** The provider's catalog as lines of a table: name, lifecycle, end of life, ID. */
export function directModelTable(provider: DirectProvider, today: string): string[] {
  const models = listedDirectModels(provider, today);
  const rows = models.map((model) => [
    model.name,
    model.lifecycle === "eol" ? "end of life" : "active",
    model.endOfLife ?? "unknown",
    model.id,
  ]);
  const { name } = DIRECT_CATALOGS[provider];
  return [
    `${name} API models (catalog checked ${DIRECT_CATALOG_CHECKED}; "unknown": no source names an end of life)`,
    "",
    ...table(["MODEL", "LIFECYCLE", "END OF LIFE", "ID"], rows),
  ];
}

/** The header and rows as lines, each column as wide as its widest cell but the last, unpadded. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column < row.length - 1 ? cell.padEnd(widths[column]!) : cell))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
