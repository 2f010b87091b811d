export { FakeClock, systemClock, type Clock, type TimerHandle } from '@strowger/core';
