import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import type { Authenticity, MaintenanceStatus } from '@maintwatch/contracts';
import { ProviderEntity } from './provider.entity';

/** Where the lifecycle clock stands for a maintenance: the last transition it emitted. */
export const CLOCK_PHASES = ['scheduled', 'starting-soon', 'started', 'ended'] as const;
/** One clock phase. */
export type ClockPhase = (typeof CLOCK_PHASES)[number];

/** A maintenance, keyed by (provider type, the provider's maintenance id). */
@Entity({ name: 'maintenance' })
@Unique('UQ_maintenance_key', ['providerType', 'maintenanceId'])
@Index('IDX_maintenance_clock', ['startsAt'], { where: `"phase" <> 'ended'` })
@Index('IDX_maintenance_rescheduled', ['providerType'], { where: `"status" = 'RE-SCHEDULED' AND "replaced_by_id" IS NULL` })
export class MaintenanceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'provider_type', type: 'varchar', length: 64 })
  providerType!: string;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT', onUpdate: 'CASCADE' })
  @JoinColumn({ name: 'provider_type' })
  provider?: Relation<ProviderEntity>;

  @Column({ name: 'maintenance_id', type: 'text' })
  maintenanceId!: string;

  @Column({ type: 'text' })
  account!: string;

  @Column({ type: 'text' })
  organizer!: string;

  @Column({ type: 'text' })
  uid!: string;

  @Index('IDX_maintenance_status')
  @Column({ type: 'varchar', length: 16 })
  status!: MaintenanceStatus;

  // (starts_at, id) INCLUDE (status, ends_at): migration 1769. TypeORM cannot declare INCLUDE, so
  // schema synchronisation leaves this index to the migrations.
  @Index('IDX_maintenance_starts_at', { synchronize: false })
  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Index('IDX_maintenance_ends_at')
  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  stamp!: Date;

  /** Bumps on every applied change; part of each lifecycle event id. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** Clock state: the last lifecycle transition emitted by time (or by an IN-PROCESS / COMPLETED notice). */
  @Column({ type: 'varchar', length: 16, default: 'scheduled' })
  phase!: ClockPhase;

  /** How the notice that last set the maintenance was authenticated (the parser's verdict). */
  @Column({ type: 'jsonb', nullable: true })
  authenticity!: Authenticity | null;

  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  /** The maintenance this one replaces (announced again under a new id). */
  @Column({ name: 'replaces_id', type: 'uuid', nullable: true })
  replacesId!: string | null;

  @ManyToOne(() => MaintenanceEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'replaces_id' })
  replaces?: Relation<MaintenanceEntity> | null;

  @Column({ name: 'replaced_by_id', type: 'uuid', nullable: true })
  replacedById!: string | null;

  @ManyToOne(() => MaintenanceEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'replaced_by_id' })
  replacedBy?: Relation<MaintenanceEntity> | null;

  /** The notice whose content is applied now. */
  @Column({ name: 'last_notice_id', type: 'text', nullable: true })
  lastNoticeId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
