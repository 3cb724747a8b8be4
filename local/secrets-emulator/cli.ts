/**
 * Runs the emulator for local development:
 *   npm run --silent secrets:emulator -- --port 4566 --data .local/secrets.json
 * Prints one JSON line `{"url": ...}` on stdout once listening; logs go to stderr.
 */
import { Command, InvalidArgumentError } from 'commander';
import { startSecretsManagerEmulator } from './index.ts';

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError('--port must be an integer 0..65535');
  return port;
};

const program = new Command('secrets-emulator')
  .description('Local AWS Secrets Manager (JSON 1.1 protocol) for the subaccount provisioner')
  .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 0)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--region <region>', 'region used in ARNs', 'us-east-1')
  .option('--account-id <id>', 'account id used in ARNs', '000000000000')
  .option('--data <file>', 'JSON file that keeps the secrets across restarts')
  .showHelpAfterError();

const main = async (): Promise<void> => {
  const options = program.parse().opts<{
    port: number;
    host: string;
    region: string;
    accountId: string;
    data?: string;
  }>();
  const log = (line: string) => process.stderr.write(`[secrets-emulator] ${line}\n`);
  const emulator = await startSecretsManagerEmulator({
    port: options.port,
    host: options.host,
    region: options.region,
    accountId: options.accountId,
    dataFile: options.data,
    log,
  });
  process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
  log(
    `listening on ${emulator.url} (region ${emulator.region}${options.data ? `, data ${options.data}` : ''})`,
  );

  // A Ctrl-C reaches every process of the group, and tsx relays it once more: stop only once.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
};

main().catch((error: unknown) => {
  process.stderr.write(
    `[secrets-emulator] failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
