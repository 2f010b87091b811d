export { ErrorCode, StrowgerError, isStrowgerError } from '@strowger/core';
