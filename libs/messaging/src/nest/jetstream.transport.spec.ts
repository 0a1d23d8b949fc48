import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { jetstreamManager } from '@nats-io/jetstream';
import { SUBJECTS, type NoticeUnparsed } from '@maintwatch/contracts';
import { startNats, testNamespace, until, type NatsServerHandle } from '@maintwatch/testing';
import { Bus } from '../bus';
import { PermanentError, TransientError } from '../errors';
import { MessagingModule, connectJetStream } from './messaging.module';

const calls: { id: string; delivery: number }[] = [];

@Controller()
class SpecConsumer {
  @EventPattern(SUBJECTS.noticeUnparsed)
  async on(@Payload() p: NoticeUnparsed): Promise<void> {
    calls.push({ id: p.noticeId, delivery: calls.filter((c) => c.id === p.noticeId).length + 1 });
    if (p.reasons[0] === 'permanent') throw new PermanentError('cannot ever work');
    if (p.reasons[0] === 'transient' && calls.filter((c) => c.id === p.noticeId).length < 2) {
      throw new TransientError('try again', { delayMs: 50 });
    }
  }
}

describe(`JetStream transport (NestJS)`, () => {
  let nats: NatsServerHandle;
  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    await nats.stop();
  });

  it('transport - @EventPattern errors keep their class: transient is redelivered, permanent is dead-lettered', async () => {
    const namespace = testNamespace();
    @Module({ imports: [MessagingModule.forRoot({ servers: nats.url, name: 'spec', namespace })], controllers: [SpecConsumer] })
    class SpecModule {}
    const app = await NestFactory.create(SpecModule, new FastifyAdapter(), { logger: false });
    connectJetStream(app, { service: 'spec', consumers: [{ stream: 'NOTICES', durable: 'spec', filterSubject: SUBJECTS.noticeUnparsed }] });
    await app.startAllMicroservices();
    await app.init();
    const bus = app.get(Bus);
    try {
      const msg = (id: string, reason: string): NoticeUnparsed => ({ noticeId: `spec:${id}`, attempt: 1, reasons: [reason] });
      await bus.publish(SUBJECTS.noticeUnparsed, msg('p', 'permanent'), { msgId: 'p' });
      await bus.publish(SUBJECTS.noticeUnparsed, msg('t', 'transient'), { msgId: 't' });
      const jsm = await jetstreamManager(bus.nc);
      await until(async () => (await jsm.streams.info(bus.ns.stream('DEADLETTER'))).state.messages === 1, 15_000, 'dead letter');
      await until(() => calls.filter((c) => c.id === 'spec:t').length === 2, 15_000, 'transient redelivered');
      const dead = (await jsm.streams.getMessage(bus.ns.stream('DEADLETTER'), { seq: 1 }))!.json<{ errorName: string; reason: string }>();
      expect(dead.errorName).toBe('PermanentError');
      expect(dead.reason).toContain('cannot ever work');
      expect(calls.filter((c) => c.id === 'spec:p')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
