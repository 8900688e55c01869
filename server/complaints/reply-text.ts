// What a customer wrote in an email reply, without the earlier message their mail program quoted below it and
// without their signature. Pure: the inbound listener (inbound.ts) calls it on the text mailparser gives.

/** The most characters of one reply kept; a longer one is cut with a note. */
export const maxReplyChars = 10_000;

// A line that starts the quoted earlier message: everything from it on is the earlier message.
const quoteHeaders: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird: "On Tue, 3 Mar 2026 at 10:00, Support <reply+…@…> wrote:"
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  // Outlook, Foxmail, QQ Mail and many others
  /^\s*-{2,}\s*(Original Message|Forwarded message|原始邮件|原始郵件|回复的原邮件)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
  // Chinese clients: "在 2026年3月3日 10:00，客服 <…> 写道：" / "… 写道:"
  /^\s*在.{0,300}写道[:：]\s*$/,
  /^.{0,300}\b写道[:：]\s*$/,
];

// An Outlook-style header block of the earlier message: From:, Sent:, To:, Subject: on consecutive lines.
const headerBlockStart = /^\s*(\*?From\*?|发件人|寄件者)\s*[:：]/i;
const headerBlockNext = /^\s*(\*?(Sent|Date|To|Cc|Subject)\*?|发送时间|日期|收件人|抄送|主题|主旨)\s*[:：]/i;

// A signature: the standard "-- " line, and the lines phones add.
const signatureStart = /^-- ?$/;
const sentFrom = /^\s*(Sent from my \S.*|Sent from (Mail|Outlook) for .*|Get Outlook for .*|发自我的\S.*|来自我的\S.*|从我的\S+发送)\s*$/i;

/**
 * The customer's own words from a reply's plain text: quoted lines ("> …") dropped, and the text cut at the
 * first line that introduces the earlier message or a signature. Runs of blank lines become one, ends are
 * trimmed. When nothing would be left (a reply written below the quote), the quoted lines are kept out but
 * the rest stays.
 */
export function replyText(text: string): string {
  // Control characters, and the replacement character a decoder leaves for bytes it could not read, carry nothing.
  const lines = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g, '').replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (quoteHeaders.some((pattern) => pattern.test(line))) break;
    // "On …" split over two lines by the mail program: "On Tue, 3 Mar 2026, Support" / "<…> wrote:"
    if (/^\s*On\b/i.test(line) && /^\s*.{0,200}\bwrote:\s*$/i.test(lines[index + 1] ?? '')) break;
    if (headerBlockStart.test(line) && headerBlockNext.test(lines[index + 1] ?? '')) break;
    if (signatureStart.test(line) || sentFrom.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line.replace(/\s+$/, ''));
  }
  let result = tidy(kept);
  if (result === '') {
    // Everything above the first marker was empty: the customer wrote below the quote (bottom-posting).
    result = tidy(lines.filter((line) => !/^\s*>/.test(line) && !quoteHeaders.some((pattern) => pattern.test(line))));
  }
  return result.length > maxReplyChars ? `${result.slice(0, maxReplyChars)}…` : result;
}

function tidy(lines: string[]): string {
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
