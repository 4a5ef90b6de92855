/**
 * A small JSON Schema checker for the subset schema/agentcore-template.schema.json uses, so the
 * schema shipped for editors is also what the CLI enforces, without a schema library in the
 * bundle. Supported: $ref (to #/$defs/…), type (one or a list), enum, properties,
 * additionalProperties: false, required, pattern (unicode), minLength, maxLength, minimum,
 * maximum, items, minItems, maxItems, uniqueItems. Everything else that can constrain is refused
 * when the checker meets it (test/team.test.ts walks the schema for that), so the schema cannot
 * promise what the checker does not do.
 */

export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  required?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  $defs?: Record<string, Schema>;
  description?: string;
}

/** Keywords the checker enforces, and the ones that only annotate. */
export const CHECKED_KEYWORDS = [
  "$ref",
  "type",
  "enum",
  "properties",
  "additionalProperties",
  "required",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
];
export const ANNOTATION_KEYWORDS = ["$schema", "$id", "$defs", "title", "description"];

/** `questions[2].name`, `defaults["stream-mode"]`: where in the document a problem is. */
export function pointer(path: (string | number)[]): string {
  return path
    .map((part, index) =>
      typeof part === "number"
        ? `[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(part)
          ? index === 0
            ? part
            : `.${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join("");
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The first problem with `value` against `schema`, as "where: what", or undefined when it conforms. */
export function checkSchema(
  value: unknown,
  schema: Schema,
  root: Schema = schema,
  path: (string | number)[] = [],
): string | undefined {
  const at = (message: string) => (path.length > 0 ? `${pointer(path)}: ${message}` : message);
  if (schema.$ref !== undefined) {
    const name = schema.$ref.match(/^#\/\$defs\/(.+)$/)?.[1];
    const target = name === undefined ? undefined : root.$defs?.[name];
    if (!target) throw new Error(`schema: unsupported $ref ${schema.$ref}`);
    const problem = checkSchema(value, target, root, path);
    if (problem) return problem;
  }
  for (const key of Object.keys(schema)) {
    if (!CHECKED_KEYWORDS.includes(key) && !ANNOTATION_KEYWORDS.includes(key))
      throw new Error(`schema: unsupported keyword ${key}`);
  }

  const actual = typeOf(value);
  if (schema.enum !== undefined) {
    if (!schema.enum.includes(value))
      return at(`must be one of ${schema.enum.map((item) => JSON.stringify(item)).join(", ")}; got ${describe(value)}`);
  }
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = allowed.some((type) => type === actual || (type === "number" && actual === "integer"));
    if (!ok)
      return at(
        `must be ${allowed.map((type) => (type === "array" ? "a list" : type === "object" ? "an object" : `a ${type}`)).join(" or ")}; got ${actual === "array" ? "a list" : actual}`,
      );
  }

  if (actual === "string") {
    const text = value as string;
    const length = [...text].length;
    if (schema.minLength !== undefined && length < schema.minLength)
      return at(schema.minLength === 1 ? "must not be empty" : `must be at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && length > schema.maxLength)
      return at(`must be at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(text))
      return at(`${describe(text)} does not match ${schema.pattern}`);
  }
  if (actual === "integer" || actual === "number") {
    const number = value as number;
    if (schema.minimum !== undefined && number < schema.minimum) return at(`must be at least ${schema.minimum}`);
    if (schema.maximum !== undefined && number > schema.maximum) return at(`must be at most ${schema.maximum}`);
  }
  if (actual === "array") {
    const items = value as unknown[];
    if (schema.minItems !== undefined && items.length < schema.minItems)
      return at(`must have at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}`);
    if (schema.maxItems !== undefined && items.length > schema.maxItems)
      return at(`must have at most ${schema.maxItems} items`);
    if (schema.uniqueItems) {
      const seen = new Set<string>();
      for (const item of items) {
        const key = JSON.stringify(item);
        if (seen.has(key)) return at(`lists ${describe(item)} twice`);
        seen.add(key);
      }
    }
    if (schema.items) {
      for (const [index, item] of items.entries()) {
        const problem = checkSchema(item, schema.items, root, [...path, index]);
        if (problem) return problem;
      }
    }
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    const properties = schema.properties ?? {};
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(object)) {
        if (!Object.hasOwn(properties, key)) {
          return at(
            `unknown key ${JSON.stringify(key)}; expected ${Object.keys(properties)
              .map((name) => JSON.stringify(name))
              .join(", ")}`,
          );
        }
      }
    }
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(object, key)) return at(`${JSON.stringify(key)} is required`);
    }
    for (const [key, property] of Object.entries(properties)) {
      if (!Object.hasOwn(object, key)) continue;
      const problem = checkSchema(object[key], property, root, [...path, key]);
      if (problem) return problem;
    }
  }
  return undefined;
}
