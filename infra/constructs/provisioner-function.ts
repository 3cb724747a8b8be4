import { type Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/contracts/metric-names.ts';
import type { LogLevel } from '../config.ts';
import { DEPS_LOCK_FILE, REPO_ROOT } from '../paths.ts';

/** The newest Node.js runtime Lambda and aws-cdk-lib offer. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

// The project's sources are ESM; bundled CommonJS dependencies still call `require` for Node
// built-ins, which an ES module lacks, so the bundle recreates it.
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * One esbuild configuration for every function. Bundling runs locally with the project's own
 * esbuild (never Docker), so `cdk synth` needs no network or daemon.
 *
 * The AWS SDK v3 is bundled rather than taken from the runtime: it pins the version the tests
 * ran against (the runtime's copy changes without notice) and costs about 300-330 KiB of minified
 * bundle per function. Measurements are in docs/deploy.md.
 */
export const BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  // Stack traces only need file and line; embedding sources would double the map's size.
  sourcesContent: false,
  bundleAwsSDK: true,
  // undici carries its HTTP parser twice, as base64 WebAssembly: a SIMD build, and a fallback
  // (72 KB) loaded only where SIMD is missing, which no Lambda runtime is. Left out, it is never
  // parsed at cold start; shared/twilio/transport.ts refuses, with the reason, to run without SIMD.
  externalModules: ['*/llhttp/llhttp-wasm.js'],
};

/** The settings every function of the stack takes from configuration, passed through as one. */
export interface FunctionRuntimeProps {
  /** Variables shared by every function (see `functionEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;
  /** Maximum run time of one invocation. */
  readonly timeout: Duration;
  /** Memory in MiB; CPU scales with it. */
  readonly memorySize: number;
  /** Retention of the function's own log group. */
  readonly logRetention: logs.RetentionDays;
  /** Powertools log level. */
  readonly logLevel: LogLevel;
  /** X-Ray active tracing: Lambda samples invocations and sends their segments to X-Ray. */
  readonly tracing: boolean;
}

export interface ProvisionerFunctionProps extends FunctionRuntimeProps {
  /** Absolute path of the handler module; it exports `handler`. */
  readonly entry: string;
  /** Powertools service name, also the `service` metric dimension. */
  readonly serviceName: string;
  readonly description: string;
}

/** Picks the runtime settings out of a construct's props (which carry more than these). */
export const runtimePropsOf = ({
  environment,
  timeout,
  memorySize,
  logRetention,
  logLevel,
  tracing,
}: FunctionRuntimeProps): FunctionRuntimeProps => ({
  environment,
  timeout,
  memorySize,
  logRetention,
  logLevel,
  tracing,
});

/**
 * Why active tracing puts Resource "*" in the role: Lambda needs xray:PutTraceSegments and
 * xray:PutTelemetryRecords, which support no resource-level permissions
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).
 */
export const XRAY_WILDCARD_REASON =
  'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions; AWS requires Resource "*".';

/**
 * A bundled Node.js function with its own log group and its own role. The role starts empty
 * except for writing to that log group (the managed AWSLambdaBasicExecutionRole would allow
 * writing to any log group) and, with tracing, writing trace segments; each owner grants the rest.
 */
export class ProvisionerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ProvisionerFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.serviceName} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: DEPS_LOCK_FILE,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      // Graviton: cheaper per GB-second and nothing in the bundle is architecture-specific.
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      logGroup: this.logGroup,
      // Active: Lambda adds xray:PutTraceSegments and xray:PutTelemetryRecords to the role itself.
      ...(props.tracing ? { tracing: lambda.Tracing.ACTIVE } : {}),
      bundling: BUNDLING,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
      },
    });
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: XRAY_WILDCARD_REASON,
      });
    }
  }
}
