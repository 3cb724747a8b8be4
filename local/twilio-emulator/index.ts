/**
 * Local emulator of Twilio's Accounts resource (create, read, fetch, update subaccounts), its Keys
 * resource (API keys) and its Balance, with fault injection, for tests and local runs without
 * network access. https://www.twilio.com/docs/iam/api/account, https://www.twilio.com/docs/iam/api/key
 */
export { startTwilioEmulator } from './emulator.ts';
export { TwilioApiError, TwilioEmulatorConfigError, type TwilioErrorBody } from './errors.ts';
export type {
  AccountJson,
  BalanceJson,
  KeyJson,
  MainKeyOptions,
  NewKeyJson,
  TwilioApiKey,
  TwilioEmulator,
  TwilioEmulatorOptions,
  TwilioEmulatorStats,
  TwilioFault,
  TwilioFaultRule,
  TwilioKeyInfo,
  TwilioKeyType,
  TwilioListLag,
  TwilioRequestLogEntry,
  TwilioRoute,
} from './types.ts';
