import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { CircuitEntity } from '../entities/circuit.entity';
import { MaintenanceEntity } from '../entities/maintenance.entity';

/**
 * Two maintenances whose windows overlap on circuits of one redundancy group (or on circuits
 * sharing an a-side or z-side), stored once per pair (maintenance_a < maintenance_b). Active
 * while they overlap; `generation` counts the times the overlap was raised (each raise is one
 * `overlap` event), so an overlap that clears and comes back is announced again.
 */
@Entity({ name: 'maintenance_overlap' })
@Unique('UQ_maintenance_overlap_pair', ['maintenanceA', 'maintenanceB'])
@Index('IDX_maintenance_overlap_b', ['maintenanceB'])
export class MaintenanceOverlapEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'maintenance_a', type: 'uuid' })
  maintenanceA!: string;

  @ManyToOne(() => MaintenanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'maintenance_a' })
  a?: Relation<MaintenanceEntity>;

  @Column({ name: 'maintenance_b', type: 'uuid' })
  maintenanceB!: string;

  @ManyToOne(() => MaintenanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'maintenance_b' })
  b?: Relation<MaintenanceEntity>;

  /** The windows when the overlap was last raised: a new pair of windows is a new overlap. */
  @Column({ name: 'a_starts_at', type: 'timestamptz' })
  aStartsAt!: Date;

  @Column({ name: 'a_ends_at', type: 'timestamptz' })
  aEndsAt!: Date;

  @Column({ name: 'b_starts_at', type: 'timestamptz' })
  bStartsAt!: Date;

  @Column({ name: 'b_ends_at', type: 'timestamptz' })
  bEndsAt!: Date;

  /** Provider circuit ids of both sides that make the overlap. */
  @Column({ name: 'shared_circuits', type: 'text', array: true })
  sharedCircuits!: string[];

  @Column({ name: 'redundancy_groups', type: 'text', array: true })
  redundancyGroups!: string[];

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ type: 'integer', default: 1 })
  generation!: number;

  /** The `overlap` event of the last raise. */
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;

  @Column({ name: 'cleared_at', type: 'timestamptz', nullable: true })
  clearedAt!: Date | null;
}

/** The expression MAINTENANCE_WINDOW_INDEX indexes: a maintenance's window as a closed range (end never before start). */
export const MAINTENANCE_WINDOW_RANGE = `tstzrange(m.starts_at, GREATEST(m.starts_at, m.ends_at), '[]')`;

// The API's time-window filter ("windows intersecting [from, to)") needs an interval index: a
// b-tree on starts_at or ends_at alone scans every maintenance before the window (or after it).
// A GiST index on the window as a range finds them directly, and the columns it includes let
// a page be chosen from the index alone (no visit to the rows). TypeORM cannot describe an
// expression index, so the migration creates it and it is declared here, on the maintenance
// table, as one schema synchronisation must leave alone (synchronize: false).
Index('IDX_maintenance_window_range', { synchronize: false })(MaintenanceEntity);

// Overlap detection probes the circuits without a group that share a side with a changed
// maintenance's circuits (overlap.repository.ts). Partial indexes, created by a migration and
// declared here so that schema synchronisation leaves them alone.
Index('IDX_circuit_a_side_ungrouped', { synchronize: false })(CircuitEntity);
Index('IDX_circuit_z_side_ungrouped', { synchronize: false })(CircuitEntity);
