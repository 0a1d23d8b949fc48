import { Initial1764000000000 } from './1764000000000-initial';
import { Api1765000000000 } from './1765000000000-api';
import { OverlapSides1766000000000 } from './1766000000000-overlap-sides';
import { ApiTokenNotify1767000000000 } from './1767000000000-api-token-notify';
import { MaintenanceSummary1768000000000 } from './1768000000000-maintenance-summary';
import { StartsAtCovering1769000000000 } from './1769000000000-starts-at-covering';
import { GatewayDeviceEvents1770000000000 } from './1770000000000-gateway-device-events';
import { DrainPolicy1779000000000 } from './1779000000000-drain-policy';
import { GatewayDrain1779500000000 } from './1779500000000-gateway-drain';
import { MaintenanceAuthenticity1779600000000 } from './1779600000000-maintenance-authenticity';
import { GatewayDeviceAction1780000000000 } from './1780000000000-gateway-device-action';
import { MaintenanceWindowLabel1780100000000 } from './1780100000000-maintenance-window-label';
import { MaintenanceDrain1780200000000 } from './1780200000000-maintenance-drain';

export { API_TOKEN_CHANNEL } from './1767000000000-api-token-notify';
export { DEFERRED_SUMMARIES } from './1768000000000-maintenance-summary';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [
  Initial1764000000000,
  Api1765000000000,
  OverlapSides1766000000000,
  ApiTokenNotify1767000000000,
  MaintenanceSummary1768000000000,
  StartsAtCovering1769000000000,
  GatewayDeviceEvents1770000000000,
  DrainPolicy1779000000000,
  GatewayDrain1779500000000,
  MaintenanceAuthenticity1779600000000,
  GatewayDeviceAction1780000000000,
  MaintenanceWindowLabel1780100000000,
  MaintenanceDrain1780200000000,
];
