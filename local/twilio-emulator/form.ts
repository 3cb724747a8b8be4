/**
 * Strict application/x-www-form-urlencoded parsing: Twilio's write endpoints take form bodies
 * only, and a body that cannot be decoded is the caller's fault (400), never a crash.
 */
import { invalidAccountsRequest } from './errors.ts';

const FORM_TYPE = 'application/x-www-form-urlencoded';
const utf8 = new TextDecoder('utf-8', { fatal: true });

const decodeComponent = (raw: string): string => {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    throw invalidAccountsRequest('Malformed form body: bad percent-encoding');
  }
};

const decodeText = (body: Buffer): string => {
  try {
    return utf8.decode(body);
  } catch {
    throw invalidAccountsRequest('Malformed form body: not UTF-8');
  }
};

const checkContentType = (contentType: string | undefined): void => {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== FORM_TYPE) {
    throw invalidAccountsRequest(`Unsupported Content-Type: the body must be ${FORM_TYPE}`);
  }
};

/** Parameters by name; a parameter given twice is refused rather than silently picked. */
export const parseForm = (contentType: string | undefined, body: Buffer): ReadonlyMap<string, string> => {
  const fields = new Map<string, string>();
  if (body.length === 0) return fields;
  checkContentType(contentType);
  for (const pair of decodeText(body).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    if (fields.has(name)) throw invalidAccountsRequest(`Parameter ${name} was given more than once`);
    fields.set(name, value);
  }
  return fields;
};
