import type { EntityManager } from 'typeorm';
import { StoreConflictError } from '../errors';
import { epoch } from '../models';
import { returnedRows, sqlState, UNIQUE_VIOLATION } from '../pg-errors';
import type { TokenScope } from './api-token.entity';

/** An API token as listed (never its value nor its hash). */
export interface ApiTokenRecord {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: number;
  revokedAt?: number;
}

interface TokenRow {
  id: string;
  name: string;
  scope: TokenScope;
  created_at: Date;
  revoked_at: Date | null;
}

/** API tokens, by the SHA-256 of their value. */
export class ApiTokenRepository {
  constructor(private readonly m: EntityManager) {}

  /** Stores a new token's hash. A name in use by a token not revoked is a StoreConflictError. */
  async create(t: { name: string; scope: TokenScope; tokenHash: string }): Promise<ApiTokenRecord> {
    try {
      const rows: TokenRow[] = await this.m.query(
        `INSERT INTO api_token (name, scope, token_hash) VALUES ($1, $2, $3) RETURNING id, name, scope, created_at, revoked_at`,
        [t.name, t.scope, t.tokenHash],
      );
      const [row] = rows;
      if (!row) throw new Error('INSERT ... RETURNING gave no row');
      return toRecord(row);
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new StoreConflictError(`a token named ${t.name} exists (revoke it first)`, { cause: err });
      throw err;
    }
  }

  /** The token not revoked whose hash this is (with the hash, for a constant-time comparison). */
  async findActiveByHash(tokenHash: string): Promise<(ApiTokenRecord & { tokenHash: string }) | undefined> {
    const rows: (TokenRow & { token_hash: string })[] = await this.m.query(
      `SELECT id, name, scope, created_at, revoked_at, token_hash FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL`,
      [tokenHash],
    );
    const r = rows[0];
    return r && { ...toRecord(r), tokenHash: r.token_hash };
  }

  /** Revokes the token in use with this name or id; false when there is none. */
  async revoke(nameOrId: string): Promise<boolean> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nameOrId);
    const rows = returnedRows(
      await this.m.query(
        `UPDATE api_token SET revoked_at = now() WHERE revoked_at IS NULL AND ${isUuid ? 'id = $1::uuid' : 'name = $1'} RETURNING id`,
        [nameOrId],
      ),
    );
    return rows.length > 0;
  }

  /** Every token, newest first. */
  async list(): Promise<ApiTokenRecord[]> {
    const rows: TokenRow[] = await this.m.query(`SELECT id, name, scope, created_at, revoked_at FROM api_token ORDER BY created_at DESC, id`);
    return rows.map(toRecord);
  }
}

function toRecord(r: TokenRow): ApiTokenRecord {
  return { id: r.id, name: r.name, scope: r.scope, createdAt: epoch(r.created_at), ...(r.revoked_at ? { revokedAt: epoch(r.revoked_at) } : {}) };
}
