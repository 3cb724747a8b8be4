/**
 * The characters AWS accepts in a tag value (Secrets Manager's tags carry the tenant's identity
 * and the lifecycle mirror): letters, digits, spaces and `_ . : / = + - @`, up to 256.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Tag.html
 */
const TAG_VALUE_CLASS = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]';

export const isTagValueCharacter = (char: string): boolean =>
  new RegExp(`^${TAG_VALUE_CLASS}$`, 'u').test(char);

/** True when `text` is a tag value of at most `max` characters. */
export const isTagValue = (text: string, max = 256): boolean =>
  new RegExp(`^${TAG_VALUE_CLASS}{0,${max}}$`, 'u').test(text);
