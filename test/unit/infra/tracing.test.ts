import { describe, expect, it } from 'vitest';
import { actionsOf, resourceOf, roleStatements, synthStack } from './synth.ts';

const FUNCTIONS = [
  ['tenant-events', 'TenantEventsFunctionHandler'],
  ['reconcile', 'ReconcileHandler'],
  ['close-sweep', 'CloseSweepHandler'],
] as const;

describe('X-Ray tracing', () => {
  const { template } = synthStack();
  const untraced = synthStack({ tracing: 'false' }).template;

  it.each(FUNCTIONS)('traces the %s function actively, and lets its role write segments', (_name, prefix) => {
    expect(
      resourceOf(template, 'AWS::Lambda::Function', `${prefix}Function`).properties.TracingConfig,
    ).toEqual({
      Mode: 'Active',
    });
    const xray = roleStatements(template, `${prefix}Role`).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('xray:')),
    );
    // The two actions Lambda needs, and nothing more (no sampling rules: Lambda samples itself).
    expect(xray).toEqual([
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
  });

  it('traces the EventBridge router', () => {
    expect(
      resourceOf(template, 'AWS::StepFunctions::StateMachine', 'EventBridgeRouter').properties
        .TracingConfiguration,
    ).toEqual({ Enabled: true });
  });

  it.each(FUNCTIONS)('turns tracing of the %s function off with tracing=false', (_name, prefix) => {
    expect(
      resourceOf(untraced, 'AWS::Lambda::Function', `${prefix}Function`).properties.TracingConfig,
    ).toBeUndefined();
    expect(
      roleStatements(untraced, `${prefix}Role`)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('xray:')),
    ).toEqual([]);
  });

  it('turns tracing of the router off with tracing=false', () => {
    expect(
      resourceOf(untraced, 'AWS::StepFunctions::StateMachine', 'EventBridgeRouter').properties
        .TracingConfiguration,
    ).toEqual({ Enabled: false });
  });
});
