import { describe, expect, it } from 'vitest';
import { resourceOf, synthStack } from './synth.ts';

describe('stack outputs', () => {
  const { template } = synthStack();
  const outputs = template.findOutputs('*') as Record<string, { Value: unknown }>;
  const queue = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsQueue');
  const dlq = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsDeadLetterQueue');
  const rule = resourceOf(template, 'AWS::Events::Rule', 'EventBridgeRule');
  const fn = resourceOf(template, 'AWS::Lambda::Function', 'TenantEventsFunctionHandlerFunction');
  const reconcile = resourceOf(template, 'AWS::Lambda::Function', 'ReconcileHandlerFunction');
  const closeSweep = resourceOf(template, 'AWS::Lambda::Function', 'CloseSweepHandlerFunction');
  const ledger = resourceOf(template, 'AWS::DynamoDB::Table', 'TenantLedgerTable');
  const routeDlq = resourceOf(template, 'AWS::SQS::Queue', 'EventBridgeDeadLetterQueue');

  it('name everything an operator needs', () => {
    expect(Object.keys(outputs).sort()).toEqual([
      'CloseSweepFunctionName',
      'DashboardUrl',
      'DeadLetterQueueUrl',
      'EventRouteDeadLetterQueueUrl',
      'EventRuleName',
      'FunctionName',
      'QueueArn',
      'QueueUrl',
      'ReconcileFunctionName',
      'TenantLedgerTableName',
    ]);
    expect(outputs.QueueUrl?.Value).toEqual({ Ref: queue.id });
    expect(outputs.QueueArn?.Value).toEqual({ 'Fn::GetAtt': [queue.id, 'Arn'] });
    expect(outputs.DeadLetterQueueUrl?.Value).toEqual({ Ref: dlq.id });
    expect(outputs.EventRuleName?.Value).toEqual({ Ref: rule.id });
    expect(outputs.FunctionName?.Value).toEqual({ Ref: fn.id });
    expect(outputs.ReconcileFunctionName?.Value).toEqual({ Ref: reconcile.id });
    expect(outputs.CloseSweepFunctionName?.Value).toEqual({ Ref: closeSweep.id });
    expect(outputs.TenantLedgerTableName?.Value).toEqual({ Ref: ledger.id });
    expect(outputs.EventRouteDeadLetterQueueUrl?.Value).toEqual({ Ref: routeDlq.id });
  });

  it('link the dashboard in the deployed region', () => {
    const url = JSON.stringify(outputs.DashboardUrl?.Value);
    expect(url).toContain('.console.aws.amazon.com/cloudwatch/home?region=');
    expect(url).toContain('{"Ref":"AWS::Region"}');
    expect(url).toContain('#dashboards:name=');
  });
});
