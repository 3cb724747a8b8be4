/**
 * AWS and Twilio as the target: the same runner and handler, pointed at a deployed queue, the
 * deployed secrets and Twilio's API through the standard AWS configuration of this shell.
 * Nothing is started; nothing here is used by the tests (they have no network).
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { readTenantEventsConfig, type TenantEventsConfig } from '../../functions/tenant-events/config.ts';
import { createSecretsManagerClient } from '../../shared/aws/clients.ts';
import { createSqsClient } from '../../shared/aws/sqs-client.ts';
import { ConfigurationError } from '../../shared/config/errors.ts';
import { RealTargetConfigError } from './errors.ts';
import type { Target } from './target.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Any of these would send the "real" run to an emulator or another endpoint. */
const ENDPOINT_OVERRIDES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_SECRETS_MANAGER'];

const set = (env: Env, name: string): boolean => (env[name] ?? '').trim() !== '';

const environmentProblems = (env: Env): string[] => {
  const problems: string[] = [];
  if (!set(env, 'AWS_REGION') && !set(env, 'AWS_DEFAULT_REGION')) problems.push('AWS_REGION is required');
  const keys = set(env, 'AWS_ACCESS_KEY_ID') && set(env, 'AWS_SECRET_ACCESS_KEY');
  if (!keys && !set(env, 'AWS_PROFILE')) {
    problems.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) are required');
  }
  if (!set(env, 'TENANT_EVENTS_QUEUE_URL')) problems.push('TENANT_EVENTS_QUEUE_URL is required');
  for (const name of ENDPOINT_OVERRIDES) {
    if (set(env, name)) problems.push(`${name} must be unset (it overrides the AWS endpoint)`);
  }
  if (set(env, 'TWILIO_API_BASE_URL') && !env.TWILIO_API_BASE_URL?.trim().startsWith('https://')) {
    problems.push('TWILIO_API_BASE_URL must be unset or an https URL');
  }
  return problems;
};

/** The function's own configuration, checked now rather than at the first cold start. */
const functionConfig = (env: Env, problems: string[]): TenantEventsConfig | undefined => {
  try {
    return readTenantEventsConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
};

const queueArnOf = async (target: Pick<Target, 'sqs' | 'queueUrl'>): Promise<string> => {
  const answer = await target.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: target.queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = answer.Attributes?.QueueArn;
  if (arn === undefined) throw new RealTargetConfigError(['TENANT_EVENTS_QUEUE_URL has no QueueArn']);
  return arn;
};

/** Validates the environment (no network), then reads the queue's ARN from SQS. */
export const createRealTarget = async (env: Env = process.env): Promise<Target> => {
  const problems = environmentProblems(env);
  const config = functionConfig(env, problems);
  if (problems.length > 0 || config === undefined) throw new RealTargetConfigError(problems);
  const region = (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '').trim();
  const queueUrl = (env.TENANT_EVENTS_QUEUE_URL ?? '').trim();
  const sqs = createSqsClient();
  const secretsClient = createSecretsManagerClient();
  return {
    mode: 'real',
    region,
    sqs,
    queueUrl,
    queueArn: await queueArnOf({ sqs, queueUrl }),
    dlqUrl: config.DEAD_LETTER_QUEUE_URL,
    secretsClient,
    secretPrefix: config.SECRET_PREFIX,
    parentCredentialsSecret: config.PARENT_CREDENTIALS_SECRET,
    twilioBaseUrl: config.TWILIO_API_BASE_URL,
    friendlyNameTemplate: config.FRIENDLY_NAME_TEMPLATE,
    // The execution environments inherit this shell's AWS configuration and the function's variables.
    handlerEnv: {},
    shellEnv: {
      AWS_REGION: region,
      TENANT_EVENTS_QUEUE_URL: queueUrl,
      DEAD_LETTER_QUEUE_URL: config.DEAD_LETTER_QUEUE_URL,
    },
    endpoints: [
      { label: 'Twilio API', url: config.TWILIO_API_BASE_URL },
      { label: 'Tenant events queue', url: queueUrl },
      { label: 'Dead-letter queue', url: config.DEAD_LETTER_QUEUE_URL },
    ],
    twilioEmulator: undefined,
    // The deployed close sweep closes due tenants; outcome events go to the deployed bus.
    ledger: undefined,
    outcomes: undefined,
    outcomeBus: config.OUTCOME_EVENT_BUS,
    lifecycle: {
      churnGraceMs: Math.round(config.CHURN_GRACE_DAYS * 86_400_000),
      credentials: config.TENANT_CREDENTIALS,
    },
    stop: async () => {
      sqs.destroy();
      secretsClient.destroy();
    },
  };
};
