// A fresh Node process standing in for one Lambda execution environment: it imports the bundled
// handler module (the init phase), then invokes it with each SQS event of a JSON file in turn,
// the first invocation being the cold one. Plain JavaScript so that nothing but Node itself loads
// before the bundle. Reports to file descriptor 3, away from the handler's log lines on stdout.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundleFile, eventsFile, timeoutMs] = process.argv.slice(2);
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const logStreamName = `bench/[$LATEST]${randomUUID().replaceAll('-', '')}`;

const contextFor = (deadline) => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'tenant-events',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:tenant-events',
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/tenant-events',
  logStreamName,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

// performance.now() counts from the start of this process.
const startedMs = performance.now();
const { handler } = await import(pathToFileURL(bundleFile).href);
const loadedMs = performance.now();
const invocations = [];
for (const event of events) {
  const begin = performance.now();
  const cpu = process.cpuUsage();
  const response = await handler(event, contextFor(Date.now() + Number(timeoutMs)));
  const used = process.cpuUsage(cpu);
  invocations.push({ ms: performance.now() - begin, cpuMs: (used.user + used.system) / 1000, response });
}

writeSync(3, JSON.stringify({ startedMs, loadedMs, invocations }));
// Lambda freezes the environment here; this process just ends (open keep-alive sockets would
// otherwise hold it).
process.exit(0);
