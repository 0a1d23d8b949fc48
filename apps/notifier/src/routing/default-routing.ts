import { destinationDefaults, SLACK_API_URL, type DestinationSettings, type Routing } from './routing-file';
import { NOTIFY_TYPES } from '../rendering/notification';
import type { Secret } from './secret';

/** Destinations given by plain environment variables, for a setup without a routing file. */
export interface EnvDestinations {
  slackWebhookUrl?: Secret;
  slackBotToken?: Secret;
  slackChannel?: string;
  slackApiUrl?: string;
  teamsWebhookUrl?: Secret;
  webhookUrl?: Secret;
  webhookSecret?: Secret;
  /** true: also print to the console; false: never; unset: only when nothing else is configured. */
  console?: boolean;
  timezone: string;
  links: Routing['links'];
}

/**
 * The routing without a file: every event type (and unparsed notices) to each destination the
 * environment configures, NO-IMPACT quiet; the console when none is configured, so that a
 * fresh `npm start` shows its notifications.
 */
export function defaultRouting(e: EnvDestinations): Routing {
  const destinations = new Map<string, DestinationSettings>();
  const add = (name: string, settings: Partial<DestinationSettings> & Pick<DestinationSettings, 'type'>) =>
    destinations.set(name, { ...destinationDefaults(name, settings.type, e.timezone), ...settings });
  if (e.slackWebhookUrl) add('slack', { type: 'slack-webhook', url: e.slackWebhookUrl });
  if (e.slackBotToken && e.slackChannel) {
    add('slack-bot', { type: 'slack-api', token: e.slackBotToken, channel: e.slackChannel, apiUrl: (e.slackApiUrl ?? SLACK_API_URL).replace(/\/+$/, '') });
  }
  if (e.teamsWebhookUrl) add('teams', { type: 'teams', url: e.teamsWebhookUrl });
  if (e.webhookUrl && e.webhookSecret) add('webhook', { type: 'webhook', url: e.webhookUrl, secret: e.webhookSecret });
  if (e.console === true || (e.console === undefined && destinations.size === 0)) add('console', { type: 'console' });
  return {
    source: 'environment',
    timezone: e.timezone,
    links: e.links,
    notifyNoImpact: false,
    destinations,
    routes: destinations.size ? [{ name: 'everything', events: new Set(NOTIFY_TYPES), destinations: [...destinations.keys()] }] : [],
  };
}
