import { LOCAL_LEDGER_TABLE_NAME } from '../../shared/ledger/table-definition.ts';
import { DEFAULT_LOCAL_REGION } from '../sqs/credentials.ts';
import { LocalDynamoDbConfigError } from './errors.ts';
import type { DynamoFaultRule } from './faults.ts';

export interface LocalDynamoDbOptions {
  /** The ledger table to create; defaults to LOCAL_LEDGER_TABLE_NAME. */
  tableName?: string;
  /** false leaves dynalite without tables; defaults to true. */
  createLedgerTable?: boolean;
  /** The region the returned client signs for; defaults to us-east-1. */
  region?: string;
  /** Fault rules in force from the start, in order (see DynamoFaultRule). */
  faults?: DynamoFaultRule[];
  /** Drives fault probabilities; pass a seeded generator for repeatable runs. Defaults to Math.random. */
  random?: () => number;
  /** One line per call (operation, status, fault). Silent by default. */
  log?: (line: string) => void;
}

export type ResolvedDynamoDbOptions = Required<LocalDynamoDbOptions>;

/** DynamoDB's own rule for table names. */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const check = (valid: boolean, option: string, problem: string): void => {
  if (!valid) throw new LocalDynamoDbConfigError(option, problem);
};

/** Validated once at start, failing with the option's name. */
export const resolveDynamoDbOptions = (options: LocalDynamoDbOptions = {}): ResolvedDynamoDbOptions => {
  const resolved: ResolvedDynamoDbOptions = {
    tableName: options.tableName ?? LOCAL_LEDGER_TABLE_NAME,
    createLedgerTable: options.createLedgerTable ?? true,
    region: options.region ?? DEFAULT_LOCAL_REGION,
    faults: options.faults ?? [],
    random: options.random ?? Math.random,
    log: options.log ?? (() => undefined),
  };
  check(TABLE_NAME.test(resolved.tableName), 'tableName', '3..255 of a-z, A-Z, 0-9, _ - .');
  check(typeof resolved.createLedgerTable === 'boolean', 'createLedgerTable', 'must be a boolean');
  check(REGION.test(resolved.region), 'region', 'must look like us-east-1');
  check(Array.isArray(resolved.faults), 'faults', 'must be an array of fault rules');
  check(typeof resolved.random === 'function', 'random', 'must be a function');
  check(typeof resolved.log === 'function', 'log', 'must be a function');
  return resolved;
};
