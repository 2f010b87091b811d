import { useEffect, useState } from 'react';

/** Reloads every `intervalMs` while the page is shown: for views the live stream does not carry. */
export function usePolling(intervalMs: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return tick;
}
