import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../../../infra/config.ts';
import { SubaccountProvisionerStack } from '../../../infra/stack.ts';

export interface Synthesized {
  readonly app: App;
  readonly stack: SubaccountProvisionerStack;
  readonly template: Template;
}

/**
 * Synthesizes the stack the way `cdk synth -c key=value` does (context values as given, usually
 * strings), minus the slow parts: no bundling and no CloudFormation schema validation.
 */
export const synthStack = (context: Record<string, unknown> = {}): Synthesized => {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
  const stack = new SubaccountProvisionerStack(app, 'TestStack', { config: readConfig(app) });
  return { app, stack, template: Template.fromStack(stack) };
};

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The one resource of `type` whose logical id starts with `idPrefix`. */
export const resourceOf = (
  template: Template,
  type: string,
  idPrefix: string,
): { id: string; properties: Record<string, unknown> } => {
  const matches = Object.entries(template.findResources(type) as Resources).filter(([id]) =>
    id.startsWith(idPrefix),
  );
  if (matches.length !== 1)
    throw new Error(`expected one ${type} starting ${idPrefix}, found ${matches.length}`);
  const [id, resource] = matches[0]!;
  return { id, properties: resource.Properties ?? {} };
};

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Statements of the IAM policy attached to the role whose logical id starts with `rolePrefix`. */
export const roleStatements = (template: Template, rolePrefix: string): Statement[] => {
  const role = resourceOf(template, 'AWS::IAM::Role', rolePrefix);
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter(
    (policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: role.id }]),
  );
  return policies.flatMap(
    (policy) =>
      (policy.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
  );
};

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Renders an `Fn::Join` of pseudo parameters the way the ARN reads: `arn:<AWS::Partition>:...`. */
export const renderArn = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) return JSON.stringify(value);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      return ref === undefined ? JSON.stringify(part) : `<${ref}>`;
    })
    .join(join[0]);
};

/** Every statement of every IAM policy in the template. */
export const allPolicyStatements = (template: ReturnType<typeof synthStack>['template']): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
