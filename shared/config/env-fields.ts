/**
 * zod/mini fields for the functions' environment, built from the rules of settings.ts, so each
 * function's config.ts only lists which variables it reads.
 */
import * as z from '../zod.ts';
import { type IntegerSetting, integerProblems, type Rule } from './settings.ts';

/** A string checked by one rule; `required` is the message when the variable is unset. */
export const ruledString = (rule: Rule, required: string) =>
  z.string({ error: required }).check(
    z.superRefine((value, ctx) => {
      for (const message of rule(value)) ctx.issues.push({ code: 'custom', message, input: value });
    }),
  );

/** An integer in the setting's range, its default when unset. */
export const integerSetting = (setting: IntegerSetting) =>
  z._default(
    z.pipe(
      z.coerce.number({ error: `must be an integer ${setting.min}..${setting.max}` }),
      z.number().check(
        z.superRefine((value, ctx) => {
          for (const message of integerProblems(setting, value))
            ctx.issues.push({ code: 'custom', message, input: value });
        }),
      ),
    ),
    setting.default,
  );
