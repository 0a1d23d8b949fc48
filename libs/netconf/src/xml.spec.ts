import { child, parseXml, rpcErrors, text } from './xml';

describe('rpc-reply reading', () => {
  it('reads Junos rpc-errors by local name, trimmed, with error-info', () => {
    const xml = `<!-- user ops, class super-user --><nc:rpc-reply xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:junos="http://xml.juniper.net/junos/23.4R1/junos" message-id="7">
      <nc:rpc-error><nc:error-type>protocol</nc:error-type><nc:error-tag>lock-denied</nc:error-tag><nc:error-severity>error</nc:error-severity>
      <nc:error-message>\nconfiguration database locked by: ops\n</nc:error-message><nc:error-info><nc:session-id>42</nc:session-id></nc:error-info></nc:rpc-error>
      <nc:rpc-error><nc:error-severity>warning</nc:error-severity><nc:error-message>Rebooting re0 in 1 min</nc:error-message></nc:rpc-error>
    </nc:rpc-reply>`;
    const reply = child(parseXml(xml), 'rpc-reply')!;
    expect(text(reply, '@_message-id')).toBe('7');
    expect(rpcErrors(reply)).toEqual([
      { type: 'protocol', tag: 'lock-denied', severity: 'error', appTag: undefined, path: undefined, message: 'configuration database locked by: ops', info: { 'session-id': '42' } },
      { type: '', tag: '', severity: 'warning', appTag: undefined, path: undefined, message: 'Rebooting re0 in 1 min', info: {} },
    ]);
  });

  it('escapes nothing away: entities come back as text', () => {
    const reply = child(parseXml('<rpc-reply message-id="1"><output>a &lt;b&gt; &amp; c</output></rpc-reply>'), 'rpc-reply');
    expect(text(reply, 'output')).toBe('a <b> & c');
  });
});
