import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What an API token may do: read, or read and write. */
export const TOKEN_SCOPES = ['read', 'write'] as const;
/** One token scope. */
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/**
 * An API token. Only its SHA-256 is kept: the token itself is shown once, when created, and
 * a leaked table gives nothing to present. A revoked token stays (who had access, when).
 */
@Entity({ name: 'api_token' })
@Check('CHK_api_token_scope', `"scope" IN ('read', 'write')`)
// Names are unique among the tokens in use; a revoked token's name can be given again.
@Index('UQ_api_token_active_name', ['name'], { unique: true, where: '"revoked_at" IS NULL' })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'varchar', length: 8 })
  scope!: TokenScope;

  /** Hex SHA-256 of the token. */
  @Index('UQ_api_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
