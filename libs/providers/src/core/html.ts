import { DomUtils, parseDocument } from 'htmlparser2';
import { load, type CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Document, Element } from 'domhandler';
import type { DataPart } from './types';

/** htmlparser2 in HTML mode (what the parsers load cheerio with): lower-cased names, entities decoded. */
const HTML_OPTIONS = { xmlMode: false, decodeEntities: true } as const;

/** One DOM per HTML part, shared by every processor and parser that reads the part. */
const documents = new WeakMap<DataPart, Document>();

/**
 * The DOM of an HTML part, built once per part: building it is most of an HTML parser's
 * cost, and a provider's processors (and the forward detection) read the same part. Readers
 * must not change the tree; a parser that rewrites it (br -> newline) loads its own copy.
 */
export function htmlDocument(part: DataPart): Document {
  let doc = documents.get(part);
  if (!doc) {
    doc = parseDocument(String(part.content), HTML_OPTIONS);
    documents.set(part, doc);
  }
  return doc;
}

/**
 * The text of a node and its descendants: what domutils' `textContent` (and cheerio's
 * `.text()`) returns, comments left out, CDATA and script/style text kept. An explicit stack
 * and one string instead of its recursion building and joining an array at every level.
 */
export function textOf(node: AnyNode | AnyNode[]): string {
  let text = '';
  const stack: AnyNode[] = Array.isArray(node) ? [...node].reverse() : [node];
  while (stack.length > 0) {
    const n = stack.pop() as AnyNode;
    if (n.type === 'text') text += n.data;
    else if (n.type !== 'comment' && 'children' in n) {
      const children = n.children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return text;
}

/** Every element of a document in document order, and by name: built once per (read-only) document. */
interface ElementIndex {
  all: Element[];
  byName: Map<string, Element[]>;
}

const indexes = new WeakMap<Document, ElementIndex>();

function elementIndex(doc: Document): ElementIndex {
  let index = indexes.get(doc);
  if (index) return index;
  index = { all: [], byName: new Map() };
  const stack: AnyNode[] = [...doc.children].reverse();
  while (stack.length > 0) {
    const n = stack.pop() as AnyNode;
    if (DomUtils.isTag(n)) {
      index.all.push(n);
      const named = index.byName.get(n.name);
      if (named) named.push(n);
      else index.byName.set(n.name, [n]);
    }
    if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  indexes.set(doc, index);
  return index;
}

/**
 * Elements with one of these names (case as the document keeps them: lower case in HTML)
 * under `root`, in document order. Parsers ask a document for several names in turn (every
 * <p>, then every <strong>, then every <tr>): on a Document each ask reads one index built by
 * a single walk instead of walking the whole tree again. A fresh array each time.
 */
export function elementsNamed(root: AnyNode | AnyNode[], ...names: string[]): Element[] {
  if (!Array.isArray(root) && root.type === 'root') {
    const index = elementIndex(root as Document);
    if (names.length === 1) return [...(index.byName.get(names[0]) ?? [])];
    return index.all.filter((el) => names.includes(el.name));
  }
  const roots = Array.isArray(root) ? root : [root];
  const children = roots.flatMap((r) => ('children' in r ? (r.children as AnyNode[]) : []));
  if (names.length === 1) return DomUtils.getElementsByTagName(names[0], children, true);
  return DomUtils.findAll((el) => names.includes(el.name), children);
}

/** The element children of `el` with one of these names (all element children when none is given). */
export function childElements(el: Element, ...names: string[]): Element[] {
  return el.children.filter((c): c is Element => DomUtils.isTag(c) && (names.length === 0 || names.includes(c.name)));
}

/** The nearest ancestor-or-self element with this name, if any. */
export function closestElement(node: AnyNode, name: string): Element | undefined {
  for (let n: AnyNode | null = node; n; n = n.parent) {
    if (DomUtils.isTag(n) && n.name === name) return n;
  }
  return undefined;
}

/** One cheerio API per HTML part, over the shared DOM (see htmlDocument). */
const cheerios = new WeakMap<DataPart, CheerioAPI>();

/**
 * cheerio over the part's shared DOM, for parsers that use its traversal API (next, nextAll,
 * class selectors). Loading a Document reuses it as is: no second parse. Read-only, as above.
 */
export function htmlCheerio(part: DataPart): CheerioAPI {
  let $ = cheerios.get(part);
  if (!$) {
    $ = load(htmlDocument(part));
    cheerios.set(part, $);
  }
  return $;
}

/** Elements a rendering to text leaves out. */
const NOT_TEXT: ReadonlySet<string> = new Set(['head', 'style', 'script']);

/**
 * The text of a DOM with `lineEnd` in place of every <br> and after the content of every
 * element named in `blocks`, skipping the elements named in `skip`: what
 * `$(skip).remove(); $('br').replaceWith(lineEnd); $(blocks).append(lineEnd); $.root().text()`
 * gives, without changing the shared tree. An explicit stack, so no nesting depth overflows.
 */
export function textWithBreaks(root: AnyNode, blocks: ReadonlySet<string>, lineEnd: string, skip: ReadonlySet<string> = NOT_TEXT): string {
  let text = '';
  // A node to enter, or the line end to write once a block's content is done.
  const stack: (AnyNode | null)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null) {
      text += lineEnd;
      continue;
    }
    if (!node || node.type === 'comment' || node.type === 'directive') continue;
    if (node.type === 'text') {
      text += node.data;
      continue;
    }
    if (DomUtils.isTag(node)) {
      if (skip.has(node.name)) continue;
      if (node.name === 'br') {
        text += lineEnd;
        continue;
      }
      if (blocks.has(node.name)) stack.push(null);
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return text;
}
