import { runService } from '@maintwatch/runtime';
import { maintenanceApiService } from './maintenance-api.service';

void runService(maintenanceApiService);
