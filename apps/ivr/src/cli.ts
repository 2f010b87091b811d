import { Command } from 'commander';
import { systemClock, type Logger } from '@strowger/core';
import { loadConfig } from './config.js';
import { fetchMailboxes } from './mailbox-directory.js';
import { checkPrompts, runIvr, secretsFrom, type PlatformFactory } from './main.js';
import { PinStore } from './pin-store.js';
import { defaultPromptDirectory } from './prompt-library.js';
import { sdkPlatform } from './sdk-platform.js';

/** One line per entry on stderr: level, message, then the fields as JSON. */
function stderrLogger(verbose: boolean, bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (obj: object, msg?: string) => {
    const { err, ...fields } = { ...bindings, ...obj } as Record<string, unknown>;
    const detail = err instanceof Error ? ` (${err.message})` : '';
    process.stderr.write(`strowger-ivr ${level} ${msg ?? ''}${detail} ${JSON.stringify(fields)}\n`);
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: verbose ? write('debug') : () => {},
    child: (more) => stderrLogger(verbose, { ...bindings, ...more }),
  };
}

/** The `strowger-ivr` command; `createPlatform` connects to the call manager (the SDK adapter unless a test gives another). */
export function ivrCommand(createPlatform: PlatformFactory = sdkPlatform): Command {
  return new Command()
    .name('strowger-ivr')
    .description('IVR and voicemail for Strowger: auto-attendant menus, voicemail deposit and retrieval on CTI ports')
    .requiredOption('-c, --config <file>', 'the YAML configuration (see ivr.example.yaml)')
    .option('--check', 'check the configuration, the prompts and the admin API, then exit')
    .option('--reset-pin <mailbox>', 'give a mailbox the initial PIN again and unlock it (works while the IVR runs)')
    .option('-v, --verbose', 'log debug entries too')
    .action(async (options: { config: string; check?: boolean; resetPin?: string; verbose?: boolean }) => {
      const logger = stderrLogger(options.verbose === true);
      if (options.resetPin !== undefined) {
        const config = await loadConfig(options.config);
        const pins = new PinStore({
          directory: config.dataDirectory,
          policy: config.voicemail,
          clock: systemClock,
          logger,
        });
        const reset = await pins.reset(options.resetPin);
        process.stdout.write(
          reset
            ? `mailbox ${options.resetPin} has the initial PIN again; its owner chooses a new one at the next login\n`
            : `mailbox ${options.resetPin} already had the initial PIN and no failed logins\n`,
        );
        return;
      }
      if (options.check === true) {
        const config = await loadConfig(options.config);
        const secrets = secretsFrom(config, process.env);
        await checkPrompts(config.promptDirectory ?? defaultPromptDirectory());
        const mailboxes = await fetchMailboxes({
          url: config.admin.url,
          user: config.admin.user,
          password: secrets.adminPassword,
        });
        process.stdout.write(
          `${options.config} is valid; prompts present; ${mailboxes.length} mailbox(es) from ${config.admin.url}\n`,
        );
        return;
      }
      const application = await runIvr({ configFile: options.config, createPlatform, logger });
      const stop = () => {
        application.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
