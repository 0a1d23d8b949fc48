import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { ApiResource } from '../api-controller.decorator';
import { ErrorDto } from '../dto/error.dto';
import { CreateProviderDto, ProviderViewDto, UpdateProviderDto } from '../dto/inventory.dto';
import { InventoryService } from '../inventory/inventory.service';

/** Providers with their sender addresses (the parser follows every change). */
@ApiResource('providers', 'providers')
@ApiBadRequestResponse({ description: 'invalid input, with a message per field', type: ErrorDto })
export class ProvidersController {
  constructor(@Inject(InventoryService) private readonly inventory: InventoryService) {}

  @Get()
  @ApiOperation({ summary: 'Every provider (built-in defaults with the edits applied)' })
  // An array of a zod DTO is not renamed to its schema id by cleanupOpenApiDoc: referenced by id.
  @ApiOkResponse({ schema: { type: 'array', items: { $ref: getSchemaPath('Provider') } } })
  list() {
    return this.inventory.providers();
  }

  @Get(':type')
  @ApiOperation({ summary: 'A provider' })
  @ApiOkResponse({ type: ProviderViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('type') type: string) {
    return this.inventory.provider(type);
  }

  @Post()
  @ApiOperation({ summary: 'Add a provider (its notices are read as BCOP calendars)' })
  @ApiCreatedResponse({ type: ProviderViewDto })
  @ApiConflictResponse({ description: 'the type exists', type: ErrorDto })
  create(@Body() body: CreateProviderDto) {
    return this.inventory.createProvider(body);
  }

  @Patch(':type')
  @ApiOperation({ summary: 'Edit a provider: a value sets a field, null returns it to the built-in default' })
  @ApiOkResponse({ type: ProviderViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  update(@Param('type') type: string, @Body() body: UpdateProviderDto) {
    return this.inventory.updateProvider(type, body);
  }

  @Delete(':type')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a provider an operator added (built-in ones can be disabled)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ description: 'built in, or it has circuits or maintenances', type: ErrorDto })
  remove(@Param('type') type: string) {
    return this.inventory.deleteProvider(type);
  }
}
