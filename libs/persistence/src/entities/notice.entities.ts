import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import type { Authenticity, Maintenance } from '@maintwatch/contracts';
import { MaintenanceEntity } from './maintenance.entity';

/** A raw notice: the mail's bytes as received, once per notice id (kept for download and reprocessing). */
@Entity({ name: 'raw_notice' })
export class RawNoticeEntity {
  @PrimaryColumn({ name: 'notice_id', type: 'varchar', length: 1024 })
  noticeId!: string;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ type: 'text', nullable: true })
  sender!: string | null;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Index('IDX_raw_notice_received_at')
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'provider_hint', type: 'text', nullable: true })
  providerHint!: string | null;

  /** The highest attempt seen (reprocessing publishes attempt + 1). */
  @Column({ type: 'integer', default: 1 })
  attempt!: number;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ type: 'bytea' })
  body!: Buffer;

  @CreateDateColumn({ name: 'stored_at', type: 'timestamptz' })
  storedAt!: Date;
}

/** How a parsed maintenance was taken: applied, newer but changing nothing, or older than the stored one. */
export const PARSED_OUTCOMES = ['applied', 'no-change', 'stale'] as const;
/** One parsed outcome. */
export type ParsedOutcome = (typeof PARSED_OUTCOMES)[number];

/** One maintenance.parsed.v1 record, unique by (notice, attempt, index). */
@Entity({ name: 'parsed_record' })
@Unique('UQ_parsed_record_message', ['noticeId', 'attempt', 'index'])
export class ParsedRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'notice_id', type: 'varchar', length: 1024 })
  noticeId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'integer' })
  index!: number;

  @Column({ type: 'integer' })
  count!: number;

  @Column({ name: 'provider_type', type: 'varchar', length: 64 })
  providerType!: string;

  /** The provider's maintenance id (the second half of the key). */
  @Column({ name: 'maintenance_key', type: 'text' })
  maintenanceKey!: string;

  @Index('IDX_parsed_record_maintenance')
  @Column({ name: 'maintenance_id', type: 'uuid', nullable: true })
  maintenanceId!: string | null;

  @ManyToOne(() => MaintenanceEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'maintenance_id' })
  maintenance?: Relation<MaintenanceEntity> | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: ParsedOutcome;

  @Column({ type: 'text', array: true })
  parsers!: string[];

  /** The 12 circuit-maintenance-parser keys as parsed. */
  @Column({ name: 'maintenance_json', type: 'jsonb' })
  maintenanceJson!: Maintenance;

  /** The parser's authenticity verdict on the notice (absent for notices parsed before it was checked). */
  @Column({ type: 'jsonb', nullable: true })
  authenticity!: Authenticity | null;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}

/** A notice of a known provider (or unreadable mail) that gave no maintenance, with the reasons. */
@Entity({ name: 'unparsed_record' })
@Unique('UQ_unparsed_record_message', ['noticeId', 'attempt'])
export class UnparsedRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'notice_id', type: 'varchar', length: 1024 })
  noticeId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'provider_type', type: 'varchar', length: 64, nullable: true })
  providerType!: string | null;

  @Column({ type: 'text', nullable: true })
  sender!: string | null;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text', array: true })
  reasons!: string[];

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}

/** Mail that is not a maintenance notice, with the reason. */
@Entity({ name: 'ignored_record' })
@Unique('UQ_ignored_record_message', ['noticeId', 'attempt'])
export class IgnoredRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'notice_id', type: 'varchar', length: 1024 })
  noticeId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'provider_type', type: 'varchar', length: 64, nullable: true })
  providerType!: string | null;

  @Column({ type: 'text', nullable: true })
  sender!: string | null;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
