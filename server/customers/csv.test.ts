import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvLine, CsvError, CsvReader, detectDelimiter, detectEncoding, parseCsv, unescapeFormula } from './csv.ts';

describe('detectEncoding', () => {
  it('takes valid UTF-8, with or without a BOM, and plain ASCII for UTF-8', () => {
    expect(detectEncoding(new TextEncoder().encode('姓名,邮箱\n张三,a@b.cn\n'))).toBe('utf-8');
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('name\n')]))).toBe('utf-8');
    expect(detectEncoding(new TextEncoder().encode('name,email\n'))).toBe('utf-8');
  });

  it('takes bytes that are not UTF-8 for GB18030', () => {
    expect(detectEncoding(iconv.encode('姓名,邮箱\n张三,a@b.cn\n', 'gb18030'))).toBe('gb18030');
  });

  it('does not mistake a character cut off at the end of the sample for bad UTF-8', () => {
    const bytes = new TextEncoder().encode('名字');
    expect(detectEncoding(bytes.subarray(0, 4))).toBe('utf-8');
  });
});

describe('detectDelimiter', () => {
  it('finds tabs or commas on the first line', () => {
    expect(detectDelimiter('姓名\t邮箱\t地区\n张三\ta@b.cn\t上海')).toBe('\t');
    expect(detectDelimiter('name,email\nA,a@b.cn')).toBe(',');
    expect(detectDelimiter('"Ltd, Inc"\tx\ty\n')).toBe('\t');
    expect(detectDelimiter('name\n')).toBe(',');
  });
});

describe('CsvReader', () => {
  it('reads quoted cells holding delimiters, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\nlines"\r\nd,e,f,g', ',')).toEqual([
      ['a', 'b,c', 'say "hi"', 'two\nlines'],
      ['d', 'e', 'f', 'g'],
    ]);
  });

  it('reads tab-separated text, empty cells and a blank line', () => {
    expect(parseCsv('a\t\tc\n\nd\te\t\n', '\t')).toEqual([['a', '', 'c'], [''], ['d', 'e', '']]);
  });

  it('gives the same records whichever way the text is cut into pieces', () => {
    const text = 'id,name,note\r\n1,"Li, Wei","a ""quoted""\r\nline"\r\n2,Bob,plain\r3,Eve,"end"';
    const whole = parseCsv(text, ',');
    for (let size = 1; size <= 7; size += 1) {
      const reader = new CsvReader(',');
      const records: string[][] = [];
      for (let at = 0; at < text.length; at += size) records.push(...reader.push(text.slice(at, at + size)));
      records.push(...reader.end().records);
      expect(records, `pieces of ${size}`).toEqual(whole);
    }
    expect(whole).toHaveLength(4);
  });

  it('counts records and says when a quoted cell never closes', () => {
    const reader = new CsvReader(',');
    expect(reader.push('a,b\nc,"d\n')).toEqual([['a', 'b']]);
    expect(reader.recordCount).toBe(1);
    expect(reader.end()).toEqual({ records: [['c', 'd\n']], unclosedQuote: true });
    expect(reader.recordCount).toBe(2);
  });

  it('keeps a quote inside an unquoted cell as it is', () => {
    expect(parseCsv('5" screen,ok\n', ',')).toEqual([['5" screen', 'ok']]);
  });

  it('refuses a record longer than its limit instead of holding the whole file', () => {
    const reader = new CsvReader(',', { maxRecordChars: 10 });
    expect(() => reader.push('"never closed and long')).toThrow(CsvError);
  });
});

describe('csvLine', () => {
  it('quotes what needs quoting', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded'])).toBe('plain,"a,b","say ""hi""","two\nlines"," padded"\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvLine(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', 'safe=1'])).toBe(
      `"'=HYPERLINK(""http://x"")",'+1,'-2,'@SUM(A1),safe=1\r\n`,
    );
    expect(csvLine(['\tcmd'])).toBe(`'\tcmd\r\n`);
  });

  it('writes numbers as numbers, negative ones too', () => {
    expect(csvLine([-12.5, 0.25, '-12.5', Number.NaN])).toBe(`-12.5,0.25,'-12.5,\r\n`);
  });

  it('is undone by unescapeFormula, so a corrected report imports again', () => {
    expect(unescapeFormula("'+86 138 0000 0000")).toBe('+86 138 0000 0000');
    expect(unescapeFormula("'quoted")).toBe("'quoted");
    expect(parseCsv(csvLine(['=1+1', 'x']), ',')[0]!.map(unescapeFormula)).toEqual(['=1+1', 'x']);
  });
});
