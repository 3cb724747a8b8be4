import { EmulatorConfigError } from './errors.ts';

export interface SecretsManagerEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Goes into ARNs; defaults to 'us-east-1'. */
  region?: string;
  /** Goes into ARNs; defaults to '000000000000'. */
  accountId?: string;
  /** JSON file the state is loaded from at start and saved to after each change. */
  dataFile?: string;
  /** Drives ARN suffixes and fault probabilities; defaults to Math.random. */
  random?: () => number;
  /** One line per call (operation, status, secret name; never a value). Silent by default. */
  log?: (line: string) => void;
  /** The clock for dates and recovery windows; defaults to the wall clock. */
  now?: () => Date;
}

export type ResolvedOptions = Required<Omit<SecretsManagerEmulatorOptions, 'dataFile'>> & {
  dataFile?: string;
};

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;

const check = (valid: boolean, option: string, problem: string): void => {
  if (!valid) throw new EmulatorConfigError(option, problem);
};

/** Validated once at start, failing with the option's name. */
export const resolveOptions = (options: SecretsManagerEmulatorOptions = {}): ResolvedOptions => {
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    dataFile: options.dataFile,
    random: options.random ?? Math.random,
    log: options.log ?? (() => undefined),
    now: options.now ?? (() => new Date()),
  };
  check(
    Number.isInteger(resolved.port) && resolved.port >= 0 && resolved.port <= 65535,
    'port',
    'must be 0..65535',
  );
  check(
    typeof resolved.host === 'string' && resolved.host.length > 0,
    'host',
    'must be a host name or address',
  );
  check(REGION.test(resolved.region), 'region', 'must look like us-east-1');
  check(ACCOUNT_ID.test(resolved.accountId), 'accountId', 'must be 12 digits');
  check(resolved.dataFile === undefined || resolved.dataFile.length > 0, 'dataFile', 'must be a file path');
  for (const name of ['random', 'log', 'now'] as const) {
    check(typeof resolved[name] === 'function', name, 'must be a function');
  }
  return resolved;
};
