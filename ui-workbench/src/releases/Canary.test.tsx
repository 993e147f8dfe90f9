import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CanaryPanel, parsePartitions } from './Canary';
import { SessionProvider } from '../session';
import { renderWith } from '../test/render';
import { NoticeBanner } from '../notices';

const report = {
  task: 'trade', version: '1.0.0', active: '1.1.0', startedAt: '2026-12-04T10:00:00Z', startedBy: 'releaser',
  candidate: { version: '1.0.0', partitions: [0], recordsRead: 2000, opened: 6, healed: 1, openedPerThousand: 3 },
  baseline: { version: '1.1.0', partitions: [1], recordsRead: 1000, opened: 1, healed: 0, openedPerThousand: 1 },
  partitions: [
    { partition: 0, rulesVersion: '1.0.0', canary: true, state: 'RUNNING', recordsRead: 2000, opened: 6, healed: 1 },
    { partition: 1, rulesVersion: '1.1.0', canary: false, state: 'RUNNING', recordsRead: 1000, opened: 1, healed: 0 },
  ],
};

/** A service with no canary until one is started, and none again once it is ended. */
function service(running = false) {
  const calls: { method: string; url: string; body?: unknown }[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(init.body as string) : undefined });
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    if (url === '/api/releases/1.0.0/canary' && method === 'POST') { running = true; return json(201, report); }
    if (url === '/api/releases/canary' && method === 'DELETE') { running = false; return json(200, report); }
    if (url === '/api/releases/canary') return running ? json(200, report) : json(404, { error: 'No canary runs.' });
    return json(404, { error: 'no ' + url });
  }));
  return calls;
}

const as = (role: string) => (
  <SessionProvider initial={{ user: role.toLowerCase(), roles: [role], tasks: ['*'] }}>
    <NoticeBanner /><CanaryPanel version="1.0.0" taskGroups={['trade']} activatable onChange={() => undefined} />
  </SessionProvider>
);

describe('canary panel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads partition lists and refuses anything else', () => {
    expect(parsePartitions('0, 2')).toEqual([0, 2]);
    expect(parsePartitions('1')).toEqual([1]);
    expect(parsePartitions('')).toBeNull();
    expect(parsePartitions('0, x')).toBeNull();
  });

  it('lets a releaser start a canary on the partitions typed, then compares the two sides per partition', async () => {
    const calls = service();
    renderWith(as('RELEASER'));
    await waitFor(() => expect(screen.getByTestId('canary-form')).toBeTruthy());
    fireEvent.change(screen.getByTestId('canary-partitions'), { target: { value: 'zero' } });
    expect((screen.getByTestId('canary-start') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toContain('whole numbers');
    fireEvent.change(screen.getByTestId('canary-partitions'), { target: { value: '0' } });
    fireEvent.click(screen.getByTestId('canary-start'));

    await waitFor(() => expect(screen.getByTestId('canary-report')).toBeTruthy());
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ task: 'trade', partitions: [0] });
    expect(screen.getByTestId('canary-candidate').textContent).toContain('1.0.0');
    expect(screen.getByTestId('canary-candidate').textContent).toContain('3.000');
    expect(screen.getByTestId('canary-baseline').textContent).toContain('1.1.0');
    const rows = screen.getAllByTestId('canary-partition');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['0', '1.0.0', 'RUNNING', '2,000', '6', '1']);
  });

  it('ends a running canary only after confirming', async () => {
    const calls = service();
    renderWith(as('RELEASER'));
    await waitFor(() => expect(screen.getByTestId('canary-form')).toBeTruthy());
    fireEvent.click(screen.getByTestId('canary-start'));
    await waitFor(() => expect(screen.getByTestId('canary-end')).toBeTruthy());

    fireEvent.click(screen.getByTestId('canary-end'));
    expect(screen.getByTestId('action-dialog-message').textContent).toContain('from 1.0.0 to the active 1.1.0');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/releases/canary')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('canary-form')).toBeTruthy());
  });

  it('shows a running canary to a viewer but no way to start or end one', async () => {
    service(true);
    renderWith(as('VIEWER'));
    await waitFor(() => expect(screen.getByTestId('canary-report')).toBeTruthy());
    expect(screen.getAllByTestId('canary-partition')).toHaveLength(2);
    expect(screen.queryByTestId('canary-end')).toBeNull();
    expect(screen.queryByTestId('canary-form')).toBeNull();
  });
});
