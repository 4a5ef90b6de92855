// `npm run generate`: writes the files made from the option registry (src/registry.ts) that are
// committed rather than built: the team-template manifest schema, whose `answers` lists every
// built-in answer a template may set. test/team.test.ts fails when they are out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { manifestSchema } = await tsImport("../src/team/answers-schema.ts", import.meta.url);
const path = join(root, "schema", "agentcore-template.schema.json");
writeFileSync(path, `${JSON.stringify(manifestSchema(JSON.parse(readFileSync(path, "utf8"))), null, 2)}\n`);
