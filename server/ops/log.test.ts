import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

function captured(level: 'silent' | 'error' | 'info' | 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, stream), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the logger', () => {
  it('writes JSON lines with the level as a word, and nothing at all when silent', () => {
    const info = captured('info');
    info.logger.info({ route: '/health' }, 'request');
    info.logger.debug('not at info');
    expect(info.lines()).toEqual([expect.objectContaining({ level: 'info', msg: 'request', route: '/health', time: expect.any(String) })]);
    const silent = captured('silent');
    silent.logger.error('nothing');
    expect(silent.lines()).toEqual([]);
  });

  it("logs a failed query by its statement, without the values it was given", () => {
    const { logger, lines } = captured('error');
    const failure = new DrizzleQueryError('insert into "customers" ("name", "email") values (?, ?)', ['Zhang Weiming', 'zhang.weiming@example.com'], new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: customers.email'));
    logger.error({ err: failure }, 'A request failed on the server.');
    const [line] = lines();
    expect(line).toMatchObject({
      level: 'error',
      err: { type: 'Error', message: 'Failed query: insert into "customers" ("name", "email") values (?, ?)', cause: { message: 'SQLITE_CONSTRAINT: UNIQUE constraint failed: customers.email' } },
    });
    const text = JSON.stringify(line);
    expect(text).not.toContain('Zhang');
    expect(text).not.toContain('zhang.weiming@example.com');
  });

  it('blanks an email address an error names', () => {
    const { logger, lines } = captured('error');
    logger.error({ err: new Error('550 5.1.1 <zhang.weiming@example.com>: Recipient address rejected') }, 'A job failed.');
    expect(lines()[0]).toMatchObject({ err: { message: '550 5.1.1 <<address>>: Recipient address rejected' } });
  });
});
