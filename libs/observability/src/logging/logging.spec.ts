import { Writable } from 'node:stream';
import {
  createLogger,
  currentCorrelationId,
  type LogFormat,
  PinoNestLogger,
  redactUrl,
  withCorrelation,
} from '../index';

/** A logger whose output is kept in memory. */
function capture(format: LogFormat = 'json') {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ appName: 'test-app', level: 'trace', format, destination });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const SECRETS = ['hunter2', 'tok-abc123', 'zz-access', 'k3y-value', 'sig-value', 's3ss', 'bearer-xyz', 'dbpass', 'ck=1'];

describe(redactUrl.name, () => {
  it.each([
    ['nats://user:hunter2@nats:4222', 'nats://user:***@nats:4222'],
    ['nats://tok-abc123@nats:4222', 'nats://***@nats:4222'],
    ['postgres://mw:p@ss@db:5432/x', 'postgres://mw:***@db:5432/x'],
    [
      'GET https://x.example/y?token=tok-abc123&access_token=zz-access&page=2 failed',
      'GET https://x.example/y?token=***&access_token=***&page=2 failed',
    ],
    ['https://h/f?key=k3y-value#top', 'https://h/f?key=***#top'],
    ['https://h/f?a=1&sig=sig-value&signature=sig-value', 'https://h/f?a=1&sig=***&signature=***'],
    ['https://s3/o?X-Amz-Credential=AK%2F1&X-Amz-Signature=abc', 'https://s3/o?X-Amz-Credential=***&X-Amz-Signature=***'],
    ['host=db user=mw password=dbpass dbname=x', 'host=db user=mw password=*** dbname=x'],
    ['Authorization: Bearer bearer-xyz.1', 'Authorization: Bearer ***'],
    ['nothing secret at nats://nats:4222/?page=1', 'nothing secret at nats://nats:4222/?page=1'],
    ['(see https://h/f?token=abc-1).', '(see https://h/f?token=***).'],
    ['https://h/f?token=...', 'https://h/f?token=...'],
    ['https://h/f?token=a;b=c&x=1', 'https://h/f?token=***&x=1'],
  ])('redactUrl - %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  // 100 KB runs of what the patterns scan: quadratic backtracking would take many seconds each,
  // linear takes about a millisecond; the bound is generous for a loaded machine.
  const N = 100_000;
  it.each([
    ['dots', '.'.repeat(N)],
    ['dotted words', 'a.'.repeat(N / 2)],
    ['query value then punctuation', `?token=${'.'.repeat(N)}x`],
    ['query value of punctuation runs', `?token=${'a....'.repeat(N / 5)}`],
    ['scheme then userinfo without @', `a://${'b'.repeat(N)}`],
    ['schemes without //', 'a+b.c-'.repeat(N / 6)],
    ['repeated parameters', '?token='.repeat(N / 7)],
    ['repeated separators', ';a'.repeat(N / 2)],
    ['at signs', `x://${'@'.repeat(N)}`],
    ['bearer words', 'Bearer '.repeat(N / 7)],
    ['assignments', ' password='.repeat(N / 10)],
    ['spaces', ' '.repeat(N)],
  ])('redactUrl - linear on 100 KB of %s', (_name, input) => {
    const started = process.hrtime.bigint();
    const out = redactUrl(input);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(typeof out).toBe('string');
    expect(ms).toBeLessThan(1000);
  });

  it('redactUrl - mutated URLs keep no secret and never throw', () => {
    // A small deterministic PRNG: the same mutations on every run.
    let seed = 0x9e3779b9;
    const next = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
    const junk = ['.', ';', '&', '?', '=', '@', ':', '/', ' ', '"', '\\', ')', '%', 'a', '\u00e9', '\n'];
    for (let i = 0; i < 2000; i++) {
      const secret = `s3cr3t${i}`;
      const base = `GET https://user:${secret}@h.example/p?access_token=${secret}&page=${i}`;
      let text = base;
      for (let k = 0; k < 5; k++) {
        const at = Math.floor(next() * (text.length + 1));
        const piece = junk[Math.floor(next() * junk.length)].repeat(1 + Math.floor(next() * 40));
        // Insert junk only around the secret, never inside it: the secret must stay recognisable.
        const inSecret = [...text.matchAll(new RegExp(secret, 'g'))].some((m) => at > (m.index ?? 0) && at < (m.index ?? 0) + secret.length);
        if (!inSecret) text = text.slice(0, at) + piece + text.slice(at);
      }
      const out = redactUrl(text);
      // Where the mutation left the secret in a URL's userinfo or token parameter, it is masked.
      if (/https:\/\/user:s3cr3t\d+@/.test(text)) expect(out).not.toMatch(/https:\/\/user:s3cr3t/);
      if (new RegExp(`[?&;]access_token=${secret}(?:[&#\\s"'<>\\\\]|$)`).test(text)) expect(out).not.toContain(`access_token=${secret}`);
    }
  });
});

describe(createLogger.name, () => {
  it('logger - redacts secret fields at any depth and credentials in strings', () => {
    const { logger, text, lines } = capture();
    const fields = {
      password: 'hunter2',
      user: { name: 'ops', apiKey: 'k3y-value', natsToken: 'tok-abc123', DATABASE_PASSWORD: 'dbpass' },
      headers: { authorization: 'Bearer bearer-xyz', cookie: 'ck=1', accept: 'text/html' },
      clientSecret: 's3ss',
      list: [{ refreshToken: 'zz-access' }],
    };
    logger.info(fields, 'connecting to nats://svc:hunter2@nats:4222');
    logger.warn('fetch https://x/y?token=tok-abc123&access_token=zz-access&page=2');
    logger.child({ sessionToken: 's3ss' }).error({ err: new Error('GET https://h/f?sig=sig-value: 403') }, 'failed');

    const out = text();
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    const [first, second, third] = lines();
    expect(first).toMatchObject({
      level: 'info',
      app: 'test-app',
      msg: 'connecting to nats://svc:***@nats:4222',
      password: '[REDACTED]',
      user: { name: 'ops', apiKey: '[REDACTED]', natsToken: '[REDACTED]', DATABASE_PASSWORD: '[REDACTED]' },
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', accept: 'text/html' },
      clientSecret: '[REDACTED]',
      list: [{ refreshToken: '[REDACTED]' }],
    });
    expect(second!['msg']).toBe('fetch https://x/y?token=***&access_token=***&page=2');
    expect(third).toMatchObject({ level: 'error', sessionToken: '[REDACTED]', err: { message: 'GET https://h/f?sig=***: 403' } });
    // The caller's object is left untouched.
    expect(fields.user.apiKey).toBe('k3y-value');
  });

  it('logger - pretty format is readable and redacted too', () => {
    const { logger, text } = capture('pretty');
    logger.info({ context: 'Ingest', password: 'hunter2' }, 'login to imaps://ops:hunter2@mail:993');
    const out = text();
    expect(out).toContain('[Ingest] login to imaps://ops:***@mail:993');
    expect(out).toMatch(/INFO/);
    expect(out).not.toContain('hunter2');
    expect(() => JSON.parse(out)).toThrow();
  });

  it('logger - adds the correlation id to every line inside withCorrelation, across awaits', async () => {
    const { logger, lines } = capture();
    logger.info('before');
    const result = await withCorrelation('corr-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.info('inside');
      expect(currentCorrelationId()).toBe('corr-1');
      await withCorrelation('corr-2', async () => logger.info('nested'));
      return 42;
    });
    logger.info('after');
    expect(result).toBe(42);
    expect(lines().map((l) => [l['msg'], l['correlationId']])).toEqual([
      ['before', undefined],
      ['inside', 'corr-1'],
      ['nested', 'corr-2'],
      ['after', undefined],
    ]);
  });
});

describe(PinoNestLogger.name, () => {
  it('nest logger - maps Nest levels, context and stack to pino fields', () => {
    const { logger, lines } = capture();
    const sut = new PinoNestLogger(logger);
    const stack = new Error('boom').stack!;
    sut.log('Nest application started', 'NestApplication');
    sut.error('handler failed', stack, 'ExceptionsHandler');
    sut.error(new Error('connect to nats://u:hunter2@n failed'));
    sut.verbose({ event: 'x' }, 'Consumer');
    sut.warn('plain');
    const [log, error, errorObj, verbose, warn] = lines();
    expect(log).toMatchObject({ level: 'info', context: 'NestApplication', msg: 'Nest application started' });
    expect(error).toMatchObject({ level: 'error', context: 'ExceptionsHandler', msg: 'handler failed', stack });
    expect(errorObj).toMatchObject({ level: 'error', msg: 'connect to nats://u:***@n failed', err: { type: 'Error' } });
    expect(verbose).toMatchObject({ level: 'trace', context: 'Consumer', event: 'x' });
    expect(warn).toMatchObject({ level: 'warn', msg: 'plain' });
    expect(warn).not.toHaveProperty('context');
  });
});
