import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { LifecycleEvent, LifecycleType } from '@maintwatch/contracts';

/**
 * The lifecycle outbox: events written in the transaction of the change that caused them,
 * published in id order by the relay and then marked. The event id is the Nats-Msg-Id.
 */
@Entity({ name: 'outbox' })
@Index('IDX_outbox_unpublished', ['id'], { where: '"published_at" IS NULL' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('UQ_outbox_event_id', { unique: true })
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: LifecycleType;

  @Index('IDX_outbox_maintenance')
  @Column({ name: 'maintenance_id', type: 'uuid', nullable: true })
  maintenanceId!: string | null;

  @Column({ type: 'jsonb' })
  payload!: LifecycleEvent;

  /** Carried from the message that caused the change to the published event (ingest -> notifier). */
  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

/** The lifecycle clock's own state: when it last ran and where (per-maintenance state is maintenance.phase). */
@Entity({ name: 'clock_state' })
export class ClockStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name!: string;

  @Column({ name: 'last_tick_at', type: 'timestamptz' })
  lastTickAt!: Date;

  @Column({ name: 'ticked_by', type: 'text' })
  tickedBy!: string;

  @Column({ name: 'transitions_total', type: 'bigint', default: 0 })
  transitionsTotal!: string;
}
