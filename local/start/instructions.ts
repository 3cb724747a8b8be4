/** What an operator needs to keep using the running worker: endpoints and ready-to-paste commands. */
import type { Target } from './target.ts';

/** POSIX shell quoting: the value stays one word whatever it contains. */
const quote = (value: string): string =>
  /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;

const assignments = (env: Record<string, string>, names: readonly string[]): string =>
  names
    .filter((name) => env[name] !== undefined)
    .map((name) => `${name}=${quote(env[name] ?? '')}`)
    .join(' ');

const prefixed = (assigned: string, command: string): string =>
  assigned === '' ? command : `${assigned} ${command}`;

/** What `tenants send` needs; the other commands read the rest of the shell environment. */
const SEND_VARIABLES = [
  'AWS_ENDPOINT_URL_SQS',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'TENANT_EVENTS_QUEUE_URL',
];
const CLI_CREDENTIALS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

const endpointLines = (target: Target): string[] => {
  const width = Math.max(...target.endpoints.map((endpoint) => endpoint.label.length));
  return [
    target.mode === 'local' ? 'The local cloud is running:' : 'The worker is running against AWS and Twilio:',
    ...target.endpoints.map((endpoint) => `  ${endpoint.label.padEnd(width)}  ${endpoint.url}`),
  ];
};

/** `90 s`, `2 min`, `1.5 h`, `7 d`. */
const duration = (ms: number): string => {
  const trim = (value: number) => String(Number(value.toFixed(2)));
  if (ms < 120_000) return `${trim(ms / 1000)} s`;
  if (ms < 7_200_000) return `${trim(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${trim(ms / 3_600_000)} h`;
  return `${trim(ms / 86_400_000)} d`;
};

/** The grace period and key rotation, when the run has them. */
const lifecycleLines = (target: Target): string[] => {
  const { churnGraceMs, credentials } = target.lifecycle;
  const grace =
    churnGraceMs > 0
      ? [
          `With a grace period of ${duration(churnGraceMs)}, a churn suspends the tenant and the close sweep`,
          `(every few seconds, here) closes it ${duration(churnGraceMs)} later:`,
          '  npx tenants send churned my-tenant    # tenant.close-scheduled',
          '  npx tenants status my-tenant          # LEDGER: closing on <date>',
          '  npx tenants cancel-close my-tenant    # inside the window: active again, or',
          '  npx tenants close-now my-tenant       # close it now',
        ]
      : [];
  const keys =
    credentials === 'auth-token'
      ? []
      : [
          `Tenant secrets hold ${credentials === 'both' ? 'an auth token and ' : ''}an API key:`,
          '  npx tenants rotate my-tenant          # a new key, then the old one deleted',
        ];
  return [grace, keys].flatMap((block) => (block.length === 0 ? [] : ['', ...block]));
};

const operatorCliLines = (env: Record<string, string>): string[] => [
  'Send more events with the operator CLI:',
  `  ${prefixed(assignments(env, SEND_VARIABLES), 'npx tenants send created my-tenant --name "My Tenant"')}`,
  '',
  'Every other tenants command (status, dlq list, reconcile...) reads this environment:',
  `  export ${Object.entries(env)
    .map(([name, value]) => `${name}=${quote(value)}`)
    .join(' \\\n    ')}`,
  '  npx tenants status',
  '  npx tenants status --summary',
  '  npx tenants dlq list',
];

const awsCliLines = (target: Target, now: Date): string[] => {
  const env = target.shellEnv;
  const credentials = assignments(env, CLI_CREDENTIALS);
  const sqsEndpoint =
    env.AWS_ENDPOINT_URL_SQS === undefined ? '' : ` --endpoint-url ${env.AWS_ENDPOINT_URL_SQS}`;
  const eventId = `evt-manual-${now.getTime()}`;
  const event = JSON.stringify({
    type: 'tenant.created',
    tenantId: 'my-tenant',
    eventId,
    occurredAt: now.toISOString(),
    tenantName: 'My Tenant',
    version: 1,
  });
  const lines = [
    'or with the AWS CLI (MessageGroupId = tenantId, MessageDeduplicationId = eventId):',
    `  ${prefixed(credentials, `aws sqs send-message${sqsEndpoint} --region ${target.region} \\`)}`,
    `    --queue-url ${quote(target.queueUrl)} --message-group-id my-tenant \\`,
    `    --message-deduplication-id ${quote(eventId)} --message-body ${quote(event)}`,
  ];
  const secretsEndpoint = env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  if (secretsEndpoint === undefined) return lines;
  return [
    ...lines,
    '  # the tenant secrets (names, tags, deletion dates):',
    `  ${prefixed(credentials, `aws secretsmanager list-secrets --include-planned-deletion --endpoint-url ${secretsEndpoint} --region ${target.region}`)}`,
  ];
};

export const formatInstructions = (target: Target, now: Date = new Date()): string =>
  [
    ...endpointLines(target),
    '',
    ...operatorCliLines(target.shellEnv),
    ...lifecycleLines(target),
    '',
    ...awsCliLines(target, now),
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
