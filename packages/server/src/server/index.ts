export {
  Strowger,
  strowgerVersion,
  type StrowgerOptions,
  type StrowgerAddresses,
  type StartupConfig,
} from './strowger.js';
