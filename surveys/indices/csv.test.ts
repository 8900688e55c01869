import { describe, expect, it } from 'vitest';
import { numericColumns, numericTable, parseCsv, readNumericCsv } from './csv.ts';
import { momentsFromTable } from './moments.ts';
import { readNumericMoments } from './numeric-csv.ts';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const csv = parseCsv('"","name","note"\r\n"1","Wang, Li","said ""fine""\nthen left"\r\n2,Zhao,\r\n');
    expect(csv.header).toEqual(['', 'name', 'note']);
    expect(csv.rows).toEqual([
      ['1', 'Wang, Li', 'said "fine"\nthen left'],
      ['2', 'Zhao', ''],
    ]);
    expect(csv.lines).toEqual([2, 4]);
  });

  it('skips a byte-order mark and blank lines, with or without a final newline', () => {
    const csv = parseCsv('\uFEFFa,b\n\n1,2\n\n3,4');
    expect(csv.header).toEqual(['a', 'b']);
    expect(csv.rows).toEqual([['1', '2'], ['3', '4']]);
    expect(csv.lines).toEqual([3, 5]);
  });

  it('says which line breaks the format', () => {
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow('line 2 has 3 fields but the header row has 2');
    expect(() => parseCsv('a,b\n1,"2\n')).toThrow('line 2: a quoted field is never closed');
    expect(() => parseCsv('a,b\n1,2"x\n')).toThrow('line 2: a quote inside an unquoted field; quote the whole field');
    expect(() => parseCsv('a,b\n1,"2"x\n')).toThrow('line 2: unexpected text after a closing quote');
    expect(() => parseCsv('{\n  "constructs": {}\n}')).toThrow(/line 2/);
    expect(() => parseCsv('  \n')).toThrow('the CSV file is empty; it needs a header row of column names');
    expect(() => parseCsv('a\u0000b')).toThrow(/not a CSV text file/);
  });
});

describe('numericColumns', () => {
  it('keeps the named columns as numbers, ignoring the rest; empty or NA is missing', () => {
    const table = numericColumns(parseCsv('"","x","y"\n"1",3,-1.5\n"2",,2e1\n"3",NA, 4 \n'), ['y', 'x']);
    expect(table.rowCount).toBe(3);
    expect(Object.keys(table.columns)).toEqual(['y', 'x']);
    expect([...table.columns.y!]).toEqual([-1.5, 20, 4]);
    expect([...table.columns.x!]).toEqual([3, Number.NaN, Number.NaN]);
  });

  it('names the line and column of a cell that is not a number', () => {
    expect(() => numericColumns(parseCsv('x,y\n1,2\n3,abc\n'), ['x', 'y'])).toThrow(
      'line 3, column "y": "abc" is not a number (leave the cell empty for a missing answer)',
    );
    expect(() => numericColumns(parseCsv('x\n0x10\n'), ['x'])).toThrow(/"0x10" is not a number/);
  });

  it('rejects a missing or repeated column', () => {
    expect(() => numericColumns(parseCsv('x\n1\n'), ['x', 'z'])).toThrow('the CSV has no column "z"');
    expect(() => numericColumns(parseCsv('x,x\n1,2\n'), ['x'])).toThrow('column "x" appears twice in the header row');
  });
});

describe('readNumericCsv', () => {
  /** What the full reader says: the table, or the error's message. */
  const slow = (text: string, names: string[]) => {
    try {
      return numericColumns(parseCsv(text), names);
    } catch (error) {
      return (error as Error).message;
    }
  };
  const quick = (text: string, names: string[]) => {
    const csv = readNumericCsv(new TextEncoder().encode(text));
    if (!csv) return undefined;
    try {
      return numericTable(csv, names);
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('gives what parseCsv and numericColumns give, numbers or the same message', () => {
    const cases: [string, string[]][] = [
      ['x,y\n1,2\n3,4\n', ['x', 'y']],
      ['\uFEFFid, x ,y\r\n7,10,1\r\n\r\n8, 9 ,NA\r\n9,,2', ['x', 'y']],
      ['x,y\r1,2\r\r3,4\r', ['y', 'x']],
      ['\n\nx,y\n-1.5,+2e1\n.5,3.\n1E-3,007\n', ['x', 'y']],
      ['x\n1234567890123456789\n999999999999999\n  \n', ['x']],
      ['x,name\n1,Wang Li\n2,Zhao\n', ['x']],
      ['x,y\n1,2\n3,abc\n4,0x10\n', ['x', 'y']],
      ['x,y\n1,ab c\n2,\u00a03\u00a0\n', ['y']],
      ['x\n1\n', ['x', 'z']],
      ['x,x\n1,2\n', ['x']],
      ['x,y\n1,2', ['y', 'x']],
      ['名称,满意度\n王,5\n李,四\n', ['满意度']],
      ['\uFEFF满意度\n5\n', ['满意度']],
    ];
    for (const [text, names] of cases) {
      const expected = slow(text, names);
      const actual = quick(text, names);
      expect(actual, JSON.stringify(text)).toEqual(expected);
      if (typeof expected !== 'string') expect(actual && typeof actual !== 'string' && actual.rowCount).toBe(expected.rowCount);
    }
  });

  it('leaves to parseCsv what it does not read: quotes, ragged rows, NUL bytes, an empty file', () => {
    for (const text of ['"x",y\n1,2\n', 'x,y\n1,2,3\n', 'x,y\n1\n', 'x\n1\u0000\n', ' \n\n', '', '\u00a0\n']) {
      expect(readNumericCsv(new TextEncoder().encode(text)), JSON.stringify(text)).toBeUndefined();
    }
  });
});

describe('readNumericMoments', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  /** Whole-number answers 1-10 to x, y and z (with a name and a column nobody asked for), `rows` of them. */
  function file(rows: number, lineBreak = '\n') {
    const lines = ['name,x,unused,y,z'];
    for (let r = 0; r < rows; r++) lines.push(`Wang ${r},${1 + (r % 10)},${r % 7 === 0 ? 'n/a' : r},${1 + ((r * 7) % 10)},${1 + ((r * r) % 9)}`);
    return `${lines.join(lineBreak)}${lineBreak}`;
  }

  it('gives the moments of every row, exactly, over more rows than one block', () => {
    for (const text of [file(2_600), `\uFEFF${file(1_024, '\r\n')}`, file(3)]) {
      const items = ['z', 'x', 'y'];
      const expected = momentsFromTable(numericTable(readNumericCsv(bytes(text))!, items), items);
      const actual = readNumericMoments(bytes(text), items)!;
      expect(actual.n).toBe(expected.n);
      expect(actual.items).toEqual(items);
      expect([...actual.sums]).toEqual([...expected.sums]);
      expect([...actual.products]).toEqual([...expected.products]);
    }
  });

  it('leaves to the column readers a missing answer, a decimal, a ragged row, too few rows and sums too large to be exact', () => {
    const items = ['x', 'y'];
    for (const text of [
      'x,y\n1,2\n3,\n4,5\n6,7\n',
      'x,y\n1,2\n3,4.5\n4,5\n6,7\n',
      'x,y\n1,2\n3, 4\n4,5\n6,7\n',
      'x,y\n1,2\n3,4,5\n4,5\n6,7\n',
      'x,y\n1,2\n3,4\n',
      'x,y\n1,2\n3,100000000\n4,5\n',
      '"x",y\n1,2\n3,4\n4,5\n',
    ]) {
      expect(readNumericMoments(bytes(text), items), JSON.stringify(text)).toBeUndefined();
    }
    expect(readNumericMoments(bytes('x,y,note\n1,2,fine\n3,4,\n4,5,late\n'), items)?.n).toBe(3);
    expect(() => readNumericMoments(bytes('x,x,y\n1,2,3\n'), items)).toThrow('column "x" appears twice in the header row');
  });
});
