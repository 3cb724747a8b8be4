/**
 * Exact instants for ordering events. `occurredAt` may carry any number of fractional digits and
 * any offset; `Date.parse` keeps only milliseconds, so `.0009Z` and `.0001Z` would compare equal
 * and an event 800 ns older than the watermark would be applied. An instant here is the UTC
 * whole second (as epoch seconds) plus the fraction as a digit string, compared digit by digit.
 */

/** RFC 3339 / ISO-8601 date-time as the event contract accepts it (zod's `iso.datetime`). */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})$/i;

export interface Instant {
  /** Whole seconds since the epoch, in UTC. */
  readonly epochSeconds: number;
  /** The fractional digits, trailing zeros removed ('' for a whole second). */
  readonly fraction: string;
}

export const parseInstant = (dateTime: string): Instant => {
  const match = DATE_TIME.exec(dateTime);
  if (match === null) throw new RangeError(`not an ISO-8601 date-time: "${dateTime}"`);
  const [, minutes, seconds = '00', fraction = '', offset] = match;
  const zone = offset!.toUpperCase() === 'Z' ? 'Z' : offset!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${minutes}:${seconds}${zone}`);
  if (Number.isNaN(ms)) throw new RangeError(`not a valid date-time: "${dateTime}"`);
  return { epochSeconds: ms / 1000, fraction: fraction.replace(/0+$/, '') };
};

/** Negative, zero or positive as `a` is before, the same instant as, or after `b`. */
export const compareInstants = (a: Instant, b: Instant): number => {
  if (a.epochSeconds !== b.epochSeconds) return a.epochSeconds < b.epochSeconds ? -1 : 1;
  const width = Math.max(a.fraction.length, b.fraction.length);
  const fa = a.fraction.padEnd(width, '0');
  const fb = b.fraction.padEnd(width, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
};

/**
 * The canonical text of an instant: UTC, at least nine fractional digits (nanoseconds), more when
 * the event carried more. Two texts are equal exactly when the instants are.
 */
export const formatInstant = (instant: Instant): string => {
  const whole = new Date(instant.epochSeconds * 1000).toISOString().slice(0, 19);
  return `${whole}.${instant.fraction.padEnd(9, '0')}Z`;
};

export const canonicalInstant = (dateTime: string): string => formatInstant(parseInstant(dateTime));

/** Milliseconds since the epoch, rounded down: for comparing with a clock, never for ordering. */
export const instantMs = (instant: Instant): number =>
  instant.epochSeconds * 1000 + Number(`0.${instant.fraction || '0'}`) * 1000;
