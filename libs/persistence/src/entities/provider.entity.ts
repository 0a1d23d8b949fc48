import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A provider. Built-in defaults (refreshed from the registry at every start) and operator
 * edits are kept apart, so that an edit survives a new release and an unedited field follows it.
 */
@Entity({ name: 'provider' })
export class ProviderEntity {
  /** The registry's type: the first half of every maintenance key. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  type!: string;

  /** True when the built-in registry defines this type. */
  @Column({ name: 'built_in', type: 'boolean', default: false })
  builtIn!: boolean;

  @Column({ name: 'built_in_name', type: 'text', nullable: true })
  builtInName!: string | null;

  @Column({ name: 'built_in_senders', type: 'text', array: true, nullable: true })
  builtInSenders!: string[] | null;

  @Column({ name: 'built_in_default_organizer', type: 'text', nullable: true })
  builtInDefaultOrganizer!: string | null;

  /** Operator edit (wins over the built-in); null = the built-in value. */
  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', array: true, nullable: true })
  senders!: string[] | null;

  @Column({ name: 'default_organizer', type: 'text', nullable: true })
  defaultOrganizer!: string | null;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
