/** Options shared by several commands, declared once so their names and help never differ. */
import { type Command, Option } from 'commander';
import { ENV } from '../shared/contracts/env-names.ts';
import { TENANT_EVENTS_QUEUE_URL } from './config.ts';

export const addQueueUrlOption = (command: Command): Command =>
  command.addOption(
    new Option('--queue-url <url>', `tenant-events queue URL (default: $${TENANT_EVENTS_QUEUE_URL})`),
  );

export const addDlqUrlOption = (command: Command): Command =>
  command.addOption(
    new Option('--dlq-url <url>', `dead-letter queue URL (default: $${ENV.deadLetterQueueUrl})`),
  );

export const addSecretOptions = (command: Command): Command =>
  command
    .addOption(
      new Option(
        '--secret-prefix <prefix>',
        `tenant secret name prefix (default: $${ENV.secretPrefix}, else "tenants")`,
      ),
    )
    .addOption(
      new Option(
        '--parent-secret <id>',
        `name or ARN of the main Twilio account secret (default: $${ENV.parentCredentialsSecret})`,
      ),
    );

export const addJsonOption = (command: Command): Command =>
  command.option('--json', 'print JSON instead of a table');

export const addLedgerTableOption = (command: Command): Command =>
  command.addOption(
    new Option('--ledger-table <name>', `tenant ledger DynamoDB table (default: $${ENV.tenantLedgerTable})`),
  );
