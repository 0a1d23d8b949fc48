import { Logger } from '@nestjs/common';
import type { DestinationSettings } from '../../routing/routing-file';
import type { Channel } from './channel';
import { ConsoleChannel } from './console.channel';
import { SlackApiChannel } from './slack-api.channel';
import { SlackWebhookChannel } from './slack-webhook.channel';
import { TeamsChannel } from './teams.channel';
import { WebhookChannel } from './webhook.channel';

/** The channel of a destination (its secrets were checked at start, so they are present). */
export function channelFor(d: DestinationSettings): Channel {
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`destination ${d.name} has no ${what}`);
    return v;
  };
  switch (d.type) {
    case 'slack-webhook':
      return new SlackWebhookChannel(need(d.url, 'url'), d.timeoutMs);
    case 'slack-api':
      return new SlackApiChannel(need(d.apiUrl, 'apiUrl'), need(d.token, 'token'), need(d.channel, 'channel'), d.timeoutMs);
    case 'teams':
      return new TeamsChannel(need(d.url, 'url'), d.timeoutMs);
    case 'webhook':
      return new WebhookChannel(need(d.url, 'url'), need(d.secret, 'secret'), d.timeoutMs);
    case 'console':
      return new ConsoleChannel(new Logger('Notification'));
  }
}
