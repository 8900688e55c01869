import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  fractionDigits,
  fromMinorUnits,
  proposePurchaseMapping,
  PurchaseInput,
  purchaseMappingProblems,
  readPurchaseRow,
  readTimeCell,
  toMinorUnits,
} from './rules.ts';

describe('money in minor units', () => {
  it.each([
    ['12.34', 2, 1234],
    ['12.3', 2, 1230],
    ['12', 2, 1200],
    ['-12.34', 2, -1234],
    ['+5', 2, 500],
    ['0.10', 2, 10],
    ['12.340', 2, 1234],
    ['1500', 0, 1500],
    ['1.234', 3, 1234],
    ['-0', 2, 0],
  ])('%s with %i digits is %i', (amount, digits, minor) => {
    expect(toMinorUnits(amount, digits)).toBe(minor);
  });

  it.each([
    ['1.005', 2, 'too_precise'],
    ['1500.5', 0, 'too_precise'],
    ['12,5', 2, null],
    ['1e3', 2, null],
    ['', 2, null],
    ['abc', 2, null],
    ['9999999999999999', 2, null],
  ])('%s with %i digits is %s', (amount, digits, result) => {
    expect(toMinorUnits(amount, digits)).toBe(result);
  });

  it('writes minor units back as decimals', () => {
    expect([fromMinorUnits(1234, 2), fromMinorUnits(-5, 2), fromMinorUnits(0, 2), fromMinorUnits(1500, 0), fromMinorUnits(-1234, 3)]).toEqual([
      '12.34',
      '-0.05',
      '0.00',
      '1500',
      '-1.234',
    ]);
  });

  it('knows each currency’s minor unit', () => {
    expect([fractionDigits('CNY'), fractionDigits('JPY'), fractionDigits('KRW'), fractionDigits('BHD'), fractionDigits('cny')]).toEqual([2, 0, 0, 3, null]);
  });
});

describe('the API input', () => {
  const base = { orderId: ' A-1 ', customer: 'C-1', occurredAt: '2026-03-01T10:00:00+08:00', amount: 12.5 };
  it('takes amounts as numbers or strings, and trims', () => {
    const parsed = v.parse(PurchaseInput, base);
    expect(parsed).toMatchObject({ orderId: 'A-1', amount: '12.5', channel: null, occurredAt: Date.parse('2026-03-01T02:00:00Z') });
    expect(v.parse(PurchaseInput, { ...base, amount: ' 7.00 ', currency: 'usd' })).toMatchObject({ amount: '7.00', currency: 'USD' });
  });
  it('needs a customer and an amount, except for a refund', () => {
    const issues = v.safeParse(PurchaseInput, { orderId: 'A-1', occurredAt: '2026-03-01T10:00:00Z' }).issues!;
    expect(issues.map((issue) => v.getDotPath(issue))).toEqual(['customer', 'amount']);
    expect(v.safeParse(PurchaseInput, { orderId: 'R-1', refundOf: 'A-1', occurredAt: '2026-03-01T10:00:00Z' }).success).toBe(true);
  });
  it('refuses amounts that are not finite decimals', () => {
    expect(v.safeParse(PurchaseInput, { ...base, amount: Number.NaN }).success).toBe(false);
    expect(v.safeParse(PurchaseInput, { ...base, amount: 1e21 }).success).toBe(false);
    expect(v.safeParse(PurchaseInput, { ...base, amount: true }).success).toBe(false);
  });
});

describe('CSV rows', () => {
  it('proposes the mapping from English and Chinese headers', () => {
    expect(proposePurchaseMapping(['订单号', '客户编号', '下单时间', '金额', '币种', '渠道', '原订单号', 'notes'])).toEqual([
      'order_id', 'customer_external_id', 'occurred_at', 'amount', 'currency', 'channel', 'refund_of', null,
    ]);
  });

  it('names what a mapping misses', () => {
    expect(purchaseMappingProblems(['order_id', 'amount'], 2).map((problem) => problem.en)).toEqual([
      "Choose the column with the customer's external id or email.",
      'Choose the column with the date of the purchase.',
    ]);
    expect(purchaseMappingProblems(['order_id', 'order_id', 'customer_email', 'occurred_at', 'amount'], 4)[0]!.en).toContain('names 5 columns but the file has 4');
  });

  it.each([
    ['2026-03-01', '2026-02-28T16:00:00Z'],
    ['2026/3/1 9:05', '2026-03-01T01:05:00Z'],
    ['2026-03-01 09:30:15', '2026-03-01T01:30:15Z'],
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00Z'],
    ['2026-03-01T09:30:00+01:00', '2026-03-01T08:30:00Z'],
  ])('reads the time %s as %s (UTC+8 without a zone)', (cell, iso) => {
    expect(readTimeCell(cell)).toBe(Date.parse(iso));
  });

  it.each(['2026-02-30', '2026-13-01', '01/03/2026', 'yesterday', '2026-03-01 24:00'])('refuses the time %s', (cell) => {
    expect(readTimeCell(cell)).toBeNull();
  });

  const header = ['order', 'customer', 'date', 'amount', 'refund of'];
  const mapping = proposePurchaseMapping(header);
  it('reads a row, with thousands separators and a currency sign in the amount', () => {
    expect(readPurchaseRow(['A-1', 'C-1', '2026-03-01', '¥1,299.00', ''], mapping, header)).toEqual({
      ok: true,
      item: { orderId: 'A-1', customer: { externalId: 'C-1', email: undefined }, occurredAt: Date.parse('2026-02-28T16:00:00Z'), amount: '1299.00', currency: undefined, channel: null, refundOf: null },
    });
  });
  it('lists every problem of a row', () => {
    const reading = readPurchaseRow(['', '', 'soon', 'ten', ''], mapping, header);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.problems.map((problem) => problem.en)).toEqual([
      '"order" is empty; every purchase needs its order id',
      'it names no customer: fill "customer"',
      '"date" is not a date such as 2026-05-01 or 2026-05-01 09:30 (read as UTC+8), or an ISO 8601 time with a zone (got "soon")',
      '"amount" is not an amount such as 12.34 or -12.34 (got "ten")',
    ]);
  });
  it('lets a refund leave out the customer and the amount', () => {
    expect(readPurchaseRow(['R-1', '', '2026-03-01', '', 'A-1'], mapping, header).ok).toBe(true);
  });
});
