// Entry point of an isolated execution environment (a worker thread). Plain JavaScript because a
// fresh thread cannot read TypeScript until tsx's loader hooks are registered in it.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
