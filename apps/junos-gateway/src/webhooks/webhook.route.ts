import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReceiveWebhook } from './receive-webhook.use-case';

/** The route the on-box agent posts to. */
export const WEBHOOK_PATH = '/webhook/junos';

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Registers POST /webhook/junos as a Fastify route in a context of its own, not as a Nest
 * controller: the signature is over the bytes the device sent, so this route must receive the
 * raw body (any content type, as a Buffer, with its own size limit) while the other routes
 * keep Fastify's JSON parsing. The route only hands the bytes to ReceiveWebhook.
 */
export function registerWebhookRoute(app: NestFastifyApplication): void {
  const receiver = app.get(ReceiveWebhook);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: receiver.maxBytes }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: { code?: string; statusCode?: number }, req, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const res = receiver.refusedOversized(req.ip);
        return reply.code(res.status).send(res.body);
      }
      return reply.code(err.statusCode && err.statusCode < 500 ? err.statusCode : 500).send({ error: 'bad request' });
    });
    scope.post(WEBHOOK_PATH, { bodyLimit: receiver.maxBytes }, async (req: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const res = await receiver.handle({ source: req.ip, auth: header(req, 'junos-auth'), timestamp: header(req, 'junos-timestamp'), body });
      return reply.code(res.status).send(res.body);
    });
  });
}
