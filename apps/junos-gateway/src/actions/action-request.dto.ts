import { z } from 'zod';
import type { DeviceAction } from '@maintwatch/contracts';
import type { OperatorAction } from './device-actions';

const epochSeconds = z.number().int().nonnegative();

/** POST /api/v1/devices/:device/actions body: one operator action. */
export const ActionBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('command'), command: z.string().min(1).max(4096), format: z.enum(['text', 'xml']).default('text') }),
  z
    .strictObject({ kind: z.literal('reboot'), inMinutes: z.number().int().min(1).max(10_080).optional(), at: epochSeconds.optional() })
    .refine((b) => !(b.inMinutes !== undefined && b.at !== undefined), 'give inMinutes or at, not both'),
  z.strictObject({ kind: z.literal('cancel-reboot') }),
  z.strictObject({ kind: z.literal('restart-daemon'), daemon: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a daemon name (letters, digits, - and _)'), mode: z.enum(['gracefully', 'immediately']).default('gracefully') }),
  z.strictObject({ kind: z.literal('jtac-bundle'), jtacCase: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits and dashes only') }),
]);

/** The zod issues of a bad request as one line per problem ("command: Required"). */
export function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

/** A NATS request that cannot become an operator action (the reason is the message). */
export class UnsupportedActionError extends Error {
  override readonly name = 'UnsupportedActionError';
}

/**
 * The operator action a device.action.v1.* request asks for. drain/restore follow maintenance
 * events and collect-rsi/collect-logs are folded into jtac-bundle, so they are refused here.
 */
export function fromContract(a: DeviceAction): OperatorAction {
  const p = a.params;
  const parsed = ActionBody.safeParse(
    (() => {
      switch (a.action) {
        case 'command':
          return { kind: 'command', command: p.command, ...(p.format ? { format: p.format } : {}) };
        case 'reboot':
          return { kind: 'reboot', ...(p.inMinutes !== undefined ? { inMinutes: p.inMinutes } : {}), ...(p.at !== undefined ? { at: p.at } : {}) };
        case 'cancel-reboot':
          return { kind: 'cancel-reboot' };
        case 'restart-daemon':
          return { kind: 'restart-daemon', daemon: p.daemon, ...(p.mode ? { mode: p.mode } : {}) };
        case 'jtac-bundle':
          return { kind: 'jtac-bundle', jtacCase: p.jtacCase };
        default:
          throw new UnsupportedActionError(`${a.action} is not an operator action (drain/restore follow maintenance events; use jtac-bundle for RSI and logs)`);
      }
    })(),
  );
  if (!parsed.success) throw new UnsupportedActionError(`${a.action}: ${describeIssues(parsed.error).replace(/^(\w+): /, 'params.$1: ')}`);
  return parsed.data;
}

/** The parameters as audited: the action without its kind (none of them is a secret today). */
export function auditParams(action: OperatorAction): Record<string, unknown> {
  const { kind: _kind, ...rest } = action;
  return rest;
}
