export { PROTOCOL_VERSION, SUPPORTED_PROTOCOLS, DEFAULT_CTI_PORT } from './version.js';
export * from './jtapi.js';
export * from './model.js';
export * from './events.js';
export * from './frames.js';
export * from './methods.js';
export { ErrorBody, ciscoErrorNames } from './errors.js';
export { compile, validators, type Validator, type SchemaProblem } from './validators.js';
export { asyncApiDocument } from './asyncapi.js';
