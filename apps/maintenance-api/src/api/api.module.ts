import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { ApiConfig } from '../config';
import { LiveController } from '../live/live.controller';
import { LiveEventsService } from '../live/live-events.service';
import { OverlapModule } from '../overlap/overlap.module';
import { API_OPTIONS } from './api.options';
import { ApiAuthGuard } from './auth/api-auth.guard';
import { ApiTokenCache } from './auth/api-token-cache';
import { CalendarService } from './calendar/calendar.service';
import { CalendarController } from './controllers/calendar.controller';
import { CircuitsController } from './controllers/circuits.controller';
import { MaintenancesController } from './controllers/maintenances.controller';
import { NoticesController } from './controllers/notices.controller';
import { ProvidersController } from './controllers/providers.controller';
import { RedundancyGroupsController } from './controllers/redundancy-groups.controller';
import { InventoryService } from './inventory/inventory.service';
import { MaintenanceViewService } from './maintenances/maintenance-view.service';
import { NoticeService } from './notices/notice.service';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The API's controllers (the OpenAPI document lists their routes). */
export const API_CONTROLLERS = [MaintenancesController, ProvidersController, CircuitsController, RedundancyGroupsController, NoticesController, CalendarController];


/** The REST API under /api/v1 (tokens, validation, one exception filter) and the overlap alerts it shares with the intake. */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [OverlapModule.forRoot({ includeNoImpact: config.OVERLAP_INCLUDE_NO_IMPACT, now: nowSeconds })],
      // The web page's live feed (live/) shares the token guard; it is not in the OpenAPI document.
      controllers: [...API_CONTROLLERS, LiveController],
      providers: [
        {
          provide: API_OPTIONS,
          useValue: { leadSeconds: config.STARTING_SOON_LEAD_SECONDS, calendarLimit: 5000, calendarLookbackSeconds: 30 * 24 * 3600, now: nowSeconds },
        },
        ApiAuthGuard,
        // Global: every route of the app, this module's or any other's, needs a token unless marked @Public().
        { provide: APP_GUARD, useExisting: ApiAuthGuard },
        ApiTokenCache,
        MaintenanceViewService,
        InventoryService,
        NoticeService,
        CalendarService,
        LiveEventsService,
      ],
    };
  }
}
