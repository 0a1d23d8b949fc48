// Where the subscriber connects and what it names things: environment variables with defaults.

/** NATS server URLs. */
export const servers = (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',').map((s) => s.trim());
/** Maintwatch deployments sharing one NATS prefix their names (NATS_NAMESPACE); usually unset. */
export const namespace = process.env.NATS_NAMESPACE || undefined;
/** The durable consumer's name: the server remembers what it acked across restarts. */
export const durable = process.env.DURABLE ?? 'ticketing';
/** Where the stand-in ticket system keeps its tickets. */
export const ticketsDir = process.env.TICKETS_DIR ?? './tickets';
