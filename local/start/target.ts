/** Where the worker runs: the local emulators, or AWS and Twilio. Everything else is the same. */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { TwilioEmulator } from '../twilio-emulator/index.ts';

export interface Endpoint {
  readonly label: string;
  readonly url: string;
}

export interface Target {
  readonly mode: 'local' | 'real';
  readonly region: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
  readonly secretsClient: SecretsManagerClient;
  readonly secretPrefix: string;
  readonly parentCredentialsSecret: string;
  readonly twilioBaseUrl: string;
  readonly friendlyNameTemplate: string | undefined;
  /** Environment the function's execution environments get on top of this process's. */
  readonly handlerEnv: Record<string, string>;
  /** Environment a shell needs to reach the same queue (printed, so never a real secret). */
  readonly shellEnv: Record<string, string>;
  readonly endpoints: readonly Endpoint[];
  /** The Twilio emulator, when the target is local. */
  readonly twilioEmulator: TwilioEmulator | undefined;
  stop(): Promise<void>;
}
