import { Body, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiResource } from '../api-controller.decorator';
import { ErrorDto } from '../dto/error.dto';
import {
  AddAliasDto,
  CircuitPageDto,
  CircuitQueryDto,
  CircuitViewDto,
  CreateCircuitDto,
  DeviceBindingDto,
  ImportQueryDto,
  ImportReportDto,
  UpdateCircuitDto,
} from '../dto/inventory.dto';
import { BadRequestError } from '../errors';
import { CSV_COLUMNS } from '../inventory/circuit-csv';
import { InventoryService } from '../inventory/inventory.service';

/** Circuits: inventory, aliases, device bindings, CSV import. */
@ApiResource('circuits', 'circuits')
@ApiBadRequestResponse({ description: 'invalid input, with a message per field', type: ErrorDto })
export class CircuitsController {
  constructor(@Inject(InventoryService) private readonly inventory: InventoryService) {}

  @Get()
  @ApiOperation({ summary: 'Circuits by provider and provider circuit id, a page at a time' })
  @ApiOkResponse({ type: CircuitPageDto })
  list(@Query() q: CircuitQueryDto) {
    return this.inventory.circuits(q);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import circuits from CSV (one transaction per row; a report per row)',
    description: `Header row with columns among ${CSV_COLUMNS.join(', ')} (provider and circuit_id required; aliases separated by ";"). A known name updates that circuit with the non-empty cells; a new one creates a circuit.`,
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'provider,circuit_id,redundancy_group\nzayo,ZYO/100200//ZYO,fra-transit\n' } })
  @ApiOkResponse({ type: ImportReportDto })
  import(@Body() body: unknown, @Query() q: ImportQueryDto) {
    if (typeof body !== 'string') throw new BadRequestError('send the file as the request body with Content-Type: text/csv', [{ field: 'body', message: 'text/csv expected' }]);
    return this.inventory.importCsv(body, q.dryRun === true);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A circuit' })
  @ApiOkResponse({ type: CircuitViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.inventory.circuit(id);
  }

  @Post()
  @ApiOperation({ summary: 'Add a circuit' })
  @ApiCreatedResponse({ type: CircuitViewDto })
  @ApiNotFoundResponse({ description: 'no such provider', type: ErrorDto })
  @ApiConflictResponse({ description: 'a name the provider already uses', type: ErrorDto })
  create(@Body() body: CreateCircuitDto) {
    return this.inventory.createCircuit(body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a circuit (null clears a field)' })
  @ApiOkResponse({ type: CircuitViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCircuitDto) {
    return this.inventory.updateCircuit(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a circuit (maintenances keep the name they used)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.inventory.deleteCircuit(id);
  }

  @Post(':id/aliases')
  @ApiOperation({ summary: 'Add an alias: another way the provider writes this circuit' })
  @ApiCreatedResponse({ type: CircuitViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ description: 'the name is taken', type: ErrorDto })
  addAlias(@Param('id', ParseUUIDPipe) id: string, @Body() body: AddAliasDto) {
    return this.inventory.addAlias(id, body.alias);
  }

  @Delete(':id/aliases/:alias')
  @ApiOperation({ summary: 'Remove an alias' })
  @ApiOkResponse({ type: CircuitViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  removeAlias(@Param('id', ParseUUIDPipe) id: string, @Param('alias') alias: string) {
    return this.inventory.removeAlias(id, alias);
  }

  @Put(':id/device-binding')
  @ApiOperation({ summary: 'Bind the circuit to a device (where the junos-gateway acts for it)' })
  @ApiOkResponse({ type: CircuitViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  bind(@Param('id', ParseUUIDPipe) id: string, @Body() body: DeviceBindingDto) {
    return this.inventory.updateCircuit(id, { deviceBinding: body });
  }

  @Delete(':id/device-binding')
  @ApiOperation({ summary: 'Remove the device binding' })
  @ApiOkResponse({ type: CircuitViewDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  unbind(@Param('id', ParseUUIDPipe) id: string) {
    return this.inventory.updateCircuit(id, { deviceBinding: null });
  }
}
