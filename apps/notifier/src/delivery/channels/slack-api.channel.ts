import { LookupError } from '../../errors';
import type { Secret } from '../../routing/secret';
import { slackMessage } from '../../rendering/slack-message';
import type { MessageContent } from '../../rendering/notification';
import type { Channel, SendContext } from './channel';
import { NoAnswerError, outcomeOfError, request, retryAfterMs, type SendOutcome } from './http-request';

/** The message metadata event type that marks Maintwatch's posts (searched after a crash). */
export const SLACK_METADATA_EVENT = 'maintwatch_notification';

// Web API errors that pass with time; every other error (channel_not_found, invalid_auth,
// invalid_blocks, not_in_channel, ...) is final.
const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);
const LOOKUP_PAGES = 10;

/**
 * Slack's Web API with a bot token: chat.postMessage to a channel, with the event id in the
 * message metadata, and conversations.history (include_all_metadata) to find out whether an
 * in-doubt post went through. Scopes: chat:write, channels:history (groups:history for private
 * channels).
 */
export class SlackApiChannel implements Channel {
  readonly canLookup = true;
  constructor(
    private readonly apiUrl: string,
    private readonly token: Secret,
    private readonly channel: string,
    private readonly timeoutMs: number,
  ) {}

  async send(content: MessageContent, ctx: SendContext): Promise<SendOutcome> {
    const body = JSON.stringify({
      channel: this.channel,
      ...slackMessage(content),
      unfurl_links: false,
      metadata: {
        event_type: SLACK_METADATA_EVENT,
        event_payload: { event_id: content.eventId, destination: ctx.destination, ...(ctx.correlationId ? { correlation_id: ctx.correlationId } : {}) },
      },
    });
    try {
      const res = await request(`${this.apiUrl}/chat.postMessage`, { method: 'POST', headers: this.headers(), body, timeoutMs: this.timeoutMs });
      if (res.status === 429 || res.status >= 500) {
        return { kind: 'retry', reason: `Slack chat.postMessage answered ${res.status}`, retryAfterMs: retryAfterMs(res.headers) };
      }
      const json = parse(res.text);
      if (!json) {
        return res.status >= 200 && res.status < 300 ? { kind: 'unknown', reason: `Slack answered ${res.status} with a body that is not JSON` } : { kind: 'rejected', reason: `Slack answered ${res.status}` };
      }
      if (json.ok === true) return { kind: 'sent', remoteId: typeof json.ts === 'string' ? json.ts : undefined };
      const error = typeof json.error === 'string' ? json.error : 'unknown_error';
      return TRANSIENT.has(error) ? { kind: 'retry', reason: `Slack: ${error}`, retryAfterMs: retryAfterMs(res.headers) } : { kind: 'rejected', reason: `Slack: ${error}` };
    } catch (err) {
      return outcomeOfError(err);
    }
  }

  async lookup(eventId: string, destination: string, sinceMs: number): Promise<string | undefined> {
    // A minute of slack for clock skew between this host and Slack.
    const oldest = Math.max(0, Math.floor(sinceMs / 1000) - 60);
    let cursor = '';
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const q = new URLSearchParams({ channel: this.channel, oldest: String(oldest), include_all_metadata: 'true', limit: '200' });
      if (cursor) q.set('cursor', cursor);
      let json: Record<string, unknown> | undefined;
      try {
        const res = await request(`${this.apiUrl}/conversations.history?${q}`, { method: 'GET', headers: this.headers(), timeoutMs: this.timeoutMs });
        json = parse(res.text);
        if (res.status !== 200 || !json || json.ok !== true) {
          const error = json && typeof json.error === 'string' ? json.error : undefined;
          const permanent = res.status === 200 && error !== undefined && !TRANSIENT.has(error);
          throw new LookupError(`conversations.history answered ${res.status}${error ? ` ${error}` : ''}`, { permanent });
        }
      } catch (err) {
        if (err instanceof LookupError) throw err;
        throw new LookupError(`conversations.history failed: ${(err as Error).message}`, { cause: err instanceof NoAnswerError ? undefined : err });
      }
      const messages = Array.isArray(json.messages) ? (json.messages as Record<string, unknown>[]) : [];
      for (const m of messages) {
        const md = m.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
        if (md?.event_type === SLACK_METADATA_EVENT && md.event_payload?.event_id === eventId && (md.event_payload.destination ?? destination) === destination) {
          return typeof m.ts === 'string' ? m.ts : 'found';
        }
      }
      const next = (json.response_metadata as { next_cursor?: string } | undefined)?.next_cursor;
      if (!json.has_more || !next) return undefined;
      cursor = next;
    }
    return undefined;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token.reveal()}`, 'content-type': 'application/json; charset=utf-8' };
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
