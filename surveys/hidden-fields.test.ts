import { describe, expect, it } from 'vitest';
import { hiddenFieldsFrom } from './hidden-fields.ts';

describe('hidden fields from a link', () => {
  it('reads every query parameter as a hidden field', () => {
    expect(hiddenFieldsFrom('?store=123&src=qr')).toEqual({ store: '123', src: 'qr' });
    expect(hiddenFieldsFrom('?q=a%20b&q=c')).toEqual({ q: 'c' });
    expect(hiddenFieldsFrom('?constructor=x')).toEqual({ constructor: 'x' });
  });

  it('is undefined without parameters', () => {
    expect(hiddenFieldsFrom('')).toBeUndefined();
    expect(hiddenFieldsFrom('?')).toBeUndefined();
  });

  it('leaves out what the server would refuse', () => {
    expect(hiddenFieldsFrom(`?1a=x&_b=y&ok=${'v'.repeat(201)}&fine=1`)).toEqual({ fine: '1' });
    const many = Array.from({ length: 25 }, (_, i) => `k${i}=${i}`).join('&');
    const fields = hiddenFieldsFrom(`?${many}&k0=last`)!;
    expect(Object.keys(fields)).toHaveLength(20);
    expect(fields.k0).toBe('last');
    expect(fields.k20).toBeUndefined();
  });
});
