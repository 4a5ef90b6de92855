/**
 * --model for whichever provider the answers name: a provider called directly checks it against
 * its own catalog (resolve-direct.ts); Bedrock resolves it for the region (resolve.ts).
 */

import { isDirect } from "./direct-catalog.js";
import { type ResolveInput, type ResolveResult, resolveModel } from "./resolve.js";
import { resolveDirectModel } from "./resolve-direct.js";

export function resolveProviderModel(input: ResolveInput & { provider: string }): ResolveResult {
  const { provider, model, today, skipCatalog } = input;
  return isDirect(provider) ? resolveDirectModel({ provider, model, today, skipCatalog }) : resolveModel(input);
}
