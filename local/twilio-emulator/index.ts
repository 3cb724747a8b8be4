/**
 * Local emulator of Twilio's Accounts resource (create, read, fetch, update subaccounts) with
 * fault injection, for tests and local runs without network access.
 * https://www.twilio.com/docs/iam/api/account
 */
export { startTwilioEmulator } from './emulator.ts';
export { TwilioApiError, TwilioEmulatorConfigError, type TwilioErrorBody } from './errors.ts';
export type {
  AccountJson,
  TwilioApiKey,
  TwilioEmulator,
  TwilioEmulatorOptions,
  TwilioEmulatorStats,
  TwilioFault,
  TwilioFaultRule,
  TwilioListLag,
  TwilioRequestLogEntry,
  TwilioRoute,
} from './types.ts';
