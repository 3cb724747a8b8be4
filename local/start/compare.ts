/** Differences between what the events imply (local/expectations.ts) and what was observed. */
import type { Expectations, TenantExpectation } from '../expectations.ts';
import type { ObservedTenant } from './observe.ts';

const codesOf = (row: ObservedTenant | undefined): string[] =>
  (row?.deadLetters ?? []).map((entry) => entry.errorCode ?? 'REDRIVEN').sort();

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, index) => value === b[index]);

const show = (value: unknown): string => JSON.stringify(value ?? null);

const tenantDifferences = (expected: TenantExpectation, row: ObservedTenant | undefined): string[] => {
  const differences: string[] = [];
  const check = (field: string, want: unknown, got: unknown) => {
    if (show(want) !== show(got))
      differences.push(`${expected.tenantId}: ${field} expected ${show(want)}, got ${show(got)}`);
  };
  check('status', expected.status, row?.status);
  check('secretStored', expected.secretStored, row?.secretStored ?? false);
  if (expected.secretStored) check('tokenValid', true, row?.tokenValid);
  check('subaccounts', expected.subaccounts, row?.subaccounts ?? 0);
  check('deadLetter', [...(expected.deadLetter ?? [])].sort(), codesOf(row));
  return differences;
};

/** One line per difference; empty when every tenant is where its events lead. */
export const compareWithExpectations = (
  expectations: Expectations,
  observed: readonly ObservedTenant[],
): string[] => {
  const rows = new Map(
    observed.flatMap((row) => (row.tenantId === null ? [] : [[row.tenantId, row] as const])),
  );
  const differences = expectations.tenants.flatMap((expected) =>
    tenantDifferences(expected, rows.get(expected.tenantId)),
  );
  const known = new Set(expectations.tenants.map((expected) => expected.tenantId));
  for (const row of observed) {
    if (row.tenantId !== null && !known.has(row.tenantId)) {
      differences.push(`${row.tenantId}: not in the events, yet dead-lettered (${codesOf(row).join(', ')})`);
    }
  }
  const wantUnattributed = expectations.deadLetters
    .filter((entry) => entry.tenantId === undefined)
    .map((entry) => entry.errorCode)
    .sort();
  const gotUnattributed = observed
    .filter((row) => row.tenantId === null)
    .flatMap(codesOf)
    .sort();
  if (!sameList(wantUnattributed, gotUnattributed)) {
    differences.push(
      `messages with no readable tenant: dead letters expected ${show(wantUnattributed)}, got ${show(gotUnattributed)}`,
    );
  }
  return differences;
};
