/** The performance targets the figures are checked against, each with the figure it reads. */
import type { BatchResult } from './batch.ts';
import type { CallsPerEventResult } from './calls-per-event.ts';
import type { ColdStartResult } from './cold-start.ts';
import type { ThroughputResult } from './throughput.ts';

export interface TargetCheck {
  readonly target: string;
  readonly value: number | string;
  readonly met: boolean;
}

const HAPPY_PATH = ['tenant.created', 'tenant.delinquent', 'tenant.reinstated', 'tenant.churned'] as const;

export const checkTargets = (figures: {
  coldStart: ColdStartResult;
  batch: BatchResult;
  callsPerEvent: CallsPerEventResult;
  throughput: ThroughputResult;
}): Record<string, TargetCheck> => {
  const offMinimum = HAPPY_PATH.filter((type) => !figures.callsPerEvent[type].atMinimum);
  return {
    'coldStart.ratioVsTwilioLibrary': {
      target: '<= 0.5',
      value: figures.coldStart.ratioVsTwilioLibrary,
      met: figures.coldStart.ratioVsTwilioLibrary <= 0.5,
    },
    'batch.speedup': { target: '>= 5', value: figures.batch.speedup, met: figures.batch.speedup >= 5 },
    callsPerEvent: {
      target: 'every happy-path event at the stated minimum',
      value: offMinimum.length === 0 ? 'all at minimum' : `above minimum: ${offMinimum.join(', ')}`,
      met: offMinimum.length === 0,
    },
    'throughput.speedupC5VsC1': {
      target: '>= 1 (5 environments no slower than 1)',
      value: figures.throughput.speedupC5VsC1,
      met: figures.throughput.speedupC5VsC1 >= 1,
    },
    'throughput.c5.peakRssMiB': {
      target: '<= 300',
      value: figures.throughput.c5.peakRssMiB,
      met: figures.throughput.c5.peakRssMiB <= 300,
    },
  };
};
