import type { Logger } from '@nestjs/common';
import { plainText } from '../../rendering/plain-text';
import type { MessageContent } from '../../rendering/notification';
import type { Channel, SendContext } from './channel';
import type { SendOutcome } from './http-request';

/**
 * Prints the notification in the service's log (what `npm start` shows when no Slack or Teams
 * is configured): readable text as the message, and the event id, type and destination as
 * fields so that a JSON log can be searched.
 */
export class ConsoleChannel implements Channel {
  readonly canLookup = false;
  constructor(private readonly logger: Logger) {}

  async send(content: MessageContent, ctx: SendContext): Promise<SendOutcome> {
    this.logger.log({ msg: `\n${plainText(content)}`, eventId: content.eventId, notification: content.type, destination: ctx.destination });
    return { kind: 'sent' };
  }
}
