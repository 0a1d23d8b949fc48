import type { z } from 'zod';
import { serviceEnv } from '@maintwatch/runtime';

/** The junos-gateway's environment (devices, webhook secrets and FTP arrive with its issue). */
export const junosConfig = serviceEnv(3004);
/** The junos-gateway's validated config. */
export type JunosConfig = z.output<typeof junosConfig>;
