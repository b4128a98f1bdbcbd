/**
 * Turns a failed tool run into one line a person understands and a retry decision that matches
 * reality: a missing or corrupt input or an unsupported codec will fail the same way again (not
 * retried); a full disk or an unexplained crash may heal (retried with backoff).
 */
import { JobError } from '../processor';

interface Rule {
  readonly pattern: RegExp;
  readonly reason: (line: string) => string;
  readonly retryable: boolean;
}

const RULES: readonly Rule[] = [
  { pattern: /No space left on device|Disk quota exceeded/i, reason: () => 'Disk full: no space left to write the output', retryable: true },
  // the output cannot be written where asked: a folder in the way, a name too long, a read-only library
  { pattern: /Is a directory|File name too long|Not a directory|Read-only file system/i, reason: (l) => `Cannot write the output: ${l}`, retryable: false },
  { pattern: /No such file or directory/i, reason: (l) => `Input file is missing: ${l}`, retryable: false },
  { pattern: /Permission denied/i, reason: (l) => `Permission denied: ${l}`, retryable: false },
  { pattern: /Unknown encoder|Encoder not found|Decoder \(codec [^)]*\) not found|codec not currently supported|Unsupported codec|not supported by the bitstream|unknown codec/i, reason: (l) => `Unsupported codec: ${l}`, retryable: false },
  { pattern: /moov atom not found|Invalid data found when processing input|could not find codec parameters|Invalid NAL unit|corrupt|truncated/i, reason: (l) => `Input file is corrupt or not a video: ${l}`, retryable: false },
  { pattern: /Cannot allocate memory|out of memory|CUDA_ERROR_OUT_OF_MEMORY/i, reason: (l) => `Out of memory: ${l}`, retryable: true },
];

function meaningfulLine(lines: readonly string[], pattern?: RegExp): string {
  const candidates = lines.map((l) => l.trim()).filter((l) => l && !/^(frame|size|video|audio|progress|Press \[q\])/i.test(l));
  const match = pattern ? candidates.find((l) => pattern.test(l)) : undefined;
  return (match ?? candidates.at(-1) ?? '').slice(0, 300);
}

export function classifyToolFailure(tool: string, exitCode: number | null, signal: string | null, tail: readonly string[]): JobError {
  const text = tail.join('\n');
  for (const rule of RULES) {
    if (rule.pattern.test(text)) return new JobError(rule.reason(meaningfulLine(tail, rule.pattern)), rule.retryable);
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
  const last = meaningfulLine(tail);
  return new JobError(`${tool} ${how}${last ? `: ${last}` : ''}`, true);
}
