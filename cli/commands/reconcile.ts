/**
 * `tenants reconcile`: the scheduled drift check, on demand, across Twilio, the tenant secrets and
 * the tenant ledger. Exit code 1 when there is drift, so a script or a CI job can act on it; 0
 * when the three agree. `--repair` rebuilds missing ledger items from the secret and Twilio (never
 * overwriting one, never deleting anything).
 */
import type { Command } from 'commander';
import type { DriftFinding } from '../../shared/reconcile/index.ts';
import { runReconcile } from '../../shared/reconcile/run-reconcile.ts';
import type { CliContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { addJsonOption, addLedgerTableOption, addSecretOptions } from '../options.ts';
import { type Column, formatTable, writeJson, writeLine } from '../output.ts';
import { type CommandRuntime, EXIT } from '../runtime.ts';

export interface ReconcileOptions {
  readonly json?: boolean;
  readonly secretPrefix?: string;
  readonly parentSecret?: string;
  readonly ledgerTable?: string;
  readonly repair?: boolean;
}

const COLUMNS: readonly Column<DriftFinding>[] = [
  { header: 'KIND', value: (f) => f.kind },
  { header: 'TENANT', value: (f) => f.tenantId ?? '-' },
  { header: 'SUBACCOUNT', value: (f) => f.accountSid ?? '-' },
  { header: 'DETAIL', value: (f) => f.detail },
];

export const runReconcileCommand = async (
  options: ReconcileOptions,
  ctx: CliContext,
  io: CliIo,
): Promise<number> => {
  const report = await runReconcile(
    {
      twilio: ctx.twilio(),
      secretsClient: ctx.secrets(),
      secretPrefix: ctx.config.secretPrefix,
      codec: ctx.codec,
      ledger: ctx.ledger(),
    },
    { repair: options.repair === true },
  );
  if (options.json) {
    writeJson(io.stdout, report);
  } else {
    if (report.findings.length > 0) writeLine(io.stdout, formatTable(COLUMNS, report.findings));
    const unmanaged = report.unmanagedSecrets.length;
    writeLine(
      io.stdout,
      `${report.findings.length === 0 ? 'no drift' : `${report.findings.length} drift finding(s)`}: ` +
        `${report.subaccountsChecked} subaccount(s), ${report.secretsChecked} tenant secret(s) and ${report.ledgerItemsChecked ?? 0} ledger item(s) checked, ` +
        (report.repaired.length > 0 ? `${report.repaired.length} ledger item(s) rebuilt, ` : '') +
        `${report.ignoredSubaccounts} subaccount(s) not ours ignored` +
        (unmanaged > 0 ? `, ${unmanaged} secret(s) under the prefix not managed by this service` : ''),
    );
  }
  return report.findings.length > 0 ? EXIT.attention : EXIT.ok;
};

export const registerReconcileCommand = (program: Command, runtime: CommandRuntime): void => {
  const command = program
    .command('reconcile')
    .description(
      'compare Twilio subaccounts, tenant secrets and the tenant ledger; exit 1 on drift, 0 when none, 2 on errors',
    )
    .option('--repair', 'rebuild missing ledger items from the secret and Twilio (never deletes anything)');
  addJsonOption(addLedgerTableOption(addSecretOptions(command))).action((options: ReconcileOptions) =>
    runtime.run(options, (ctx) => runReconcileCommand(options, ctx, runtime.io)),
  );
};
