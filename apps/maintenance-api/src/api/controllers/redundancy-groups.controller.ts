import { Get, Inject, Param } from '@nestjs/common';
import { ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { ApiResource } from '../api-controller.decorator';
import { ErrorDto } from '../dto/error.dto';
import { RedundancyGroupDetailDto, RedundancyGroupDto } from '../dto/inventory.dto';
import { InventoryService } from '../inventory/inventory.service';

/** Redundancy groups (set on circuits): circuits that must not be down together. */
@ApiExtraModels(RedundancyGroupDto)
@ApiResource('redundancy-groups', 'circuits')
export class RedundancyGroupsController {
  constructor(@Inject(InventoryService) private readonly inventory: InventoryService) {}

  @Get()
  @ApiOperation({ summary: 'Every redundancy group with its number of circuits' })
  // An array of a zod DTO is not renamed to its schema id by cleanupOpenApiDoc: referenced by id.
  @ApiOkResponse({ schema: { type: 'array', items: { $ref: getSchemaPath('RedundancyGroup') } } })
  list() {
    return this.inventory.redundancyGroups();
  }

  @Get(':name')
  @ApiOperation({ summary: 'The circuits of a redundancy group' })
  @ApiOkResponse({ type: RedundancyGroupDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('name') name: string) {
    return this.inventory.redundancyGroup(name);
  }
}
