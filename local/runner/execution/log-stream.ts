import { randomBytes } from 'node:crypto';
import { newLogStreamName } from '../lambda-context.ts';

export const freshLogStreamName = (): string => newLogStreamName(new Date(), randomBytes(16).toString('hex'));
