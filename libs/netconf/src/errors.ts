/** Base class of every NETCONF client error. */
export class NetconfError extends Error {
  override readonly name: string = 'NetconfError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The peer broke RFC 6242 framing (bad chunk header, size 0, too many digits): the session is closed. */
export class FramingError extends NetconfError {
  override readonly name = 'FramingError';
}

/** The SSH connection or the NETCONF channel closed (or never opened). */
export class SessionClosedError extends NetconfError {
  override readonly name = 'SessionClosedError';
}

/** The device's SSH host key is not the pinned one, or is unknown and trust-on-first-use is off. */
export class HostKeyError extends NetconfError {
  override readonly name = 'HostKeyError';
  constructor(
    readonly device: string,
    readonly fingerprint: string,
    message: string,
  ) {
    super(message);
  }
}

/** An RPC got no reply in time. The session stays usable; a late reply is discarded by its message-id. */
export class RpcTimeoutError extends NetconfError {
  override readonly name = 'RpcTimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`NETCONF ${operation}: no reply within ${timeoutMs} ms`);
  }
}

/** One `<rpc-error>` of a reply, text trimmed (Junos pads messages with newlines). */
export interface RpcErrorInfo {
  type: string;
  tag: string;
  severity: 'error' | 'warning';
  appTag?: string;
  path?: string;
  message: string;
  /** `<error-info>` children as text (bad-element, session-id of a lock holder, ...). */
  info: Record<string, string>;
}

/** The device answered with at least one `<rpc-error>` of severity `error` (warnings alone are success). */
export class RpcError extends NetconfError {
  override readonly name = 'RpcError';
  constructor(
    readonly operation: string,
    readonly errors: RpcErrorInfo[],
    readonly replyXml: string,
  ) {
    super(`NETCONF ${operation} failed: ${errors.filter((e) => e.severity === 'error').map((e) => `${e.tag}: ${e.message}`).join('; ')}`);
  }
}

/** The device inventory file or a device's credentials are missing or invalid. */
export class InventoryError extends NetconfError {
  override readonly name = 'InventoryError';
}
