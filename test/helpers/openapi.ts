/**
 * Validates HTTP response bodies against an OpenAPI 3.0 document with Ajv, by path, method and
 * status. OpenAPI 3.0 is not plain JSON Schema, so the document is translated first:
 * `nullable` becomes a `null` type, components become `definitions`, vendor keys are dropped,
 * and `format: uri` becomes `uri-reference` because Twilio's paging fields are paths relative to
 * https://api.twilio.com (see the examples in Twilio's own document).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const SHARED_DIR = path.join('shared', 'twilio');

/**
 * One of Twilio's official OpenAPI documents kept beside the checkout (`../shared/twilio/`), never
 * copied into the repository: `envVar` names it explicitly, otherwise the nearest `shared/twilio/`
 * above the checkout is used. `undefined` when neither exists (a clone somewhere else).
 */
const findSharedSpec = (fileName: string, envVar: string): string | undefined => {
  const explicit = process.env[envVar];
  if (explicit) return path.resolve(explicit);
  for (let dir = path.dirname(repoRoot); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, SHARED_DIR, fileName);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
};

const missing = (fileName: string, envVar: string, found: string | undefined): string | undefined =>
  found === undefined
    ? `Twilio's ${fileName} was not found beside the checkout (../${path.join(SHARED_DIR, fileName)}); set ${envVar} to its path`
    : undefined;

/** Twilio's official OpenAPI for the Accounts resource (`TWILIO_ACCOUNTS_OPENAPI` overrides). */
export const accountsOpenApiPath: string | undefined = findSharedSpec(
  'accounts-openapi.json',
  'TWILIO_ACCOUNTS_OPENAPI',
);

/** Why the Accounts OpenAPI checks cannot run here, or `undefined` when they can. */
export const accountsOpenApiMissing: string | undefined = missing(
  'accounts-openapi.json',
  'TWILIO_ACCOUNTS_OPENAPI',
  accountsOpenApiPath,
);

/** Twilio's official OpenAPI for the Keys and Balance resources (`TWILIO_KEYS_OPENAPI` overrides). */
export const keysOpenApiPath: string | undefined = findSharedSpec('keys-openapi.json', 'TWILIO_KEYS_OPENAPI');

/** Why the Keys OpenAPI checks cannot run here, or `undefined` when they can. */
export const keysOpenApiMissing: string | undefined = missing(
  'keys-openapi.json',
  'TWILIO_KEYS_OPENAPI',
  keysOpenApiPath,
);

export interface OpenApiValidatorOptions {
  /**
   * Also require every documented property and refuse undocumented ones, for objects that list
   * `properties` (Twilio's document declares neither `required` nor `additionalProperties`).
   */
  readonly exact?: boolean;
}

export interface OpenApiResponseValidator {
  /** The response statuses the document gives `method path` (e.g. [204] for a delete). */
  statuses(apiPath: string, method: string): number[];
  /** Readable errors; empty when `body` matches the documented `status` response of `method path`. */
  errors(apiPath: string, method: string, status: number, body: unknown): string[];
  /** Throws an Error listing every mismatch. */
  assert(apiPath: string, method: string, status: number, body: unknown): void;
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** `Thu, 30 Jul 2015 20:00:00 +0000` */
const RFC_2822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;

const DROPPED_KEYS = new Set([
  'nullable',
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'deprecated',
]);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_SINGLES = new Set(['items', 'additionalProperties', 'not']);

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const convertKeyword = (key: string, value: Json, exact: boolean): Json => {
  if (SCHEMA_MAPS.has(key) && isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema, exact)]),
    );
  }
  if (SCHEMA_LISTS.has(key) && Array.isArray(value))
    return value.map((schema) => toJsonSchema(schema, exact));
  if (SCHEMA_SINGLES.has(key) && isObject(value)) return toJsonSchema(value, exact);
  if (key === '$ref' && typeof value === 'string')
    return value.replace('#/components/schemas/', '#/definitions/');
  if (key === 'format' && value === 'uri') return 'uri-reference';
  return value;
};

const makeNullable = (schema: JsonObject): JsonObject => {
  if (typeof schema.type === 'string') {
    const nullable: JsonObject = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) nullable.enum = [...schema.enum, null];
    return nullable;
  }
  return { anyOf: [schema, { type: 'null' }] };
};

const makeExact = (schema: JsonObject): JsonObject => {
  if (!isObject(schema.properties)) return schema;
  return {
    required: Object.keys(schema.properties),
    additionalProperties: false,
    ...schema,
  };
};

/** Translates one OpenAPI 3.0 Schema Object into draft-07 JSON Schema. */
export const toJsonSchema = (schema: Json, exact = false): Json => {
  if (!isObject(schema)) return schema;
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYS.has(key) || key.startsWith('x-')) continue;
    converted[key] = convertKeyword(key, value, exact);
  }
  const shaped = exact ? makeExact(converted) : converted;
  return schema.nullable === true ? makeNullable(shaped) : shaped;
};

const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );

const responsesOf = (spec: JsonObject, apiPath: string, method: string): Record<string, JsonObject> => {
  const paths = spec.paths as Record<string, Record<string, JsonObject>>;
  const operation = paths[apiPath]?.[method.toLowerCase()];
  const responses = operation?.responses as Record<string, JsonObject> | undefined;
  if (responses === undefined) throw new Error(`No documented operation ${method} ${apiPath}`);
  return responses;
};

const responseSchema = (spec: JsonObject, apiPath: string, method: string, status: number): Json => {
  const responses = responsesOf(spec, apiPath, method);
  const content = responses[String(status)]?.content as Record<string, JsonObject> | undefined;
  const schema = content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`No documented ${status} JSON response for ${method} ${apiPath}`);
  return schema;
};

const newAjv = (): Ajv => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  ajv.addFormat('date-time-rfc-2822', {
    type: 'string',
    validate: (value: string) => RFC_2822.test(value) && !Number.isNaN(Date.parse(value)),
  });
  // A map of names to URIs; its entries are checked by the tests that care about them.
  ajv.addFormat('uri-map', true);
  return ajv;
};

export const loadOpenApiValidator = (
  specPath: string | undefined = accountsOpenApiPath,
  options: OpenApiValidatorOptions = {},
): OpenApiResponseValidator => {
  if (specPath === undefined) throw new Error(accountsOpenApiMissing);
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as JsonObject;
  const components = (spec.components as JsonObject | undefined)?.schemas ?? {};
  const definitions = convertKeyword('definitions', components, options.exact ?? false);
  const ajv = newAjv();
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (apiPath: string, method: string, status: number): ValidateFunction => {
    const key = `${method.toLowerCase()} ${apiPath} ${status}`;
    let validate = compiled.get(key);
    if (validate === undefined) {
      const schema = toJsonSchema(responseSchema(spec, apiPath, method, status), options.exact ?? false);
      validate = ajv.compile({ ...(schema as JsonObject), definitions });
      compiled.set(key, validate);
    }
    return validate;
  };
  const errors = (apiPath: string, method: string, status: number, body: unknown): string[] => {
    const validate = validatorFor(apiPath, method, status);
    return validate(body) ? [] : describe(validate.errors);
  };
  return {
    statuses: (apiPath, method) => Object.keys(responsesOf(spec, apiPath, method)).map(Number),
    errors,
    assert: (apiPath, method, status, body) => {
      const found = errors(apiPath, method, status, body);
      if (found.length > 0) throw new Error(`${method} ${apiPath} ${status} response:\n${found.join('\n')}`);
    },
  };
};

/** Twilio's error body, which its OpenAPI does not describe: https://www.twilio.com/docs/usage/twilios-response */
const TWILIO_ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  additionalProperties: false,
  properties: {
    code: { type: 'integer' },
    message: { type: 'string', minLength: 1 },
    more_info: { type: 'string', format: 'uri' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
  },
};

let twilioErrorValidator: ValidateFunction | undefined;

/** Readable errors; empty when `body` is a well-formed Twilio error body. */
export const twilioErrorBodyErrors = (body: unknown): string[] => {
  twilioErrorValidator ??= newAjv().compile(TWILIO_ERROR_SCHEMA);
  return twilioErrorValidator(body) ? [] : describe(twilioErrorValidator.errors);
};
