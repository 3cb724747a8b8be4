import { describe, expect, it } from 'vitest';
import { TwilioConfigError } from '../../../../shared/twilio/errors.ts';
import { assertHttpParserSupported } from '../../../../shared/twilio/transport.ts';

describe('the HTTP parser the bundle ships', () => {
  it('runs where WebAssembly SIMD is, as on this Node and every Lambda runtime', () => {
    expect(() => assertHttpParserSupported()).not.toThrow();
  });

  it('refuses, with the reason, a runtime without it', () => {
    const error = (() => {
      try {
        assertHttpParserSupported(false);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TwilioConfigError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(/WebAssembly SIMD/) });
  });
});
