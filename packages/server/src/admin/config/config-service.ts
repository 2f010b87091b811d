import type { ApplyOptions, ApplyResult, ConfigDocument, ConfigSnapshot } from '../../store/index.js';

/** What the REST API reads and changes the configuration through: the store, in the server. */
export interface ConfigStore {
  configVersion(): Promise<number>;
  loadConfig(): Promise<ConfigSnapshot>;
  applyConfig(doc: ConfigDocument, options: ApplyOptions): Promise<ApplyResult>;
}

/**
 * The configuration as the API reads it: always what is committed (a read right after a write sees
 * the write), yet read whole only when the version moved, so paging through a large list does not
 * re-read the whole configuration for every page.
 */
export class ConfigService {
  readonly #store: ConfigStore;
  readonly #followed: (version: number) => Promise<void>;
  #cached: ConfigSnapshot | undefined;

  /**
   * `followed` resolves once the running engine serves `version`: a change answered is then a
   * change in effect, and the next call follows it.
   */
  constructor(store: ConfigStore, followed: (version: number) => Promise<void> = async () => undefined) {
    this.#store = store;
    this.#followed = followed;
  }

  async current(): Promise<ConfigSnapshot> {
    const version = await this.#store.configVersion();
    if (this.#cached?.version !== version) this.#cached = await this.#store.loadConfig();
    return this.#cached;
  }

  async apply(doc: ConfigDocument, options: ApplyOptions): Promise<ApplyResult> {
    const result = await this.#store.applyConfig(doc, options);
    if (result.changed && options.dryRun !== true) await this.#followed(result.version);
    return result;
  }
}
