/**
 * `tenants dlq list` shows what was dead-lettered and why, without consuming anything;
 * `tenants dlq redrive` sends all or chosen messages back to the tenant-events queue.
 */
import type { Command } from 'commander';
import { requireCliSetting } from '../config.ts';
import type { CliContext } from '../context.ts';
import {
  approximateDepth,
  bodyWasCut,
  type DeadLetter,
  oldestFirst,
  receiveDeadLetters,
  releaseDeadLetters,
} from '../dlq/dead-letters.ts';
import { type RedriveOutcome, redrive } from '../dlq/redrive.ts';
import { CliInputError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { addDlqUrlOption, addJsonOption, addQueueUrlOption } from '../options.ts';
import { type Column, errorLine, formatTable, writeJson, writeLine } from '../output.ts';
import { type CommandRuntime, EXIT } from '../runtime.ts';

/**
 * Messages are held from their receive until the end of the listing (that is what lets the
 * listing reach every group), so this must outlast reading the largest DLQ, up to the 20,000
 * messages SQS lets a FIFO queue hold in flight. Released at the end anyway; only a listing that
 * dies midway leaves them hidden this long.
 */
const LIST_VISIBILITY_SECONDS = 300;
/** Covers the whole read plus the sends to the source queue before the deletes. */
const REDRIVE_VISIBILITY_SECONDS = 600;
const REASON_WIDTH = 80;

export interface DlqListOptions {
  readonly json?: boolean;
  readonly max?: string;
  readonly dlqUrl?: string;
}

export interface DlqRedriveOptions {
  readonly id: string[];
  readonly dlqUrl?: string;
  readonly queueUrl?: string;
}

const COLUMNS: readonly Column<DeadLetter>[] = [
  { header: 'MESSAGE ID', value: (l) => l.messageId },
  { header: 'TENANT', value: (l) => l.tenantId ?? '-' },
  { header: 'ERROR', value: (l) => l.errorCode ?? '-' },
  { header: 'RECEIVES', value: (l) => (l.receiveCount === undefined ? '-' : String(l.receiveCount)) },
  { header: 'ORIGINAL MESSAGE', value: (l) => l.originalMessageId ?? '-' },
  {
    header: 'REASON',
    value: (l) => {
      const reason = (l.reason ?? '-').replace(/\s+/g, ' ');
      return reason.length > REASON_WIDTH ? `${reason.slice(0, REASON_WIDTH - 1)}…` : reason;
    },
  },
];

const parseMax = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const max = Number(value);
  if (!Number.isInteger(max) || max < 1)
    throw new CliInputError(`--max "${value}" must be a positive integer`);
  return max;
};

interface Queues {
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

const withoutReceipt = ({ receiptHandle: _, ...letter }: DeadLetter) => letter;

/**
 * Reads the whole DLQ (cli/dlq/dead-letters.ts says what that reaches), counts it while every
 * message is still held, then makes all of them visible again, whatever happened meanwhile.
 */
const peek = async (ctx: CliContext, dlqUrl: string, max: number | undefined) => {
  const letters = await receiveDeadLetters(ctx.sqs(), dlqUrl, {
    max,
    visibilitySeconds: LIST_VISIBILITY_SECONDS,
  });
  try {
    return { letters: oldestFirst(letters), depth: await approximateDepth(ctx.sqs(), dlqUrl) };
  } finally {
    await releaseDeadLetters(ctx.sqs(), dlqUrl, letters);
  }
};

export const runDlqList = async (options: DlqListOptions, ctx: CliContext, io: CliIo): Promise<number> => {
  const max = parseMax(options.max);
  const dlqUrl = requireCliSetting(ctx.config, 'deadLetterQueueUrl');
  const { letters, depth } = await peek(ctx, dlqUrl, max);
  const approximateTotal = Math.max(depth, letters.length);
  if (options.json) {
    writeJson(io.stdout, { listed: letters.length, approximateTotal, messages: letters.map(withoutReceipt) });
    return EXIT.ok;
  }
  if (letters.length > 0) writeLine(io.stdout, formatTable(COLUMNS, letters));
  writeLine(
    io.stdout,
    `${letters.length} dead-lettered message(s) listed of about ${approximateTotal} in the queue`,
  );
  const cut = letters.filter(bodyWasCut).length;
  if (cut > 0) {
    writeLine(
      io.stdout,
      `${cut} of them carry a body cut to fit the queue (--json shows the original's size and SHA-256); they cannot be redriven`,
    );
  }
  const behind = approximateTotal - letters.length;
  if (behind > 0 && max === undefined) {
    writeLine(
      io.stdout,
      `about ${behind} more wait behind listed ones of the same message group (messages SQS moved there itself keep their tenant's group, FIFO); they show once those are redriven`,
    );
  }
  return EXIT.ok;
};

const reportOutcomes = (outcomes: readonly RedriveOutcome[], io: CliIo): number => {
  for (const outcome of outcomes) {
    if (outcome.problem !== undefined) {
      writeLine(io.stderr, errorLine(`${outcome.letter.messageId}: ${outcome.problem}`));
    } else {
      writeLine(io.stdout, `redriven ${outcome.letter.messageId} -> ${outcome.messageId}`);
    }
  }
  return outcomes.filter((outcome) => outcome.problem !== undefined).length;
};

/** Chosen ids: one pass, and every id must be in the queue, or nothing is redriven. */
const redriveChosen = async (ctx: CliContext, queues: Queues, ids: ReadonlySet<string>) => {
  const sqs = ctx.sqs();
  const letters = await receiveDeadLetters(sqs, queues.dlqUrl, {
    visibilitySeconds: REDRIVE_VISIBILITY_SECONDS,
  });
  const unknown = [...ids].filter((id) => !letters.some((letter) => letter.messageId === id));
  if (unknown.length > 0) {
    await releaseDeadLetters(sqs, queues.dlqUrl, letters);
    throw new CliInputError(`no dead-lettered message with id ${unknown.join(', ')}; nothing redriven`);
  }
  const chosen = letters.filter((letter) => ids.has(letter.messageId));
  await releaseDeadLetters(
    sqs,
    queues.dlqUrl,
    letters.filter((letter) => !ids.has(letter.messageId)),
  );
  return redrive(sqs, queues, chosen);
};

/**
 * Everything: pass after pass, because a message group whose head is held yields nothing more in
 * the same pass (only messages SQS moved itself share a group); deleting the redriven ones
 * unlocks the next. Stops at the first failure, which would otherwise be received again and again,
 * and once a pass redrives nothing new (what is left can never be redriven: its body was cut).
 */
const redriveAll = async (ctx: CliContext, queues: Queues) => {
  const outcomes = new Map<string, RedriveOutcome>();
  for (;;) {
    const letters = await receiveDeadLetters(ctx.sqs(), queues.dlqUrl, {
      visibilitySeconds: REDRIVE_VISIBILITY_SECONDS,
    });
    const pass = letters.length === 0 ? [] : await redrive(ctx.sqs(), queues, letters);
    const fresh = pass.filter((outcome) => !outcomes.has(outcome.letter.messageId));
    for (const outcome of pass) outcomes.set(outcome.letter.messageId, outcome);
    const failed = pass.some((outcome) => outcome.problem !== undefined && outcome.refused !== true);
    if (failed || fresh.length === 0) return [...outcomes.values()];
  }
};

export const runDlqRedrive = async (
  options: DlqRedriveOptions,
  ctx: CliContext,
  io: CliIo,
): Promise<number> => {
  const queues = {
    dlqUrl: requireCliSetting(ctx.config, 'deadLetterQueueUrl'),
    queueUrl: requireCliSetting(ctx.config, 'queueUrl'),
  };
  const ids = new Set(options.id);
  const outcomes = ids.size === 0 ? await redriveAll(ctx, queues) : await redriveChosen(ctx, queues, ids);
  if (outcomes.length === 0) {
    writeLine(io.stdout, 'the dead-letter queue is empty; nothing redriven');
    return EXIT.ok;
  }
  const failed = reportOutcomes(outcomes, io);
  writeLine(io.stdout, `${outcomes.length - failed} of ${outcomes.length} message(s) redriven`);
  return failed > 0 ? EXIT.attention : EXIT.ok;
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export const registerDlqCommand = (program: Command, runtime: CommandRuntime): void => {
  const dlq = program.command('dlq').description('inspect and redrive the dead-letter queue');
  const list = dlq
    .command('list')
    .description('list dead-lettered messages with their reasons, without consuming them')
    .option('--max <n>', 'list at most n messages');
  addJsonOption(addDlqUrlOption(list)).action((options: DlqListOptions) =>
    runtime.run(options, (ctx) => runDlqList(options, ctx, runtime.io)),
  );
  const redriveCommand = dlq
    .command('redrive')
    .description('send dead-lettered messages back to the tenant-events queue, then delete them from the DLQ')
    .option('--id <messageId>', 'redrive only this DLQ message (repeatable); all when omitted', collect, []);
  addQueueUrlOption(addDlqUrlOption(redriveCommand)).action((options: DlqRedriveOptions) =>
    runtime.run(options, (ctx) => runDlqRedrive(options, ctx, runtime.io)),
  );
};
