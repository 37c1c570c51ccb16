import type { CliCommand } from '../cliContext';
import { demoCommand } from './demoCommand';
import { loginCommand } from './loginCommand';
import { passCommands } from './passCommands';
import { rankCommand } from './rankCommand';
import { simCommand } from './simCommand';
import { syncCommand } from './syncCommand';

/** Every CLI command, in the order help lists them. */
export const COMMANDS: readonly CliCommand[] = [demoCommand, rankCommand, syncCommand, ...passCommands, loginCommand, simCommand];
