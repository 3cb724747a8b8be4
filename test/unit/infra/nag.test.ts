import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { XRAY_WILDCARD_REASON } from '../../../infra/constructs/provisioner-function.ts';
import { synthStack } from './synth.ts';

const VARIANTS: Record<string, Record<string, string>> = {
  defaults: {},
  'alarm email + created key': { alarmEmail: 'ops@example.com', createKmsKey: 'true' },
  'existing key, no EventBridge rule': {
    kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    eventBridgeRule: 'false',
    secretPrefix: 'acme/tenants',
  },
  'existing key, rule on a custom bus': {
    kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    eventBusName: 'saas-platform',
  },
  'tracing off': { tracing: 'false' },
  'tracing off, no EventBridge rule': { tracing: 'false', eventBridgeRule: 'false' },
  'outcome bus by ARN, grace period, API keys': {
    outcomeEventBus: 'arn:aws:events:eu-west-1:123456789012:event-bus/saas-outcomes',
    churnGraceDays: '30',
    tenantCredentials: 'both',
    closeSweepSchedule: 'rate(15 minutes)',
  },
};

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

const acknowledgementsIn = (scope: ReturnType<typeof synthStack>['stack']): Acknowledgement[] =>
  scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

describe('cdk-nag AwsSolutions', () => {
  it.each(Object.entries(VARIANTS))('reports no unacknowledged finding (%s)', (_name, context) => {
    const { app, stack } = synthStack(context);
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources[0]?.constructPath}`)).toEqual(
      [],
    );
    expect(report.success).toBe(true);
  });

  it('acknowledges only the IAM wildcards AWS or run-time naming force, and the dead-letter queue cdk-nag cannot see is one, each with one finding id and a reason', () => {
    const { stack } = synthStack();
    const tenantWildcard =
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:tenants/*]';
    const acknowledgements = acknowledgementsIn(stack);
    const star = 'AwsSolutions-IAM5[Resource::*]';
    expect(
      acknowledgements.map(({ path, id, reason }) => ({ path, id, xray: reason === XRAY_WILDCARD_REASON })),
    ).toEqual([
      // Lambda active tracing on each function's role; reconcile's role also lists secrets.
      { path: 'TestStack/TenantEventsFunction/Handler/Role', id: star, xray: true },
      { path: 'TestStack/TenantEventsFunction/Handler/Role', id: tenantWildcard, xray: false },
      { path: 'TestStack/Reconcile/Handler/Role', id: star, xray: true },
      { path: 'TestStack/Reconcile/Handler/Role', id: star, xray: false },
      { path: 'TestStack/Reconcile/Handler/Role', id: tenantWildcard, xray: false },
      { path: 'TestStack/CloseSweep/Handler/Role', id: star, xray: true },
      { path: 'TestStack/EventBridge/DeadLetterQueue', id: 'AwsSolutions-SQS3', xray: false },
      { path: 'TestStack/EventBridge/Router', id: star, xray: false },
    ]);
    for (const { reason } of acknowledgements) expect(reason.length).toBeGreaterThan(30);
    expect(XRAY_WILDCARD_REASON).toMatch(/xray:PutTraceSegments .*no resource-level permissions/);
    expect(acknowledgements.find((a) => a.path === 'TestStack/EventBridge/Router')?.reason).toContain(
      'X-Ray',
    );
  });

  it('acknowledges no X-Ray wildcard with tracing off, and the router tracing rule (SF2) only then', () => {
    const acknowledgements = acknowledgementsIn(synthStack({ tracing: 'false' }).stack);
    expect(acknowledgements.filter((a) => a.reason === XRAY_WILDCARD_REASON)).toEqual([]);
    expect(acknowledgements.filter((a) => a.path.endsWith('/Handler/Role')).map((a) => a.path)).toEqual([
      'TestStack/TenantEventsFunction/Handler/Role',
      'TestStack/Reconcile/Handler/Role',
      'TestStack/Reconcile/Handler/Role',
    ]);
    const router = acknowledgements.filter((a) => a.path === 'TestStack/EventBridge/Router');
    expect(router.map((a) => a.id)).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-SF2']);
    expect(router[0]!.reason).not.toContain('X-Ray');
    expect(router[1]!.reason).toContain('tracing=false');
    expect(acknowledgementsIn(synthStack().stack).map((a) => a.id)).not.toContain('AwsSolutions-SF2');
  });

  it('keys the acknowledgement on the configured prefix', () => {
    const { stack } = synthStack({ secretPrefix: 'other' });
    expect(
      acknowledgementsIn(stack)
        .filter((a) => a.path === 'TestStack/TenantEventsFunction/Handler/Role')
        .map((a) => a.id),
    ).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:other/*]',
    ]);
  });

  it('acknowledges single findings, not the rule: another wildcard on the same role is still reported', () => {
    const { app, stack } = synthStack();
    const role = stack.node
      .findChild('TenantEventsFunction')
      .node.findChild('Handler')
      .node.findChild('Role');
    (role as iam.Role).addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['arn:aws:secretsmanager:*'],
      }),
    );
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:aws:secretsmanager:*]',
    ]);
  });
});
