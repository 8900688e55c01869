// The rules of a customer record, pure and shared by the API, the CSV import and the staff app's form:
// the input schema, and how one CSV row becomes a customer or a reason a person can act on.
import * as v from 'valibot';
import { locales, type Locale, type LocalizedText } from '../../surveys/definition.ts';
import { bilingual, message } from '../../surveys/i18n.ts';
import { unescapeFormula } from './csv.ts';
import { cellCountProblems, mappingProposer, mappingShapeProblems } from '../imports/mapping.ts';
import {
  consentFacts,
  contactChannels,
  contactPurposes,
  customerKinds,
  customerTiers,
  type ConsentFact,
  type Consents,
  type ContactPurpose,
  type CustomerKind,
  type CustomerTier,
} from './vocabulary.ts';

export const maxLengths = {
  externalId: 64,
  name: 200,
  contactName: 100,
  email: 254,
  phone: 32,
  postalAddress: 500,
  timeZone: 64,
  region: 100,
  segment: 100,
  industry: 100,
} as const;

const phonePattern = /^\+?[\d\s()-]+$/;
const EmailAddress = v.pipe(v.string(), v.email());

export const isEmailAddress = (text: string) => v.is(EmailAddress, text);

/** Digits, spaces, +, -, parentheses, with 5 to 20 digits. */
export function isPhoneNumber(text: string) {
  const digits = text.replace(/\D/g, '').length;
  return phonePattern.test(text) && digits >= 5 && digits <= 20 && text.length <= maxLengths.phone;
}

/** The IANA name of a time zone as the platform spells it (asia/shanghai → Asia/Shanghai), or null. */
export function canonicalTimeZone(text: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(text)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const tooLong = (max: number) => message(`Use at most ${max} characters.`, `最多 ${max} 个字符。`);

/** Optional text: blank becomes null. */
const OptionalText = (max: number) =>
  v.optional(
    v.nullable(
      v.pipe(
        v.string(),
        v.trim(),
        v.maxLength(max, tooLong(max)),
        v.transform((text) => (text === '' ? null : text)),
      ),
    ),
    null,
  );

const PurposeList = v.optional(
  v.pipe(
    v.array(
      v.picklist(contactPurposes, message('A purpose is survey, follow_up or marketing.', '用途只能是调查、回访或营销。')),
    ),
    v.transform((purposes) => contactPurposes.filter((purpose) => purposes.includes(purpose))),
  ),
);

const ConsentsSchema = v.optional(
  v.pipe(
    v.strictObject(
      { email: PurposeList, phone: PurposeList, post: PurposeList },
      message('Consent is given per channel: email, phone or post.', '同意按渠道记录：电子邮件、电话或邮寄。'),
    ),
    v.transform((given): Consents => {
      const consents: Consents = {};
      for (const channel of contactChannels) {
        const purposes = given[channel];
        if (purposes && purposes.length > 0) consents[channel] = purposes;
      }
      return consents;
    }),
  ),
  {},
);

const renewalNoteText = message(
  'Say how the customer gave consent again (for example "signed the form at store 12 on 2 May"), in at most 500 characters.',
  '请说明客户如何再次给予同意（例如“5 月 2 日在 12 号门店签署表格”），最多 500 个字符。',
);

/**
 * What a change of consent records beside the new values: that the withdrawals in it are the customer's own
 * request, and which withdrawals the customer reversed by consenting again, with how they gave it.
 */
export const ConsentRecord = v.optional(
  v.pipe(
    v.strictObject(
      {
        customerRequest: v.optional(v.boolean(message('"customerRequest" is true or false.', '"customerRequest" 只能是 true 或 false。')), false),
        renewed: v.optional(
          v.array(
            v.picklist(
              consentFacts,
              message(
                'Name each renewed consent as channel.purpose (e.g. email.survey), or do_not_contact / do_not_call / objects_to_profiling to lift that flag.',
                '每项恢复的同意写作 渠道.用途（例如 email.survey），或 do_not_contact / do_not_call / objects_to_profiling 表示取消该标记。',
              ),
            ),
          ),
          [],
        ),
        note: v.optional(v.nullable(v.pipe(v.string(renewalNoteText), v.trim(), v.maxLength(500, renewalNoteText))), null),
      },
      message('The consent record has customerRequest, renewed and note.', '同意记录包含 customerRequest、renewed 和 note。'),
    ),
    v.forward(
      v.check((record) => record.renewed.length === 0 || !!record.note, renewalNoteText),
      ['note'],
    ),
  ),
);
export type ConsentRecord = { customerRequest: boolean; renewed: ConsentFact[]; note: string | null };

/** A customer as staff create or edit it (and as the API takes it). */
export const CustomerInput = v.pipe(
  v.object({
    externalId: OptionalText(maxLengths.externalId),
    kind: v.optional(
      v.picklist(customerKinds, message('Choose individual or enterprise.', '请选择个人或企业。')),
      'individual',
    ),
    name: v.pipe(
      v.string(message('Enter the name.', '请输入名称。')),
      v.trim(),
      v.nonEmpty(message('Enter the name.', '请输入名称。')),
      v.maxLength(maxLengths.name, tooLong(maxLengths.name)),
    ),
    contactName: OptionalText(maxLengths.contactName),
    email: v.optional(
      v.nullable(
        v.pipe(
          v.string(),
          v.trim(),
          v.toLowerCase(),
          v.check(
            (text) => text === '' || isEmailAddress(text),
            message('Enter an email address like name@example.com.', '请输入有效的电子邮件地址，例如 name@example.com。'),
          ),
          v.maxLength(maxLengths.email, tooLong(maxLengths.email)),
          v.transform((text) => (text === '' ? null : text)),
        ),
      ),
      null,
    ),
    phone: v.optional(
      v.nullable(
        v.pipe(
          v.string(),
          v.trim(),
          v.check(
            (text) => text === '' || isPhoneNumber(text),
            message(
              'Enter a phone number: 5 to 20 digits, with spaces, +, - or parentheses if you like.',
              '请输入电话号码：5 到 20 位数字，可含空格、+、- 或括号。',
            ),
          ),
          v.transform((text) => (text === '' ? null : text)),
        ),
      ),
      null,
    ),
    postalAddress: OptionalText(maxLengths.postalAddress),
    locale: v.optional(v.picklist(locales, message('Choose Chinese (zh-CN) or English (en).', '请选择中文（zh-CN）或英文（en）。')), 'zh-CN'),
    timeZone: v.optional(
      v.pipe(
        v.string(),
        v.trim(),
        v.transform((text) => canonicalTimeZone(text) ?? ''),
        v.nonEmpty(message('Enter a time zone such as Asia/Shanghai.', '请输入时区，例如 Asia/Shanghai。')),
      ),
      'Asia/Shanghai',
    ),
    region: OptionalText(maxLengths.region),
    segment: OptionalText(maxLengths.segment),
    industry: OptionalText(maxLengths.industry),
    /**
     * A tier given here is set by hand: loyalty tracking leaves it and the customer page marks it. null hands the
     * tier back to loyalty tracking ("computed from value"); left out, the customer keeps what it has (a new
     * customer starts ordinary, computed).
     */
    tier: v.optional(
      v.nullable(
        v.picklist(customerTiers, message('Choose a tier: VIP, important or ordinary, or null for computed from value.', '请选择等级：贵宾、重要或普通，或 null 表示按价值计算。')),
      ),
    ),
    /** The staff member who owns the account (an active admin, manager or support agent); null for none; left out, kept. */
    ownerId: v.optional(
      v.nullable(
        v.pipe(
          v.string(message('"ownerId" is a staff member\'s id.', '"ownerId" 必须是员工的编号。')),
          v.trim(),
          v.maxLength(100, message('"ownerId" is a staff member\'s id.', '"ownerId" 必须是员工的编号。')),
          v.transform((text) => (text === '' ? null : text)),
        ),
      ),
    ),
    consents: ConsentsSchema,
    doNotContact: v.optional(v.boolean(), false),
    doNotCall: v.optional(v.boolean(), false),
    /** The customer objects to profiling (a consent fact like doNotContact); left out, the customer keeps what it has. */
    objectsToProfiling: v.optional(v.boolean(message('"objectsToProfiling" is true or false.', '"objectsToProfiling" 只能是 true 或 false。'))),
    /** Beside the consent fields: whose doing their changes are (see ConsentRecord). Not stored on the customer. */
    consentRecord: ConsentRecord,
    /** Left out, the customer keeps the channel it has; null clears it. */
    preferredChannel: v.optional(
      v.nullable(v.picklist(contactChannels, message('The preferred channel is email, phone or post.', '首选渠道只能是 email、phone 或 post。'))),
    ),
  }),
  v.forward(
    v.partialCheck(
      [['kind'], ['contactName']],
      (input) => input.kind !== 'enterprise' || !!input.contactName,
      message('An enterprise needs a contact person.', '企业客户需要填写联系人。'),
    ),
    ['contactName'],
  ),
);
export type CustomerInput = v.InferOutput<typeof CustomerInput>;
export type CustomerDraft = v.InferInput<typeof CustomerInput>;

// ---------- CSV import ----------

/** The largest file one import takes: about 400,000 customers. */
export const importLimitBytes = 64 * 1024 * 1024;

/** The customer fields a CSV column can fill; these are also the English column names the import knows. */
export const importFields = [
  'external_id',
  'name',
  'kind',
  'contact_name',
  'email',
  'phone',
  'postal_address',
  'locale',
  'time_zone',
  'region',
  'segment',
  'industry',
  'tier',
  'consent_email',
  'consent_phone',
  'consent_post',
  'do_not_contact',
  'do_not_call',
  'objects_to_profiling',
  'owner',
] as const;
export type ImportField = (typeof importFields)[number];
/** The field each column fills, by column position; null leaves the column out. */
export type ColumnMapping = (ImportField | null)[];

/** Other names a header may have, in English and Chinese; compared without case, spaces, _ or -. */
const headerAliases: Record<ImportField, string[]> = {
  external_id: ['customer id', 'customer no', 'customer number', 'id', 'external', '客户编号', '客户号', '编号', '客户id', '外部编号', '会员编号', '会员号'],
  name: ['customer name', 'full name', 'company', 'company name', '姓名', '名称', '客户名称', '客户姓名', '公司名称', '企业名称'],
  kind: ['type', 'customer type', 'customer kind', '类型', '客户类型', '客户类别'],
  contact_name: ['contact', 'contact person', '联系人', '联系人姓名'],
  email: ['e-mail', 'email address', 'mail', '邮箱', '电子邮件', '电子邮箱', '邮件', '邮箱地址'],
  phone: ['mobile', 'tel', 'telephone', 'phone number', 'mobile phone', 'cell', '电话', '手机', '手机号', '手机号码', '联系电话', '电话号码'],
  postal_address: ['address', 'mailing address', '地址', '邮寄地址', '通讯地址', '联系地址'],
  locale: ['language', 'lang', '语言'],
  time_zone: ['timezone', 'tz', '时区'],
  region: ['area', 'province', '地区', '区域', '省份', '所在地区'],
  segment: ['customer segment', '细分', '客户细分', '细分市场', '客户群'],
  industry: ['sector', '行业', '所属行业'],
  tier: ['level', 'grade', 'customer tier', 'customer level', '等级', '客户等级', '客户分级', '级别', '客户级别'],
  consent_email: ['email consent', '邮件同意', '电子邮件同意', '邮件授权'],
  consent_phone: ['phone consent', '电话同意', '电话授权'],
  consent_post: ['post consent', 'postal consent', '邮寄同意', '邮寄授权'],
  do_not_contact: ['dnc', '请勿联系', '勿扰', '拒绝联系', '免打扰'],
  do_not_call: ['请勿致电', '拒绝来电', '勿电'],
  objects_to_profiling: ['profiling objection', 'no profiling', 'objects to profiling', '反对画像', '反对用户画像', '拒绝画像'],
  owner: ['account owner', 'owner email', 'account manager', '负责人', '客户负责人', '客户经理', '归属员工'],
};

/** The field each header names, if any; a field named twice is taken by its first column only. */
export const proposeMapping: (header: readonly string[]) => ColumnMapping = mappingProposer(importFields, headerAliases);

/** What is wrong with a mapping as a whole, before any row is read; empty when it can be used. */
export function mappingProblems(mapping: readonly (string | null)[], columnCount: number): LocalizedText[] {
  const { problems, seen } = mappingShapeProblems(mapping, columnCount, importFields, (field) =>
    bilingual(`"${field}" is not a customer field.`, `“${field}” 不是客户字段。`),
  );
  if (!seen.has('external_id') && !seen.has('email')) {
    problems.push(
      bilingual(
        'Choose the column with the external id or the email: importing again finds customers by them, so nothing is added twice.',
        '请选择外部编号或电子邮件所在的列：再次导入时按它们找到已有客户，避免重复。',
      ),
    );
  }
  return problems;
}

/** What one row sets on a customer; a field left out (or an empty cell) keeps what the customer has. */
export interface CustomerPatch {
  externalId?: string;
  kind?: CustomerKind;
  name?: string;
  contactName?: string;
  email?: string;
  phone?: string;
  postalAddress?: string;
  locale?: Locale;
  timeZone?: string;
  region?: string;
  segment?: string;
  industry?: string;
  /** A tier an import gives is set by hand, as one chosen on the form is. */
  tier?: CustomerTier;
  /** Only the channels the row names; each replaces that channel's purposes. */
  consents?: Consents;
  doNotContact?: boolean;
  doNotCall?: boolean;
  objectsToProfiling?: boolean;
  /** The account owner, by the staff member's email (the import looks the staff member up). */
  ownerEmail?: string;
}

type Parsed<T> = { value: T } | { problem: LocalizedText };

const words = <T extends string>(table: Record<T, string[]>) =>
  new Map<string, T>(Object.entries<string[]>(table).flatMap(([value, names]) => names.map((name) => [name, value as T] as const)));

const tierWords = words<CustomerTier>({
  vip: ['vip', '贵宾', '贵宾型', '贵宾客户'],
  important: ['important', '重要', '重要型', '重要客户'],
  ordinary: ['ordinary', '普通', '普通型', '普通客户'],
});
const kindWords = words<CustomerKind>({
  individual: ['individual', 'person', 'personal', '个人', '个人客户'],
  enterprise: ['enterprise', 'company', 'business', 'organization', 'organisation', '企业', '公司', '单位', '企业客户'],
});
const localeWords = words<Locale>({
  'zh-CN': ['zh-cn', 'zh', 'zh_cn', 'zh-hans', 'chinese', '中文', '简体中文', '汉语'],
  en: ['en', 'en-us', 'en-gb', 'english', '英文', '英语'],
});
const booleanWords = words<'true' | 'false'>({
  true: ['yes', 'y', 'true', '1', '是'],
  false: ['no', 'n', 'false', '0', '否'],
});
const purposeWords = words<ContactPurpose | 'all' | 'none'>({
  survey: ['survey', 'surveys', '调查', '问卷', '满意度调查'],
  follow_up: ['follow_up', 'follow-up', 'followup', '回访', '跟进'],
  marketing: ['marketing', '营销', '推广'],
  all: ['all', '全部'],
  none: ['none', 'no', '无', '否'],
});

const problems = {
  tooLong: (max: number) => bilingual(`is longer than ${max} characters`, `超过 ${max} 个字符`),
  email: bilingual('is not an email address', '不是有效的电子邮件地址'),
  phone: bilingual('is not a phone number (5 to 20 digits; spaces, +, - and parentheses allowed)', '不是有效的电话号码（5 到 20 位数字，可含空格、+、- 和括号）'),
  timeZone: bilingual('is not a time zone such as Asia/Shanghai', '不是有效的时区（例如 Asia/Shanghai）'),
  tier: bilingual('must be vip, important or ordinary (贵宾, 重要, 普通)', '必须是 贵宾、重要 或 普通（vip、important、ordinary）'),
  kind: bilingual('must be individual or enterprise (个人, 企业)', '必须是 个人 或 企业（individual、enterprise）'),
  locale: bilingual('must be zh-CN or en (中文, 英文)', '必须是 中文 或 英文（zh-CN、en）'),
  boolean: bilingual('must be yes or no (是/否, true/false, 1/0)', '必须是 是 或 否（yes/no、true/false、1/0）'),
  ownerEmail: bilingual('must be the email a staff member signs in with', '必须是员工登录所用的电子邮件'),
  consent: bilingual(
    'must list purposes from survey, follow_up, marketing separated by ";" (or all, or none)',
    '必须列出用途：调查、回访、营销，用 “;” 分隔（或 全部、无）',
  ),
};

const lookup = <T>(table: Map<string, T>, problem: LocalizedText) => (cell: string): Parsed<T> => {
  const value = table.get(cell.toLowerCase());
  return value === undefined ? { problem } : { value };
};

const text = (max: number) => (cell: string): Parsed<string> =>
  cell.length > max ? { problem: problems.tooLong(max) } : { value: cell };

function consentList(cell: string): Parsed<ContactPurpose[]> {
  const purposes = new Set<ContactPurpose>();
  for (const token of cell.toLowerCase().split(/[;,|、；，\s]+/).filter(Boolean)) {
    const word = purposeWords.get(token);
    if (word === undefined) return { problem: problems.consent };
    if (word === 'all') contactPurposes.forEach((purpose) => purposes.add(purpose));
    else if (word !== 'none') purposes.add(word);
  }
  return { value: contactPurposes.filter((purpose) => purposes.has(purpose)) };
}

const yesNo = (cell: string): Parsed<boolean> => {
  const word = booleanWords.get(cell.toLowerCase());
  return word === undefined ? { problem: problems.boolean } : { value: word === 'true' };
};

/** How each field reads a (trimmed, non-empty) cell, and where the value goes in the patch. */
const cellReaders: { [F in ImportField]: (cell: string, patch: CustomerPatch) => LocalizedText | null } = {
  external_id: into('externalId', text(maxLengths.externalId)),
  name: into('name', text(maxLengths.name)),
  kind: into('kind', lookup(kindWords, problems.kind)),
  contact_name: into('contactName', text(maxLengths.contactName)),
  email: into('email', (cell) => {
    const address = cell.toLowerCase();
    if (address.length > maxLengths.email) return { problem: problems.tooLong(maxLengths.email) };
    return isEmailAddress(address) ? { value: address } : { problem: problems.email };
  }),
  phone: into('phone', (cell) => (isPhoneNumber(cell) ? { value: cell } : { problem: problems.phone })),
  postal_address: into('postalAddress', (cell) => text(maxLengths.postalAddress)(cell.replace(/\r\n?/g, '\n'))),
  locale: into('locale', lookup(localeWords, problems.locale)),
  time_zone: into('timeZone', (cell) => {
    const zone = canonicalTimeZone(cell);
    return zone ? { value: zone } : { problem: problems.timeZone };
  }),
  region: into('region', text(maxLengths.region)),
  segment: into('segment', text(maxLengths.segment)),
  industry: into('industry', text(maxLengths.industry)),
  tier: into('tier', lookup(tierWords, problems.tier)),
  consent_email: consentInto('email'),
  consent_phone: consentInto('phone'),
  consent_post: consentInto('post'),
  do_not_contact: into('doNotContact', yesNo),
  do_not_call: into('doNotCall', yesNo),
  objects_to_profiling: into('objectsToProfiling', yesNo),
  owner: into('ownerEmail', (cell) => {
    const address = cell.toLowerCase();
    return isEmailAddress(address) ? { value: address } : { problem: problems.ownerEmail };
  }),
};

function into<K extends Exclude<keyof CustomerPatch, 'consents'>>(key: K, read: (cell: string) => Parsed<NonNullable<CustomerPatch[K]>>) {
  return (cell: string, patch: CustomerPatch) => {
    const parsed = read(cell);
    if ('problem' in parsed) return parsed.problem;
    patch[key] = parsed.value;
    return null;
  };
}

function consentInto(channel: keyof Consents) {
  return (cell: string, patch: CustomerPatch) => {
    const parsed = consentList(cell);
    if ('problem' in parsed) return parsed.problem;
    patch.consents = { ...patch.consents, [channel]: parsed.value };
    return null;
  };
}

const shown = (cell: string) => (cell.length > 60 ? `${cell.slice(0, 57)}…` : cell);

/** `"email" is not an email address (got "bob@")`, naming the column as the file's header does. */
export function cellProblem(column: string, problem: LocalizedText, got?: string): LocalizedText {
  return bilingual(
    `"${column}" ${problem.en}${got === undefined ? '' : ` (got "${shown(got)}")`}`,
    `“${column}”${problem['zh-CN']}${got === undefined ? '' : `（收到 “${shown(got)}”）`}`,
  );
}

/** `row 17: …; …` — the reason a row was not imported, all its problems at once. */
export function rejectionReason(rowNumber: number, rowProblems: readonly LocalizedText[]): LocalizedText {
  return bilingual(
    `row ${rowNumber}: ${rowProblems.map((problem) => problem.en).join('; ')}`,
    `第 ${rowNumber} 行：${rowProblems.map((problem) => problem['zh-CN']).join('；')}`,
  );
}

export type RowReading = { ok: true; patch: CustomerPatch } | { ok: false; problems: LocalizedText[] };

/** Reads one data row through the mapping: the customer it describes, or every problem it has. */
export function readRow(cells: readonly string[], mapping: ColumnMapping, header: readonly string[]): RowReading {
  const misaligned = cellCountProblems(cells, header);
  if (misaligned) return misaligned;
  const patch: CustomerPatch = {};
  const found: LocalizedText[] = [];
  mapping.forEach((field, column) => {
    if (field === null) return;
    const cell = unescapeFormula(cells[column]!.trim());
    if (cell === '') return;
    const problem = cellReaders[field](cell, patch);
    if (problem) found.push(cellProblem(header[column] ?? field, problem, cell));
  });
  if (found.length === 0 && patch.externalId === undefined && patch.email === undefined) {
    found.push(
      bilingual(
        'it has neither an external id nor an email; add one, so that importing again updates this customer instead of adding it twice',
        '既没有外部编号也没有电子邮件；请补上其一，以便再次导入时更新该客户而不是重复添加',
      ),
    );
  }
  return found.length > 0 ? { ok: false, problems: found } : { ok: true, patch };
}
