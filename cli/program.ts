/**
 * The `tenants` command tree. Commander's own messages (unknown command, bad choice, missing
 * argument) go through the same `tenants: <message>` line as every other error.
 */
import { Command } from 'commander';
import { registerBackfillCommand } from './commands/backfill.ts';
import { registerDlqCommand } from './commands/dlq.ts';
import { registerLifecycleCommands } from './commands/lifecycle.ts';
import { registerReconcileCommand } from './commands/reconcile.ts';
import { registerSendCommand } from './commands/send.ts';
import { registerStatusCommand } from './commands/status.ts';
import { PROGRAM_NAME } from './output.ts';
import type { CommandRuntime } from './runtime.ts';

export const createProgram = (runtime: CommandRuntime): Command => {
  const { io } = runtime;
  const program = new Command(PROGRAM_NAME)
    .description(
      'Operate subaccount-provisioner: publish events, close or rotate tenants, backfill, inspect tenants, the DLQ and drift.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${PROGRAM_NAME}: ${text.replace(/^error:\s*/, '').trim()}\n`),
    })
    .showHelpAfterError(false);
  registerSendCommand(program, runtime);
  registerLifecycleCommands(program, runtime);
  registerBackfillCommand(program, runtime);
  registerStatusCommand(program, runtime);
  registerDlqCommand(program, runtime);
  registerReconcileCommand(program, runtime);
  return program;
};
