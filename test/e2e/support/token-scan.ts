/**
 * Finds auth tokens in captured log lines. Tokens are 32 hex digits, so every 32-character window
 * of every hex run is indexed once and looked up per token: linear in the log size, whatever the
 * number of tokens. Excerpts are masked: a leak report must not leak the token again.
 */
import type { CapturedLine } from './log-capture.ts';

export interface TokenLeak {
  readonly lineIndex: number;
  readonly source: string;
  /** Whose token it is (an account SID), never the token. */
  readonly owner: string;
  /** The line with every hex run of 32+ digits masked, shortened. */
  readonly excerpt: string;
}

const TOKEN_LENGTH = 32;
const HEX_RUN = /[0-9a-f]{32,}/gi;
const EXCERPT_LENGTH = 240;

export const maskHex = (text: string): string => text.replace(HEX_RUN, '[REDACTED]').slice(0, EXCERPT_LENGTH);

const windowsOf = (run: string): string[] =>
  Array.from({ length: run.length - TOKEN_LENGTH + 1 }, (_, i) => run.slice(i, i + TOKEN_LENGTH));

/** First line index of every 32-hex-digit window, lower-cased. */
const indexWindows = (lines: readonly CapturedLine[]): Map<string, number> => {
  const index = new Map<string, number>();
  lines.forEach((line, lineIndex) => {
    for (const run of line.text.match(HEX_RUN) ?? []) {
      for (const window of windowsOf(run.toLowerCase())) if (!index.has(window)) index.set(window, lineIndex);
    }
  });
  return index;
};

export const findTokenLeaks = (
  lines: readonly CapturedLine[],
  tokens: readonly string[],
  ownerOf: (token: string) => string,
): TokenLeak[] => {
  const windows = indexWindows(lines);
  return tokens.flatMap((token) => {
    const lineIndex = windows.get(token.toLowerCase());
    if (lineIndex === undefined) return [];
    const line = lines[lineIndex]!;
    return [{ lineIndex, source: line.source, owner: ownerOf(token), excerpt: maskHex(line.text) }];
  });
};
