import type { MessageContent, NotificationEvent } from '../../rendering/notification';
import type { SendOutcome } from './http-request';

/** What a channel knows about the message besides its content. */
export interface SendContext {
  event: NotificationEvent;
  destination: string;
  correlationId?: string;
}

/** One destination type's way of posting a message (and, for Slack's Web API, of finding one). */
export interface Channel {
  /** True when the channel can tell whether a message for an event was already posted. */
  readonly canLookup: boolean;
  send(content: MessageContent, ctx: SendContext): Promise<SendOutcome>;
  /** The remote id of the message posted for `eventId` since `sinceMs`, if any; throws LookupError. */
  lookup?(eventId: string, destination: string, sinceMs: number): Promise<string | undefined>;
}
