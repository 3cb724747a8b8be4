import type { InvocationReport } from './report.ts';

/**
 * The platform lines Lambda writes around every invocation, so local logs read like CloudWatch:
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
export const startLine = (requestId: string): string => `START RequestId: ${requestId} Version: $LATEST`;

export const endLines = (report: InvocationReport, memoryLimitInMB: number): string[] => {
  const lines: string[] = [];
  if (report.error !== undefined) {
    lines.push(`${report.requestId}\tERROR\t${report.error.type}: ${report.error.message}`);
  }
  if (report.outcome === 'partial') {
    lines.push(`${report.requestId}\tINFO\tbatchItemFailures: ${report.failedMessageIds.join(', ')}`);
  }
  lines.push(`END RequestId: ${report.requestId}`);
  lines.push(
    `REPORT RequestId: ${report.requestId}\tDuration: ${report.durationMs.toFixed(2)} ms\t` +
      `Memory Size: ${memoryLimitInMB} MB${report.coldStart ? '\tCold Start' : ''}`,
  );
  return lines;
};
