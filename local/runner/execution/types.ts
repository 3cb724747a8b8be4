import type { SQSEvent } from 'aws-lambda';
import type { ContextInit } from '../lambda-context.ts';

/** How the handler call itself ended, before the batch response is read. */
export type HandlerOutcome =
  | { status: 'returned'; value: unknown }
  | { status: 'failed'; error: unknown }
  | { status: 'timedOut'; error: Error };

/** The per-invocation part of the context; the environment adds its log stream and the deadline. */
export type InvocationContextBase = Omit<ContextInit, 'logStreamName' | 'deadlineMs'>;

export interface EnvironmentInvocation {
  outcome: HandlerOutcome;
  /** True when this invocation had to initialise a fresh environment first. */
  coldStart: boolean;
}

/**
 * One Lambda execution environment: it runs one invocation at a time and is reused (warm) until
 * a timeout or crash forces a fresh one (cold start).
 */
export interface ExecutionEnvironment {
  /** Never rejects: every failure is reported in the outcome. */
  invoke(event: SQSEvent, context: InvocationContextBase, timeoutMs: number): Promise<EnvironmentInvocation>;
  dispose(): Promise<void>;
}
