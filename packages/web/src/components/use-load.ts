import { useCallback, useEffect, useState } from 'react';

export type Loaded<T> =
  { state: 'loading'; value?: T } | { state: 'ready'; value: T } | { state: 'failed'; error: Error; value?: T };

/**
 * Runs `load` when its inputs change and again on `reload()`; the previous value stays visible while
 * the next loads, so a list does not flash empty between pages.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, inputs: readonly unknown[]) {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what `load` depends on
  const stableLoad = useCallback(load, inputs);
  useEffect(() => {
    const controller = new AbortController();
    setResult((previous) => ({ state: 'loading', ...(previous.value === undefined ? {} : { value: previous.value }) }));
    stableLoad(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setResult({ state: 'ready', value });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResult((previous) => ({
          state: 'failed',
          error: error instanceof Error ? error : new Error(String(error)),
          ...(previous.value === undefined ? {} : { value: previous.value }),
        }));
      },
    );
    return () => controller.abort();
  }, [stableLoad, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...result, reload };
}
