export interface SecretsEmulatorStats {
  /** Every request received, including rejected and faulted ones. */
  total: number;
  /** Requests per operation named in X-Amz-Target, each attempt of a retry counted. */
  byOperation: Record<string, number>;
  /** Fault rule firings per operation. */
  faultsInjected: Record<string, number>;
}

export class CallStats {
  #total = 0;
  #byOperation: Record<string, number> = {};
  #faultsInjected: Record<string, number> = {};

  request(operation: string | undefined): void {
    this.#total += 1;
    if (operation !== undefined) this.#byOperation[operation] = (this.#byOperation[operation] ?? 0) + 1;
  }

  faults(operation: string, fired: number): void {
    if (fired > 0) this.#faultsInjected[operation] = (this.#faultsInjected[operation] ?? 0) + fired;
  }

  snapshot(): SecretsEmulatorStats {
    return {
      total: this.#total,
      byOperation: { ...this.#byOperation },
      faultsInjected: { ...this.#faultsInjected },
    };
  }

  reset(): void {
    this.#total = 0;
    this.#byOperation = {};
    this.#faultsInjected = {};
  }
}
