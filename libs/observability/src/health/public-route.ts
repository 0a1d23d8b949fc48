import { SetMetadata } from '@nestjs/common';

/** Metadata key read by an app's global auth guard: the route (or controller) needs no credentials. */
export const PUBLIC_ROUTE = 'maintwatch:public-route';

/**
 * Marks a route or a controller as open to anyone: an app with a global guard (APP_GUARD)
 * protects every other route by default, so only what is marked here opts out.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
