import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors';
import { redactUrl } from '../logging/redact';
import { secretEnvVar } from './env';

/** Exit status for a configuration error (sysexits.h EX_CONFIG). */
export const EX_CONFIG = 78;

/** The environment as loadConfig reads it: `process.env` or a plain map in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

// Names whose values must not be echoed in error messages even when not read from a file.
const SECRET_NAME = /password|passwd|token|secret|key|credential|auth/i;
const MAX_ECHO = 80;

/**
 * Validates `env` against `schema` (keys are variable names) and returns the typed config.
 * Empty values count as unset. Throws a ConfigError listing every bad or missing variable.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env, appName?: string): z.output<S> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const keys = Object.keys(shape);
  const reasons = new Map<string, string[]>();
  const addReason = (variable: string, reason: string) => reasons.set(variable, [...(reasons.get(variable) ?? []), reason]);
  const input: Record<string, string | undefined> = {};
  const secretVars = new Map<string, string>();

  for (const key of keys) {
    const envVar = secretEnvVar(shape[key]);
    if (envVar === undefined) {
      input[key] = blankToUndefined(env[key]);
      continue;
    }
    secretVars.set(key, envVar);
    const secret = readSecret(envVar, env);
    if ('problem' in secret) addReason(envVar, secret.problem);
    else input[key] = secret.value;
  }

  const result = schema.safeParse(input);
  if (result.success && reasons.size === 0) return result.data;

  for (const issue of result.success ? [] : result.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    const envVar = secretVars.get(key);
    const variable = issue.path.length > 0 ? [envVar ?? key, ...issue.path.slice(1).map(String)].join('.') : '(config)';
    if (reasons.has(variable) && envVar !== undefined) continue; // already explained by readSecret
    const raw = input[key];
    if (raw === undefined && issue.path.length === 1) {
      addReason(variable, envVar ? `missing (set ${envVar} or ${envVar}_FILE)` : 'missing');
    } else if (raw === undefined || envVar !== undefined || SECRET_NAME.test(key)) {
      addReason(variable, issue.message);
    } else {
      addReason(variable, `${issue.message} (got ${JSON.stringify(echo(raw))})`);
    }
  }

  const order = (variable: string) => {
    const i = keys.findIndex((k) => variable === k || variable === secretVars.get(k) || variable.startsWith(`${k}.`));
    return i < 0 ? keys.length : i;
  };
  const problems: ConfigProblem[] = [...reasons]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([variable, why]) => ({ variable, reason: [...new Set(why)].join('; ') }));
  throw new ConfigError(problems, appName, { cause: result.success ? undefined : result.error });
}

/**
 * loadConfig for a service's start: on a ConfigError, prints its message to stderr and exits
 * with EX_CONFIG (78), so the orchestrator shows one readable reason instead of a stack trace.
 */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, env: Env = process.env, appName?: string): z.output<S> {
  try {
    return loadConfig(schema, env, appName);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return process.exit(EX_CONFIG);
  }
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function echo(value: string): string {
  const shown = redactUrl(value);
  return shown.length > MAX_ECHO ? `${shown.slice(0, MAX_ECHO)}…` : shown;
}

function readSecret(envVar: string, env: Env): { value: string | undefined } | { problem: string } {
  const direct = blankToUndefined(env[envVar]);
  const file = blankToUndefined(env[`${envVar}_FILE`]);
  if (direct !== undefined && file !== undefined) {
    return { problem: `both ${envVar} and ${envVar}_FILE are set; set only one` };
  }
  if (file === undefined) return { value: direct };
  try {
    return { value: readFileSync(file, 'utf8').trim() };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { problem: `${envVar}_FILE=${file} cannot be read (${code})` };
  }
}
