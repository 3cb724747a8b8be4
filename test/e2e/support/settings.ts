/**
 * Size and seed of the fault-injection run, from the environment, validated once and failing with
 * the variable's name: `E2E_TENANTS=2000 E2E_SEED=7 npx vitest run test/e2e/fault-injection.test.ts`.
 */
import { z } from 'zod';
import { readEnv } from '../../../shared/config/read-env.ts';

export const E2E_ENV = { tenants: 'E2E_TENANTS', seed: 'E2E_SEED' } as const;

export const DEFAULT_TENANTS = 200;
export const DEFAULT_SEED = 20_260_101;

const schema = z.object({
  [E2E_ENV.tenants]: z.coerce
    .number()
    .int('must be an integer 1..20000')
    .min(1, 'must be an integer 1..20000')
    .max(20_000, 'must be an integer 1..20000')
    .default(DEFAULT_TENANTS),
  [E2E_ENV.seed]: z.coerce
    .number()
    .int('must be an integer 0..4294967295')
    .min(0, 'must be an integer 0..4294967295')
    .max(4_294_967_295, 'must be an integer 0..4294967295')
    .default(DEFAULT_SEED),
});

export interface E2eSettings {
  readonly tenants: number;
  readonly seed: number;
}

export const readE2eSettings = (env: Readonly<Record<string, string | undefined>>): E2eSettings => {
  const read = readEnv(schema, {
    [E2E_ENV.tenants]: env[E2E_ENV.tenants],
    [E2E_ENV.seed]: env[E2E_ENV.seed],
  });
  return { tenants: read[E2E_ENV.tenants], seed: read[E2E_ENV.seed] };
};
