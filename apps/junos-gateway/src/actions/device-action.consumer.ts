import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type DeviceAction } from '@maintwatch/contracts';
import { PermanentError } from '@maintwatch/messaging';
import { fromContract, UnsupportedActionError } from './action-request.dto';
import { ActionIdConflictError, ActionsService } from './actions.service';

/**
 * device.action.v1.* requests in (the payload is validated against DeviceAction before this
 * runs: a malformed one is dead-lettered with the schema's message). The actionId is the
 * idempotency key: a redelivered or re-published request finds its audit row and acts no more.
 * A request that names no operator action is recorded refused, so the requester gets a result.
 */
@Controller()
export class DeviceActionConsumer {
  private readonly logger = new Logger(DeviceActionConsumer.name);

  constructor(@Inject(ActionsService) private readonly actions: ActionsService) {}

  @EventPattern(SUBJECTS.deviceActionAll)
  async onAction(@Payload() request: DeviceAction): Promise<void> {
    const base = { id: request.actionId, requestKey: `nats:${request.actionId}`, device: request.device, requestedBy: request.requestedBy, source: 'nats' as const };
    try {
      if (request.dryRun) {
        await this.actions.refuse({ ...base, kind: request.action, params: request.params, detail: 'dry run: nothing was sent to the device' });
        return;
      }
      let action;
      try {
        action = fromContract(request);
      } catch (err) {
        if (!(err instanceof UnsupportedActionError)) throw err;
        this.logger.warn(`action ${request.actionId} from ${request.requestedBy} refused: ${err.message}`);
        await this.actions.refuse({ ...base, kind: request.action, params: request.params, detail: err.message });
        return;
      }
      const { created } = await this.actions.submit({ ...base, action }, true);
      if (!created) this.logger.log(`action ${request.actionId} delivered again: already recorded, not run again`);
    } catch (err) {
      if (err instanceof ActionIdConflictError) throw new PermanentError(err.message, { cause: err });
      throw err;
    }
  }
}
