import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { MaintenanceEntity } from './maintenance.entity';

/** Note levels. */
export const NOTE_LEVELS = ['info', 'warning'] as const;
/** One note level. */
export type NoteLevel = (typeof NOTE_LEVELS)[number];

/** A note on a maintenance, by an operator or by maintenance-api itself. */
@Entity({ name: 'note' })
@Index('IDX_note_maintenance', ['maintenanceId', 'createdAt'])
@Check('CHK_note_level', `"level" IN ('info', 'warning')`)
export class NoteEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'maintenance_id', type: 'uuid' })
  maintenanceId!: string;

  @ManyToOne(() => MaintenanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'maintenance_id' })
  maintenance?: Relation<MaintenanceEntity>;

  @Column({ type: 'text' })
  author!: string;

  @Column({ type: 'varchar', length: 8 })
  level!: NoteLevel;

  @Column({ type: 'text' })
  text!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
