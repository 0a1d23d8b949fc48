import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { CircuitNameEntity } from './circuit-name.entity';
import { ProviderEntity } from './provider.entity';

/** Circuit types an operator can give a circuit. */
export const CIRCUIT_TYPES = ['transit', 'backbone', 'transport', 'peering', 'facility'] as const;
/** One circuit type. */
export type CircuitType = (typeof CIRCUIT_TYPES)[number];

/**
 * A circuit of a provider. Its names (the provider circuit id and its aliases) live in
 * circuit_name, unique per provider after normalisation, so a lookup by any name is one index probe.
 */
@Entity({ name: 'circuit' })
@Check('CHK_circuit_type', `"type" IS NULL OR "type" IN ('transit', 'backbone', 'transport', 'peering', 'facility')`)
export class CircuitEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'provider_type', type: 'varchar', length: 64 })
  providerType!: string;

  @ManyToOne(() => ProviderEntity, { onDelete: 'RESTRICT', onUpdate: 'CASCADE' })
  @JoinColumn({ name: 'provider_type' })
  provider?: Relation<ProviderEntity>;

  /** The provider's circuit id as the operator (or the first notice) wrote it. */
  @Column({ name: 'provider_circuit_id', type: 'text' })
  providerCircuitId!: string;

  @Column({ name: 'a_side', type: 'text', nullable: true })
  aSide!: string | null;

  @Column({ name: 'z_side', type: 'text', nullable: true })
  zSide!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  type!: CircuitType | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Index('IDX_circuit_redundancy_group')
  @Column({ name: 'redundancy_group', type: 'text', nullable: true })
  redundancyGroup!: string | null;

  /** Device binding for the junos-gateway: where to act for this circuit. */
  @Column({ type: 'text', nullable: true })
  device!: string | null;

  @Column({ name: 'device_interface', type: 'text', nullable: true })
  deviceInterface!: string | null;

  @Column({ name: 'bgp_group', type: 'text', nullable: true })
  bgpGroup!: string | null;

  @Column({ name: 'bgp_neighbor', type: 'text', nullable: true })
  bgpNeighbor!: string | null;

  /** The binding's drain policy (method, lead, grace, confirm timeout, dry-run). */
  @Column({ name: 'drain_policy', type: 'jsonb', nullable: true })
  drainPolicy!: object | null;

  /** False for circuits created from a notice that named an unknown circuit. */
  @Column({ type: 'boolean', default: false })
  verified!: boolean;

  @OneToMany(() => CircuitNameEntity, (n) => n.circuit)
  names?: Relation<CircuitNameEntity>[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
