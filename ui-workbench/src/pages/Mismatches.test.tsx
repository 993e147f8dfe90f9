import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MismatchesPage } from './Mismatches';
import { SessionProvider } from '../session';
import { renderWith } from '../test/render';

const item = (id: number, type: string) => ({
  id, task: 'trade', key: 'O-' + id, type, status: 'OPEN', severity: 'P2', reason: 'r' + id, rule: 'x', rulesVersion: '1.0.0',
  firstSeen: '2026-12-01T10:00:00Z', lastSeen: '2026-12-01T10:00:00Z', resolvedAt: null, assignee: null, assigneeKind: null,
});

describe('mismatch queue', () => {
  const calls: { method: string; url: string; body?: string; headers: Record<string, string> }[] = [];
  beforeEach(() => {
    calls.length = 0;
    window.history.replaceState(null, '', '/mismatches?type=AMOUNT&status=OPEN');
    document.cookie = 'XSRF-TOKEN=tok-1';
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ method: init.method ?? 'GET', url, body: init.body as string | undefined, headers: init.headers as Record<string, string> });
      const body = url.startsWith('/api/mismatches/batch/')
        ? { action: 'ignore', matched: 2, applied: 1, refused: [{ id: 2, reason: 'cannot ignore mismatch 2: a repair is in flight' }] }
        : { items: [item(1, 'AMOUNT'), item(2, 'AMOUNT')], total: 2, page: 0, size: 50 };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('reads its filters from the URL, and a handler ignores everything they match after confirming the count', async () => {
    renderWith(
      <SessionProvider initial={{ user: 'handler', roles: ['HANDLER'], tasks: ['*'] }}><MismatchesPage /></SessionProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('mismatch-row')).toHaveLength(2));
    expect(calls[0].url).toBe('/api/mismatches?type=AMOUNT&status=OPEN&page=0&size=50');
    expect((screen.getByTestId('filter-type') as HTMLInputElement).value).toBe('AMOUNT');
    expect(screen.getByTestId('export-csv').getAttribute('href')).toBe('/api/mismatches/export?format=csv&type=AMOUNT&status=OPEN');

    fireEvent.click(screen.getByTestId('batch-ignore'));
    expect(screen.getByTestId('action-dialog-message').textContent).toBe('This applies to all 2 mismatches that match type=AMOUNT, status=OPEN.');
    expect((screen.getByTestId('confirm-ok') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('action-text'), { target: { value: 'known demo fault' } });
    fireEvent.click(screen.getByTestId('confirm-ok'));

    await screen.findByTestId('batch-outcome');
    const batch = calls.find((c) => c.method === 'POST')!;
    expect(batch.url).toBe('/api/mismatches/batch/ignore?type=AMOUNT&status=OPEN');
    expect(JSON.parse(batch.body!)).toEqual({ reason: 'known demo fault' });
    expect(batch.headers['X-XSRF-TOKEN']).toBe('tok-1');
    expect(calls[0].headers['X-XSRF-TOKEN']).toBeUndefined();
    expect(screen.getByTestId('batch-outcome').textContent).toContain('1 of 2 mismatches changed.');
    expect(screen.getByTestId('batch-outcome').textContent).toContain('#2: cannot ignore mismatch 2: a repair is in flight');
  });

  it('offers a viewer no write button', async () => {
    renderWith(<SessionProvider initial={{ user: 'viewer', roles: ['VIEWER'], tasks: ['*'] }}><MismatchesPage /></SessionProvider>);
    await waitFor(() => expect(screen.getAllByTestId('mismatch-row')).toHaveLength(2));
    expect(screen.queryByTestId('batch-ignore')).toBeNull();
    expect(document.querySelectorAll('[data-testid^=batch-], [data-testid^=action-]')).toHaveLength(0);
  });

  it('sorts by a column header on the server, keeps the order in the URL with the filters, and reverses on a second click', async () => {
    renderWith(<SessionProvider initial={{ user: 'viewer', roles: ['VIEWER'], tasks: ['*'] }}><MismatchesPage /></SessionProvider>);
    await waitFor(() => expect(screen.getAllByTestId('mismatch-row')).toHaveLength(2));
    const detected = screen.getByTestId('sort-firstSeen').closest('th')!;
    expect(detected.getAttribute('aria-sort')).toBe('descending');          // the queue opens newest first

    fireEvent.click(screen.getByTestId('sort-severity'));
    expect(window.location.search).toBe('?type=AMOUNT&status=OPEN&sort=severity&dir=asc');
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/mismatches?type=AMOUNT&status=OPEN&sort=severity&dir=asc&page=0&size=50'));
    expect(screen.getByTestId('sort-severity').closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    expect(detected.getAttribute('aria-sort')).toBe('none');

    fireEvent.click(screen.getByTestId('sort-severity'));
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/mismatches?type=AMOUNT&status=OPEN&sort=severity&dir=desc&page=0&size=50'));
    expect(screen.getByTestId('sort-severity').getAttribute('data-dir')).toBe('desc');
    // the export follows the order as well as the filter: the file lists the rows as the screen does
    expect(screen.getByTestId('export-csv').getAttribute('href')).toBe('/api/mismatches/export?format=csv&type=AMOUNT&status=OPEN&sort=severity&dir=desc');
    expect(screen.getByTestId('export-xlsx').getAttribute('href')).toBe('/api/mismatches/export?format=xlsx&type=AMOUNT&status=OPEN&sort=severity&dir=desc');

    // a new filter keeps the order
    fireEvent.change(screen.getByTestId('filter-key'), { target: { value: 'O-1' } });
    fireEvent.click(screen.getByTestId('filter-apply'));
    expect(window.location.search).toBe('?type=AMOUNT&status=OPEN&key=O-1&sort=severity&dir=desc');

    fireEvent.click(screen.getByTestId('sort-firstSeen'));                  // back to the default: the URL is plain again
    expect(window.location.search).toBe('?type=AMOUNT&status=OPEN&key=O-1');
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/mismatches?type=AMOUNT&status=OPEN&key=O-1&page=0&size=50'));
  });
});

describe('re-check and repair over the filter', () => {
  const posts: string[] = [];
  let preview: Record<string, unknown>;
  beforeEach(() => {
    posts.length = 0;
    window.history.replaceState(null, '', '/mismatches?type=AMOUNT&status=OPEN');
    preview = {
      action: 'repair', dryRun: true, matched: 3, applied: 2, refusedCount: 1, limit: 10000,
      refused: [{ id: 3, reason: 'cannot repair mismatch 3: it is REPAIRING' }],
    };
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      if ((init.method ?? 'GET') === 'POST') posts.push(url);
      const body = url.includes('dryRun=true') ? preview
        : url.startsWith('/api/mismatches/batch/') ? { ...preview, dryRun: false }
          : { items: [item(1, 'AMOUNT'), item(2, 'AMOUNT'), item(3, 'AMOUNT')], total: 3, page: 0, size: 50 };
      return new Response(JSON.stringify(body), { status: url.includes('dryRun') || !url.startsWith('/api/mismatches/batch/') ? 200 : 202,
        headers: { 'Content-Type': 'application/json' } });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  const handler = () => renderWith(
    <SessionProvider initial={{ user: 'handler', roles: ['HANDLER'], tasks: ['*'] }}><MismatchesPage /></SessionProvider>,
  );

  it('confirms a batch repair with the count the dry run gives, and only then starts it', async () => {
    handler();
    await waitFor(() => expect(screen.getAllByTestId('mismatch-row')).toHaveLength(3));

    fireEvent.click(screen.getByTestId('batch-repair'));
    const message = await screen.findByTestId('action-dialog-message');
    expect(posts).toEqual(['/api/mismatches/batch/repair?type=AMOUNT&status=OPEN&dryRun=true']);
    expect(message.textContent).toBe('Start the repair of 2 of the 3 mismatches that match type=AMOUNT, status=OPEN? '
      + 'Each repair goes through the outbox once. 1 cannot be done; for example #3: cannot repair mismatch 3: it is REPAIRING');
    expect(screen.queryByTestId('action-text')).toBeNull();

    fireEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('batch-outcome');
    expect(posts[1]).toBe('/api/mismatches/batch/repair?type=AMOUNT&status=OPEN');
    expect(screen.getByTestId('batch-outcome').textContent).toContain('2 of 3 mismatches started');
  });

  it('cancelling the confirmation starts nothing', async () => {
    handler();
    await waitFor(() => expect(screen.getAllByTestId('mismatch-row')).toHaveLength(3));
    preview = { ...preview, action: 'recheck', refusedCount: 0, refused: [], applied: 3 };
    fireEvent.click(screen.getByTestId('batch-recheck'));
    expect((await screen.findByTestId('action-dialog-message')).textContent).toContain('Re-check 3 of the 3 mismatches that match type=AMOUNT, status=OPEN?');
    fireEvent.click(screen.getByTestId('confirm-cancel'));
    expect(screen.queryByTestId('action-dialog')).toBeNull();
    expect(posts).toEqual(['/api/mismatches/batch/recheck?type=AMOUNT&status=OPEN&dryRun=true']);
  });

  it('over the limit says how many the filter matches and offers no confirmation', async () => {
    handler();
    await waitFor(() => expect(screen.getAllByTestId('mismatch-row')).toHaveLength(3));
    preview = { ...preview, action: 'recheck', matched: 12345, applied: 0, refusedCount: 0, refused: [] };
    fireEvent.click(screen.getByTestId('batch-recheck'));
    expect((await screen.findByTestId('action-dialog-message')).textContent)
      .toBe('The filter matches 12,345 mismatches; a batch acts on at most 10,000 at a time. Narrow the filter.');
    expect((screen.getByTestId('confirm-ok') as HTMLButtonElement).disabled).toBe(true);
  });
});
