import { KV_BUCKETS, OBJECT_STORES, STREAMS, type StreamKey } from '@maintwatch/contracts';

/**
 * Names on the server for one deployment. An empty namespace gives the contract names as they
 * are; a namespace (tests, or several deployments on one NATS) prefixes every subject,
 * stream, bucket and object store so that they never see each other.
 */
export class Namespace {
  constructor(readonly prefix = '') {
    if (prefix && !/^[a-z][a-z0-9]{0,31}$/.test(prefix)) {
      throw new Error(`namespace "${prefix}" must be lower-case letters and digits, starting with a letter`);
    }
  }

  /** Subject on the wire for a contract subject. */
  subject(s: string): string {
    return this.prefix ? `${this.prefix}.${s}` : s;
  }

  /** Contract subject of a subject on the wire. */
  unsubject(s: string): string {
    return this.prefix && s.startsWith(this.prefix + '.') ? s.slice(this.prefix.length + 1) : s;
  }

  /** Stream name on the server. */
  stream(key: StreamKey): string {
    return this.prefix ? `${this.prefix}_${STREAMS[key].name}` : STREAMS[key].name;
  }

  /** KV bucket name on the server. */
  bucket(name: (typeof KV_BUCKETS)[keyof typeof KV_BUCKETS]): string {
    return this.prefix ? `${this.prefix}-${name}` : name;
  }

  /** Object store name on the server. */
  objectStore(name: (typeof OBJECT_STORES)[keyof typeof OBJECT_STORES]): string {
    return this.prefix ? `${this.prefix}-${name}` : name;
  }
}
