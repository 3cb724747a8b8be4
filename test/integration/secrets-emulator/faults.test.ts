import {
  CreateSecretCommand,
  DescribeSecretCommand,
  InternalServiceError,
  ListSecretsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmulatorConfigError } from '../../../local/secrets-emulator/index.ts';
import { clientFor, type Harness, startHarness, stopHarness } from './harness.ts';

describe('secrets emulator: injected faults', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
  });

  it('throttles with ThrottlingException, which the SDK retries until it succeeds', async () => {
    h = await startHarness();
    h.emulator.injectFault({ operation: 'CreateSecret', fault: { kind: 'throttle' }, times: 1 });
    const retrying = clientFor(h.emulator, 3);
    try {
      const created = await retrying.send(new CreateSecretCommand({ Name: 's', SecretString: 'x' }));
      expect(created.$metadata.attempts).toBe(2);
    } finally {
      retrying.destroy();
    }
    expect(h.emulator.stats()).toMatchObject({
      byOperation: { CreateSecret: 2 },
      faultsInjected: { CreateSecret: 1 },
    });
    expect(h.emulator.secretNames()).toEqual(['s']);
  });

  it('surfaces a throttle as ThrottlingException (HTTP 400) when retries are off, without applying it', async () => {
    h = await startHarness();
    h.emulator.injectFault({ operation: 'CreateSecret', fault: { kind: 'throttle' } });
    const error = await h.client
      .send(new CreateSecretCommand({ Name: 's', SecretString: 'x' }))
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    expect(h.emulator.secretNames()).toEqual([]);
  });

  it('answers InternalServiceError (HTTP 500) for internal-error faults', async () => {
    h = await startHarness();
    h.emulator.injectFault({ operation: '*', fault: { kind: 'internal-error' }, times: 2 });
    for (let i = 0; i < 2; i += 1) {
      const error = await h.client.send(new ListSecretsCommand({})).catch((e) => e);
      expect(error).toBeInstanceOf(InternalServiceError);
      expect(error.$metadata.httpStatusCode).toBe(500);
    }
    await expect(h.client.send(new ListSecretsCommand({}))).resolves.toMatchObject({ SecretList: [] });
    expect(h.emulator.stats()).toMatchObject({ total: 3, faultsInjected: { ListSecrets: 2 } });
  });

  it('fires only for the named operation, and not after clearFaults', async () => {
    h = await startHarness();
    h.emulator.injectFault({ operation: 'DescribeSecret', fault: { kind: 'internal-error' } });
    await expect(h.client.send(new CreateSecretCommand({ Name: 's' }))).resolves.toMatchObject({ Name: 's' });
    await expect(h.client.send(new DescribeSecretCommand({ SecretId: 's' }))).rejects.toBeInstanceOf(
      InternalServiceError,
    );
    h.emulator.clearFaults();
    await expect(h.client.send(new DescribeSecretCommand({ SecretId: 's' }))).resolves.toMatchObject({
      Name: 's',
    });
  });

  it('draws probability from the given random source', async () => {
    let draw = 0.9;
    h = await startHarness({ random: () => draw });
    h.emulator.injectFault({ operation: 'ListSecrets', fault: { kind: 'throttle' }, probability: 0.5 });
    await expect(h.client.send(new ListSecretsCommand({}))).resolves.toBeDefined();
    draw = 0.1;
    await expect(h.client.send(new ListSecretsCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(h.emulator.stats().faultsInjected).toEqual({ ListSecrets: 1 });
  });

  it('applies a delayed call when the caller waits for it', async () => {
    h = await startHarness();
    h.emulator.injectFault({ operation: 'CreateSecret', fault: { kind: 'latency', ms: 50 }, times: 1 });
    await expect(h.client.send(new CreateSecretCommand({ Name: 's' }))).resolves.toMatchObject({ Name: 's' });
    expect(h.emulator.secretNames()).toEqual(['s']);
  });

  it('does not apply a delayed call whose caller disconnected during the delay', async () => {
    const lines: string[] = [];
    h = await startHarness({ log: (line) => lines.push(line) });
    const { emulator, client } = h;
    emulator.injectFault({ operation: 'CreateSecret', fault: { kind: 'latency', ms: 20_000 }, times: 1 });
    const abort = new AbortController();
    const call = client
      .send(new CreateSecretCommand({ Name: 's', SecretString: 'x' }), { abortSignal: abort.signal })
      .catch((e: unknown) => e);
    await vi.waitFor(() => expect(emulator.stats().faultsInjected.CreateSecret).toBe(1));
    abort.abort();
    expect(await call).toMatchObject({ name: 'AbortError' });
    await vi.waitFor(() => expect(lines.some((line) => /CreateSecret dropped/.test(line))).toBe(true));

    expect(emulator.secretNames()).toEqual([]);
    await expect(client.send(new DescribeSecretCommand({ SecretId: 's' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('counts calls per operation until resetStats', async () => {
    h = await startHarness();
    await h.client.send(new CreateSecretCommand({ Name: 's' }));
    await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(h.emulator.stats()).toEqual({
      total: 3,
      byOperation: { CreateSecret: 1, DescribeSecret: 2 },
      faultsInjected: {},
    });
    h.emulator.resetStats();
    expect(h.emulator.stats()).toEqual({ total: 0, byOperation: {}, faultsInjected: {} });
  });

  it('refuses malformed fault rules, naming the field', async () => {
    h = await startHarness();
    const { emulator } = h;
    expect(() => emulator.injectFault({ operation: '*', fault: { kind: 'throttle' }, times: 0 })).toThrow(
      EmulatorConfigError,
    );
    expect(() => emulator.injectFault({ operation: '*', fault: { kind: 'latency', ms: -1 } })).toThrow(
      /fault\.ms/,
    );
    expect(() =>
      emulator.injectFault({ operation: '*', fault: { kind: 'throttle' }, probability: 2 }),
    ).toThrow(/probability/);
  });
});
