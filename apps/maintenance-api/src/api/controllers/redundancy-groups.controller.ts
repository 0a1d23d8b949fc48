import { Get, Inject, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiResource } from '../api-controller.decorator';
import { ErrorDto } from '../dto/error.dto';
import { RedundancyGroupDetailDto, RedundancyGroupDto } from '../dto/inventory.dto';
import { InventoryService } from '../inventory/inventory.service';

/** Redundancy groups (set on circuits): circuits that must not be down together. */
@ApiResource('redundancy-groups', 'circuits')
export class RedundancyGroupsController {
  constructor(@Inject(InventoryService) private readonly inventory: InventoryService) {}

  @Get()
  @ApiOperation({ summary: 'Every redundancy group with its number of circuits' })
  @ApiOkResponse({ type: [RedundancyGroupDto] })
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
