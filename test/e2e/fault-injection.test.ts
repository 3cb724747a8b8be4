/**
 * End to end under injected faults: a seeded workload of tenant lifecycles goes through the FIFO
 * queue to the real tenant-events handler (isolated execution environments, killed on timeout like
 * Lambda) while Twilio, Secrets Manager and the DynamoDB tenant ledger misbehave, and some
 * signups are delivered twice at once; afterwards the exactly-once, ordering and
 * no-loss claims are checked against everything the run left behind.
 *
 * Size and seed: E2E_TENANTS (default 200) and E2E_SEED, see docs/testing.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deadLetterInvariant } from './support/dead-letter-invariant.ts';
import { FAULT_COVERAGE_MIN_TENANTS, faultCoverageInvariant } from './support/fault-coverage.ts';
import { BASE_INVARIANTS, type Invariant, type InvariantResult } from './support/invariants.ts';
import { isolationInvariant } from './support/isolation-invariant.ts';
import { logCaptureInvariant, tokenInvariant } from './support/log-invariants.ts';
import { runScenario, type ScenarioRun, scenarioTimeoutMs } from './support/scenario.ts';
import { readE2eSettings } from './support/settings.ts';
import { formatSummary, formatViolations } from './support/summary.ts';
import { findTokenLeaks } from './support/token-scan.ts';

const settings = readE2eSettings(process.env);

const INVARIANTS: readonly Invariant[] = [
  ...BASE_INVARIANTS,
  deadLetterInvariant,
  isolationInvariant,
  logCaptureInvariant,
  tokenInvariant,
  ...(settings.tenants >= FAULT_COVERAGE_MIN_TENANTS ? [faultCoverageInvariant] : []),
];

describe(`fault injection end to end (E2E_TENANTS=${settings.tenants} E2E_SEED=${settings.seed})`, () => {
  let run: ScenarioRun;
  const results = new Map<string, InvariantResult>();

  beforeAll(async () => {
    run = await runScenario(settings);
    for (const invariant of INVARIANTS) results.set(invariant.id, invariant.check(run));
    console.log(
      formatSummary(
        run,
        INVARIANTS.map((invariant) => ({ invariant, result: results.get(invariant.id)! })),
      ),
    );
  }, scenarioTimeoutMs(settings));

  it('publishes a workload with every kind of message and dead letter to expect', () => {
    const kinds = new Set(run.published.map((message) => message.planned.kind));
    expect([...kinds].sort()).toEqual(['concurrent', 'duplicate', 'event', 'malformed', 'republished']);
    const codes = new Set(run.expectations.deadLetters.map((letter) => letter.errorCode));
    expect([...codes].sort()).toEqual(
      expect.arrayContaining(['EVENT_INVALID_JSON', 'EVENT_SCHEMA_VIOLATION', 'UNKNOWN_TENANT']),
    );
  });

  it('finds a token planted in a captured line, and reports it masked', () => {
    const token = run.issuedTokens.at(-1)!;
    const planted = [...run.logs, { source: 'planted', text: `{"note":"leak ${token} here"}` }];
    const leaks = findTokenLeaks(planted, run.issuedTokens, () => 'planted');
    expect(leaks.map((leak) => leak.lineIndex)).toEqual([run.logs.length]);
    expect(leaks[0]!.excerpt).not.toContain(token);
  });

  for (const invariant of INVARIANTS) {
    it(invariant.claim, () => {
      const result = results.get(invariant.id)!;
      expect(result.violations, formatViolations(invariant, result)).toEqual([]);
    });
  }
});
