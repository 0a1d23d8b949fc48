import { KV_BUCKETS } from '@maintwatch/contracts';
import type { Bus } from '@maintwatch/messaging';
import { CursorStoreError } from '../errors';

/** Where an IMAP mailbox was read up to: every UID up to lastUid under this UIDVALIDITY is published. */
export interface ImapCursor {
  /** UIDVALIDITY as a decimal string (it is an unsigned 32-bit number; JSON has no bigint). */
  uidValidity: string;
  lastUid: number;
  updatedAt: number;
}

/** Where a Gmail mailbox was read up to: every change up to this history id is published. */
export interface GmailCursor {
  historyId: string;
  updatedAt: number;
}

/**
 * Source cursors in the KV bucket `ingest-cursors`: one key per source and mailbox. Callers
 * write a cursor only after JetStream acknowledged every notice up to it, so a restart resumes
 * exactly there.
 */
export class CursorStore {
  constructor(private readonly bus: Bus) {}

  /** The cursor of an IMAP source's mailbox, if it was ever read. */
  async getImap(source: string, mailbox: string): Promise<ImapCursor | undefined> {
    return this.read<ImapCursor>(imapKey(source, mailbox));
  }

  /** Stores how far an IMAP mailbox was published. */
  async putImap(source: string, mailbox: string, cursor: Omit<ImapCursor, 'updatedAt'>): Promise<void> {
    await this.write(imapKey(source, mailbox), { ...cursor, updatedAt: Date.now() });
  }

  /** The cursor of a Gmail source, if it ever synced. */
  async getGmail(source: string): Promise<GmailCursor | undefined> {
    return this.read<GmailCursor>(`gmail.${source}`);
  }

  /** Stores how far a Gmail mailbox was published. */
  async putGmail(source: string, cursor: Omit<GmailCursor, 'updatedAt'>): Promise<void> {
    await this.write(`gmail.${source}`, { ...cursor, updatedAt: Date.now() });
  }

  private async read<T>(key: string): Promise<T | undefined> {
    try {
      const kv = await this.bus.kv(KV_BUCKETS.ingestCursors);
      const entry = await kv.get(key);
      if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
      return entry.json<T>();
    } catch (err) {
      throw new CursorStoreError(`cursor ${key} could not be read from JetStream KV`, { cause: err });
    }
  }

  private async write(key: string, value: object): Promise<void> {
    try {
      const kv = await this.bus.kv(KV_BUCKETS.ingestCursors);
      await kv.put(key, JSON.stringify(value));
    } catch (err) {
      throw new CursorStoreError(`cursor ${key} could not be stored in JetStream KV`, { cause: err });
    }
  }
}

// KV keys allow [-/_=.a-zA-Z0-9]; mailbox names are any Unicode, so they are encoded.
function imapKey(source: string, mailbox: string): string {
  return `imap.${source}.${Buffer.from(mailbox, 'utf8').toString('base64url') || '_'}`;
}
