/**
 * The values of `npm start`'s `--churn-grace` and `--tenant-credentials`, for the function's
 * CHURN_GRACE_DAYS and TENANT_CREDENTIALS. Kept apart from options.ts, which only wires them in.
 */
import {
  CHURN_GRACE_DAYS,
  churnGraceDaysProblems,
  TENANT_CREDENTIAL_SETTING,
  tenantCredentialsProblems,
} from '../../shared/config/settings.ts';
import type { TenantCredentialKind } from '../../shared/domain/ports.ts';
import { StartOptionError } from './errors.ts';

const DAY_MS = 86_400_000;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;

export interface ChurnGrace {
  /** As given, e.g. `90s`. */
  readonly text: string;
  /** CHURN_GRACE_DAYS as the function reads it (a decimal number of days). */
  readonly days: string;
  /**
   * What the function makes of `days` (Math.round(days * 86 400 000), functions/tenant-events/
   * composition.ts), so the expectations model computes exactly the due times the function does.
   */
  readonly ms: number;
}

/** `90s`, `2m`, `1.5h` or `7d`; `0s` is no grace (a churn closes at once). */
export const parseChurnGrace = (value: string | undefined): ChurnGrace | undefined => {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(value.trim());
  if (match === null) {
    throw new StartOptionError('--churn-grace', `"${value}" is not a duration such as 90s, 2m, 1.5h or 7d`);
  }
  const given = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  const days = String(given / DAY_MS);
  if (churnGraceDaysProblems(Number(days)).length > 0) {
    throw new StartOptionError('--churn-grace', `must be at most ${CHURN_GRACE_DAYS.max} days`);
  }
  return { text: value.trim(), days, ms: Math.round(Number(days) * DAY_MS) };
};

export const parseTenantCredentials = (value: string | undefined): TenantCredentialKind | undefined => {
  if (value === undefined) return undefined;
  if (tenantCredentialsProblems(value).length > 0) {
    throw new StartOptionError(
      '--tenant-credentials',
      `must be one of ${TENANT_CREDENTIAL_SETTING.values.join(', ')}`,
    );
  }
  return value as TenantCredentialKind;
};
