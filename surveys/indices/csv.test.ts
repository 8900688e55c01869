import { describe, expect, it } from 'vitest';
import { numericColumns, parseCsv } from './csv.ts';

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
