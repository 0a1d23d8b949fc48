import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { until } from '@maintwatch/testing';
import { loadPriorityFile, PriorityFileError, PriorityRules } from './priority-rules';
import { PriorityRulesService } from './priority-rules.service';

describe(PriorityRules.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prio-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (text: string, name = 'priorities.yaml') => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('classifies by exact id, then the longest prefix, then regexes in order, then the default', () => {
    const rules = loadPriorityFile(
      file(`default: 2
rules:
  - { event: SNMP_TRAP_LINK_DOWN, priority: 1 }
  - { prefix: RPD_, priority: 3 }
  - { prefix: RPD_BGP_, priority: 1 }
  - { regex: "^CHASSISD_.*ALARM", priority: 1 }
  - { regex: "ALARM", priority: 2 }
`),
    );
    expect(rules.classify('SNMP_TRAP_LINK_DOWN')).toBe(1);
    expect(rules.classify('SNMP_TRAP_LINK_UP')).toBe(2);
    expect(rules.classify('RPD_BGP_NEIGHBOR_STATE_CHANGED')).toBe(1);
    expect(rules.classify('RPD_OSPF_NBRDOWN')).toBe(3);
    expect(rules.classify('CHASSISD_FRU_ALARM')).toBe(1);
    expect(rules.classify('PEM_ALARM')).toBe(2);
  });

  it('drops UTMD_EWF_CAT_OBSOLETE and RPD_RT_HWM_NOTICE by default, unless a rule names them', () => {
    expect(PriorityRules.builtIn().classify('UTMD_EWF_CAT_OBSOLETE')).toBe(4);
    expect(PriorityRules.builtIn().classify('RPD_RT_HWM_NOTICE')).toBe(4);
    expect(PriorityRules.builtIn().classify('ANYTHING_ELSE')).toBe(3);
    expect(loadPriorityFile(file('rules: [{ event: RPD_RT_HWM_NOTICE, priority: 2 }]')).classify('RPD_RT_HWM_NOTICE')).toBe(2);
    // A prefix does not override the built-in exact drop.
    expect(loadPriorityFile(file('rules: [{ prefix: RPD_, priority: 1 }]')).classify('RPD_RT_HWM_NOTICE')).toBe(4);
  });

  it('lists every problem of a bad file', () => {
    const p = file(`default: 5
rules:
  - { event: A, prefix: B, priority: 1 }
  - { regex: "(", priority: 2 }
  - { event: C, priority: 1, colour: red }
`);
    let err: unknown;
    try {
      loadPriorityFile(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PriorityFileError);
    const problems = (err as PriorityFileError).problems.join('\n');
    expect(problems).toContain('default: must be 1, 2, 3 or 4');
    expect(problems).toContain('rules.0: give exactly one of event, prefix or regex');
    expect(problems).toContain('rules.1.regex: is not a valid regular expression');
    expect(problems).toMatch(/rules\.2.*colour/);
    expect(() => loadPriorityFile(file('rules: [', 'broken.yaml'))).toThrow(/is not valid YAML/);
    expect(() => loadPriorityFile(join(dir, 'absent.yaml'))).toThrow(/cannot be read \(ENOENT\)/);
  });

  describe(PriorityRulesService.name, () => {
    let sut: PriorityRulesService | undefined;
    afterEach(() => sut?.onModuleDestroy());

    it('reloads when the file is replaced, keeps the old rules when the new file is bad, reloads on SIGHUP', async () => {
      const p = file('rules: [{ event: LINK_DOWN, priority: 1 }]');
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      sut = new PriorityRulesService(p);
      sut.onModuleInit();
      expect(sut.classify('LINK_DOWN')).toBe(1);

      // Replaced the way editors and ConfigMaps do it: a new file renamed over the old one.
      writeFileSync(join(dir, 'next.tmp'), 'rules: [{ event: LINK_DOWN, priority: 2 }]');
      renameSync(join(dir, 'next.tmp'), p);
      await until(() => sut?.classify('LINK_DOWN') === 2, 10_000, 'reload on file change');

      const generation = sut.generation;
      writeFileSync(p, 'rules: [{ event: LINK_DOWN, priority: 9 }]');
      await until(() => errors.mock.calls.some((c) => String(c[0]).includes('previous rules stay in use')), 10_000, 'bad file reported');
      expect(sut.classify('LINK_DOWN')).toBe(2);
      expect(sut.generation).toBe(generation);

      // Written without an event the watcher sees (the watch is closed): SIGHUP picks it up.
      sut.onModuleDestroy();
      writeFileSync(p, 'rules: [{ event: LINK_DOWN, priority: 3 }]');
      sut.onModuleInit();
      // Emitted rather than sent: Jest's sandboxed process object does not get real signals.
      process.emit('SIGHUP', 'SIGHUP');
      await until(() => sut?.classify('LINK_DOWN') === 3, 10_000, 'reload on SIGHUP');
      jest.restoreAllMocks();
    });
  });
});
