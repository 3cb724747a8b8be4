/** Where the worker runs: the local emulators, or AWS and Twilio. Everything else is the same. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { TenantCredentialKind } from '../../shared/domain/ports.ts';
import type { TwilioEmulator } from '../twilio-emulator/index.ts';

export interface Endpoint {
  readonly label: string;
  readonly url: string;
}

/** One outcome event the function published, as the local EventBridge received it. */
export interface PublishedOutcome {
  /** The detail-type, e.g. `tenant.provisioned`. */
  readonly type: string;
  /** `detail.tenantId`; absent on a rejection whose tenant could not be read. */
  readonly tenantId: string | undefined;
  /** `detail.causingEventId`: the input's eventId, or `sqs-message:<messageId>`. */
  readonly causingEventId: string;
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
  /** The tenant ledger, for the local close sweep; only when the target is local. */
  readonly ledger: { readonly client: DynamoDBClient; readonly tableName: string } | undefined;
  /**
   * Every outcome event published so far, in the order the bus received them; `undefined` when
   * they cannot be read (with --real they go to the deployed bus).
   */
  readonly outcomes: (() => PublishedOutcome[]) | undefined;
  /** The bus outcome events go to, for the report. */
  readonly outcomeBus: string;
  /** The function's settings that change what an event does, for the expectations model. */
  readonly lifecycle: {
    /** CHURN_GRACE_DAYS in milliseconds, as the function computes it. */
    readonly churnGraceMs: number;
    readonly credentials: TenantCredentialKind;
  };
  stop(): Promise<void>;
}
