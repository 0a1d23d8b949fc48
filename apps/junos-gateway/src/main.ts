import { runService } from '@maintwatch/runtime';
import { junosGatewayService } from './junos-gateway.service';

void runService(junosGatewayService);
