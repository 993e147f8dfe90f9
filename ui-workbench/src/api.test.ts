import { messageOf } from './api';

describe('error sentences', () => {
  it('shows the server message verbatim, then its error, then what was asked', () => {
    expect(messageOf(403, { status: 403, error: 'Forbidden', message: 'You are signed in as viewer (VIEWER); this needs HANDLER.' }, 'POST /x'))
      .toBe('You are signed in as viewer (VIEWER); this needs HANDLER.');
    expect(messageOf(409, { error: 'cannot resolve mismatch 5: it is RESOLVED' }, 'POST /x')).toBe('cannot resolve mismatch 5: it is RESOLVED');
    expect(messageOf(404, { timestamp: 't', status: 404, error: 'Not Found', path: '/api/x' }, 'POST /api/x')).toBe('POST /api/x: Not Found (HTTP 404)');
    expect(messageOf(502, undefined, 'GET /api/x')).toBe('GET /api/x: HTTP 502');
  });
});
