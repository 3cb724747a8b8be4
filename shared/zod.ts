/**
 * The zod the product's runtime code uses: zod/mini (the same validation as the full API at a
 * fraction of its size and load time, which counts on a Lambda cold start; docs/performance.md)
 * with the English messages the full API would give ("Invalid option: expected one of …").
 * Import it as a namespace (`import * as z from '…/zod.ts'`) so the bundler keeps only what is used.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
