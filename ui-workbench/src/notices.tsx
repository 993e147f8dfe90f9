import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useT } from './i18n';

/**
 * One banner for the outcome of writes: the server's refusal (403, 409, 422 ...) verbatim, or a
 * short confirmation. Pages run their writes through `act` so that every refusal looks the same.
 */
interface Notice { kind: 'error' | 'ok'; text: string }
interface NoticeCtx {
  notice: Notice | null;
  clear: () => void;
  act: <T>(work: () => Promise<T>, ok?: string) => Promise<T | undefined>;
  fail: (text: string) => void;
}
const Ctx = createContext<NoticeCtx>({ notice: null, clear: () => {}, act: async (w) => w(), fail: () => {} });

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const clear = useCallback(() => setNotice(null), []);
  const fail = useCallback((text: string) => setNotice({ kind: 'error', text }), []);
  const act = useCallback(async <T,>(work: () => Promise<T>, ok?: string) => {
    try {
      const r = await work();
      setNotice(ok ? { kind: 'ok', text: ok } : null);
      return r;
    } catch (e) {
      setNotice({ kind: 'error', text: (e as Error).message });
      return undefined;
    }
  }, []);
  const value = useMemo(() => ({ notice, clear, act, fail }), [notice, clear, act, fail]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useNotices = () => useContext(Ctx);

export function NoticeBanner() {
  const { notice, clear } = useNotices();
  const t = useT();
  if (!notice) return null;
  return (
    <div className={notice.kind === 'error' ? 'banner banner-error' : 'banner banner-ok'}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid={notice.kind === 'error' ? 'error-banner' : 'ok-banner'}>
      <span>{notice.text}</span>
      <button type="button" className="link" onClick={clear} aria-label={t('common.dismiss')}>×</button>
    </div>
  );
}

/** A load failure on a page, also verbatim. */
export function ErrorBanner({ error }: { error?: Error | string | null }) {
  if (!error) return null;
  return <div className="banner banner-error" role="alert" data-testid="error-banner">{typeof error === 'string' ? error : error.message}</div>;
}
