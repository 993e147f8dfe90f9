import { epochToIso, fmtDate, fmtField } from './format';

describe('fact fields for people', () => {
  const order = { orderId: 'O-1', amount: 100, currency: 'EUR', createdAt: 1796119200000 };

  it('shows event times given as epoch milliseconds, seconds or microseconds as dates in the time zone', () => {
    const date = fmtDate('2026-12-01T10:00:00.000Z', 'en');
    expect(fmtField('createdAt', 1796119200000, order, 'en')).toBe(date);
    expect(fmtField('eventTime', 1796119200, order, 'en')).toBe(date);
    expect(fmtField('paid_at', 1796119200000000, order, 'en')).toBe(date);
    expect(fmtField('ts', '1796119200000', order, 'en')).toBe(date);
    expect(fmtField('deliveredAt', '2026-12-01T10:00:00Z', order, 'en')).toBe(date);
    expect(fmtField('note', '2026-12-01T11:00:00+01:00', order, 'en')).toBe(date);
    expect(fmtField('createdAt', 1796119200000, order, 'zh-CN')).toBe(fmtDate('2026-12-01T10:00:00Z', 'zh-CN'));
    expect(fmtField('createdAt', 1796119200000, order, 'en')).not.toMatch(/^\d+$/);
  });

  it('leaves numbers that are not times alone, and shows amounts with the currency', () => {
    expect(fmtField('attempts', 1796119200000, order, 'en')).toBe('1796119200000');
    expect(fmtField('orderId', 'O-1', order, 'en')).toBe('O-1');
    expect(fmtField('amount', 100, order, 'en')).toBe('€100.00');
    expect(fmtField('amount', '105.00', order, 'zh-CN')).toBe('€105.00');
    expect(fmtField('lines', [1, 2], order, 'en')).toBe('[1,2]');
    expect(epochToIso(42)).toBeNull();
  });
});
