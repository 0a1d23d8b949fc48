import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type MaintenanceParsed, type NoticeIgnored, type NoticeUnparsed, type RawNotice } from '@maintwatch/contracts';

/**
 * What maintenance-api receives from ingest and the parser. Until the maintenance store lands
 * (its own issue) the records are logged, not stored; the subjects and consumers are final.
 */
@Controller()
export class IntakeConsumer {
  private readonly logger = new Logger(IntakeConsumer.name);

  @EventPattern(SUBJECTS.noticeReceived)
  async onReceived(@Payload() notice: RawNotice): Promise<void> {
    this.logger.log(`notice ${notice.meta.noticeId} received from ${notice.meta.sender ?? '?'}: ${notice.meta.subject ?? ''} (${notice.meta.size} bytes)`);
  }

  @EventPattern(SUBJECTS.maintenanceParsed)
  async onParsed(@Payload() parsed: MaintenanceParsed): Promise<void> {
    const m = parsed.maintenance;
    this.logger.log(
      `maintenance ${parsed.providerType}/${m.maintenance_id} ${m.status} ${new Date(m.start * 1000).toISOString()} - ${new Date(m.end * 1000).toISOString()}, ${m.circuits.length} circuit(s) (notice ${parsed.noticeId})`,
    );
  }

  @EventPattern(SUBJECTS.noticeUnparsed)
  async onUnparsed(@Payload() u: NoticeUnparsed): Promise<void> {
    this.logger.warn(`notice ${u.noticeId} unparsed (${u.providerType ?? 'unknown provider'}): ${u.reasons.join('; ')}`);
  }

  @EventPattern(SUBJECTS.noticeIgnored)
  async onIgnored(@Payload() i: NoticeIgnored): Promise<void> {
    this.logger.log(`notice ${i.noticeId} ignored: ${i.reason}`);
  }
}
