/** Reads the final state once the queue has drained, and judges it against the events. */
import type { Expectations } from '../expectations.ts';
import { compareWithExpectations } from './compare.ts';
import { readDeadLetters } from './dead-letters.ts';
import { type ObservedTenant, observeTenants } from './observe.ts';
import type { Target } from './target.ts';

export interface FinalState {
  readonly rows: ObservedTenant[];
  readonly differences: string[];
  /** DLQ messages that could not be read without consuming them. */
  readonly unreadDeadLetters: number;
}

export const readFinalState = async (target: Target, expectations: Expectations): Promise<FinalState> => {
  const { deadLetters, unread } = await readDeadLetters(target.sqs, target.dlqUrl);
  const rows = await observeTenants(
    target,
    expectations.tenants.map((tenant) => tenant.tenantId),
    deadLetters,
  );
  return { rows, differences: compareWithExpectations(expectations, rows), unreadDeadLetters: unread };
};
