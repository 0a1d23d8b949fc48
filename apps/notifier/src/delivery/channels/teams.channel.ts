import type { Secret } from '../../routing/secret';
import { teamsMessage } from '../../rendering/teams-card';
import type { MessageContent } from '../../rendering/notification';
import type { Channel } from './channel';
import { outcomeOfError, outcomeOfStatus, request, type SendOutcome } from './http-request';

/**
 * A Microsoft Teams Workflows (or legacy incoming) webhook with an Adaptive Card: 2xx posted
 * (Workflows answers 202); 429 throttling (Retry-After when given) and 5xx retried; 400, 404
 * and 413 (over 28 KB, which the layout avoids) final.
 */
export class TeamsChannel implements Channel {
  readonly canLookup = false;
  constructor(
    private readonly url: Secret,
    private readonly timeoutMs: number,
  ) {}

  async send(content: MessageContent): Promise<SendOutcome> {
    const body = JSON.stringify(teamsMessage(content));
    try {
      const res = await request(this.url.reveal(), { method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs: this.timeoutMs });
      return outcomeOfStatus(res, 'Teams webhook');
    } catch (err) {
      return outcomeOfError(err);
    }
  }
}
