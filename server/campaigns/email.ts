// The invitation and reminder emails, filled in from a campaign's template. Pure: no I/O.
import type { Locale } from '../../surveys/definition.ts';
import { escapeHtml } from '../web.ts';
import type { BilingualText } from './vocabulary.ts';

export interface TemplateValues {
  name: string;
  survey: string;
  link: string;
}

const placeholder = /\{\{\s*(name|survey|link)\s*\}\}/g;

/**
 * The template with {{name}}, {{survey}} and {{link}} filled in, in one pass, so a value that itself
 * contains "{{link}}" stays as written. `encode` is applied to every inserted value.
 */
export function fillTemplate(template: string, values: TemplateValues, encode: (value: string, key: keyof TemplateValues) => string = (value) => value) {
  return template.replace(placeholder, (_match, key: keyof TemplateValues) => encode(values[key], key));
}

/** The template as HTML: every piece of text escaped, paragraphs at blank lines, the link clickable. */
export function templateHtml(template: string, values: TemplateValues) {
  return template
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const parts = paragraph.split(placeholder);
      // split() with a capturing group alternates text, key, text, key…
      const html = parts
        .map((part, index) => {
          if (index % 2 === 0) return escapeHtml(part).replace(/\r?\n/g, '<br>');
          const value = values[part as keyof TemplateValues];
          return part === 'link' ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value);
        })
        .join('');
      return `<p>${html}</p>`;
    })
    .join('\n');
}

const words = {
  en: {
    reminderSubject: 'Reminder: ',
    reminderLead: 'A short reminder: we have not received your answers yet, and they would help us a great deal.',
    unsubscribe: 'To stop receiving survey emails from us, unsubscribe here:',
    unsubscribeLink: 'Unsubscribe from survey emails',
    customer: 'customer',
  },
  'zh-CN': {
    reminderSubject: '提醒：',
    reminderLead: '温馨提醒：我们还没有收到您的回答，您的意见对我们非常重要。',
    unsubscribe: '如不想再收到我们的问卷邮件，请点此退订：',
    unsubscribeLink: '退订问卷邮件',
    customer: '客户',
  },
} satisfies Record<Locale, Record<string, string>>;

export interface InvitationEmailInput {
  kind: 'invitation' | 'reminder';
  to: string;
  locale: Locale;
  customerName: string;
  surveyTitle: BilingualText;
  template: { subject: BilingualText; body: BilingualText };
  publicUrl: string;
  token: string;
  topic: string;
}

/** The invitation's own page, for an email, a letter's QR code, or a phone call's notes. */
export function personalLink(publicUrl: string, token: string) {
  return `${publicUrl.replace(/\/$/, '')}/i/${token}`;
}

export function unsubscribeLink(publicUrl: string, token: string) {
  return `${publicUrl}/u/${token}`;
}

/** The message to queue: text and HTML in the customer's language, the personal link, a working unsubscribe. */
export function invitationEmail(input: InvitationEmailInput) {
  const text = words[input.locale];
  const link = personalLink(input.publicUrl, input.token);
  const unsubscribe = unsubscribeLink(input.publicUrl, input.token);
  const values: TemplateValues = {
    name: input.customerName.trim() || text.customer,
    survey: input.surveyTitle[input.locale] || input.surveyTitle.en || input.surveyTitle['zh-CN'],
    link,
  };
  const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');
  const reminder = input.kind === 'reminder';
  const subject = `${reminder ? text.reminderSubject : ''}${fillTemplate(input.template.subject[input.locale], values, oneLine)}`.slice(0, 500);
  const bodyTemplate = input.template.body[input.locale];
  const plain = [
    ...(reminder ? [text.reminderLead, ''] : []),
    fillTemplate(bodyTemplate, values),
    '',
    '--',
    `${text.unsubscribe} ${unsubscribe}`,
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...(reminder ? [`<p>${escapeHtml(text.reminderLead)}</p>`] : []),
    templateHtml(bodyTemplate, values),
    `<p style="color:#666;font-size:12px"><a href="${escapeHtml(unsubscribe)}">${escapeHtml(text.unsubscribeLink)}</a></p>`,
    `<img src="${escapeHtml(`${link}/open.gif`)}" width="1" height="1" alt="">`,
    '</body></html>',
  ].join('\n');
  return {
    to: input.to,
    subject,
    text: plain,
    html,
    topic: input.topic,
    headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
