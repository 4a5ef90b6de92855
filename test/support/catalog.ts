/**
 * The model catalog as JSON, for the Python harnesses (the e2e property test draws its model IDs
 * and ARNs from it): `node --import tsx test/support/catalog.ts`.
 */
import { GEO_REGIONS, KNOWN_REGIONS, MODELS } from "../../src/models/catalog.js";

const models = MODELS.map(({ id, state, eol, geo, global, onDemand }) => ({ id, state, eol, geo, global, onDemand }));
process.stdout.write(JSON.stringify({ models, regions: KNOWN_REGIONS, geoRegions: GEO_REGIONS }));
