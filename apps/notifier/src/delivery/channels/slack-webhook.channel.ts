import type { Secret } from '../../routing/secret';
import { slackMessage } from '../../rendering/slack-message';
import type { MessageContent } from '../../rendering/notification';
import type { Channel } from './channel';
import { outcomeOfError, outcomeOfStatus, request, type SendOutcome } from './http-request';

/**
 * A Slack incoming webhook: 200 "ok"; 400 invalid_payload / invalid_blocks, 403, 404
 * channel_not_found / no_service and 410 channel_is_archived are final; 429 (Retry-After) and
 * 5xx are retried. A webhook cannot be searched, so an in-doubt post is re-sent once, marked.
 */
export class SlackWebhookChannel implements Channel {
  readonly canLookup = false;
  constructor(
    private readonly url: Secret,
    private readonly timeoutMs: number,
  ) {}

  async send(content: MessageContent): Promise<SendOutcome> {
    const body = JSON.stringify(slackMessage(content));
    try {
      const res = await request(this.url.reveal(), { method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs: this.timeoutMs });
      return outcomeOfStatus(res, 'Slack webhook');
    } catch (err) {
      return outcomeOfError(err);
    }
  }
}
