import { describe, expect, it } from 'vitest';
import { maxReplyChars, replyText } from './reply-text.ts';

describe('replyText', () => {
  const cases: [string, string, string][] = [
    ['plain text stays', 'The parcel is still missing.\n\nThanks, Li', 'The parcel is still missing.\n\nThanks, Li'],
    [
      'Gmail quote header and quoted lines go',
      'Still broken.\n\nOn Tue, 3 Mar 2026 at 10:00, Support <reply+abc@support.example.com> wrote:\n> We sent a new one.\n> Regards',
      'Still broken.',
    ],
    [
      'a quote header split over two lines',
      'Yes it arrived.\n\nOn Tue, 3 Mar 2026 at 10:00, Customer Service\n<reply+abc@support.example.com> wrote:\n> Did it arrive?',
      'Yes it arrived.',
    ],
    [
      'Outlook header block',
      'Please call me.\r\n\r\nFrom: Support <reply+abc@support.example.com>\r\nSent: Tuesday, 3 March 2026 10:00\r\nTo: Li\r\nSubject: [C-2026-000123] Your complaint\r\n\r\nWe are looking into it.',
      'Please call me.',
    ],
    ['Original Message separator', '收到，谢谢。\n\n-----Original Message-----\nFrom: x', '收到，谢谢。'],
    ['Chinese quote header', '还是没有收到退款。\n\n在 2026年3月3日 10:00，客服 <reply+abc@support.example.com> 写道：\n> 已为您退款。', '还是没有收到退款。'],
    ['Chinese Foxmail block', '好的\n\n发件人: 客服\n发送时间: 2026年3月3日 10:00\n收件人: 李\n主题: 投诉', '好的'],
    ['QQ Mail separator', '好的\n\n------------------ 原始邮件 ------------------', '好的'],
    ['signature delimiter', 'Thanks for the refund.\n-- \nLi Wei\nAcme Ltd.', 'Thanks for the refund.'],
    ['phone signature', 'It works now\n\nSent from my iPhone', 'It works now'],
    ['Chinese phone signature', '已经好了\n\n发自我的iPhone', '已经好了'],
    ['runs of blank lines become one', 'a\n\n\n\n\nb', 'a\n\nb'],
    ['NUL bytes, other control characters and undecodable bytes go', 'a\u0000b\u0007c\td\ufffd\ufffd', 'abc\td'],
    ['a reply written below the quote is kept', '> Did it arrive?\n> Support\n\nNo, it did not.', 'No, it did not.'],
    ['empty stays empty', '   \n\n', ''],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(replyText(input)).toBe(expected));
  }

  it('cuts a very long reply with a mark', () => {
    const text = replyText('x'.repeat(maxReplyChars + 50));
    expect(text).toHaveLength(maxReplyChars + 1);
    expect(text.endsWith('…')).toBe(true);
  });

  it('reads long lines of quote-like text (its patterns are bounded, so this returns)', () => {
    const hostile = `On ${'a '.repeat(50_000)}\n${'在'.repeat(50_000)}\n`;
    expect(replyText(hostile).length).toBeGreaterThan(0);
  });
});
