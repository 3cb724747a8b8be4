/** The human-readable summary printed after a run; results.json holds every figure. */
import type { BenchResults } from './run.ts';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

const render = (title: string, rows: ReadonlyArray<readonly [string, string, string?]>): string => {
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const lines = rows.map(([label, value, note]) =>
    `  ${label.padEnd(width)}  ${value.padStart(valueWidth)}${note ? `  ${note}` : ''}`.trimEnd(),
  );
  return [`${title}`, ...lines].join('\n');
};

export const formatResults = (results: BenchResults): string => {
  const { coldStart, batch, callsPerEvent, throughput, targets } = results;
  const v = coldStart.variants;
  const sections = [
    render('Cold start (fresh process: load bundle + first tenant.created, median)', [
      [
        'undici client (shipped)',
        ms(coldStart.ms),
        `${kib(v.handler.bundleBytes)}, init ${ms(v.handler.initMs)}`,
      ],
      [
        'twilio library variant',
        ms(coldStart.twilioLibraryMs),
        `${kib(v.twilioLibrary.bundleBytes)}, init ${ms(v.twilioLibrary.initMs)}`,
      ],
      [
        'in-memory Twilio client variant',
        ms(v.inMemoryTwilio.ms),
        `${kib(v.inMemoryTwilio.bundleBytes)}, init ${ms(v.inMemoryTwilio.initMs)}`,
      ],
      ['empty handler (floor)', ms(coldStart.emptyMs)],
      ['ratio shipped / twilio library', coldStart.ratioVsTwilioLibrary.toFixed(3), 'target <= 0.5'],
      ['ratio above the floor', coldStart.ratioVsTwilioLibraryAboveFloor.toFixed(3)],
      [
        'lowest ratio any Twilio client allows',
        coldStart.lowestRatioAnyTwilioClient.toFixed(3),
        `above the floor ${coldStart.lowestRatioAnyTwilioClientAboveFloor.toFixed(3)}`,
      ],
      ...Object.entries(coldStart.importCost).map(([name, cost]): [string, string, string] => [
        `  import ${name}`,
        ms(cost.ms),
        kib(cost.bundleBytes),
      ]),
    ]),
    render(
      `Batch of 10 (Twilio +${batch.injectedLatencyMs.twilio} ms, Secrets Manager +${batch.injectedLatencyMs.secrets} ms per call, median)`,
      [
        ['10 distinct tenants', ms(batch.distinctMs), `latency alone: ${batch.latencyBoundMs.distinct} ms`],
        [
          '1 tenant, 10 records',
          ms(batch.sameTenantMs),
          `latency alone: ${batch.latencyBoundMs.sameTenant} ms`,
        ],
        ['speedup', batch.speedup.toFixed(2), 'target >= 5'],
        ['  CPU per batch: distinct / 1 tenant', `${ms(batch.distinctCpuMs)} / ${ms(batch.sameTenantCpuMs)}`],
        [
          '  without logs+metrics: speedup',
          batch.withoutLogsAndMetrics.speedup.toFixed(2),
          `${ms(batch.withoutLogsAndMetrics.distinctMs)} / ${ms(batch.withoutLogsAndMetrics.sameTenantMs)}, CPU ${ms(batch.withoutLogsAndMetrics.distinctCpuMs)} / ${ms(batch.withoutLogsAndMetrics.sameTenantCpuMs)}`,
        ],
      ],
    ),
    render(
      'Calls per event (Twilio / Secrets Manager / DynamoDB, measured vs minimum)',
      (['tenant.created', 'tenant.delinquent', 'tenant.reinstated', 'tenant.churned'] as const).map(
        (type) => {
          const calls = callsPerEvent[type];
          const { minimum } = calls;
          return [
            type,
            `${calls.twilio} / ${calls.secrets} / ${calls.dynamodb}`,
            `minimum ${minimum.twilio} / ${minimum.secrets} / ${minimum.dynamodb}${calls.atMinimum ? '' : '  ABOVE MINIMUM'}`,
          ];
        },
      ),
    ),
    render(`Throughput (${throughput.c1.events} tenant.created through the local runner)`, [
      ...[throughput.c1, throughput.c5].map((run): [string, string, string] => [
        `maxConcurrency ${run.maxConcurrency}`,
        `${run.eventsPerSecond.toFixed(1)} events/s`,
        `peak RSS ${run.peakRssMiB} MiB, ${run.cpuMsPerEvent} ms CPU/event, ${run.coldStarts} cold starts, ${run.redeliveredRecords} redelivered`,
      ]),
      ['speedup 5 vs 1', throughput.speedupC5VsC1.toFixed(2)],
    ]),
    render(
      'Targets',
      Object.entries(targets).map(([name, check]) => [
        name,
        check.met ? 'met' : 'MISSED',
        `${check.value} (target ${check.target})`,
      ]),
    ),
  ];
  return sections.join('\n\n');
};
