import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { elementsNamed, htmlDocument, textOf } from './html';
import type { DataPart } from './types';

// textOf and elementsNamed replace domutils' textContent and tree searches with an explicit
// stack and a per-document index: they must give exactly what domutils gives.
const SAMPLES = [
  '<html><head><title>Notice &amp; more</title><style>td { color: red }</style></head><body><p>Dear <b>Customer</b>,</p><!-- a comment --><table><tr><th>Circuit</th><td>ABC/123<br>DEF</td></tr><tr><td><p>nested <strong>strong</strong></p></td></tr></table><script>var x = "<p>";</script></body></html>',
  '<div><p>one<p>two<div>three<span>four</span></div></div><![CDATA[raw]]><p>five',
  '<!DOCTYPE html><table><tbody><tr><td>a</td><td>b</td></tr></tbody><tbody><tr><td>c</td></tr></tbody></table>',
  'just text &nbsp; with&#160;entities',
  '',
];

const names = (els: Element[]) => els.map((e) => `${e.name}@${e.startIndex}`);

describe('html helpers', () => {
  it.each(SAMPLES.map((s, i) => [i, s]))('sample %i: textOf is domutils textContent, on the document, on elements and on arrays', (_, html) => {
    const doc = parseDocument(html as string);
    expect(textOf(doc)).toBe(DomUtils.textContent(doc));
    for (const el of DomUtils.findAll(() => true, doc.children)) expect(textOf(el)).toBe(DomUtils.textContent(el));
    expect(textOf(doc.children)).toBe(DomUtils.textContent(doc.children));
  });

  it.each(SAMPLES.map((s, i) => [i, s]))('sample %i: elementsNamed finds what a tree search finds, in document order', (_, html) => {
    const doc = parseDocument(html as string, { withStartIndices: true });
    for (const list of [['p'], ['td'], ['tr'], ['b', 'strong'], ['th', 'td'], ['script', 'style', 'title'], ['none']]) {
      const expected = DomUtils.findAll((el) => list.includes(el.name), doc.children);
      expect(names(elementsNamed(doc, ...list))).toEqual(names(expected));
      for (const table of DomUtils.getElementsByTagName('table', doc.children)) {
        expect(names(elementsNamed(table, ...list))).toEqual(names(DomUtils.findAll((el) => list.includes(el.name), table.children)));
      }
    }
  });

  it('elementsNamed on a document returns a fresh array each time (callers may change theirs)', () => {
    const doc = htmlDocument({ type: 'html', content: SAMPLES[0] } as DataPart);
    const first = elementsNamed(doc, 'td');
    first.splice(0, first.length);
    expect(elementsNamed(doc, 'td')).toHaveLength(2);
  });
});
