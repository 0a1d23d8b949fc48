import { IANAZone } from 'luxon';
import { z } from 'zod';
import { envBoolean, secretFromEnvOrFile } from '@maintwatch/observability';
import { serviceEnv } from '@maintwatch/runtime';
import { RoutingConfigError } from './errors';
import { defaultRouting } from './routing/default-routing';
import { loadRoutingFile, type Env, type Routing } from './routing/routing-file';
import { Secret } from './routing/secret';

const timezone = z
  .string()
  .trim()
  .refine((z) => z === 'UTC' || IANAZone.isValidZone(z), 'must be an IANA time zone such as Europe/Paris')
  .default('UTC');
const publicUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).transform((u) => u.replace(/\/+$/, ''));
const secretUrl = (name: string) =>
  secretFromEnvOrFile(name)
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (value not shown)' }))
    .transform((v) => new Secret(v, name));
const secret = (name: string) => secretFromEnvOrFile(name).transform((v) => new Secret(v, name));

/** Links built from NOTIFIER_PUBLIC_URL (the maintenance-api's address as people reach it). */
export function linksFor(base: string | undefined): Routing['links'] {
  if (!base) return {};
  return {
    maintenance: `${base}/api/v1/maintenances?provider={{providerType}}&maintenanceId={{maintenanceId}}`,
    calendar: `${base}/api/v1/calendar.ics`,
    notice: `${base}/api/v1/notices/{{noticeId}}`,
  };
}

/**
 * The notifier's environment, read from `env`: the routing file is loaded and checked here,
 * with its secret references resolved from the same environment, so that a bad file stops
 * the service at start with every problem listed (exit 78).
 */
export function notifierConfigFor(env: Env) {
  return serviceEnv(3003).extend({
    /**
     * YAML/JSON routing file: destinations, routes, templates, links. Unset: every event goes to
     * the destinations below (SLACK_WEBHOOK_URL, ...), or to the console when none is set.
     */
    NOTIFIER_ROUTES_FILE: z
      .string()
      .optional()
      .transform((path, ctx): Routing | undefined => {
        if (path === undefined) return undefined;
        try {
          const zone = timezone.safeParse(env['NOTIFIER_TIMEZONE']);
          const base = publicUrl.safeParse(env['NOTIFIER_PUBLIC_URL']);
          return loadRoutingFile(path, env, { timezone: zone.success ? zone.data : 'UTC', links: linksFor(base.success ? base.data : undefined) });
        } catch (err) {
          if (!(err instanceof RoutingConfigError)) throw err;
          for (const p of err.problems) ctx.addIssue({ code: 'custom', path: p.path ? p.path.split('.') : [], message: p.message });
          return z.NEVER;
        }
      }),
    /** Zone of the "local" window in messages (the file's `timezone` wins). */
    NOTIFIER_TIMEZONE: timezone,
    /** Where people reach maintenance-api (links in messages), e.g. https://maintwatch.example.net. */
    NOTIFIER_PUBLIC_URL: publicUrl.optional(),
    /** Without a routing file: a Slack incoming webhook for every event. */
    SLACK_WEBHOOK_URL: secretUrl('SLACK_WEBHOOK_URL').optional(),
    /** Without a routing file: a Slack bot token (chat:write, channels:history) and the channel id. */
    SLACK_BOT_TOKEN: secret('SLACK_BOT_TOKEN').optional(),
    SLACK_CHANNEL: z.string().trim().min(1).optional(),
    /** The Slack Web API base URL (a test double's, in tests). */
    SLACK_API_URL: publicUrl.optional(),
    /** Without a routing file: a Teams Workflows webhook for every event. */
    TEAMS_WEBHOOK_URL: secretUrl('TEAMS_WEBHOOK_URL').optional(),
    /** Without a routing file: a generic JSON webhook and its HMAC key. */
    NOTIFIER_WEBHOOK_URL: secretUrl('NOTIFIER_WEBHOOK_URL').optional(),
    NOTIFIER_WEBHOOK_SECRET: secret('NOTIFIER_WEBHOOK_SECRET').optional(),
    /** Print notifications on the console: true also, false never; unset: when nothing else is configured. */
    NOTIFIER_CONSOLE: envBoolean.optional(),
    /** Events taken in at once (fan-out only: delivery runs per destination, apart). */
    NOTIFIER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  }).superRefine((c, ctx) => {
    // Halves of a pair: say which one is missing rather than ignoring the other.
    const pairs: [keyof typeof c, keyof typeof c][] = [
      ['SLACK_BOT_TOKEN', 'SLACK_CHANNEL'],
      ['NOTIFIER_WEBHOOK_URL', 'NOTIFIER_WEBHOOK_SECRET'],
    ];
    for (const [a, b] of pairs) {
      if ((c[a] === undefined) !== (c[b] === undefined)) {
        const [set, unset] = c[a] === undefined ? [b, a] : [a, b];
        ctx.addIssue({ code: 'custom', path: [unset], message: `missing: ${set} is set, and needs ${unset} too` });
      }
    }
  });
}

/** The notifier's environment schema, on the process environment. */
export const notifierConfig = notifierConfigFor(process.env);
/** The notifier's validated config. */
export type NotifierConfig = z.output<typeof notifierConfig>;

/** The routing in force: the file's, or the one the environment variables describe. */
export function routingOf(config: NotifierConfig): Routing {
  if (config.NOTIFIER_ROUTES_FILE) return config.NOTIFIER_ROUTES_FILE;
  return defaultRouting({
    slackWebhookUrl: config.SLACK_WEBHOOK_URL,
    slackBotToken: config.SLACK_BOT_TOKEN,
    slackChannel: config.SLACK_CHANNEL,
    slackApiUrl: config.SLACK_API_URL,
    teamsWebhookUrl: config.TEAMS_WEBHOOK_URL,
    webhookUrl: config.NOTIFIER_WEBHOOK_URL,
    webhookSecret: config.NOTIFIER_WEBHOOK_SECRET,
    console: config.NOTIFIER_CONSOLE,
    timezone: config.NOTIFIER_TIMEZONE,
    links: linksFor(config.NOTIFIER_PUBLIC_URL),
  });
}

/** The replay command's environment: only where NATS is. */
export const replayConfig = serviceEnv(0).pick({
  NATS_URL: true,
  NATS_NAMESPACE: true,
  NATS_USER: true,
  NATS_PASSWORD: true,
  NATS_TOKEN: true,
  NATS_CA_FILE: true,
});

/** The process environment, for the command-line tools. */
export const processEnvOf = (): Env => process.env;
