import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CircuitEntity } from './circuit.entity';

/**
 * One name of a circuit: its provider circuit id (primary) or an alias (the same circuit
 * written differently by the provider). Unique per provider after normalisation (circuitKey()).
 */
@Entity({ name: 'circuit_name' })
export class CircuitNameEntity {
  @PrimaryColumn({ name: 'provider_type', type: 'varchar', length: 64 })
  providerType!: string;

  /** The normalised name (circuitKey()): what lookups compare. */
  @PrimaryColumn({ name: 'name_key', type: 'text' })
  nameKey!: string;

  /** The name as written. */
  @Column({ type: 'text' })
  name!: string;

  @Index('IDX_circuit_name_circuit')
  @Column({ name: 'circuit_id', type: 'uuid' })
  circuitId!: string;

  @ManyToOne(() => CircuitEntity, (c) => c.names, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'circuit_id' })
  circuit?: Relation<CircuitEntity>;

  /** True for the circuit's provider circuit id, false for an alias. */
  @Column({ type: 'boolean', default: false })
  primary!: boolean;
}
