/**
 * The model catalog and the text answers' length limits as JSON, for the Python harnesses (the e2e
 * property test draws its model IDs, ARNs and longest answers from them):
 * `node --import tsx test/support/catalog.ts`.
 */
import { GEO_REGIONS, KNOWN_REGIONS, MODELS } from "../../src/models/catalog.js";
import { DIRECT_CATALOGS } from "../../src/models/direct-catalog.js";
import { QUESTIONS } from "../../src/registry.js";

const models = MODELS.map(({ id, state, eol, geo, global, onDemand }) => ({ id, state, eol, geo, global, onDemand }));
// Flag → the longest answer in code points.
const maxLengths = Object.fromEntries(
  QUESTIONS.flatMap((entry) => ("maxLength" in entry ? [[`--${entry.key}`, entry.maxLength]] : [])),
);
// The providers called with an API key: their model IDs and end-of-life dates.
const direct = Object.fromEntries(
  Object.entries(DIRECT_CATALOGS).map(([provider, catalog]) => [
    provider,
    catalog.models.map(({ id, eol }) => ({ id, eol })),
  ]),
);
process.stdout.write(JSON.stringify({ models, direct, regions: KNOWN_REGIONS, geoRegions: GEO_REGIONS, maxLengths }));
