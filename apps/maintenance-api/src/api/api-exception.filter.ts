import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { InvalidCursorError, StoreConflictError, StoreContentionError, StoreNotFoundError, StoreUnavailableError } from '@maintwatch/persistence';
import type { ErrorBody } from './dto/common.dto';
import { BadRequestError, DependencyUnavailableError, ForbiddenScopeError, UnauthenticatedError } from './errors';

type FieldError = { field: string; message: string };

/**
 * The one place where errors become HTTP statuses, all with the same body: 400 with
 * field-level messages for invalid input, 401/403 for tokens, 404 for missing ids, 409 for
 * conflicts, 503 while PostgreSQL or NATS is away; anything else is a 500, logged.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(err: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const { status, message, errors } = this.describe(err);
    // The URL may carry ?token=: the logger masks credentials in every line it writes.
    if (status < 500) this.logger.debug(`${req.method} ${req.url}: ${status} ${message}`);
    else this.logger.warn(`${req.method} ${req.url}: ${status} ${message}`);
    if (status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="maintwatch"');
    if (status === 503) void reply.header('Retry-After', '5');
    const body: ErrorBody = { statusCode: status, error: reason(status), message, ...(errors && errors.length > 0 ? { errors } : {}) };
    void reply.status(status).header('Content-Type', 'application/json; charset=utf-8').send(body);
  }

  private describe(err: unknown): { status: number; message: string; errors?: FieldError[] } {
    if (err instanceof ZodValidationException) {
      const zerr = err.getZodError();
      return { status: 400, message: 'Validation failed', errors: zerr instanceof ZodError ? fieldErrors(zerr) : [] };
    }
    if (err instanceof ZodError) return { status: 400, message: 'Validation failed', errors: fieldErrors(err) };
    if (err instanceof BadRequestError) return { status: 400, message: err.message, errors: err.errors };
    if (err instanceof InvalidCursorError) return { status: 400, message: 'Validation failed', errors: [{ field: 'cursor', message: err.message }] };
    if (err instanceof UnauthenticatedError) return { status: 401, message: err.message };
    if (err instanceof ForbiddenScopeError) return { status: 403, message: err.message };
    if (err instanceof StoreNotFoundError) return { status: 404, message: err.message };
    if (err instanceof StoreConflictError) return { status: 409, message: err.message };
    if (err instanceof StoreUnavailableError || err instanceof StoreContentionError || err instanceof DependencyUnavailableError) {
      this.logger.warn(`503: ${err.message}`);
      return { status: 503, message: 'temporarily unavailable, retry later' };
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const res = err.getResponse();
      const message = typeof res === 'string' ? res : typeof (res as { message?: unknown }).message === 'string' ? (res as { message: string }).message : err.message;
      if (status >= 500) this.logger.error(`${status}: ${err.message}`, err.stack);
      return { status, message };
    }
    // Fastify's own errors (an unreadable JSON body, a wrong content type, a body too large) carry their status.
    const statusCode = (err as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return { status: statusCode, message: (err as Error).message };
    this.logger.error(`500: ${(err as Error)?.message ?? String(err)}`, (err as Error)?.stack);
    return { status: 500, message: 'internal error' };
  }
}

function fieldErrors(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}

function reason(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name.split('_').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join(' ') : 'Error';
}
