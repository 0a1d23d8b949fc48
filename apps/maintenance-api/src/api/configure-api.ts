import type { INestApplication, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { ApiExceptionFilter } from './api-exception.filter';
import { ApiModule } from './api.module';

/** Where the OpenAPI document and Swagger UI are served (the document at `${DOCS_PATH}-json`). */
export const DOCS_PATH = 'api/docs';

/** Most a circuit import may weigh. */
const CSV_LIMIT_BYTES = 20 * 1024 * 1024;

/**
 * HTTP setup of the API (the service's configure hook): the one exception filter, CSV bodies
 * for the circuit import, and the OpenAPI document with Swagger UI. The document describes the
 * API and holds no data, so it is served without a token; every route it lists needs one.
 */
export function configureApi(app: NestFastifyApplication): void {
  app.useGlobalFilters(new ApiExceptionFilter());
  app.getHttpAdapter()
    .getInstance()
    .addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_LIMIT_BYTES }, (_req, body, done) => done(null, body));
  const document = openApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json`, yamlDocumentUrl: `${DOCS_PATH}-yaml` });
}

/** The API's OpenAPI document (also written by `npm run web:api-types` for the web page's types). */
export function openApiDocument(app: INestApplication, include: Type[] = [ApiModule]): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Maintwatch maintenance-api')
    .setDescription(
      'Provider maintenances, circuits, notices and the maintenance calendar. Every route needs an API token ' +
        '(`Authorization: Bearer <token>`; the calendar also takes `?token=`): a read token for GET, a write token for the rest. ' +
        'Tokens are made with `npm run token -- create --scope read|write --name NAME`. Times are UTC epoch seconds.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'query', name: 'token' }, 'token')
    .build();
  return cleanupOpenApiDoc(SwaggerModule.createDocument(app, config, { include }));
}
