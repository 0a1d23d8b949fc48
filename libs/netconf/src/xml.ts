import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { RpcErrorInfo } from './errors';

// fast-xml-parser rather than @xmldom/xmldom + xpath: it is pure JS, builds as well as parses,
// drops namespace prefixes for us (Junos replies mix default namespaces, `junos:` and, with
// rfc-compliant, `nc:` prefixes: we match by local name as the spec says), skips comments and
// the XML declaration, and parses several times faster than building a DOM — the benchmark
// targets 500 round trips a second.

/** A parsed XML element: child elements by local name, attributes as `@_name`, text as `#text`. */
export type XmlNode = { [key: string]: XmlValue };
/** A parsed XML value. */
export type XmlValue = string | number | boolean | XmlNode | XmlValue[] | undefined;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  isArray: (name) => name === 'rpc-error' || name === 'capability',
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

/** Parses an XML document by local names (namespace prefixes removed, comments skipped). */
export function parseXml(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

/** Builds XML text from the same shape parseXml() returns; text and attributes are escaped. */
export function buildXml(node: XmlNode): string {
  return builder.build(node) as string;
}

/** Escapes text for use inside an element or attribute value. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** The child element `name` of a node, if it is an element. */
export function child(node: XmlValue, name: string): XmlNode | undefined {
  if (!isNode(node)) return undefined;
  const v = node[name];
  if (Array.isArray(v)) return isNode(v[0]) ? v[0] : v[0] === '' ? {} : undefined;
  if (v === '') return {};
  return isNode(v) ? v : undefined;
}

/** The trimmed text of child `name` (or of the node itself without a name). */
export function text(node: XmlValue, name?: string): string | undefined {
  const v = name === undefined ? node : isNode(node) ? node[name] : undefined;
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'string') return first.trim();
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  if (isNode(first) && typeof first['#text'] !== 'undefined') return String(first['#text']).trim();
  return first === undefined ? undefined : '';
}

/** Whether child `name` is present (empty flag elements such as `<ok/>` included). */
export function has(node: XmlValue, name: string): boolean {
  return isNode(node) && node[name] !== undefined;
}

/** Child elements named `name` as a list (one, several or none). */
export function children(node: XmlValue, name: string): XmlValue[] {
  if (!isNode(node)) return [];
  const v = node[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Whether a value is an element node. */
export function isNode(v: XmlValue): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `<rpc-error>`s of a parsed `<rpc-reply>`. */
export function rpcErrors(reply: XmlNode): RpcErrorInfo[] {
  return children(reply, 'rpc-error').map((e) => {
    const info: Record<string, string> = {};
    const ei = child(e, 'error-info');
    if (ei) for (const k of Object.keys(ei)) if (!k.startsWith('@_') && k !== '#text') info[k] = text(ei, k) ?? '';
    const severity = text(e, 'error-severity') === 'warning' ? 'warning' : 'error';
    return {
      type: text(e, 'error-type') ?? '',
      tag: text(e, 'error-tag') ?? '',
      severity,
      appTag: text(e, 'error-app-tag'),
      path: text(e, 'error-path'),
      message: text(e, 'error-message') ?? '',
      info,
    };
  });
}
