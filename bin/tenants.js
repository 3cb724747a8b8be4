#!/usr/bin/env node
// The CLI is TypeScript run through tsx, like the rest of the project: register its loader, then load.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
