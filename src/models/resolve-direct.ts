/**
 * --model for a provider called directly (Anthropic, OpenAI, Gemini): the ID as the provider's API
 * takes it, checked against the dated catalog. Pure: the caller passes `today`.
 */

import { quoted } from "../escape.js";
import { nearest } from "../nearest.js";
import { DIRECT_CATALOGS, type DirectModel, type DirectProvider } from "./direct-catalog.js";
import type { ModelChoice, ResolveResult } from "./resolve.js";

export interface DirectInput {
  provider: DirectProvider;
  model: string;
  /** YYYY-MM-DD. */
  today: string;
  /** --skip-model-check: keep any well-formed ID as given. */
  skipCatalog: boolean;
}

/** What the providers' model IDs are made of (and nothing a template would have to escape). */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

export function resolveDirectModel({ provider, model, today, skipCatalog }: DirectInput): ResolveResult {
  const catalog = DIRECT_CATALOGS[provider];
  const id = model.trim();
  if (!WELL_FORMED.test(id)) {
    return {
      ok: false,
      error: `${quoted(model)} is not a model ID ${catalog.name} takes: letters, digits and . _ : @ / -, at most 128`,
    };
  }
  const known = catalog.models.find((entry) => entry.id === id);
  if (!known) {
    if (skipCatalog) {
      const notes = [`${id} is not in the ${catalog.name} catalog: used as given`];
      return { ok: true, modelId: id, label: id, profile: null, notes, warnings: [], lifecycle: [], requestedId: id };
    }
    const guess = nearest(
      id,
      catalog.models.map((entry) => entry.id),
    );
    return {
      ok: false,
      unknownModel: true,
      error: `${quoted(id)} is not among the ${catalog.name} models this CLI knows${guess ? `: did you mean ${guess}?` : ""} (--list-models --provider ${provider} lists them; --skip-model-check uses it as given)`,
    };
  }
  if (known.eol !== null && known.eol <= today) {
    return {
      ok: false,
      error: `${known.label} (${known.id}) reached end of life on the ${catalog.name} API on ${known.eol}${instead(known)}`,
    };
  }
  const lifecycle =
    known.eol === null
      ? []
      : [`${known.label} reaches end of life on the ${catalog.name} API on ${known.eol}${instead(known)}`];
  return {
    ok: true,
    modelId: known.id,
    label: known.label,
    profile: null,
    notes: [],
    warnings: lifecycle,
    lifecycle,
    requestedId: known.id,
  };
}

function instead(model: DirectModel): string {
  return model.successor ? `: use ${model.successor}` : "";
}

/** The provider's models a prompt offers (those not retired by `today`), and how many it leaves out. */
export function directModelChoices(
  provider: DirectProvider,
  today: string,
): { choices: ModelChoice[]; hidden: number } {
  const live = DIRECT_CATALOGS[provider].models.filter((model) => model.eol === null || model.eol > today);
  const choices = live.map((model) => ({
    value: model.id,
    label: model.label,
    hint: model.eol === null ? model.id : `${model.id}, end of life ${model.eol}`,
  }));
  return { choices, hidden: DIRECT_CATALOGS[provider].models.length - live.length };
}
