/** BGP peer state as `get-bgp-neighbor-information` reports it. */
export interface BgpPeer {
  readonly address: string;
  readonly group: string;
  /** Established, Idle, Active, Connect, OpenSent, OpenConfirm. */
  readonly state: string;
}

/**
 * What the drain flow needs from a device's configuration session. Implemented over NETCONF
 * (JunosNetconfConfig); kept narrow so that every call the flow makes is one Junos RPC.
 */
export interface JunosConfig {
  /** `<lock><target><candidate/></target></lock>`. */
  lock(): Promise<void>;
  /** `<unlock>`; never throws (a session that ends releases the lock anyway). */
  unlock(): Promise<void>;
  /** `<load-configuration action="set" format="text">`. */
  loadSet(lines: readonly string[]): Promise<void>;
  /** `<commit-configuration><check/>`. */
  commitCheck(): Promise<void>;
  /** The candidate's difference from the active configuration (`show | compare`). */
  diff(): Promise<string>;
  /** `<commit-configuration><confirmed/><confirm-timeout>`: the device rolls back unless confirmed. */
  commitConfirmed(minutes: number, log: string): Promise<void>;
  /** `<commit-configuration>`: confirms a pending confirmed commit. */
  commit(log: string): Promise<void>;
  /** `<discard-changes/>` (never throws). */
  discard(): Promise<void>;
  /** The committed configuration as set lines (`show configuration | display set`). */
  configurationSet(): Promise<string>;
  /** BGP peers (all, or the one address). */
  bgpPeers(address?: string): Promise<BgpPeer[]>;
  /** The interface's operational status, undefined when the device has no such interface. */
  interfaceStatus(name: string): Promise<'up' | 'down' | undefined>;
  close(): Promise<void>;
}

/** Opens a configuration session to a device by name. */
export type JunosConfigFactory = (device: string) => Promise<JunosConfig>;
