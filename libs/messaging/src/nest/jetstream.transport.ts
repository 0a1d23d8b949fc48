import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom, throwError, type Observable } from 'rxjs';
import type { Bus } from '../bus';
import { startConsumer, type ConsumerHooks, type ConsumerSpec, type MessageContext, type RunningConsumer } from '../consumer';

/** The context an `@EventPattern` handler gets as `@Ctx()`: ack control lives in the transport. */
export class JetStreamContext extends BaseRpcContext<[MessageContext]> {
  /** Contract subject of the message. */
  getSubject(): string {
    return this.args[0].subject;
  }
  /** The message context (headers, delivery count, working()). */
  getMessage(): MessageContext {
    return this.args[0];
  }
  /** Tells JetStream the handler is still busy. */
  working(): void {
    this.args[0].working();
  }
}

/** Options of the transport. */
export interface JetStreamTransportOptions {
  /** The service name (dead-letter subject, logs). */
  service: string;
  /** The connected bus (shared with the app's publishers). */
  bus: () => Bus;
  /** Durable consumers this app reads; each message goes to the @EventPattern handler of its subject. */
  consumers: ConsumerSpec[];
  hooks?: ConsumerHooks;
}

/**
 * NestJS custom transport over JetStream durable pull consumers. Handlers are plain
 * `@EventPattern(subject)` methods: resolving acks the message, throwing a TransientError
 * naks it with a delay, a PermanentError (or a payload that fails its schema) terms it with
 * a dead-letter record. App code never touches the NATS client.
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  private running: RunningConsumer[] = [];

  constructor(private readonly options: JetStreamTransportOptions) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      const bus = this.options.bus();
      for (const spec of this.options.consumers) {
        const running = await startConsumer(bus, spec, (subject) => this.handlerFor(subject), {
          service: this.options.service,
          hooks: this.options.hooks,
        });
        this.running.push(running);
      }
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Graceful: stops pulling and waits for in-flight handlers, so nothing is lost or half-done. */
  async close(): Promise<void> {
    const running = this.running;
    this.running = [];
    await Promise.all(running.map((r) => r.stop()));
  }

  on(): never {
    throw new Error('JetStreamTransport has no events to subscribe to; use the Bus');
  }

  unwrap<T>(): T {
    return this.options.bus() as T;
  }

  private handlerFor(subject: string): ((payload: unknown, ctx: MessageContext) => Promise<void>) | undefined {
    let handler = this.messageHandlers.get(subject);
    if (!handler) {
      for (const [pattern, h] of this.messageHandlers) {
        if (subjectMatches(pattern, subject)) {
          handler = h;
          break;
        }
      }
    }
    if (!handler) return undefined;
    const h = handler;
    return async (payload, ctx) => {
      const result = await h(payload, new JetStreamContext([ctx]));
      const stream: Observable<unknown> = isObservable(result) ? result : this.transformToObservable(result);
      await lastValueFrom(stream, { defaultValue: undefined });
    };
  }
}

/** NATS subject match with `*` (one token) and `>` (the rest). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/**
 * Nest's default RPC filter turns every error into a plain object, which would hide whether
 * it was transient or permanent. This filter hands the original error back to the transport.
 */
@Catch()
export class JetStreamExceptionFilter implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
