import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { OperationsPage } from './Operations';
import { SessionProvider } from '../session';
import { renderWith } from '../test/render';
import { NoticeBanner } from '../notices';

const session = (partition: number, state: string) => ({
  task: 'trade', partition, state, rulesVersion: '1.0.0', liveFactsByType: { Order: 3 }, rulesFired: 12, watermark: '2026-12-01T10:00:00Z',
  queueDepth: 0, lastEventTime: '2026-12-01T10:00:00Z', nextOffset: 42, lastCheckpoint: '2026-12-01T10:00:00Z', openMismatchesInSession: 1,
  lastError: null, restarts: 0, nextAttempt: null,
});
const outboxItem = {
  id: 7, idempotencyKey: 'k', kind: 'ALERT', task: 'trade', mismatchId: 3, channel: 'webhook', severity: 'P1', status: 'FAILED', attempts: 2,
  folded: 0, createdAt: '2026-12-01T10:00:00Z', doneAt: null, lastError: 'HTTP 503',
  attemptLog: [{ at: '2026-12-01T10:00:01Z', ok: false, detail: 'HTTP 503 from the webhook', durationMs: 1234 }],
};

/** A service with two sessions whose pause state follows the operations, one quarantined rule and one outbox item. */
function service(answers: Record<string, { status: number; body: unknown }> = {}) {
  const calls: { method: string; url: string }[] = [];
  const states: Record<number, string> = { 0: 'RUNNING', 1: 'RUNNING' };
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url });
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    const canned = answers[method + ' ' + url];
    if (canned) return json(canned.status, canned.body);
    const op = /^\/actuator\/recon\/trade\/(\d)\/(pause|resume|checkpoint)$/.exec(url);
    if (op && method === 'POST') {
      const p = Number(op[1]);
      if (op[2] === 'checkpoint') return json(200, { session: 'trade/' + p, checkpointAtOffset: 42 });
      states[p] = op[2] === 'pause' ? 'PAUSED' : 'RUNNING';
      return json(200, { session: 'trade/' + p, paused: op[2] === 'pause' });
    }
    if (url === '/actuator/recon') return json(200, { sessions: [session(0, states[0]), session(1, states[1])], quarantinedRules: [] });
    if (url === '/api/rules/quarantine') return json(200, [{ task: 'trade', rule: 'Amount check', since: '2026-12-01T09:00:00Z', reason: 'NullPointerException in the consequence', faults: 5 }]);
    if (url.startsWith('/api/rules/quarantine/')) return json(200, { quarantined: false });
    if (url.startsWith('/api/actions')) return json(200, { items: [outboxItem], total: 1 });
    return json(404, { error: 'no ' + url });
  }));
  return calls;
}

const as = (user: string, role: string) => (
  <SessionProvider initial={{ user, roles: [role], tasks: ['*'] }}><NoticeBanner /><OperationsPage /></SessionProvider>
);
const row = (s: string) => document.querySelector(`[data-testid=session-row][data-session="${s}"]`) as HTMLElement;

describe('operations page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lets an operator pause a session after confirming, shows the result and the new state, and resume it', async () => {
    const calls = service();
    renderWith(as('operator', 'OPERATOR'));
    await waitFor(() => expect(screen.getAllByTestId('session-row')).toHaveLength(2));

    fireEvent.click(within(row('trade/1')).getByTestId('session-pause'));
    expect(screen.getByTestId('action-dialog-message').textContent).toContain('Session trade/1 stops taking events until it is resumed');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);              // nothing happens before the confirmation
    fireEvent.click(screen.getByTestId('confirm-ok'));

    await waitFor(() => expect(screen.getByTestId('op-result').textContent).toBe('Session trade/1 is paused.'));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/actuator/recon/trade/1/pause']);
    await waitFor(() => expect(row('trade/1').getAttribute('data-state')).toBe('PAUSED'));
    expect(row('trade/0').getAttribute('data-state')).toBe('RUNNING');
    expect(within(row('trade/1')).queryByTestId('session-pause')).toBeNull();

    fireEvent.click(within(row('trade/1')).getByTestId('session-resume'));
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('op-result').textContent).toBe('Session trade/1 is running again.'));
    await waitFor(() => expect(row('trade/1').getAttribute('data-state')).toBe('RUNNING'));

    fireEvent.click(within(row('trade/0')).getByTestId('session-checkpoint'));
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('op-result').textContent).toBe('Session trade/0 wrote a checkpoint at offset 42.'));
  });

  it("shows the service's refusal of an operation verbatim", async () => {
    service({ 'POST /actuator/recon/trade/0/checkpoint': { status: 503, body: { session: 'trade/0', error: 'no checkpoint was written: session trade/0 is restarting: broker down' } } });
    renderWith(as('operator', 'OPERATOR'));
    await waitFor(() => expect(screen.getAllByTestId('session-row')).toHaveLength(2));
    fireEvent.click(within(row('trade/0')).getByTestId('session-checkpoint'));
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('error-banner').querySelector('span')!.textContent)
      .toBe('no checkpoint was written: session trade/0 is restarting: broker down'));
    expect(screen.queryByTestId('op-result')).toBeNull();
  });

  it('lets a releaser lift a quarantine after confirming, and offers neither role the other one\'s buttons', async () => {
    const calls = service();
    const { unmount } = renderWith(as('releaser', 'RELEASER'));
    await screen.findByTestId('quarantined-rule');
    await waitFor(() => expect(screen.getAllByTestId('session-row')).toHaveLength(2));
    expect(screen.queryByTestId('session-pause')).toBeNull();
    fireEvent.click(screen.getByTestId('unquarantine'));
    expect(screen.getByTestId('action-dialog-message').textContent).toBe('Rule "Amount check" runs again in every session of task group trade.');
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/rules/quarantine/trade/Amount%20check/unquarantine')).toBe(true));
    unmount();

    renderWith(as('operator', 'OPERATOR'));
    await screen.findByTestId('quarantined-rule');
    expect(screen.queryByTestId('unquarantine')).toBeNull();
  });

  it('shows a viewer sessions, quarantined rules and the outbox with its delivery attempts, and no operation', async () => {
    service();
    renderWith(as('viewer', 'VIEWER'));
    await waitFor(() => expect(screen.getAllByTestId('session-row')).toHaveLength(2));
    await screen.findByTestId('quarantined-rule');
    expect(document.querySelectorAll('[data-testid^=session-pause], [data-testid^=session-resume], [data-testid^=session-checkpoint], [data-testid=unquarantine]')).toHaveLength(0);
    fireEvent.click(await screen.findByTestId('attempts'));
    const log = screen.getByTestId('attempt-log');
    expect(log.textContent).toContain('HTTP 503 from the webhook');
    expect(log.textContent).toContain('1,234 ms');
    expect(log.querySelector('time')!.getAttribute('dateTime')).toBe('2026-12-01T10:00:01Z');
    expect(log.querySelector('time')!.textContent).not.toContain('2026-12-01T');   // a date for people, not the wire format
  });
});
