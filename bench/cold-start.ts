/**
 * Cold start as Lambda pays it: a fresh Node process imports the bundled handler (built with the
 * stack's esbuild options) and handles its first event, a `tenant.created` for a tenant never
 * seen, against the local cloud. Four bundles take turns in the same run: the shipped handler,
 * the same handler on the official `twilio` library (its bundle with shared/twilio/client.ts
 * replaced by bench/variants/twilio-library-accounts.ts, nothing else changed), the same handler
 * with a Twilio client answering from memory (bench/variants/in-memory-twilio-accounts.ts: what
 * no Twilio client can take away, hence the lowest ratio any client could reach), and an empty
 * handler (the floor: process start and Node's own boot).
 */
import { fileURLToPath } from 'node:url';
import { HANDLER_ENTRY } from '../infra/paths.ts';
import type { LocalCloud } from '../local/cloud.ts';
import { ENV } from '../shared/contracts/env-names.ts';
import { type BundledFunction, bundleFunction, type ModuleSubstitutes } from './bundle.ts';
import { BenchRunError } from './errors.ts';
import { freshTenantId, sqsEventOf, tenantEvents } from './events.ts';
import { failedRecords, invokeInFreshProcess } from './invoke.ts';
import { deployedFunctionEnv } from './lambda-env.ts';
import { median, ratio, round } from './stats.ts';

const fromHere = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

interface VariantBuild {
  /** Directory name under bench/.build/. */
  readonly name: string;
  readonly entry: string;
  readonly substitutes?: ModuleSubstitutes;
}

export const COLD_START_VARIANTS = {
  handler: { name: 'tenant-events', entry: HANDLER_ENTRY.tenantEvents },
  // The real handler; the one module that talks to Twilio is swapped for the library's.
  twilioLibrary: {
    name: 'twilio-library',
    entry: HANDLER_ENTRY.tenantEvents,
    substitutes: {
      [fromHere('../shared/twilio/client.ts')]: fromHere('./variants/twilio-library-accounts.ts'),
    },
  },
  // The real handler with a Twilio client that answers from memory: what no client can take away.
  inMemoryTwilio: {
    name: 'in-memory-twilio',
    entry: HANDLER_ENTRY.tenantEvents,
    substitutes: {
      [fromHere('../shared/twilio/client.ts')]: fromHere('./variants/in-memory-twilio-accounts.ts'),
    },
  },
  empty: { name: 'empty', entry: fromHere('./variants/empty-handler.ts') },
} as const satisfies Record<string, VariantBuild>;

export type ColdStartVariant = keyof typeof COLD_START_VARIANTS;

interface Sample {
  /** Spawn to exit, as the benchmark sees it. */
  readonly wallMs: number;
  /** Import of the bundle: Lambda's init phase. */
  readonly initMs: number;
  /** The first invocation. */
  readonly firstEventMs: number;
}

export interface VariantFigures {
  readonly bundleBytes: number;
  readonly mapBytes: number;
  readonly ms: number;
  readonly initMs: number;
  readonly firstEventMs: number;
  readonly samplesMs: readonly number[];
}

export interface ColdStartResult {
  readonly bundleBytes: number;
  readonly ms: number;
  readonly twilioLibraryMs: number;
  readonly emptyMs: number;
  readonly ratioVsTwilioLibrary: number;
  /** The same ratio with the floor (process start, Node boot) taken off both sides. */
  readonly ratioVsTwilioLibraryAboveFloor: number;
  /**
   * The in-memory-Twilio variant over the library variant: the lowest ratio any Twilio client
   * could give this handler, since everything but the client is the same in both.
   */
  readonly lowestRatioAnyTwilioClient: number;
  readonly lowestRatioAnyTwilioClientAboveFloor: number;
  readonly repetitions: number;
  readonly variants: Readonly<Record<ColdStartVariant, VariantFigures>>;
}

/** One cold start, checked to have done the create it was meant to measure. */
const coldStartOnce = async (
  cloud: LocalCloud,
  variant: ColdStartVariant,
  bundle: BundledFunction,
): Promise<Sample> => {
  const tenantId = freshTenantId('cold');
  const event = sqsEventOf(tenantEvents(tenantId, ['tenant.created']), {
    queueArn: cloud.sqs.queueArn,
    region: cloud.region,
  });
  const report = await invokeInFreshProcess(bundle.file, [event], deployedFunctionEnv(cloud));
  const first = report.invocations[0];
  if (variant !== 'empty') {
    const secretName = `${cloud.env[ENV.secretPrefix]}/${tenantId}`;
    if (failedRecords(first?.response, 1) > 0 || !cloud.secrets.secretNames().includes(secretName)) {
      throw new BenchRunError(`cold start (${variant})`, `tenant ${tenantId} was not provisioned`);
    }
  }
  return {
    wallMs: report.wallMs,
    initMs: report.loadedMs - report.startedMs,
    firstEventMs: first?.ms ?? Number.NaN,
  };
};

const figures = (bundle: BundledFunction, samples: readonly Sample[]): VariantFigures => ({
  bundleBytes: bundle.bytes,
  mapBytes: bundle.mapBytes,
  ms: round(median(samples.map((s) => s.wallMs))),
  initMs: round(median(samples.map((s) => s.initMs))),
  firstEventMs: round(median(samples.map((s) => s.firstEventMs))),
  samplesMs: samples.map((s) => round(s.wallMs)),
});

const bundleVariant = (variant: VariantBuild): Promise<BundledFunction> =>
  bundleFunction(variant.name, variant.entry, variant.substitutes);

/** Whether undici, which only the product's Twilio client loads, is in a bundle. */
const carriesUndici = (bundle: BundledFunction): boolean =>
  bundle.inputs.some((input) => input.includes('node_modules/undici/'));

/** Bundles every variant into bench/.build/<name>/ with the stack's options. */
export const bundleVariants = async (): Promise<Record<ColdStartVariant, BundledFunction>> => {
  const bundles = {
    handler: await bundleVariant(COLD_START_VARIANTS.handler),
    twilioLibrary: await bundleVariant(COLD_START_VARIANTS.twilioLibrary),
    inMemoryTwilio: await bundleVariant(COLD_START_VARIANTS.inMemoryTwilio),
    empty: await bundleVariant(COLD_START_VARIANTS.empty),
  };
  // The comparison holds only if the library variant carries the library instead of undici.
  if (!carriesUndici(bundles.handler) || carriesUndici(bundles.twilioLibrary)) {
    throw new BenchRunError('bundling', 'undici must be in the handler bundle and only there');
  }
  return bundles;
};

export const measureColdStart = async (
  cloud: LocalCloud,
  bundles: Readonly<Record<ColdStartVariant, BundledFunction>>,
  options: { repetitions: number },
): Promise<ColdStartResult> => {
  const names = Object.keys(COLD_START_VARIANTS) as ColdStartVariant[];
  const samples: Record<ColdStartVariant, Sample[]> = {
    handler: [],
    twilioLibrary: [],
    inMemoryTwilio: [],
    empty: [],
  };
  // One unmeasured round first (file cache); then the variants take turns, each round starting
  // with a different one, so a slow moment of the machine does not land on one variant only.
  for (let turn = -1; turn < options.repetitions; turn += 1) {
    const shift = Math.max(0, turn) % names.length;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
      const sample = await coldStartOnce(cloud, name, bundles[name]);
      if (turn >= 0) samples[name].push(sample);
    }
  }
  const variants = {
    handler: figures(bundles.handler, samples.handler),
    twilioLibrary: figures(bundles.twilioLibrary, samples.twilioLibrary),
    inMemoryTwilio: figures(bundles.inMemoryTwilio, samples.inMemoryTwilio),
    empty: figures(bundles.empty, samples.empty),
  };
  const aboveFloor = (variant: VariantFigures) => variant.ms - variants.empty.ms;
  return {
    bundleBytes: variants.handler.bundleBytes,
    ms: variants.handler.ms,
    twilioLibraryMs: variants.twilioLibrary.ms,
    emptyMs: variants.empty.ms,
    ratioVsTwilioLibrary: ratio(variants.handler.ms, variants.twilioLibrary.ms),
    ratioVsTwilioLibraryAboveFloor: ratio(aboveFloor(variants.handler), aboveFloor(variants.twilioLibrary)),
    lowestRatioAnyTwilioClient: ratio(variants.inMemoryTwilio.ms, variants.twilioLibrary.ms),
    lowestRatioAnyTwilioClientAboveFloor: ratio(
      aboveFloor(variants.inMemoryTwilio),
      aboveFloor(variants.twilioLibrary),
    ),
    repetitions: options.repetitions,
    variants,
  };
};
