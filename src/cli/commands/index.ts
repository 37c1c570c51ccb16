import type { CliCommand } from '../cliContext';
import { applyCommand } from './applyCommand';
import { demoCommand } from './demoCommand';
import { loginCommand } from './loginCommand';
import { passCommands } from './passCommands';
import { planCommand } from './planCommand';
import { rankCommand } from './rankCommand';
import { simCommand } from './simCommand';
import { syncCommand } from './syncCommand';

/** Every CLI command, in the order help lists them. */
export const COMMANDS: readonly CliCommand[] = [demoCommand, rankCommand, syncCommand, planCommand, applyCommand, ...passCommands, loginCommand, simCommand];
