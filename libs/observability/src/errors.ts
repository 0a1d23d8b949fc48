/** One bad or missing environment variable and why it was rejected. */
export interface ConfigProblem {
  /** The environment variable (or schema key) at fault. */
  readonly variable: string;
  /** Why it was rejected, in words an operator can act on. */
  readonly reason: string;
}

/** The environment failed validation; the message lists every problem, one line each. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly appName?: string,
    options?: { cause?: unknown },
  ) {
    super(formatProblems(problems, appName), options);
  }
}

function formatProblems(problems: readonly ConfigProblem[], appName?: string): string {
  const who = appName ? `${appName}: invalid configuration` : 'Invalid configuration';
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`${who} (${count}):`, ...problems.map((p) => `  ${p.variable}: ${p.reason}`)].join('\n');
}
