/**
 * The subaccount FriendlyName is derived from the tenantId alone, so a lost create response can be
 * repaired by an exact-match lookup (`GET /Accounts.json?FriendlyName=...`), and the tenantId can be
 * read back from any subaccount (reconcile). Twilio limits FriendlyName to 64 characters.
 * https://www.twilio.com/docs/iam/api/account#account-properties
 */
import { TENANT_ID_PATTERN } from './event.ts';
import { isTagValueCharacter } from './tag-value.ts';

export const TENANT_ID_PLACEHOLDER = '{tenantId}';
export const DEFAULT_FRIENDLY_NAME_TEMPLATE = 'tenant:{tenantId}';
const FRIENDLY_NAME_MAX = 64;

const TENANT_ID_MAX = 48;

export interface FriendlyNameCodec {
  readonly template: string;
  encode(tenantId: string): string;
  /** The tenantId this FriendlyName was made from, or `undefined` when it is not one of ours. */
  decode(friendlyName: string): string | undefined;
}

/** Problems with a template, empty when it is usable. */
export const friendlyNameTemplateProblems = (template: string): string[] => {
  const problems: string[] = [];
  const placeholders = template.split(TENANT_ID_PLACEHOLDER).length - 1;
  if (placeholders !== 1) problems.push(`must contain ${TENANT_ID_PLACEHOLDER} exactly once`);
  if (/[{}]/.test(template.replace(TENANT_ID_PLACEHOLDER, ''))) {
    problems.push(`must not contain braces other than ${TENANT_ID_PLACEHOLDER}`);
  }
  const fixed = template.length - (placeholders > 0 ? TENANT_ID_PLACEHOLDER.length : 0);
  if (fixed + TENANT_ID_MAX > FRIENDLY_NAME_MAX) {
    problems.push(
      `leaves too little room: ${fixed} fixed characters + a ${TENANT_ID_MAX}-character tenantId exceed Twilio's ${FRIENDLY_NAME_MAX}`,
    );
  }
  // The FriendlyName is also the secret's `friendly-name` tag: a character tags refuse would
  // create every subaccount and then fail on CreateSecret.
  const fixedText = template.replace(TENANT_ID_PLACEHOLDER, '');
  const refused = [...new Set([...fixedText].filter((char) => !isTagValueCharacter(char)))];
  if (refused.length > 0) {
    problems.push(
      `must only use characters AWS accepts in a tag value (letters, digits, spaces and _ . : / = + - @), since the name is also the secret's "friendly-name" tag: not ${refused.map((c) => JSON.stringify(c)).join(', ')}`,
    );
  }
  return problems;
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const createFriendlyNameCodec = (
  template: string = DEFAULT_FRIENDLY_NAME_TEMPLATE,
): FriendlyNameCodec => {
  const problems = friendlyNameTemplateProblems(template);
  if (problems.length > 0) {
    throw new RangeError(`FriendlyName template "${template}" ${problems.join('; ')}`);
  }
  const [prefix = '', suffix = ''] = template.split(TENANT_ID_PLACEHOLDER);
  const readBack = new RegExp(`^${escapeRegExp(prefix)}(.+)${escapeRegExp(suffix)}$`);
  return {
    template,
    encode: (tenantId) => {
      if (!TENANT_ID_PATTERN.test(tenantId)) throw new RangeError(`invalid tenantId "${tenantId}"`);
      return `${prefix}${tenantId}${suffix}`;
    },
    decode: (friendlyName) => {
      const tenantId = readBack.exec(friendlyName)?.[1];
      return tenantId !== undefined && TENANT_ID_PATTERN.test(tenantId) ? tenantId : undefined;
    },
  };
};
