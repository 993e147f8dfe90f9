import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, request, setUnauthorizedHandler } from './api';
import type { Session } from './types';

/**
 * What each role may do, mirrored from the service's security rules so that the app offers only
 * what the server would allow. The server stays the authority: a refused request still shows its 403.
 */
export type Capability = 'handle' | 'author' | 'release' | 'inspect' | 'operate' | 'catalog';
const GRANTS: Record<Capability, string[]> = {
  handle: ['HANDLER'],
  author: ['ANALYST', 'RELEASER'],
  release: ['RELEASER'],
  inspect: ['ANALYST', 'RELEASER', 'OPERATOR'],
  operate: ['OPERATOR'],
  catalog: ['ANALYST', 'OPERATOR'],   // sources and tasks; databases are operate
};

export function capabilities(roles: string[]): Set<Capability> {
  const plain = roles.map((r) => r.replace(/^ROLE_/, '').toUpperCase());
  return new Set((Object.keys(GRANTS) as Capability[]).filter((c) => GRANTS[c].some((r) => plain.includes(r))));
}

interface SessionCtx {
  session: Session | null;
  checked: boolean;
  error: string | null;
  can: (c: Capability) => boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<SessionCtx>({
  session: null, checked: true, error: null, can: () => false, signIn: async () => {}, signOut: async () => {},
});

export function SessionProvider({ children, initial }: { children: ReactNode; initial?: Session }) {
  const [session, setSession] = useState<Session | null>(initial ?? null);
  const [checked, setChecked] = useState(!!initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setUnauthorizedHandler(() => setSession(null));
    if (initial) return;
    request<Session>('GET', '/api/session', undefined, { quiet401: true })
      .then((s) => setSession(s))
      .catch((e) => {
        if (!(e instanceof ApiError && e.status === 401)) setError((e as Error).message);
        setSession(null);
      })
      .finally(() => setChecked(true));
  }, [initial]);

  const signIn = useCallback(async (username: string, password: string) => {
    const s = await request<Session>('POST', '/api/session', { username, password }, { quiet401: true });
    setError(null);
    setSession(s);
  }, []);
  const signOut = useCallback(async () => {
    try {
      await request('DELETE', '/api/session', undefined, { quiet401: true });
    } finally {
      setSession(null);
    }
  }, []);

  const value = useMemo<SessionCtx>(() => {
    const caps = capabilities(session?.roles ?? []);
    return { session, checked, error, can: (c) => caps.has(c), signIn, signOut };
  }, [session, checked, error, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useSession = () => useContext(Ctx);
