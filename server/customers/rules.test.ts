import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  CustomerInput,
  isPhoneNumber,
  mappingProblems,
  proposeMapping,
  readRow,
  rejectionReason,
  type ColumnMapping,
} from './rules.ts';

describe('CustomerInput', () => {
  it('fills defaults and turns blanks into nothing', () => {
    const parsed = v.parse(CustomerInput, { name: '  张三 ', email: ' Zhang@Example.COM ', phone: '', region: '' });
    expect(parsed).toMatchObject({
      name: '张三',
      email: 'zhang@example.com',
      phone: null,
      region: null,
      kind: 'individual',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      consents: {},
      doNotContact: false,
      doNotCall: false,
    });
    // Left out, the tier, the owner and the objection to profiling keep what the customer has.
    expect(parsed.tier).toBeUndefined();
    expect(parsed.ownerId).toBeUndefined();
    expect(parsed.objectsToProfiling).toBeUndefined();
  });

  it('takes a tier set by hand, or null to hand it back to the value; a blank owner is none', () => {
    expect(v.parse(CustomerInput, { name: 'A', tier: 'vip' }).tier).toBe('vip');
    expect(v.parse(CustomerInput, { name: 'A', tier: null }).tier).toBeNull();
    expect(v.parse(CustomerInput, { name: 'A', ownerId: ' ' }).ownerId).toBeNull();
    expect(v.parse(CustomerInput, { name: 'A', objectsToProfiling: true }).objectsToProfiling).toBe(true);
    expect(v.safeParse(CustomerInput, { name: 'A', objectsToProfiling: 'yes' }).success).toBe(false);
  });

  it('keeps consents per channel, in a fixed order and without empty channels', () => {
    const parsed = v.parse(CustomerInput, { name: 'A', consents: { email: ['marketing', 'survey', 'survey'], phone: [] } });
    expect(parsed.consents).toEqual({ email: ['survey', 'marketing'] });
    expect(v.safeParse(CustomerInput, { name: 'A', consents: { fax: ['survey'] } }).success).toBe(false);
  });

  it('says what is wrong, per field, in the language asked for', () => {
    const input = { name: '', email: 'bob@', phone: 'call me', tier: 'gold', timeZone: 'Mars/Base', kind: 'enterprise' };
    const fieldsIn = (lang: 'en' | 'zh-CN') =>
      Object.fromEntries(v.safeParse(CustomerInput, input, { lang }).issues!.map((issue) => [v.getDotPath(issue), issue.message]));
    const en = fieldsIn('en');
    expect(en).toMatchObject({
      name: 'Enter the name.',
      email: 'Enter an email address like name@example.com.',
      tier: 'Choose a tier: VIP, important or ordinary, or null for computed from value.',
      timeZone: 'Enter a time zone such as Asia/Shanghai.',
    });
    expect(en.phone).toMatch(/phone number/);
    expect(fieldsIn('zh-CN').email).toMatch(/电子邮件/);
  });

  it('needs a contact person for an enterprise', () => {
    const result = v.safeParse(CustomerInput, { name: '星辰科技有限公司', kind: 'enterprise' });
    expect(result.success).toBe(false);
    expect(v.getDotPath(result.issues![0])).toBe('contactName');
    expect(v.safeParse(CustomerInput, { name: '星辰科技有限公司', kind: 'enterprise', contactName: '王经理' }).success).toBe(true);
  });

  it('spells time zones the standard way', () => {
    expect(v.parse(CustomerInput, { name: 'A', timeZone: 'asia/shanghai' }).timeZone).toBe('Asia/Shanghai');
  });
});

describe('the consent record beside a customer', () => {
  it('names renewed consents as channel.purpose or a flag, and needs a note saying how the customer gave them', () => {
    expect(v.parse(CustomerInput, { name: 'A' }).consentRecord).toBeUndefined();
    expect(v.parse(CustomerInput, { name: 'A', consentRecord: { renewed: ['email.survey', 'do_not_contact'], note: ' Signed at store 12 ' } }).consentRecord).toEqual({
      customerRequest: false,
      renewed: ['email.survey', 'do_not_contact'],
      note: 'Signed at store 12',
    });
    expect(v.parse(CustomerInput, { name: 'A', consentRecord: { customerRequest: true } }).consentRecord).toEqual({ customerRequest: true, renewed: [], note: null });
    const problems = (input: unknown) =>
      Object.fromEntries((v.safeParse(CustomerInput, input).issues ?? []).map((issue) => [v.getDotPath(issue), issue.message]));
    expect(problems({ name: 'A', consentRecord: { renewed: ['email.survey'] } })).toEqual({ 'consentRecord.note': expect.stringMatching(/how the customer gave consent again/) });
    expect(problems({ name: 'A', consentRecord: { renewed: ['email.survey'], note: '  ' } })).toEqual({ 'consentRecord.note': expect.stringMatching(/how the customer gave consent again/) });
    expect(Object.keys(problems({ name: 'A', consentRecord: { renewed: ['fax.survey'], note: 'x' } }))).toEqual(['consentRecord.renewed.0']);
    expect(Object.keys(problems({ name: 'A', consentRecord: { renewedConsent: ['email.survey'] } }))).toEqual(['consentRecord.renewedConsent']);
  });
});

describe('isPhoneNumber', () => {
  it('takes the usual ways of writing a number and refuses words', () => {
    expect(isPhoneNumber('+86 138-0013-8000')).toBe(true);
    expect(isPhoneNumber('(021) 6888 8888')).toBe(true);
    expect(isPhoneNumber('1234')).toBe(false);
    expect(isPhoneNumber('138 0013 800x')).toBe(false);
  });

  it('takes 5 to 20 digits, both ends included, and no more', () => {
    expect(isPhoneNumber('12345')).toBe(true);
    expect(isPhoneNumber('+' + '1'.repeat(20))).toBe(true);
    expect(isPhoneNumber('+' + '1'.repeat(21))).toBe(false);
    expect(v.safeParse(CustomerInput, { name: 'A', phone: '1'.repeat(20) }).success).toBe(true);
    expect(v.safeParse(CustomerInput, { name: 'A', phone: '1'.repeat(21) }).success).toBe(false);
  });
});

describe('proposeMapping', () => {
  it('recognises English and Chinese headers', () => {
    expect(proposeMapping(['External ID', 'Name', 'E-mail', 'Phone', 'Region', 'Customer Tier', 'consent_email', 'Do not call'])).toEqual([
      'external_id', 'name', 'email', 'phone', 'region', 'tier', 'consent_email', 'do_not_call',
    ]);
    expect(proposeMapping(['客户编号', '姓名', '邮箱', '电话', '地区', '客户等级', '联系人', '备注'])).toEqual([
      'external_id', 'name', 'email', 'phone', 'region', 'tier', 'contact_name', null,
    ]);
  });

  it('gives a field to its first column only', () => {
    expect(proposeMapping(['email', '邮箱'])).toEqual(['email', null]);
  });
});

describe('mappingProblems', () => {
  it('accepts a mapping with a way to find customers again', () => {
    expect(mappingProblems(['name', 'email', null], 3)).toEqual([]);
  });

  it('names a doubled field, a wrong column count and a missing key', () => {
    const problems = mappingProblems(['name', 'name'], 3).map((problem) => problem.en);
    expect(problems).toEqual([
      expect.stringMatching(/names 2 columns but the file has 3/),
      expect.stringMatching(/Two columns fill "name"/),
      expect.stringMatching(/external id or the email/),
    ]);
  });
});

describe('readRow', () => {
  const header = ['编号', 'name', 'email', 'tier', '类型', '联系人', 'consent_email', 'consent_phone', 'do_not_call', 'locale'];
  const mapping = proposeMapping(header);

  it('reads a row into the fields it fills', () => {
    const row = ['C-1', '星辰科技', 'Ops@Stars.CN', '贵宾', '企业', '王经理', 'survey;回访', 'none', '是', '英文'];
    expect(readRow(row, mapping, header)).toEqual({
      ok: true,
      patch: {
        externalId: 'C-1',
        name: '星辰科技',
        email: 'ops@stars.cn',
        tier: 'vip',
        kind: 'enterprise',
        contactName: '王经理',
        consents: { email: ['survey', 'follow_up'], phone: [] },
        doNotCall: true,
        locale: 'en',
      },
    });
  });

  it('leaves out empty cells, so they keep what the customer has', () => {
    expect(readRow(['C-2', '', '', '', '', '', '', '', '', ''], mapping, header)).toEqual({ ok: true, patch: { externalId: 'C-2' } });
  });

  it('accepts every spelling of tiers and yes/no the import promises', () => {
    const tiers = ['vip', 'VIP', 'important', 'ordinary', '贵宾', '重要', '普通'].map((tier) => {
      const reading = readRow(['X', 'A', '', tier, '', '', '', '', '', ''], mapping, header);
      return reading.ok ? reading.patch.tier : null;
    });
    expect(tiers).toEqual(['vip', 'vip', 'important', 'ordinary', 'vip', 'important', 'ordinary']);
    const flags = ['yes', 'no', 'true', 'false', '1', '0', '是', '否'].map((word) => {
      const reading = readRow(['X', 'A', '', '', '', '', '', '', word, ''], mapping, header);
      return reading.ok ? reading.patch.doNotCall : null;
    });
    expect(flags).toEqual([true, false, true, false, true, false, true, false]);
  });

  it('gives every problem of a row, naming the column as the file does and what it held', () => {
    const reading = readRow(['C-3', 'Bob', 'bob@', 'gold', '', '', 'spam', '', 'maybe', ''], mapping, header);
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    const reason = rejectionReason(17, reading.problems);
    expect(reason.en).toBe(
      'row 17: "email" is not an email address (got "bob@"); ' +
        '"tier" must be vip, important or ordinary (贵宾, 重要, 普通) (got "gold"); ' +
        '"consent_email" must list purposes from survey, follow_up, marketing separated by ";" (or all, or none) (got "spam"); ' +
        '"do_not_call" must be yes or no (是/否, true/false, 1/0) (got "maybe")',
    );
    expect(reason['zh-CN']).toMatch(/^第 17 行：“email”不是有效的电子邮件地址（收到 “bob@”）；/);
  });

  it('refuses a row that could not be found again on a re-import', () => {
    const reading = readRow(['', 'No Key', '', '', '', '', '', '', '', ''], mapping, header);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problems[0]!.en).toMatch(/neither an external id nor an email/);
  });

  it('refuses a row whose cells do not line up with the header', () => {
    const reading = readRow(['C-4', 'Short'], mapping, header);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problems[0]!.en).toMatch(/has 2 cells but the header has 10/);
  });

  it('reads a cell a report had defused back to its value', () => {
    const phoneHeader = ['email', 'phone'];
    const phoneMapping: ColumnMapping = ['email', 'phone'];
    expect(readRow(['a@b.cn', "'+86 138 0013 8000"], phoneMapping, phoneHeader)).toEqual({
      ok: true,
      patch: { email: 'a@b.cn', phone: '+86 138 0013 8000' },
    });
  });
});
