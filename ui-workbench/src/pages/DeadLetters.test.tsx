import { fireEvent, screen, waitFor } from '@testing-library/react';
import { DeadLettersPage, pretty } from './DeadLetters';
import { SessionProvider } from '../session';
import { renderWith } from '../test/render';

describe('dead letters', () => {
  it('filters by source and reason on the server, and re-drives every match of both', async () => {
    const calls: { method: string; url: string }[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ method: init.method ?? 'GET', url });
      const body = url.startsWith('/api/dead-letters/retry') ? { retried: 2, redriven: 2, failed: 0 }
        : { items: [{ id: 4, source: 'pay-payments', reason: 'field amount: a NUL character', kind: 'MAPPING', status: 'NEW',
          receivedAt: '2026-12-01T10:00:00Z', payload: '{"amount":"1\\u0000"}', payloadTruncated: false }], total: 2 };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }));
    window.history.replaceState(null, '', '/dead-letters?source=pay-payments&reason=NUL');
    renderWith(<SessionProvider initial={{ user: 'operator', roles: ['OPERATOR'], tasks: ['*'] }}><DeadLettersPage /></SessionProvider>);
    await waitFor(() => expect(calls[0]?.url).toBe('/api/dead-letters?source=pay-payments&reason=NUL&page=0&size=100'));
    fireEvent.click(await screen.findByTestId('retry-source'));
    fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/dead-letters/retry?source=pay-payments&reason=NUL')).toBe(true));
    expect(pretty('{"a":1}')).toBe('{\n  "a": 1\n}');
  });
});
