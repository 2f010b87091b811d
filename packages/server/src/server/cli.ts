#!/usr/bin/env node
import { Command } from 'commander';
import { registerConfigCommands } from './commands/config.js';
import { registerDevicesCommand } from './commands/devices.js';
import { registerExtensionMobilityCommand } from './commands/extension-mobility.js';
import { registerCallsCommand } from './commands/calls.js';
import { registerCdrCommands } from './commands/cdr.js';
import { registerCtiCommands } from './commands/cti.js';
import { registerStartCommand } from './commands/start.js';
import { registerServerCommands } from './commands/status.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerImportCommand } from './commands/import.js';
import { registerTraceCommand } from './commands/trace.js';
import { isStrowgerError } from '../core/index.js';

const program = new Command('strowger')
  .description('Strowger: an open-source IP call manager with a CTI layer')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

registerStartCommand(program);
registerConfigCommands(program);
registerDevicesCommand(program);
registerExtensionMobilityCommand(program);
registerCallsCommand(program);
registerCdrCommands(program);
registerCtiCommands(program);
registerServerCommands(program);
registerAuditCommand(program);
registerImportCommand(program);
registerTraceCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Known errors already say what to do; anything else is a bug worth a stack trace.
  if (isStrowgerError(error)) {
    console.error(`strowger: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
