import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { LangSwitch } from '../App';
import { ErrorBanner } from '../notices';

export function LoginPage({ startupError }: { startupError: string | null }) {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(startupError);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await signIn(username, password);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <div className="login-box">
        <div className="login-head">
          <h1>{t('login.title')}</h1>
          <LangSwitch />
        </div>
        <p className="muted">{t('login.intro')}</p>
        <ErrorBanner error={error} />
        <form onSubmit={submit}>
          <label htmlFor="login-user">{t('login.username')}</label>
          <input id="login-user" name="username" data-testid="login-username" autoComplete="username" required
            value={username} onChange={(e) => setUsername(e.target.value)} />
          <label htmlFor="login-password">{t('login.password')}</label>
          <input id="login-password" name="password" type="password" data-testid="login-password" autoComplete="current-password"
            required value={password} onChange={(e) => setPassword(e.target.value)} />
          <button type="submit" data-testid="login-submit" disabled={busy}>{t('login.submit')}</button>
        </form>
      </div>
    </main>
  );
}
