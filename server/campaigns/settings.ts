// What a campaign may be set up with, per delivery, and the defaults it gets. Pure: no I/O.
import * as v from 'valibot';
import { message } from '../../surveys/i18n.ts';
import { minutesOf } from './rules.ts';
import type { BilingualText, CampaignDelivery, CampaignSettings } from './vocabulary.ts';

const wholeNumber = (min: number, max: number, what: { en: string; zh: string }) => {
  const text = message(`${what.en} must be a whole number from ${min} to ${max}.`, `${what.zh}必须是 ${min} 到 ${max} 之间的整数。`);
  return v.pipe(v.number(text), v.integer(text), v.minValue(min, text), v.maxValue(max, text));
};

const oneLine = (en: string, zh: string, maxLength: number) =>
  v.pipe(
    v.string(message(`${en} must be text.`, `${zh}必须是文本。`)),
    v.trim(),
    v.nonEmpty(message(`${en} is empty; write it in both languages.`, `${zh}为空；请用两种语言填写。`)),
    v.regex(/^[^\r\n]*$/, message(`${en} must be one line.`, `${zh}必须是一行。`)),
    v.maxLength(maxLength, message(`${en} is longer than ${maxLength} characters.`, `${zh}超过 ${maxLength} 个字符。`)),
  );

const emailBody = v.pipe(
  v.string(message('The email body must be text.', '邮件正文必须是文本。')),
  v.trim(),
  v.nonEmpty(message('The email body is empty; write it in both languages.', '邮件正文为空；请用两种语言填写。')),
  v.maxLength(5000, message('The email body is longer than 5000 characters.', '邮件正文超过 5000 个字符。')),
  v.includes('{{link}}', message('The email body must contain {{link}}, where the personal survey link goes.', '邮件正文必须包含 {{link}}，用于放置专属问卷链接。')),
);

const clock = v.pipe(
  v.string(message('A time of day is written HH:MM, e.g. 09:00.', '时间应写作 HH:MM，例如 09:00。')),
  v.check((text) => minutesOf(text) !== null, message('A time of day is written HH:MM, e.g. 09:00.', '时间应写作 HH:MM，例如 09:00。')),
);

export const defaultInvitationEmail: { subject: BilingualText; body: BilingualText } = {
  subject: { en: 'Your opinion, please: {{survey}}', 'zh-CN': '诚邀您参加问卷：{{survey}}' },
  body: {
    en: 'Dear {{name}},\n\nWe would value a few minutes of your time for our survey "{{survey}}". Your answers help us serve you better.\n\n{{link}}\n\nThis link is personal to you: please do not forward it.\n\nThank you.',
    'zh-CN': '尊敬的{{name}}：\n\n诚邀您花几分钟时间参加我们的问卷“{{survey}}”。您的意见将帮助我们更好地为您服务。\n\n{{link}}\n\n此链接为您专属，请勿转发。\n\n谢谢！',
  },
};

const EmailSettings = v.optional(
  v.object({
    subject: v.object({ en: oneLine('The email subject', '邮件主题', 200), 'zh-CN': oneLine('The email subject', '邮件主题', 200) }),
    body: v.object({ en: emailBody, 'zh-CN': emailBody }),
  }),
  () => structuredClone(defaultInvitationEmail),
);

const ReminderSettings = v.optional(
  v.object({
    afterDays: v.optional(wholeNumber(1, 60, { en: 'Days before a reminder', zh: '提醒前的天数' }), 3),
    max: v.optional(wholeNumber(0, 5, { en: 'The number of reminders', zh: '提醒次数' }), 2),
  }),
  {},
);

const PhoneSettings = v.optional(
  v.object({
    maxAttempts: v.optional(wholeNumber(1, 20, { en: 'Calls per customer', zh: '每位客户的呼叫次数' }), 5),
    callingHours: v.optional(
      v.pipe(
        v.object({ start: clock, end: clock }),
        v.check((hours) => hours.start !== hours.end, message('Calling hours must not start and end at the same time.', '呼叫时段的开始和结束时间不能相同。')),
      ),
      { start: '09:00', end: '20:00' },
    ),
    script: v.optional(
      v.object({
        en: v.pipe(v.string(), v.maxLength(10_000, message('The phone script is longer than 10000 characters.', '电话脚本超过 10000 个字符。'))),
        'zh-CN': v.pipe(v.string(), v.maxLength(10_000, message('The phone script is longer than 10000 characters.', '电话脚本超过 10000 个字符。'))),
      }),
    ),
  }),
  {},
);

const PostSettings = v.optional(
  v.object({ doubleKeying: v.optional(v.boolean(message('Double keying is on (true) or off (false).', '双人录入只能是开启（true）或关闭（false）。')), false) }),
  {},
);

const KioskSettings = v.object(
  {
    location: v.pipe(
      v.string(message('Say where the kiosk stands, e.g. "Store 12, entrance".', '请填写自助终端所在位置，例如“12 号门店入口”。')),
      v.trim(),
      v.nonEmpty(message('Say where the kiosk stands, e.g. "Store 12, entrance".', '请填写自助终端所在位置，例如“12 号门店入口”。')),
      v.maxLength(200, message('The location is longer than 200 characters.', '位置超过 200 个字符。')),
    ),
    idleSeconds: v.optional(wholeNumber(10, 3600, { en: 'Seconds before the kiosk resets', zh: '自助终端重置前的秒数' }), 60),
  },
  message('A kiosk campaign needs its settings: where the kiosk stands.', '自助终端调查需要设置：终端所在位置。'),
);

const EventSettings = v.optional(
  v.object({
    delayHours: v.optional(wholeNumber(0, 720, { en: 'Hours after the event', zh: '事件后的小时数' }), 24),
    eventTypes: v.optional(
      v.pipe(
        v.array(
          v.pipe(
            v.string(),
            v.trim(),
            v.regex(/^[a-z][a-z0-9_.-]{0,59}$/, message('An event type is lower-case letters, digits, "_", "." or "-", e.g. purchase.', '事件类型由小写字母、数字、"_"、"." 或 "-" 组成，例如 purchase。')),
          ),
          message('Event types are a list of names.', '事件类型必须是名称列表。'),
        ),
        v.maxLength(50, message('At most 50 event types.', '事件类型最多 50 个。')),
      ),
      [],
    ),
  }),
  {},
);

const settingsShape = message('Settings must be an object.', '设置必须是一个对象。');

/** The settings each delivery takes; keys for other deliveries are dropped. Event invitations may go by email or phone. */
export const campaignSettingsSchemas = {
  email: v.object({ email: EmailSettings, reminders: ReminderSettings }, settingsShape),
  post: v.object({ post: PostSettings }, settingsShape),
  phone: v.object({ phone: PhoneSettings }, settingsShape),
  // A missing key is reported with the outer object's message, so the kiosk one says what is needed.
  kiosk: v.object({ kiosk: KioskSettings }, message('A kiosk campaign needs its settings: where the kiosk stands.', '自助终端调查需要设置：终端所在位置。')),
  event: v.object({ event: EventSettings, email: EmailSettings, phone: PhoneSettings }, settingsShape),
} satisfies Record<CampaignDelivery, v.GenericSchema<unknown, CampaignSettings>>;

/** The settings a campaign gets: what was given, checked for its delivery, with every default filled in. */
export function settingsResult(delivery: CampaignDelivery, input: unknown, lang: 'en' | 'zh-CN') {
  return v.safeParse(campaignSettingsSchemas[delivery] as v.GenericSchema<unknown, CampaignSettings>, input ?? {}, { lang });
}

/** The contact rule as an admin sets it. */
export const ContactRuleSchema = v.object({
  minDaysBetween: wholeNumber(1, 365, { en: 'Days between invitations', zh: '两次邀请间隔天数' }),
  postPerYear: wholeNumber(0, 12, { en: 'Postal questionnaires per year', zh: '每年邮寄问卷数' }),
});
