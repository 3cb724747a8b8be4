// Entry point of an execution environment in `source` mode (a worker thread): registers tsx's
// loader hooks so the handler's TypeScript can be imported, then starts the same runtime as
// `bundle` mode, where the thread starts from worker-runtime.mjs directly and tsx never loads.
import { register } from 'tsx/esm/api';

register();
await import('./worker-runtime.mjs');
