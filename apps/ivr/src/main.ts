import { access } from 'node:fs/promises';
import { ErrorCode, StrowgerError, systemClock, type Clock, type Logger } from '@strowger/core';
import type { IvrConfig } from './config-schema.js';
import { loadConfig } from './config.js';
import { startIvrApplication, type IvrApplication } from './ivr-application.js';
import { fetchMailboxes } from './mailbox-directory.js';
import type { IvrPlatform } from './platform.js';
import { PromptLibrary, defaultPromptDirectory } from './prompt-library.js';

/** The secrets, from the environment or the file (the environment wins). */
export interface IvrSecrets {
  readonly ctiPassword: string;
  readonly adminPassword: string;
}

/**
 * Connects the IVR to the call manager: registers the route points and ports the configuration names
 * with the CTI user's credentials and returns them as the platform the application runs on. The SDK
 * adapter is this one function.
 */
export type PlatformFactory = (
  config: IvrConfig,
  secrets: IvrSecrets,
  logger: Logger,
) => Promise<IvrPlatform & { close(): Promise<void> }>;

export function secretsFrom(config: IvrConfig, env: NodeJS.ProcessEnv): IvrSecrets {
  const ctiPassword = env.STROWGER_IVR_CTI_PASSWORD ?? config.cti.password;
  const adminPassword = env.STROWGER_IVR_ADMIN_PASSWORD ?? config.admin.password;
  if (ctiPassword === undefined) {
    throw new StrowgerError(
      ErrorCode.ConfigInvalid,
      'no CTI password: set STROWGER_IVR_CTI_PASSWORD (or cti.password)',
    );
  }
  if (adminPassword === undefined) {
    throw new StrowgerError(
      ErrorCode.ConfigInvalid,
      'no admin API password: set STROWGER_IVR_ADMIN_PASSWORD (or admin.password)',
    );
  }
  return { ctiPassword, adminPassword };
}

/** Fails naming the build step when the generated prompts are missing. */
export async function checkPrompts(directory: string): Promise<void> {
  for (const file of new PromptLibrary(directory).catalogFiles()) {
    try {
      await access(file);
    } catch {
      throw new StrowgerError(
        ErrorCode.NotFound,
        `the prompt ${file} is missing: build the IVR (npm run build -w @strowger/ivr, which needs espeak-ng and sox) ` +
          'or set promptDirectory to where the prompts are',
      );
    }
  }
}

export interface RunIvrOptions {
  readonly configFile: string;
  readonly createPlatform: PlatformFactory;
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
}

/** Loads the configuration, connects the platform and starts the application; `stop()` undoes it all. */
export async function runIvr(options: RunIvrOptions): Promise<IvrApplication> {
  const { logger, clock = systemClock } = options;
  const config = await loadConfig(options.configFile);
  const secrets = secretsFrom(config, options.env ?? process.env);
  const promptDirectory = config.promptDirectory ?? defaultPromptDirectory();
  await checkPrompts(promptDirectory);
  const platform = await options.createPlatform(config, secrets, logger.child({ part: 'platform' }));
  try {
    const application = await startIvrApplication({
      config,
      platform,
      promptDirectory,
      loadMailboxes: () =>
        fetchMailboxes({ url: config.admin.url, user: config.admin.user, password: secrets.adminPassword }),
      clock,
      logger,
    });
    return {
      status: () => application.status(),
      stop: async () => {
        await application.stop();
        await platform.close();
      },
    };
  } catch (error) {
    await platform.close();
    throw error;
  }
}
