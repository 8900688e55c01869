import { describe, expect, it } from 'vitest';
import { worksOnCase, maskAddress, maskAnswers, maskCase, maskHiddenFields, maskCustomer, maskIdentifier, maskEmail, maskName, maskPhone, maskText, sightOf, withheld } from './masking.ts';

describe('masking rules', () => {
  it.each([
    ['zhang.wei@example.com', 'z***@example.com'],
    ['a@b.cn', 'a***@b.cn'],
    ['张伟@例子.中国', '张***@例子.中国'],
    ['no-at-sign', 'n**'],
    [null, null],
  ])('masks the email %s as %s', (email, masked) => expect(maskEmail(email)).toBe(masked));

  it.each([
    ['13800135678', '138****5678'],
    ['+86 138-0013-5678', '138****5678'],
    ['+1 (415) 555-0199', '141****0199'],
    ['12345', '***45'],
    ['n/a', '****'],
    [null, null],
  ])('masks the phone %s as %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it.each([
    ['张伟', '张**'],
    ['Zhang Wei', 'Z**'],
    ['  ', ''],
    [null, null],
  ])('masks the name %s as %s', (name, masked) => expect(maskName(name)).toBe(masked));

  it.each([
    ['上海市浦东新区\n世纪大道 100 号 8 楼', '上海市***'],
    ['12 Long Road\nLondon', '12 ***'],
    [null, null],
  ])('masks the address %s as %s', (address, masked) => expect(maskAddress(address)).toBe(masked));

  it.each([
    ['CRM-000123456', '***3456'],
    ['C-12345', '***45'],
    ['C-17', '***'],
    [null, null],
  ])('masks the external id %s as %s', (id, masked) => expect(maskIdentifier(id)).toBe(masked));

  it('withholds free text and keeps null', () => {
    expect(maskText('The delivery was late and my phone is 13800135678')).toBe(withheld);
    expect(maskText(null)).toBeNull();
    expect(withheld).toMatch(/withheld/);
    expect(withheld).toMatch(/已隐藏/);
  });

  it.each([
    ['admin', false, 'full'],
    ['manager', false, 'full'],
    ['support', true, 'full'],
    ['support', false, 'masked'],
    ['interviewer', true, 'full'],
    ['interviewer', false, 'masked'],
  ] as const)('gives a %s whose work is about the customer (%s) %s sight', (role, works, sight) => expect(sightOf(role, works)).toBe(sight));

  it('masks every personal field of a customer and keeps the rest', () => {
    const customer = { id: 'c1', name: '王芳', contactName: 'Li Lei', email: 'wang.fang@example.com', phone: '13912345678', postalAddress: '北京市朝阳区\n建国路 1 号', externalId: 'CRM-000123456', tier: 'vip' };
    expect(maskCustomer(customer)).toEqual({ id: 'c1', name: '王**', contactName: 'L**', email: 'w***@example.com', phone: '139****5678', postalAddress: '北京市***', externalId: '***3456', tier: 'vip' });
    expect(maskCustomer({ name: 'No Id', externalId: null })).toEqual({ name: 'N**', externalId: null });
    expect(maskCustomer({ name: 'Only Name' })).toEqual({ name: 'O**' });
  });

  it('withholds open text and "Other" text in answers, and keeps choices and ratings', () => {
    const questions = [
      { id: 'nps', type: 'nps' },
      { id: 'why', type: 'text' },
      { id: 'pick', type: 'single_choice' },
      { id: 'many', type: 'multiple_choice' },
    ];
    const answers = { nps: 9, why: 'Call me on 13800135678', pick: 'fast', many: { selected: ['a'], other: 'my own words' } };
    expect(maskAnswers(answers, questions)).toEqual({ nps: 9, why: withheld, pick: 'fast', many: { selected: ['a'], other: withheld } });
  });

  it('keeps the names of the values a link carried and withholds each value', () => {
    expect(maskHiddenFields({ order: 'A-1001', member: 'VIP-Chen' })).toEqual({ order: withheld, member: withheld });
    expect(maskHiddenFields(null)).toBeNull();
  });

  it('masks a case\'s contact details and withholds its description and desired outcome', () => {
    const item = { id: 'k1', category: 'delivery', contactName: 'Chen Jing', contactEmail: 'chen@example.com', contactPhone: '13700001111', description: 'Broken', desiredOutcome: 'Refund' };
    expect(maskCase(item)).toEqual({ id: 'k1', category: 'delivery', contactName: 'C**', contactEmail: 'c***@example.com', contactPhone: '137****1111', description: withheld, desiredOutcome: withheld });
  });

  it.each([
    [{ id: 'a', role: 'admin' }, { assigneeId: 'x', status: 'closed' }, true],
    [{ id: 'm', role: 'manager' }, { assigneeId: 'x', status: 'new' }, true],
    [{ id: 's', role: 'support' }, { assigneeId: 's', status: 'closed' }, true],
    [{ id: 's', role: 'support' }, { assigneeId: null, status: 'new' }, true],
    [{ id: 's', role: 'support' }, { assigneeId: null, status: 'resolved' }, false],
    [{ id: 's', role: 'support' }, { assigneeId: 'other', status: 'in_progress' }, false],
    [{ id: 'i', role: 'interviewer' }, { assigneeId: null, status: 'new' }, false],
  ] as const)('counts the case %o for %o as the viewer\'s work: %s', (viewer, item, works) => expect(worksOnCase(viewer, item)).toBe(works));
});
