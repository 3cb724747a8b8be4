/** Request counters and log, so tests can assert how many calls reached "Twilio". */
import {
  TWILIO_ROUTES,
  type TwilioEmulatorStats,
  type TwilioRequestLogEntry,
  type TwilioRoute,
} from './types.ts';

/** Bounds memory when the emulator runs for a long time from the command line. */
const MAX_LOG_ENTRIES = 10_000;

const zeroByRoute = (): Record<TwilioRoute, number> =>
  Object.fromEntries(TWILIO_ROUTES.map((route) => [route, 0])) as Record<TwilioRoute, number>;

export class RequestRecorder {
  private total = 0;
  private byRoute = zeroByRoute();
  private faults: Record<string, number> = {};
  private entries: TwilioRequestLogEntry[] = [];

  countRequest(): void {
    this.total += 1;
  }

  countRoute(route: TwilioRoute): void {
    this.byRoute[route] += 1;
  }

  countFault(kind: string): void {
    this.faults[kind] = (this.faults[kind] ?? 0) + 1;
  }

  record(entry: TwilioRequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_LOG_ENTRIES) this.entries.shift();
  }

  stats(): TwilioEmulatorStats {
    return { total: this.total, byRoute: { ...this.byRoute }, faultsInjected: { ...this.faults } };
  }

  log(): ReadonlyArray<TwilioRequestLogEntry> {
    return [...this.entries];
  }

  reset(): void {
    this.total = 0;
    this.byRoute = zeroByRoute();
    this.faults = {};
    this.entries = [];
  }
}
