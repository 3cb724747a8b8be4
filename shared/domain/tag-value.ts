/**
 * The characters AWS accepts in a tag value (Secrets Manager's tags carry the tenant's identity
 * and the lifecycle mirror): letters, digits, spaces and `_ . : / = + - @`, up to 256.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Tag.html
 */
const TAG_VALUE_CLASS = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]';

const TAG_VALUE_CHARACTER = new RegExp(`^${TAG_VALUE_CLASS}$`, 'u');
const TAG_VALUE_TEXT = new RegExp(`^${TAG_VALUE_CLASS}*$`, 'u');

export const isTagValueCharacter = (char: string): boolean => TAG_VALUE_CHARACTER.test(char);

/** True when `text` is a tag value of at most `max` characters (code points, as AWS counts). */
export const isTagValue = (text: string, max = 256): boolean =>
  [...text].length <= max && TAG_VALUE_TEXT.test(text);
