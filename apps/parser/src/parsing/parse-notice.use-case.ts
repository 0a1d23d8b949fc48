import { Inject, Injectable, Logger } from '@nestjs/common';
import { SUBJECTS, type RawNotice } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import type { ParseOutcome } from '@maintwatch/providers';
import { AUTHENTICITY_OPTIONS } from '../authenticity/authenticity.options';
import { verifyAuthenticity, type AuthenticityOptions } from '../authenticity/verify-authenticity';
import { ParsePool } from './parse-pool';
import { ParserMetrics } from './parser.metrics';
import { ProviderOverridesService } from './provider-overrides.service';

/**
 * Turns one raw notice into maintenance.parsed.v1 (one per maintenance), notice.unparsed.v1
 * or notice.ignored.v1. Stateless and deterministic: the same bytes give the same messages
 * with the same ids, so a redelivery (crash mid-message) publishes nothing new.
 */
@Injectable()
export class ParseNoticeUseCase {
  private readonly logger = new Logger(ParseNoticeUseCase.name);

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ProviderOverridesService) private readonly providers: ProviderOverridesService,
    @Inject(ParserMetrics) private readonly metrics: ParserMetrics,
    @Inject(AUTHENTICITY_OPTIONS) private readonly authenticity: AuthenticityOptions,
    @Inject(ParsePool) private readonly pool: ParsePool,
  ) {}

  async execute(notice: RawNotice): Promise<ParseOutcome> {
    const { meta } = notice;
    const started = process.hrtime.bigint();
    const raw = Buffer.from(notice.body.buffer, notice.body.byteOffset, notice.body.byteLength);
    // In a worker thread: a mail that takes too long or too much memory comes back unparsed.
    const outcome: ParseOutcome =
      meta.truncatedFrom === undefined
        ? await this.pool.parse(raw, meta.providerHint)
        : {
            kind: 'unparsed',
            providerType: meta.providerHint,
            reasons: [
              `mail of ${meta.truncatedFrom} bytes is over ingest's size limit (INGEST_MAX_MAIL_BYTES): only its header block was kept; ` +
                'raise the limit and import the mail again to parse it',
            ],
            attempts: [],
          };
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const provider = outcome.providerType ?? 'unknown';
    const base = `${meta.noticeId}#${meta.attempt}`;
    const correlationId = meta.correlationId;
    switch (outcome.kind) {
      case 'parsed': {
        // Deterministic for the same bytes (DNS aside: a temperror may become pass on a redelivery).
        const authenticity = await verifyAuthenticity(raw, this.providers.registry().get(outcome.providerType)?.senders ?? [], this.authenticity);
        this.metrics.authenticity(outcome.providerType, authenticity.verdict);
        for (const [index, maintenance] of outcome.maintenances.entries()) {
          await this.bus.publish(
            SUBJECTS.maintenanceParsed,
            {
              noticeId: meta.noticeId,
              attempt: meta.attempt,
              index,
              count: outcome.maintenances.length,
              providerType: outcome.providerType,
              parsers: outcome.parsers.length ? outcome.parsers : ['unknown'],
              maintenance,
              authenticity,
              ...(outcome.alternateWindows?.[index]?.length ? { alternateWindows: outcome.alternateWindows[index] } : {}),
            },
            { msgId: `${base}/parsed/${index}`, correlationId },
          );
        }
        break;
      }
      case 'unparsed':
        await this.bus.publish(
          SUBJECTS.noticeUnparsed,
          {
            noticeId: meta.noticeId,
            attempt: meta.attempt,
            providerType: outcome.providerType,
            sender: outcome.sender ?? meta.sender,
            subject: outcome.subject ?? meta.subject,
            reasons: outcome.reasons.length ? outcome.reasons : ['no reason given'],
          },
          { msgId: `${base}/unparsed`, correlationId },
        );
        break;
      case 'ignored':
        await this.bus.publish(
          SUBJECTS.noticeIgnored,
          {
            noticeId: meta.noticeId,
            attempt: meta.attempt,
            providerType: outcome.providerType,
            sender: outcome.sender ?? meta.sender,
            subject: outcome.subject ?? meta.subject,
            reason: outcome.reason,
          },
          { msgId: `${base}/ignored`, correlationId },
        );
        break;
    }
    this.metrics.observe(provider, outcome.kind, seconds);
    this.logger.log(
      `${meta.noticeId} -> ${outcome.kind} (${provider}${outcome.kind === 'parsed' ? `, ${outcome.maintenances.length} maintenance(s)` : ''}) in ${(seconds * 1000).toFixed(1)} ms`,
    );
    return outcome;
  }
}
