import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { TasksPage } from '../pages/Tasks';
import { SessionProvider } from '../session';
import { NoticeBanner } from '../notices';
import { renderWith } from '../test/render';

const shop = { name: 'shop', kind: 'POSTGRESQL', host: '127.0.0.1', port: 5432, database: 'shop', username: 'recon', passwordEnv: null,
  passwordSet: true, origin: 'yaml', status: 'RUNNING', reason: null };
const orders = { name: 'shop-orders', kind: 'TABLE', database: 'shop', table: 'public.orders', task: 'trade', type: 'recon.trade.Order',
  key: 'orderId', id: 'orderId', eventTime: 'createdAt', fields: { orderId: 'order_id' }, derived: {}, filter: null, enabled: true,
  origin: 'yaml', status: 'RUNNING', reason: null, lastEventAt: '2026-12-02T01:02:03Z' };
const trade = { task: 'trade', enabled: true, partitions: 2, allowedLateness: '5s', idleTimeout: '2s', replayHorizon: '30m', sampling: 1,
  allowKeys: [], denyKeys: ['O-TEST'], origin: 'yaml', sources: ['shop-orders'] };
const change = { id: 12, at: '2026-12-02T01:02:03Z', user: 'analyst', kind: 'task', name: 'trade', action: 'UPDATE',
  before: { ...trade, sampling: 1 }, after: { ...trade, sampling: 0.5 } };

interface Call { method: string; url: string; body?: unknown }
/** The catalog API as the contract describes it, with the answers a test wants for its writes (each answered once). */
function catalog(writes: Record<string, { status: number; body: unknown }> = {}) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(init.body as string) : undefined });
    const json = (status: number, body: unknown) => new Response(body === undefined ? '' : JSON.stringify(body),
      { status, headers: { 'Content-Type': 'application/json' } });
    if (method !== 'GET') {
      const w = writes[method + ' ' + url];
      delete writes[method + ' ' + url];           // once: the retry after a fix succeeds
      if (w) return json(w.status, w.body);
      return method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, { ...(JSON.parse(init.body as string)), task: 'trade', name: url.split('/').pop()!.split('?')[0] });
    }
    const reads: Record<string, unknown> = {
      '/api/sources': [orders], '/api/databases': [shop], '/api/tasks': [trade], '/api/catalog/changes?limit=100': [change],
      '/api/stats/health': [], '/actuator/recon': { sessions: [] }, '/api/dead-letters?size=500': { items: [], total: 0 },
    };
    return url in reads ? json(200, reads[url]) : json(404, { status: 404, error: 'Not Found' });
  }));
  return calls;
}

const page = (role: string) => renderWith(
  <SessionProvider initial={{ user: role.toLowerCase(), roles: [role], tasks: ['*'] }}><NoticeBanner /><TasksPage /></SessionProvider>,
);
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('catalog forms on the tasks page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("puts the server's validation sentence next to the field it names, and sends the fixed form", async () => {
    const calls = catalog({
      'PUT /api/sources/courier-deliveries': { status: 400, body: { status: 400, error: 'Bad Request', field: 'topic',
        message: "Source courier-deliveries reads topic 'courier.delivery', which does not exist; create it or name an existing topic such as courier.deliveries." } },
    });
    page('ANALYST');
    fireEvent.click(await screen.findByTestId('add-source'));
    const form = screen.getByTestId('catalog-form');
    const set = (f: string, v: string) => fireEvent.change(within(form).getByTestId('field-' + f), { target: { value: v } });
    set('name', 'courier-deliveries');
    set('kind', 'TOPIC');
    expect(within(form).queryByTestId('field-table')).toBeNull();        // a topic source has no table
    set('topic', 'courier.delivery');
    await within(within(form).getByTestId('field-task')).findByText('trade');   // the task list has loaded: the option exists
    set('task', 'trade');
    set('type', 'recon.trade.Delivery');
    set('key', 'orderId');
    set('id', 'deliveryId');
    set('eventTime', 'deliveredAt');
    set('fields', 'orderId = $.payload.order\ndeliveredAt = $.payload.at');
    fireEvent.click(within(form).getByTestId('catalog-save'));

    const error = await within(form).findByTestId('field-error');
    expect(error.getAttribute('data-field')).toBe('topic');
    expect(error.textContent).toContain("reads topic 'courier.delivery', which does not exist");
    const topic = within(form).getByTestId('field-topic');
    expect(topic.getAttribute('aria-invalid')).toBe('true');
    expect(topic.getAttribute('aria-describedby')).toContain(error.id);
    expect(error.closest('.form-field')).toBe(topic.closest('.form-field'));    // beside its field, not in a banner
    expect(within(form).queryByTestId('form-error')).toBeNull();

    const put = writes(calls)[0];
    expect(put.url).toBe('/api/sources/courier-deliveries');
    expect(put.body).toEqual({ kind: 'TOPIC', topic: 'courier.delivery', task: 'trade', type: 'recon.trade.Delivery', key: 'orderId',
      id: 'deliveryId', eventTime: 'deliveredAt', fields: { orderId: '$.payload.order', deliveredAt: '$.payload.at' }, derived: {},
      filter: null, enabled: true });

    set('topic', 'courier.deliveries');
    fireEvent.click(within(form).getByTestId('catalog-save'));
    await waitFor(() => expect(screen.queryByTestId('catalog-form')).toBeNull());
    expect(screen.getByTestId('ok-banner').textContent).toContain('The source courier-deliveries is saved.');
  });

  it('shows a sentence that names no field above the form', async () => {
    catalog({ 'PUT /api/tasks/trade': { status: 409, body: { status: 409, error: 'Conflict', field: null,
      message: 'Task trade was changed by operator a moment ago; reload it and make your change again.' } } });
    page('OPERATOR');
    fireEvent.click(await screen.findByTestId('edit-task'));
    const form = screen.getByTestId('catalog-form');
    expect((within(form).getByTestId('field-task') as HTMLInputElement).disabled).toBe(true);   // a task is renamed by adding another
    expect((within(form).getByTestId('field-denyKeys') as HTMLTextAreaElement).value).toBe('O-TEST');
    fireEvent.click(within(form).getByTestId('catalog-save'));
    expect((await within(form).findByTestId('form-error')).textContent).toBe('Task trade was changed by operator a moment ago; reload it and make your change again.');
    expect(within(form).queryByTestId('field-error')).toBeNull();
  });

  it('changes sampling and the key lists of a task, switches it off, and shows the change history', async () => {
    const calls = catalog();
    page('ANALYST');
    fireEvent.click(await screen.findByTestId('edit-task'));
    const form = screen.getByTestId('catalog-form');
    fireEvent.change(within(form).getByTestId('field-sampling'), { target: { value: '0.25' } });
    fireEvent.change(within(form).getByTestId('field-allowKeys'), { target: { value: 'O-1\nO-2, O-3' } });
    fireEvent.click(within(form).getByTestId('catalog-save'));
    await waitFor(() => expect(writes(calls)).toHaveLength(1));
    expect(writes(calls)[0]).toMatchObject({ method: 'PUT', url: '/api/tasks/trade', body: { enabled: true, partitions: 2, sampling: 0.25,
      allowKeys: ['O-1', 'O-2', 'O-3'], denyKeys: ['O-TEST'], allowedLateness: '5s' } });

    fireEvent.click(screen.getByTestId('toggle-task'));
    await waitFor(() => expect(writes(calls)).toHaveLength(2));
    expect(writes(calls)[1].body).toMatchObject({ enabled: false, sampling: 1 });
    expect(writes(calls)[1].body).not.toHaveProperty('sources');
    expect(writes(calls)[1].body).not.toHaveProperty('origin');

    const history = screen.getByTestId('change-row');
    expect(history.textContent).toContain('analyst');
    expect(history.textContent).toContain('sampling');
    expect(history.textContent).not.toContain('2026-12-02T01:02:03Z');   // in the user's time zone, not the wire format
  });

  it('deletes a database only after confirming, optionally with its replication slot', async () => {
    const calls = catalog({ 'DELETE /api/databases/shop?dropSlot=true': { status: 409, body: { status: 409, error: 'Conflict', field: null,
      message: 'Database shop is still read by source shop-orders; delete or move that source first.' } } });
    page('OPERATOR');
    fireEvent.click(await screen.findByTestId('delete-database'));
    expect(writes(calls)).toHaveLength(0);
    expect(screen.getByTestId('action-dialog-message').textContent).toContain('Database shop leaves the catalog');
    fireEvent.click(screen.getByTestId('drop-slot'));
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(screen.getByTestId('error-banner').textContent).toContain('Database shop is still read by source shop-orders'));
    expect(writes(calls)).toEqual([{ method: 'DELETE', url: '/api/databases/shop?dropSlot=true', body: undefined }]);
  });

  it('offers each role only its part: an analyst no database form, a viewer nothing', async () => {
    catalog();
    const analyst = page('ANALYST');
    await screen.findByTestId('add-source');
    expect(screen.getByTestId('add-task')).toBeTruthy();
    expect(screen.queryByTestId('add-database')).toBeNull();
    expect(screen.queryByTestId('delete-database')).toBeNull();
    analyst.unmount();

    page('VIEWER');
    await screen.findByTestId('source-row');
    expect(document.querySelectorAll('[data-testid^=add-], [data-testid^=edit-], [data-testid^=delete-], [data-testid=toggle-task]')).toHaveLength(0);
    expect((await screen.findByTestId('database-row')).textContent).toContain('127.0.0.1:5432/shop');
  });

  it('shows what it showed before when GET /api/sources answers 404', async () => {
    vi.stubGlobal('fetch', vi.fn(async (url: string) => new Response(JSON.stringify(url === '/api/sources'
      ? { status: 404, error: 'Not Found' } : url === '/api/dead-letters?size=500' ? { items: [], total: 0 } : url === '/actuator/recon' ? { sessions: [] } : []),
    { status: url === '/api/sources' ? 404 : 200, headers: { 'Content-Type': 'application/json' } })));
    page('OPERATOR');
    await screen.findByText('Adding or changing sources needs the source catalog API, which this service does not offer yet.');
    expect(screen.queryByTestId('catalog')).toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });
});
