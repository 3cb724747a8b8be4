import { LocalEventBridgeConfigError } from './errors.ts';

export const DEFAULT_BUS = 'default';

/**
 * An event as EventBridge hands it to a rule's target, e.g. an SQS queue's message body.
 * https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html
 */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO-8601 to the second, `Z`: the entry's Time, or when PutEvents was called. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** One accepted entry, with what EventBridge assigned to it. */
export interface ReceivedEvent {
  readonly eventId: string;
  readonly busName: string;
  readonly busArn: string;
  readonly source: string;
  readonly detailType: string;
  /** Detail, parsed (always a JSON object). */
  readonly detail: Record<string, unknown>;
  /** Detail exactly as it was sent. */
  readonly detailJson: string;
  readonly resources: readonly string[];
  /** The entry's Time, or when PutEvents was called. */
  readonly time: Date;
  /** When the stand-in processed the call. */
  readonly receivedAt: Date;
  readonly traceHeader?: string;
  readonly event: EventBridgeEvent;
}

/** EventBridge's rule for the name of a custom bus. */
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

/** The buses of one account and region, and what each received, in order. */
export class EventBuses {
  readonly #names = new Set<string>([DEFAULT_BUS]);
  #received: ReceivedEvent[] = [];
  #dropped: ReceivedEvent[] = [];

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  arn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  /** Adds a custom bus (idempotently) and returns its ARN. */
  create(name: string): string {
    if (typeof name !== 'string' || !BUS_NAME.test(name) || name.startsWith('aws.')) {
      throw new LocalEventBridgeConfigError('eventBuses', `"${String(name)}" is not a custom event bus name`);
    }
    this.#names.add(name);
    return this.arn(name);
  }

  names(): string[] {
    return [...this.#names];
  }

  /**
   * The bus an entry's EventBusName designates — a name, or an ARN of this account and region —
   * and whether it exists here.
   */
  resolve(nameOrArn: string | undefined): { name: string; arn: string; exists: boolean } {
    const given = nameOrArn ?? DEFAULT_BUS;
    const arnParts = BUS_ARN.exec(given);
    if (arnParts) {
      const [, region, accountId, name] = arnParts as unknown as [string, string, string, string];
      const here = region === this.region && accountId === this.accountId;
      return { name, arn: given, exists: here && this.#names.has(name) };
    }
    return { name: given, arn: this.arn(given), exists: this.#names.has(given) };
  }

  record(event: ReceivedEvent): void {
    this.#received.push(event);
  }

  /** Accepted for a bus that does not exist: answered with an EventId, delivered nowhere. */
  drop(event: ReceivedEvent): void {
    this.#dropped.push(event);
  }

  received(busName?: string): ReceivedEvent[] {
    return busName === undefined
      ? [...this.#received]
      : this.#received.filter((event) => event.busName === busName || event.busArn === busName);
  }

  dropped(): ReceivedEvent[] {
    return [...this.#dropped];
  }

  clear(): void {
    this.#received = [];
    this.#dropped = [];
  }
}
