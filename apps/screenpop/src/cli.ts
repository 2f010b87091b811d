#!/usr/bin/env node
import { Command, Option } from 'commander';
import { openProvider, type Logger } from '@strowger/sdk';
import { openAction, printAction, webhookAction, type PopAction } from './actions.js';
import { startScreenPop } from './screen-pop.js';
import { templateProblem } from './url-template.js';

/** Log lines go to stderr, so that --print's stdout carries nothing but URLs. */
function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (obj: object, msg?: string) => {
    const err = (obj as { err?: unknown }).err;
    const detail = err instanceof Error ? `: ${err.message}` : '';
    process.stderr.write(`screenpop ${level} ${msg ?? ''}${detail}\n`);
  };
  const logger: Logger = {
    error: write('error'),
    warn: write('warn'),
    info: verbose ? write('info') : () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

/** Ends with a usage error (exit code 1) that says what to change. */
function fail(message: string): never {
  process.stderr.write(`screenpop: ${message}\n`);
  process.exit(1);
}

const program = new Command()
  .name('screenpop')
  .description(
    "Opens a URL (a CRM lookup, say) with the caller's number when a watched phone starts ringing: the phones of an end user, or every device an application user may observe.",
  )
  .requiredOption('-s, --server <url...>', 'CTI server(s) in order of preference, e.g. ws://pbx:2748')
  .requiredOption('-u, --user <id>', 'end user or application user id (needs "Standard CTI Enabled")')
  .addOption(
    new Option('-p, --password <password>', 'password (better: the environment variable)').env('STROWGER_CTI_PASSWORD'),
  )
  .requiredOption('--url <template>', 'URL template: {calling} {callingName} {called} {user} {device} {line} {callId}')
  .option('--open', 'open the URL in the default browser (the default)')
  .option('--webhook <endpoint>', 'POST the pop as JSON to this URL instead')
  .option('--print', 'print the URL on stdout instead')
  .option(
    '--device <name...>',
    'also acquire and watch these devices (needs "Standard CTI Allow Control of All Devices")',
  )
  .option('-v, --verbose', 'log what is watched and every pop on stderr')
  .action(
    async (options: {
      server: string[];
      user: string;
      password?: string;
      url: string;
      open?: boolean;
      webhook?: string;
      print?: boolean;
      device?: string[];
      verbose?: boolean;
    }) => {
      const problem = templateProblem(options.url);
      if (problem !== undefined) fail(`${problem}.`);
      const password = options.password ?? fail('give the password in STROWGER_CTI_PASSWORD (or --password).');
      const modes = [options.open, options.webhook !== undefined, options.print].filter(Boolean).length;
      if (modes > 1) fail('choose one of --open, --webhook and --print.');
      const action: PopAction =
        options.webhook !== undefined
          ? webhookAction(options.webhook)
          : options.print === true
            ? printAction((line) => process.stdout.write(line))
            : openAction();
      const logger = stderrLogger(options.verbose === true);
      const provider = await openProvider({
        servers: options.server,
        user: options.user,
        password,
        appInfo: 'screenpop',
        logger,
      });
      const screenPop = await startScreenPop({
        provider,
        template: options.url,
        action,
        devices: options.device ?? [],
        logger,
        onPop: (pop, err) => {
          if (err === undefined) logger.info({}, `popped ${pop.url} for call ${pop.callId} ringing at ${pop.device}`);
        },
      });
      for (const { device, reason } of screenPop.skipped) logger.warn({}, `not watching ${device}: ${reason}`);
      // The first line on stderr says what is watched; a supervisor (or a test) waits for it.
      process.stderr.write(
        `screenpop watching ${screenPop.watching.length} device(s): ${screenPop.watching.join(', ')}\n`,
      );
      const stop = (): void => {
        screenPop
          .stop()
          .then(() => provider.shutdown())
          .then(
            () => process.exit(0),
            () => process.exit(1),
          );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
  );

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`screenpop: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
