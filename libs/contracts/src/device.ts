import { z } from 'zod';
import { DEVICE_ACTIONS, DEVICE_EVENT_KINDS, DRAIN_STEPS } from './names';
import { DRAIN_METHODS } from './lifecycle';

const epochSeconds = z.number().int().nonnegative();

/** device.event.v1.<kind>: something a Junos device reported through its signed webhook. */
export const DeviceEvent = z.strictObject({
  eventId: z.string().min(1),
  device: z.string().min(1),
  kind: z.enum(DEVICE_EVENT_KINDS),
  severity: z.enum(['info', 'warning', 'critical']),
  /** The Junos event id as the device named it (SNMP_TRAP_LINK_DOWN, RPD_BGP_NEIGHBOR_STATE_CHANGED). */
  junosEvent: z.string().min(1),
  /** 1 = chat with detail, 2 = chat summary, 3 = stored only (priority 4 events are dropped, never published). */
  priority: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  occurredAt: epochSeconds,
  /** When the gateway accepted the webhook. */
  receivedAt: epochSeconds,
  message: z.string(),
  /** The reporting daemon (`process`) and the agent's `detail` (top CPU processes for RTPERF_CPU*), when given. */
  attributes: z.record(z.string(), z.string()),
});
/** A device event. */
export type DeviceEvent = z.infer<typeof DeviceEvent>;

/** device.action.v1.<action>: a request to act on a device. */
export const DeviceAction = z.strictObject({
  actionId: z.string().min(1),
  action: z.enum(DEVICE_ACTIONS),
  device: z.string().min(1),
  requestedBy: z.string().min(1),
  requestedAt: epochSeconds,
  /** The maintenance this action serves (drain before, restore after). */
  maintenance: z.strictObject({ providerType: z.string(), maintenanceId: z.string() }).optional(),
  /**
   * drain/restore: the BGP session; restart-daemon: the daemon and mode; reboot: `at` (UTC) or
   * `inMinutes`; command: the CLI command and output format; jtac-bundle: the case id.
   */
  params: z
    .strictObject({
      bgpGroup: z.string().optional(),
      bgpNeighbor: z.string().optional(),
      interface: z.string().optional(),
      daemon: z.string().optional(),
      mode: z.enum(['gracefully', 'immediately']).optional(),
      at: epochSeconds.optional(),
      inMinutes: z.number().int().min(1).max(10_080).optional(),
      command: z.string().min(1).max(4096).optional(),
      format: z.enum(['text', 'xml']).optional(),
      jtacCase: z.string().optional(),
    })
    .default({}),
  dryRun: z.boolean().default(false),
});
/** A device action request. */
export type DeviceAction = z.infer<typeof DeviceAction>;

/** device.action-result.v1: how a device action ended. */
export const DeviceActionResult = z.strictObject({
  actionId: z.string().min(1),
  action: z.enum(DEVICE_ACTIONS),
  device: z.string().min(1),
  outcome: z.enum(['succeeded', 'failed', 'skipped', 'refused']),
  detail: z.string(),
  finishedAt: epochSeconds,
  artifacts: z.array(z.string()).default([]),
  /** Who asked (API token name or the NATS request's requestedBy). */
  requestedBy: z.string().optional(),
  /** Command output, truncated (the audit row keeps the same). */
  output: z.string().optional(),
  durationMs: z.number().int().nonnegative().optional(),
});
/** A device action result. */
export type DeviceActionResult = z.infer<typeof DeviceActionResult>;

/** device.action-progress.v1: a stage of a long action (JTAC bundle), in order; best effort. */
export const DeviceActionProgress = z.strictObject({
  actionId: z.string().min(1),
  action: z.enum(DEVICE_ACTIONS),
  device: z.string().min(1),
  stage: z.enum(['rsi', 'archive', 'fetch', 'upload', 'cleanup']),
  /** Upload: bytes sent so far. */
  bytes: z.number().int().nonnegative().optional(),
  at: epochSeconds,
});
/** A device action progress event. */
export type DeviceActionProgress = z.infer<typeof DeviceActionProgress>;

/** device.drain.v1.<step>: one step of a circuit's drain or restore, with the diff when there is one. */
export const DrainStepEvent = z.strictObject({
  /** Deterministic per audited step (Nats-Msg-Id). */
  stepId: z.string().min(1),
  step: z.enum(DRAIN_STEPS),
  at: epochSeconds,
  providerType: z.string().min(1),
  maintenanceId: z.string().min(1),
  circuitId: z.string().min(1),
  device: z.string().min(1),
  method: z.enum(DRAIN_METHODS),
  dryRun: z.boolean(),
  /** The job's state after the step. */
  state: z.string().min(1),
  detail: z.string(),
  /** `show | compare` of the change, when the step changed (or would change) the configuration. */
  diff: z.string().optional(),
  window: z.strictObject({ start: epochSeconds, end: epochSeconds }),
});
/** A drain step event. */
export type DrainStepEvent = z.infer<typeof DrainStepEvent>;
