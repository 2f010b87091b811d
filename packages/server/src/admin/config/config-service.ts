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
  #cached: ConfigSnapshot | undefined;

  constructor(store: ConfigStore) {
    this.#store = store;
  }

  async current(): Promise<ConfigSnapshot> {
    const version = await this.#store.configVersion();
    if (this.#cached?.version !== version) this.#cached = await this.#store.loadConfig();
    return this.#cached;
  }

  apply(doc: ConfigDocument, options: ApplyOptions): Promise<ApplyResult> {
    return this.#store.applyConfig(doc, options);
  }
}
