/** `tenants send <type> <tenantId>`: publishes one lifecycle event, as a producer would. */
import { Argument, type Command } from 'commander';
import { publishMessages } from '../../shared/publishing/publisher.ts';
import { requireCliSetting } from '../config.ts';
import type { CliContext } from '../context.ts';
import {
  buildTenantEvent,
  type EventInput,
  fullEventType,
  queueMessageOf,
  SHORT_EVENT_TYPES,
  type ShortEventType,
} from '../event-input.ts';
import type { CliIo } from '../io.ts';
import { addQueueUrlOption } from '../options.ts';
import { writeLine } from '../output.ts';
import { type CommandRuntime, EXIT } from '../runtime.ts';

export interface SendOptions {
  readonly name?: string;
  readonly eventId?: string;
  readonly occurredAt?: string;
  readonly queueUrl?: string;
}

/**
 * The one publishing path of every command that sends an event: built and validated against the
 * contract, checked against SQS's id rules, sent with MessageGroupId = tenantId and
 * MessageDeduplicationId = eventId, and its eventId and messageId printed.
 */
export const publishTenantEvent = async (input: EventInput, ctx: CliContext, io: CliIo): Promise<number> => {
  const event = buildTenantEvent(input, io.now());
  const message = queueMessageOf(event);
  const queueUrl = requireCliSetting(ctx.config, 'queueUrl');
  const [result] = await publishMessages({ sqs: ctx.sqs(), queueUrl }, [message]);
  if (result?.error !== undefined) throw result.error;
  writeLine(io.stdout, `sent ${event.type} for ${event.tenantId}`);
  writeLine(io.stdout, `eventId:   ${event.eventId}`);
  writeLine(io.stdout, `messageId: ${result?.messageId ?? ''}`);
  return EXIT.ok;
};

export const runSend = (
  type: ShortEventType,
  tenantId: string,
  options: SendOptions,
  ctx: CliContext,
  io: CliIo,
): Promise<number> =>
  publishTenantEvent(
    {
      type: fullEventType(type),
      tenantId,
      tenantName: options.name,
      eventId: options.eventId,
      occurredAt: options.occurredAt,
    },
    ctx,
    io,
  );

export const registerSendCommand = (program: Command, runtime: CommandRuntime): void => {
  const command = program
    .command('send')
    .description('publish one tenant lifecycle event to the tenant-events queue')
    .addArgument(new Argument('<type>', 'event type').choices(SHORT_EVENT_TYPES))
    .argument('<tenantId>', 'tenant id: 1..48 letters, digits, ".", "_" or "-"')
    .option('--name <tenantName>', 'tenant display name (tenantName)')
    .option('--event-id <eventId>', 'event id, also the deduplication id (default: a new UUID)')
    .option('--occurred-at <iso>', 'ISO-8601 time of the event with an offset or Z (default: now)');
  addQueueUrlOption(command).action((type: ShortEventType, tenantId: string, options: SendOptions) =>
    runtime.run(options, (ctx) => runSend(type, tenantId, options, ctx, runtime.io)),
  );
};
