import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useT } from '../i18n';

/**
 * A confirmation step for a write: states what will happen (and to how many), and asks for the
 * text the action needs (a note, a reason, a user) when it needs one.
 */
export function ActionDialog({ title, message, field, required, confirmLabel, onConfirm, onCancel, blocked }: {
  title: string;
  message?: string;
  /** Nothing to confirm (e.g. nothing would be done): the confirm button stays disabled. */
  blocked?: boolean;
  field?: string;
  required?: boolean;
  confirmLabel: string;
  onConfirm: (text: string) => void | Promise<void>;
  onCancel: () => void;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const first = useRef<HTMLTextAreaElement & HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onConfirm(text.trim());
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={id + '-t'} data-testid="action-dialog"
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form onSubmit={submit}>
        <h2 id={id + '-t'}>{title}</h2>
        {message && <p data-testid="action-dialog-message">{message}</p>}
        {field && (
          <>
            <label htmlFor={id + '-f'}>{field}</label>
            <textarea id={id + '-f'} data-testid="action-text" ref={first} required={required} rows={3}
              value={text} onChange={(e) => setText(e.target.value)} />
          </>
        )}
        <div className="row end">
          <button type="button" className="secondary" onClick={onCancel} data-testid="confirm-cancel">{t('common.cancel')}</button>
          <button type="submit" data-testid="confirm-ok" disabled={busy || !!blocked || (!!required && !text.trim())}
            ref={field ? undefined : first}>{confirmLabel}</button>
        </div>
      </form>
    </div>
  );
}
