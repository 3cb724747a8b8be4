/**
 * `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3,
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after). Anything else is ignored.
 */
const DELAY_SECONDS = /^\d+$/;
// All three HTTP-date forms start with a day name; Date.parse alone would take "-1" for a year.
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

export const parseRetryAfterMs = (value: string | string[] | undefined, now: number): number | undefined => {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (DELAY_SECONDS.test(raw)) return Number(raw) * 1000;
  const at = HTTP_DATE.test(raw) ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};
