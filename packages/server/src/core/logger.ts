export { silentLogger, type Logger } from '@strowger/core';
