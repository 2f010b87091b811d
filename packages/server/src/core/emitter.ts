export { TypedEmitter } from '@strowger/core';
