// Print-ready postal questionnaires: one PDF per campaign, one letter per invited customer, each starting on a
// new page, in the customer's language. The PDF is made as the reader takes it, a batch of letters at a time,
// so ten thousand letters never sit in memory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { and, asc, eq, gt, inArray, isNotNull, isNull } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { scaleOf } from '../../surveys/answers.ts';
import type { Condition, Locale, Question, SurveyDefinition } from '../../surveys/definition.ts';
import { bilingual } from '../../surveys/i18n.ts';
import { personalLink } from '../campaigns/email.ts';
import { contactPermission, formatCode, contactPurposeOf } from '../campaigns/rules.ts';
import { contactSubjectColumns } from '../campaigns/subject.ts';
import type { Db } from '../db/client.ts';
import { campaignInvitations, campaigns, customers, dbNow } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { frozenVersion } from '../responses/service.ts';

const mm = 72 / 25.4;
const page = { width: 210 * mm, height: 297 * mm };
const margin = { left: 20 * mm, right: 20 * mm, top: 18 * mm, bottom: 20 * mm };
const contentWidth = page.width - margin.left - margin.right;
const batchSize = 50;

const fontDir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '../fonts');
let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** Noto Sans Hans covers Chinese and Latin; read once per process (8 MB each). */
function fontFiles() {
  fonts ??= {
    regular: readFileSync(join(fontDir, 'NotoSansHans-Regular.otf')),
    bold: readFileSync(join(fontDir, 'NotoSansHans-Bold.otf')),
  };
  return fonts;
}

/** Every printed word of a letter in both languages. */
const words = {
  en: {
    responseCode: 'Response code',
    online: 'Or answer online: scan the code or open',
    intro: 'Please answer by ticking a box, or writing in the space given, and return this form in the enclosed envelope.',
    tickOne: 'Tick one box.',
    tickAny: 'Tick every box that applies.',
    other: 'Other:',
    yes: 'Yes',
    no: 'No',
    expectation: 'Expected',
    experience: 'Experienced',
    importance: 'Importance',
    page: (code: string, n: number) => `Response code ${code} · page ${n}`,
    blank: 'This page is intentionally left blank.',
    attention: 'Attn.',
  },
  'zh-CN': {
    responseCode: '答卷编码',
    online: '或在线作答：扫描二维码或打开',
    intro: '请在方框内打勾，或在横线上填写，填好后用随附的信封寄回。',
    tickOne: '请选一项。',
    tickAny: '可多选。',
    other: '其他：',
    yes: '是',
    no: '否',
    expectation: '期望',
    experience: '实际体验',
    importance: '重要程度',
    page: (code: string, n: number) => `答卷编码 ${code} · 第 ${n} 页`,
    blank: '此页有意留白。',
    attention: '联系人：',
  },
} satisfies Record<Locale, unknown>;

/** A show-if condition as a person reads it on paper. */
export function conditionInWords(condition: Condition, questions: readonly Question[], locale: Locale): string {
  const zh = locale === 'zh-CN';
  const index = questions.findIndex((question) => question.id === condition.question);
  const target = questions[index];
  const number = index + 1;
  const valueText = (value: string | number | boolean) => {
    if (typeof value === 'boolean') return value ? words[locale].yes : words[locale].no;
    if (target && (target.type === 'single_choice' || target.type === 'multiple_choice')) {
      const option = target.options.find((candidate) => candidate.id === value);
      if (option) return zh ? `“${option.label[locale]}”` : `"${option.label[locale]}"`;
    }
    return String(value);
  };
  switch (condition.op) {
    case 'answered':
      return zh ? `仅当第 ${number} 题已作答时回答` : `Only if you answered question ${number}`;
    case 'eq':
      return zh ? `仅当第 ${number} 题为 ${valueText(condition.value)} 时回答` : `Only if your answer to question ${number} is ${valueText(condition.value)}`;
    case 'neq':
      return zh ? `仅当第 ${number} 题不是 ${valueText(condition.value)} 时回答` : `Only if your answer to question ${number} is not ${valueText(condition.value)}`;
    case 'gte':
      return zh ? `仅当第 ${number} 题为 ${condition.value} 或以上时回答` : `Only if your answer to question ${number} is ${condition.value} or more`;
    case 'lte':
      return zh ? `仅当第 ${number} 题为 ${condition.value} 或以下时回答` : `Only if your answer to question ${number} is ${condition.value} or less`;
    case 'in': {
      const values = condition.value.map(valueText);
      return zh ? `仅当第 ${number} 题为 ${values.join('或')} 时回答` : `Only if your answer to question ${number} is ${values.join(' or ')}`;
    }
  }
}

export interface LetterRecipient {
  invitationId: string;
  token: string;
  locale: Locale;
  kind: 'individual' | 'enterprise';
  name: string;
  contactName: string | null;
  postalAddress: string | null;
}

/** The address block as it shows through a left window envelope: in Chinese the address first, then the addressee. */
export function addressLines(recipient: LetterRecipient): string[] {
  const address = (recipient.postalAddress ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const names = [recipient.name];
  if (recipient.kind === 'enterprise' && recipient.contactName) names.push(`${words[recipient.locale].attention} ${recipient.contactName}`);
  if (recipient.locale === 'zh-CN') return [...address, ...names.map((line, i) => (i === names.length - 1 ? `${line} 收` : line))];
  return [...names, ...address];
}

type Doc = PDFKit.PDFDocument;

/** Draws one customer's letter from a fresh page; returns the pages it took. */
function drawLetter(doc: Doc, recipient: LetterRecipient, definition: SurveyDefinition, sender: string, publicUrl: string): number {
  const locale = recipient.locale;
  const say = words[locale];
  const code = formatCode(recipient.token);
  let pages = 1;
  const footer = () => {
    // Below the bottom margin pdfkit would start a new page for the text; the footer may sit there.
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(7.5).fillColor('#555');
    doc.text(say.page(code, pages), margin.left, page.height - 12 * mm, { width: contentWidth, align: 'center', lineBreak: false });
    doc.fillColor('black');
    doc.page.margins.bottom = margin.bottom;
  };
  const newPage = () => {
    doc.addPage();
    pages += 1;
    footer();
    doc.y = margin.top;
  };
  /** Moves to a new page unless `height` fits below the current position. */
  const ensure = (height: number) => {
    if (doc.y + height > page.height - margin.bottom) newPage();
  };

  doc.addPage();
  footer();

  // Sender line and address block in the window of a DL/C5 envelope: 20 mm from the left, 45 mm from the top.
  const windowX = 20 * mm;
  const windowWidth = 85 * mm;
  doc.font('regular').fontSize(7).fillColor('#333').text(sender, windowX, 45 * mm, { width: windowWidth, lineBreak: false, ellipsis: true });
  doc.moveTo(windowX, 49 * mm).lineTo(windowX + windowWidth, 49 * mm).lineWidth(0.3).strokeColor('#999').stroke();
  doc.fillColor('black').font('regular').fontSize(10.5);
  doc.text(addressLines(recipient).join('\n'), windowX, 52 * mm, { width: windowWidth, height: 38 * mm, ellipsis: true });

  // The response code and the QR code to the personal web link, to the right of the window.
  const sideX = 120 * mm;
  const sideWidth = page.width - margin.right - sideX;
  doc.font('regular').fontSize(8).fillColor('#333').text(say.responseCode, sideX, 45 * mm, { width: sideWidth });
  doc.font('bold').fontSize(15).fillColor('black').text(code, sideX, 50 * mm, { width: sideWidth, lineBreak: false });
  const link = personalLink(publicUrl, recipient.token);
  drawQr(doc, link, sideX, 60 * mm, 26 * mm);
  doc.font('regular').fontSize(7.5).fillColor('#333');
  doc.text(`${say.online}\n${link}`, sideX + 29 * mm, 61 * mm, { width: sideWidth - 29 * mm });
  doc.fillColor('black');

  // The survey itself.
  doc.y = 100 * mm;
  doc.font('bold').fontSize(15).text(definition.title[locale], margin.left, doc.y, { width: contentWidth });
  doc.moveDown(0.3);
  if (definition.intro) doc.font('regular').fontSize(10).text(definition.intro[locale], { width: contentWidth }).moveDown(0.3);
  doc.font('regular').fontSize(9).fillColor('#333').text(say.intro, { width: contentWidth }).fillColor('black');
  doc.moveDown(0.8);

  definition.questions.forEach((question, index) => {
    ensure(questionHeight(doc, question, index, definition, locale));
    drawQuestion(doc, question, index, definition, locale);
  });

  // Each letter of more than one page takes an even number, so double-sided printing starts every letter on a front.
  if (pages > 1 && pages % 2 === 1) {
    newPage();
    doc.font('regular').fontSize(9).fillColor('#555').text(say.blank, margin.left, page.height / 2, { width: contentWidth, align: 'center' });
    doc.fillColor('black');
  }
  return pages;
}

function drawQr(doc: Doc, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 2;
  const cell = size / (count + quiet * 2);
  for (let row = 0; row < count; row++) {
    for (let column = 0; column < count; column++) {
      if (qr.modules.get(row, column)) doc.rect(x + (column + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fillColor('black').fill();
}

const box = 5 * mm;
const boxGap = 3 * mm;
const rowLabelWidth = 26 * mm;

/** The header of a question: number, title, help and the "only if" note. */
function headerText(question: Question, index: number, definition: SurveyDefinition, locale: Locale) {
  return {
    title: `${index + 1}. ${question.title[locale]}`,
    help: question.help?.[locale],
    only: question.showIf ? `(${conditionInWords(question.showIf, definition.questions, locale)})` : undefined,
  };
}

function bodyHeight(question: Question): number {
  switch (question.type) {
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces':
      return 14 * mm;
    case 'expectation_experience':
      return (question.withImportance ? 3 : 2) * 10 * mm + 6 * mm;
    case 'single_choice':
      return question.options.length * 6.5 * mm + 5 * mm;
    case 'multiple_choice':
      return (question.options.length + (question.allowOther ? 1 : 0)) * 6.5 * mm + 5 * mm;
    case 'text':
      return (question.multiline ? 3 : 1) * 8 * mm + 2 * mm;
    case 'consent':
      return 8 * mm;
  }
}

function questionHeight(doc: Doc, question: Question, index: number, definition: SurveyDefinition, locale: Locale): number {
  const header = headerText(question, index, definition, locale);
  let height = doc.font('bold').fontSize(10.5).heightOfString(header.title, { width: contentWidth });
  if (header.help) height += doc.font('regular').fontSize(8.5).heightOfString(header.help, { width: contentWidth });
  if (header.only) height += doc.font('regular').fontSize(8.5).heightOfString(header.only, { width: contentWidth });
  return height + bodyHeight(question) + 5 * mm;
}

function drawQuestion(doc: Doc, question: Question, index: number, definition: SurveyDefinition, locale: Locale) {
  const say = words[locale];
  const header = headerText(question, index, definition, locale);
  const x = margin.left;
  doc.font('bold').fontSize(10.5).fillColor('black').text(header.title, x, doc.y, { width: contentWidth });
  doc.font('regular').fontSize(8.5).fillColor('#444');
  if (header.only) doc.text(header.only, x, doc.y, { width: contentWidth });
  if (header.help) doc.text(header.help, x, doc.y, { width: contentWidth });
  doc.fillColor('black');
  doc.y += 2 * mm;
  switch (question.type) {
    case 'rating':
    case 'nps':
    case 'csat':
    case 'ces': {
      const top = doc.y;
      drawScale(doc, scaleOf(question), x, top, question.labels && { min: question.labels.min[locale], max: question.labels.max[locale] });
      doc.y = top + 14 * mm;
      break;
    }
    case 'expectation_experience': {
      const rows = [say.expectation, say.experience, ...(question.withImportance ? [say.importance] : [])];
      const scale = scaleOf(question);
      const start = doc.y;
      rows.forEach((label, row) => {
        const top = start + row * 10 * mm;
        doc.font('regular').fontSize(9).text(label, x, top + 3.5 * mm, { width: rowLabelWidth, lineBreak: false });
        drawScale(doc, scale, x + rowLabelWidth, top, row === rows.length - 1 && question.labels ? { min: question.labels.min[locale], max: question.labels.max[locale] } : undefined);
      });
      doc.y = start + rows.length * 10 * mm + 6 * mm;
      break;
    }
    case 'single_choice':
    case 'multiple_choice': {
      doc.font('regular').fontSize(8).fillColor('#444').text(question.type === 'single_choice' ? say.tickOne : say.tickAny, x, doc.y).fillColor('black');
      let top = doc.y + 1 * mm;
      question.options.forEach((option, n) => {
        drawTickBox(doc, x, top, `${n + 1}`, option.label[locale]);
        top += 6.5 * mm;
      });
      if (question.type === 'multiple_choice' && question.allowOther) {
        doc.font('regular').fontSize(9.5).text(say.other, x + 12 * mm, top - 0.2 * mm, { lineBreak: false });
        doc.moveTo(x + 14 * mm + doc.widthOfString(say.other), top + 4.5 * mm).lineTo(x + contentWidth, top + 4.5 * mm).lineWidth(0.4).strokeColor('#777').stroke();
        top += 6.5 * mm;
      }
      doc.y = top + 2 * mm;
      break;
    }
    case 'text': {
      const lines = question.multiline ? 3 : 1;
      for (let line = 1; line <= lines; line++) {
        const y = doc.y + line * 8 * mm;
        doc.moveTo(x, y).lineTo(x + contentWidth, y).lineWidth(0.4).strokeColor('#777').stroke();
      }
      doc.y += lines * 8 * mm + 2 * mm;
      break;
    }
    case 'consent': {
      const top = doc.y;
      drawTickBox(doc, x, top, '1', say.yes);
      drawTickBox(doc, x + 40 * mm, top, '2', say.no);
      doc.y = top + 8 * mm;
      break;
    }
  }
  doc.strokeColor('black');
  doc.y += 3 * mm;
  doc.x = x;
}

/** A tick box with the number a clerk types for it and the option's words. */
function drawTickBox(doc: Doc, x: number, y: number, number: string, label: string) {
  doc.font('regular').fontSize(8).fillColor('#444').text(number, x, y + 0.7 * mm, { width: 4 * mm, align: 'right', lineBreak: false });
  doc.rect(x + 5.5 * mm, y, 4 * mm, 4 * mm).lineWidth(0.6).strokeColor('black').stroke();
  doc.font('regular').fontSize(9.5).fillColor('black').text(label, x + 12 * mm, y - 0.2 * mm, { width: contentWidth - 12 * mm, lineBreak: false, ellipsis: true });
}

/** Numbered boxes from the scale's lowest to highest value, with the end labels beneath. */
function drawScale(doc: Doc, scale: { min: number; max: number }, x: number, y: number, labels?: { min: string; max: string }) {
  let left = x;
  for (let value = scale.min; value <= scale.max; value++) {
    doc.font('regular').fontSize(8).fillColor('#444').text(String(value), left, y, { width: box, align: 'center', lineBreak: false });
    doc.rect(left, y + 3.5 * mm, box, box).lineWidth(0.6).strokeColor('black').stroke();
    left += box + boxGap;
  }
  if (labels) {
    const right = left - boxGap;
    doc.font('regular').fontSize(7.5).fillColor('#444');
    doc.text(labels.min, x, y + 9.5 * mm, { width: 40 * mm, lineBreak: false });
    doc.text(labels.max, right - 40 * mm, y + 9.5 * mm, { width: 40 * mm, align: 'right', lineBreak: false });
  }
  doc.fillColor('black');
}

export interface LetterOptions {
  campaignId: string;
  /** One letter only: this invitation's. */
  invitationId?: string | undefined;
  publicUrl: string;
  /** The sender line above the address. */
  sender: string;
  /** Plain content streams, so tests can read the text back. */
  compress?: boolean;
  /** Told the customers of each batch of letters drawn (their names and addresses printed): the access log. */
  onPrinted?: (customerIds: string[]) => void;
}

const nothingToPrint = () =>
  new DomainError(
    'conflict',
    bilingual(
      'This campaign has no postal invitations to print. Launch it with delivery by post, or check the customers have postal addresses.',
      '此活动没有可打印的邮寄邀请。请以邮寄方式启动活动，或检查客户是否填写了邮寄地址。',
    ),
  );

const mayNotWrite = () =>
  new DomainError(
    'conflict',
    bilingual(
      'This customer may no longer be written to: they withdrew consent to postal surveys, asked not to be contacted, or have no postal address any more.',
      '不能再给该客户寄信：客户已撤回邮寄问卷的同意、要求不再联系，或已没有邮寄地址。',
    ),
  );

/**
 * The campaign's letters as a PDF stream. Checks run before the first byte, so a wrong id or an empty campaign
 * is a clear error, not a broken file. Every letter written is marked delivered ("printed"); a customer who
 * may no longer be written to (the contact rule on the customer's current row) gets none.
 */
export async function letterStream(db: Db, options: LetterOptions): Promise<{ stream: ReadableStream<Uint8Array> }> {
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, options.campaignId));
  if (!campaign) {
    throw new DomainError('not_found', bilingual('No campaign has this id. Open it from the campaign list.', '没有此编号的活动，请从活动列表中打开。'));
  }
  const version = campaign.versionId ? await frozenVersion(db, campaign.versionId) : undefined;
  if (!version) {
    throw new DomainError('conflict', bilingual('This campaign has not been launched yet, so there are no letters. Launch it first.', '此活动尚未启动，还没有信件。请先启动活动。'));
  }
  const purpose = contactPurposeOf(version.definition.kind);
  const printable = and(
    eq(campaignInvitations.campaignId, campaign.id),
    eq(campaignInvitations.delivery, 'post'),
    isNotNull(campaignInvitations.token),
    options.invitationId ? eq(campaignInvitations.id, options.invitationId) : undefined,
  );
  // The customer's current row decides, by the one contact rule: one who withdrew post consent, became
  // do-not-contact or has no address any more since launch gets no letter.
  const batchAfter = async (after: string) => {
    const rows = await db
      .select({
        invitationId: campaignInvitations.id,
        customerId: campaignInvitations.customerId,
        token: campaignInvitations.token,
        locale: campaignInvitations.locale,
        kind: customers.kind,
        name: customers.name,
        contactName: customers.contactName,
        ...contactSubjectColumns,
      })
      .from(campaignInvitations)
      .innerJoin(customers, eq(customers.id, campaignInvitations.customerId))
      .where(and(printable, gt(campaignInvitations.id, after)))
      .orderBy(asc(campaignInvitations.id))
      .limit(batchSize);
    return { rows, letters: rows.filter((row) => contactPermission(row, 'post', purpose).ok) };
  };
  let anyLetter = false;
  let anyInvitation = false;
  for (let after = ''; ; ) {
    const { rows, letters } = await batchAfter(after);
    anyInvitation ||= rows.length > 0;
    if (letters.length > 0) anyLetter = true;
    if (anyLetter || rows.length < batchSize) break;
    after = rows.at(-1)!.invitationId;
  }
  if (!anyLetter) {
    if (options.invitationId && !anyInvitation) {
      throw new DomainError('not_found', bilingual('This campaign has no postal invitation with this id.', '此活动没有此编号的邮寄邀请。'));
    }
    if (options.invitationId) throw mayNotWrite();
    throw nothingToPrint();
  }

  const doc = new PDFDocument({
    size: 'A4',
    autoFirstPage: false,
    compress: options.compress ?? true,
    margins: margin,
    info: { Title: `${campaign.name}`, Creator: 'Satisfaction & Complaints' },
  });
  const { regular, bold } = fontFiles();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);

  let after = '';
  let finished = false;
  const definition = version.definition;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      doc.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
      doc.on('end', () => controller.close());
      doc.on('error', (error) => controller.error(error));
    },
    // Called whenever the reader has taken what was made: the next batch of letters is drawn only then.
    async pull() {
      if (finished) return;
      const { rows: batch, letters } = await batchAfter(after);
      for (const row of letters) drawLetter(doc, { ...row, token: row.token! }, definition, options.sender, options.publicUrl);
      if (letters.length > 0) options.onPrinted?.(letters.map((row) => row.customerId));
      if (batch.length > 0) after = batch.at(-1)!.invitationId;
      if (letters.length > 0) {
        await db
          .update(campaignInvitations)
          .set({ deliveredAt: dbNow })
          .where(and(inArray(campaignInvitations.id, letters.map((row) => row.invitationId)), isNull(campaignInvitations.deliveredAt)));
      }
      if (batch.length < batchSize) {
        finished = true;
        doc.end();
      }
    },
    cancel() {
      finished = true;
    },
  });
  return { stream };
}
