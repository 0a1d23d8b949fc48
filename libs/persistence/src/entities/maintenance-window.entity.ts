import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { MaintenanceEntity } from './maintenance.entity';

/** One window a maintenance has had, in the order they were announced (the last is the current one). */
@Entity({ name: 'maintenance_window' })
@Index('IDX_maintenance_window_maintenance', ['maintenanceId', 'id'])
export class MaintenanceWindowEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'maintenance_id', type: 'uuid' })
  maintenanceId!: string;

  @ManyToOne(() => MaintenanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'maintenance_id' })
  maintenance?: Relation<MaintenanceEntity>;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  stamp!: Date;

  /** primary, or backup (a further window the notice named besides the primary one). */
  @Column({ type: 'text', default: 'primary' })
  label!: string;

  @Column({ name: 'notice_id', type: 'text', nullable: true })
  noticeId!: string | null;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
