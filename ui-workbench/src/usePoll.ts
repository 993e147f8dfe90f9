import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads data and reloads it every `intervalMs` (live pages use <= 5 s). The previous data stays on
 * screen while a reload runs, so filters, selection and scroll position are never reset.
 */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[], intervalMs: number | null = 5000) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const gen = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const mine = ++gen.current;
    try {
      const d = await loadRef.current();
      if (mine === gen.current) {
        setData(d);
        setError(undefined);
      }
    } catch (e) {
      if (mine === gen.current) setError(e as Error);
    } finally {
      if (mine === gen.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setLoading(true);
    void reload();
    if (intervalMs === null) return;
    const timer = window.setInterval(() => {
      if (!document.hidden) void reload();
    }, intervalMs);
    return () => window.clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { data, error, loading, reload };
}
