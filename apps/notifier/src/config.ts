import type { z } from 'zod';
import { serviceEnv } from '@maintwatch/runtime';

/** The notifier's environment (Slack / Teams destinations arrive with the notifier issue). */
export const notifierConfig = serviceEnv(3003);
/** The notifier's validated config. */
export type NotifierConfig = z.output<typeof notifierConfig>;
