import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Impact } from '@maintwatch/contracts';
import { CircuitEntity } from './circuit.entity';
import { MaintenanceEntity } from './maintenance.entity';

/**
 * Maintenance x circuit x impact. The circuit is linked when known; with unknown circuits
 * kept as notes only (UNKNOWN_CIRCUITS=note) the name as written is all there is.
 */
@Entity({ name: 'circuit_impact' })
export class CircuitImpactEntity {
  @PrimaryColumn({ name: 'maintenance_id', type: 'uuid' })
  maintenanceId!: string;

  /** The linked circuit's primary name key, else the normalised name from the notice. */
  @PrimaryColumn({ name: 'circuit_key', type: 'text' })
  circuitKey!: string;

  @ManyToOne(() => MaintenanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'maintenance_id' })
  maintenance?: Relation<MaintenanceEntity>;

  /** The circuit id as the notice wrote it. */
  @Column({ name: 'circuit_ref', type: 'text' })
  circuitRef!: string;

  @Index('IDX_circuit_impact_circuit')
  @Column({ name: 'circuit_id', type: 'uuid', nullable: true })
  circuitId!: string | null;

  @ManyToOne(() => CircuitEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'circuit_id' })
  circuit?: Relation<CircuitEntity> | null;

  @Column({ type: 'varchar', length: 24 })
  impact!: Impact;
}
