import { applyDecorators, Controller, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ZodValidationPipe } from 'nestjs-zod';
import { ErrorDto } from './dto/error.dto';

/** Base path of the REST API. */
export const API_PREFIX = 'api/v1';

/**
 * A controller of the REST API: under /api/v1 (behind the global token guard, as every route
 * not marked @Public() is), its input validated by
 * its zod DTOs (400 with field messages), documented with its tag and security.
 */
export function ApiResource(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`${API_PREFIX}/${path}`),
    UsePipes(ZodValidationPipe),
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no token, or an unknown or revoked one', type: ErrorDto }),
    ApiForbiddenResponse({ description: 'a write with a read token', type: ErrorDto }),
  );
}
