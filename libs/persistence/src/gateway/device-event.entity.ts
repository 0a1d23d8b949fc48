import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DeviceEvent } from '@maintwatch/contracts';

/**
 * junos-gateway: a device event received through a signed webhook, stored once per
 * (device, event key), and its own outbox entry: `published_at` is set once the relay has
 * published it on device.event.v1.<kind> with `event_id` as Nats-Msg-Id.
 */
@Entity({ name: 'device_event', schema: 'gateway' })
@Index('IDX_device_event_unpublished', ['id'], { where: '"published_at" IS NULL' })
@Index('IDX_device_event_device', ['device', 'id'])
export class DeviceEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** Deterministic from (device, event key): the idempotency key and the Nats-Msg-Id. */
  @Index('UQ_device_event_event_id', { unique: true })
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ type: 'text' })
  device!: string;

  /** The agent's event id when it sent one, else the body's SHA-256. */
  @Column({ name: 'event_key', type: 'text' })
  eventKey!: string;

  @Column({ name: 'junos_event', type: 'varchar', length: 128 })
  junosEvent!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'smallint' })
  priority!: number;

  @Column({ type: 'varchar', length: 16 })
  severity!: string;

  @Column({ type: 'text' })
  message!: string;

  /** The published payload, exactly. */
  @Column({ type: 'jsonb' })
  payload!: DeviceEvent;

  /** The address the webhook came from. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
