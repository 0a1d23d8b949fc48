import { Initial1764000000000 } from './1764000000000-initial';
import { Api1765000000000 } from './1765000000000-api';
import { OverlapSides1766000000000 } from './1766000000000-overlap-sides';
import { ApiTokenNotify1767000000000 } from './1767000000000-api-token-notify';

export { API_TOKEN_CHANNEL } from './1767000000000-api-token-notify';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [Initial1764000000000, Api1765000000000, OverlapSides1766000000000, ApiTokenNotify1767000000000];
