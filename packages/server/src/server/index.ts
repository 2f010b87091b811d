export { Strowger, strowgerVersion, type StrowgerOptions, type StrowgerAddresses } from './strowger.js';
