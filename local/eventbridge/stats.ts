import type { EventBridgeFaultKind } from './faults.ts';

export interface LocalEventBridgeStats {
  /** Every request received, rejected and faulted ones included. */
  total: number;
  /** Requests per operation named in X-Amz-Target, each attempt of an SDK retry counted. */
  byOperation: Record<string, number>;
  /** Fault rule firings per kind. */
  faultsInjected: Partial<Record<EventBridgeFaultKind, number>>;
  /** Entries of answered PutEvents calls: stored on a bus, dropped (missing bus), failed. */
  entries: { stored: number; dropped: number; failed: number };
}

export class CallStats {
  #total = 0;
  #byOperation: Record<string, number> = {};
  #faults: Partial<Record<EventBridgeFaultKind, number>> = {};
  #entries = { stored: 0, dropped: 0, failed: 0 };

  request(operation: string | undefined): void {
    this.#total += 1;
    if (operation !== undefined) this.#byOperation[operation] = (this.#byOperation[operation] ?? 0) + 1;
  }

  faults(kinds: readonly EventBridgeFaultKind[]): void {
    for (const kind of kinds) this.#faults[kind] = (this.#faults[kind] ?? 0) + 1;
  }

  entries(counts: { stored: number; dropped: number; failed: number }): void {
    this.#entries.stored += counts.stored;
    this.#entries.dropped += counts.dropped;
    this.#entries.failed += counts.failed;
  }

  snapshot(): LocalEventBridgeStats {
    return {
      total: this.#total,
      byOperation: { ...this.#byOperation },
      faultsInjected: { ...this.#faults },
      entries: { ...this.#entries },
    };
  }

  reset(): void {
    this.#total = 0;
    this.#byOperation = {};
    this.#faults = {};
    this.#entries = { stored: 0, dropped: 0, failed: 0 };
  }
}
