// Public entry of @maintwatch/netconf: a NETCONF-over-SSH client (RFC 6241/6242) for Junos.

/** Error classes: NetconfError and its subclasses, and the shape of one rpc-error. */
export { NetconfError, FramingError, SessionClosedError, HostKeyError, RpcTimeoutError, RpcError, InventoryError, type RpcErrorInfo } from './errors';
/** RFC 6242 framing: the streaming decoder and the two encoders. */
export { FrameDecoder, encodeEom, encodeChunked, encodeMessage, type Framing } from './framing';
/** A NETCONF session over ssh2 and its options. */
export { NetconfSession, checkHostKey, NETCONF_NS, BASE_10, BASE_11, JUNOS_CAPABILITY, type SessionOptions, type HostKeyPolicy, type RpcReply, type RpcOptions, type RpcObserver } from './session';
/** Host-key fingerprints and trust-on-first-use stores. */
export { sshFingerprint, FileHostKeyStore, MemoryHostKeyStore, type HostKeyStore } from './host-key';
/** The device inventory file and credentials from env / secret files. */
export { loadInventory, parseInventory, resolveCredentials, DeviceSpec, type Inventory, type DeviceCredentials } from './inventory';
/** XML helpers by local name (fast-xml-parser). */
export { parseXml, buildXml, escapeXml, child, children, text, has, isNode, rpcErrors, type XmlNode, type XmlValue } from './xml';
