import { EcsOperations } from './ecs';
import { Reporter } from './output';
import { ImageTagParameter } from './parameter';

/** What every command runs with. */
export interface CommandContext {
  readonly ecs: EcsOperations;
  readonly parameters: ImageTagParameter;
  readonly reporter: Reporter;
}
