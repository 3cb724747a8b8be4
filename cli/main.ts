/** Entry point of the `tenants` operator CLI (`npm run tenants -- ...` or `bin/tenants.js`). */
import { runCli } from './run.ts';

// The service targets Node.js 20 on purpose (package.json engines); the SDK's multi-line notice
// about future Node versions would only bury the CLI's one-line messages on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2));
