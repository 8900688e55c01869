import { describe, expect, it } from 'vitest';
import { fillTemplate, invitationEmail, templateHtml } from './email.ts';
import { defaultInvitationEmail } from './settings.ts';

const values = { name: 'Ada', survey: 'How did we do?', link: 'https://survey.example.com/i/ABCD' };

describe('templates', () => {
  it('fills each placeholder once, leaving placeholders inside values as written', () => {
    expect(fillTemplate('Dear {{name}}, {{ survey }}: {{link}} {{other}}', values)).toBe('Dear Ada, How did we do?: https://survey.example.com/i/ABCD {{other}}');
    expect(fillTemplate('{{name}} {{link}}', { ...values, name: '{{link}}' })).toBe('{{link}} https://survey.example.com/i/ABCD');
  });

  it('escapes the template and every value in HTML, with paragraphs and a clickable link', () => {
    const html = templateHtml('Hi <{{name}}>\nline two\n\n{{link}}', { ...values, name: '<script>"x"</script>', link: 'https://x.example/i/A?b="c"' });
    expect(html).toBe(
      '<p>Hi &#60;&#60;script&#62;&#34;x&#34;&#60;/script&#62;&#62;<br>line two</p>\n' +
        '<p><a href="https://x.example/i/A?b=&#34;c&#34;">https://x.example/i/A?b=&#34;c&#34;</a></p>',
    );
  });
});

describe('the invitation email', () => {
  const input = {
    kind: 'invitation' as const,
    to: 'wang@example.com',
    locale: 'zh-CN' as const,
    customerName: '王芳',
    surveyTitle: { en: 'How did we do?', 'zh-CN': '请评价我们的服务' },
    template: defaultInvitationEmail,
    publicUrl: 'https://survey.example.com',
    token: '7K3MQ9TX7K3MQ9TX',
    topic: 'campaign:c1:invitation:i1',
  };

  it('is in the customer’s language with the personal link, the unsubscribe link and headers, and the open pixel', () => {
    const email = invitationEmail(input);
    expect(email.subject).toBe('诚邀您参加问卷：请评价我们的服务');
    expect(email.text).toContain('尊敬的王芳');
    expect(email.text).toContain('https://survey.example.com/i/7K3MQ9TX7K3MQ9TX');
    expect(email.text).toContain('如不想再收到我们的问卷邮件，请点此退订： https://survey.example.com/u/7K3MQ9TX7K3MQ9TX');
    expect(email.html).toContain('<html lang="zh-CN">');
    expect(email.html).toContain('<img src="https://survey.example.com/i/7K3MQ9TX7K3MQ9TX/open.gif" width="1" height="1" alt="">');
    expect(email.headers).toEqual({
      'List-Unsubscribe': '<https://survey.example.com/u/7K3MQ9TX7K3MQ9TX>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(email.topic).toBe('campaign:c1:invitation:i1');
  });

  it('says it is a reminder, and keeps the subject one line whatever the values hold', () => {
    const reminder = invitationEmail({ ...input, kind: 'reminder', locale: 'en', surveyTitle: { en: 'Two\nlines', 'zh-CN': 'x' } });
    expect(reminder.subject).toBe('Reminder: Your opinion, please: Two lines');
    expect(reminder.text.startsWith('A short reminder:')).toBe(true);
    expect(reminder.html).toContain('<p>A short reminder:');
  });
});
