import type { DynamoFaultKind } from './faults.ts';

export type FaultCounts = Record<DynamoFaultKind, number>;

export interface LocalDynamoDbStats {
  /** Every request the proxy received, faulted ones included. */
  total: number;
  /** Requests per operation (`UpdateItem`, ...), each attempt of an SDK retry counted. */
  byOperation: Record<string, number>;
  /** Fault firings of each kind, all operations together. */
  faultsInjected: FaultCounts;
  /** Fault firings per operation. */
  faultsByOperation: Record<string, FaultCounts>;
}

const noFaults = (): FaultCounts => ({ latency: 0, throttle: 0, 'lost-answer': 0 });

export class ProxyStats {
  #total = 0;
  #byOperation: Record<string, number> = {};
  #faults = noFaults();
  #faultsByOperation: Record<string, FaultCounts> = {};

  request(operation: string | undefined): void {
    this.#total += 1;
    if (operation !== undefined) this.#byOperation[operation] = (this.#byOperation[operation] ?? 0) + 1;
  }

  fault(operation: string, kind: DynamoFaultKind): void {
    this.#faults[kind] += 1;
    this.#faultsByOperation[operation] ??= noFaults();
    this.#faultsByOperation[operation][kind] += 1;
  }

  snapshot(): LocalDynamoDbStats {
    return {
      total: this.#total,
      byOperation: { ...this.#byOperation },
      faultsInjected: { ...this.#faults },
      faultsByOperation: Object.fromEntries(
        Object.entries(this.#faultsByOperation).map(([operation, counts]) => [operation, { ...counts }]),
      ),
    };
  }

  reset(): void {
    this.#total = 0;
    this.#byOperation = {};
    this.#faults = noFaults();
    this.#faultsByOperation = {};
  }
}
