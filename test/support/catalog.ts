/**
 * The model catalog and the text answers' length limits as JSON, for the Python harnesses (the e2e
 * property test draws its model IDs, ARNs and longest answers from them):
 * `node --import tsx test/support/catalog.ts`.
 */
import { GEO_REGIONS, KNOWN_REGIONS, MODELS } from "../../src/models/catalog.js";
import { QUESTIONS } from "../../src/registry.js";

const models = MODELS.map(({ id, state, eol, geo, global, onDemand }) => ({ id, state, eol, geo, global, onDemand }));
// Flag → the longest answer in code points.
const maxLengths = Object.fromEntries(
  QUESTIONS.flatMap((entry) => ("maxLength" in entry ? [[`--${entry.key}`, entry.maxLength]] : [])),
);
process.stdout.write(JSON.stringify({ models, regions: KNOWN_REGIONS, geoRegions: GEO_REGIONS, maxLengths }));
