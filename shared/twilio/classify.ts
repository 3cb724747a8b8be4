/**
 * One look at any error for routing and metrics: is it worth handing back to the queue, is it an
 * ambiguous create, and which code goes on the `TwilioError` metric's `twilioErrorCode` dimension.
 */
import { isRetryable } from '../errors.ts';
import { TwilioError, type TwilioErrorKind, TwilioNetworkError } from './errors.ts';

export interface TwilioErrorClassification {
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  readonly kind: TwilioErrorKind | 'unknown';
  readonly status: number | undefined;
  readonly twilioCode: number | undefined;
  /** Twilio's code (e.g. "20404"), else "HTTP_<status>", else the socket or error code. */
  readonly metricCode: string;
}

const metricCodeOf = (error: TwilioError): string => {
  if (error.twilioCode !== undefined) return String(error.twilioCode);
  if (error.status !== undefined) return `HTTP_${error.status}`;
  return error instanceof TwilioNetworkError ? error.errorCode : error.code;
};

export const classifyTwilioError = (error: unknown): TwilioErrorClassification => {
  if (!(error instanceof TwilioError)) {
    return {
      retryable: isRetryable(error),
      ambiguous: false,
      kind: 'unknown',
      status: undefined,
      twilioCode: undefined,
      metricCode: 'UNKNOWN',
    };
  }
  return {
    retryable: error.retryable,
    ambiguous: error.kind === 'ambiguous-create',
    kind: error.kind,
    status: error.status,
    twilioCode: error.twilioCode,
    metricCode: metricCodeOf(error),
  };
};
