/** Claims about the run's logs: they were really captured, and no auth token is in them. */
import type { Invariant } from './invariants.ts';
import { findTokenLeaks } from './token-scan.ts';

/** The messageId of a handler's structured record line, if the line is one. */
const recordMessageId = (text: string): string | undefined => {
  if (!text.includes('"messageId"')) return undefined;
  try {
    const parsed = JSON.parse(text) as { messageId?: unknown };
    return typeof parsed.messageId === 'string' ? parsed.messageId : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The token search proves nothing unless the handler's own lines were captured: each record ends
 * in one structured line naming its messageId, so every published message must show up.
 */
export const logCaptureInvariant: Invariant = {
  id: 'log-capture',
  claim: "the handler's log lines are captured: every published message has its record line",
  check: (run) => {
    const mentioned = new Set(run.logs.map((line) => recordMessageId(line.text)));
    const missing = run.published.filter((message) => !mentioned.has(message.messageId));
    return {
      checked: run.published.length,
      violations: missing.map((message) => ({
        subject: `message ${message.messageId} (#${message.index}, group ${message.planned.groupId})`,
        problem: 'no captured log line names it',
      })),
    };
  },
};

export const tokenInvariant: Invariant = {
  id: 'no-token-in-logs',
  claim: 'no auth token appears in any log line',
  check: (run) => {
    const owners = new Map(run.observed.subaccounts.map((account) => [account.auth_token, account.sid]));
    const leaks = findTokenLeaks(
      run.logs,
      run.issuedTokens,
      (token) => owners.get(token) ?? 'the main account',
    );
    return {
      checked: run.logs.length,
      violations: leaks.map((leak) => ({
        subject: `log line ${leak.lineIndex} (${leak.source})`,
        problem: `holds the auth token of ${leak.owner}: ${leak.excerpt}`,
      })),
    };
  },
};
