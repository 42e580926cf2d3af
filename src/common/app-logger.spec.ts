import { jest } from '@jest/globals';
import { createAppLogger } from './app-logger.js';

/** What the logger wrote to stdout while `log` ran. */
function captureStdout(log: () => void): string {
  const chunks: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  try {
    log();
  } finally {
    write.mockRestore();
  }
  return chunks.join('');
}

const ESCAPE = '\u001b[';

describe('createAppLogger', () => {
  it('writes one JSON object a line by default when stdout is not a terminal', () => {
    const logger = createAppLogger({ LOG_LEVEL: 'log' }, { terminal: false });
    const out = captureStdout(() => logger.log('Listening on http://0.0.0.0:3000', 'DockPulse'));
    expect(out).not.toContain(ESCAPE);
    const record = JSON.parse(out.trim());
    expect(record).toMatchObject({ level: 'log', context: 'DockPulse', message: 'Listening on http://0.0.0.0:3000', pid: process.pid });
  });

  it('writes coloured text by default on a terminal', () => {
    const out = captureStdout(() => createAppLogger({ LOG_LEVEL: 'log' }, { terminal: true }).log('hello', 'Ctx'));
    expect(out).toContain(ESCAPE);
    expect(out).toContain('hello');
  });

  it('writes plain, uncoloured text with LOG_FORMAT=pretty when not on a terminal', () => {
    const out = captureStdout(() => createAppLogger({ LOG_LEVEL: 'log', LOG_FORMAT: 'pretty' }, { terminal: false }).log('hello', 'Ctx'));
    expect(out).not.toContain(ESCAPE);
    expect(out).toMatch(/LOG \[Ctx\] hello/);
  });

  it('writes JSON on a terminal with LOG_FORMAT=json', () => {
    const out = captureStdout(() => createAppLogger({ LOG_LEVEL: 'log', LOG_FORMAT: 'json' }, { terminal: true }).log('hello', 'Ctx'));
    expect(JSON.parse(out.trim())).toMatchObject({ level: 'log', message: 'hello' });
  });

  it('keeps to LOG_LEVEL', () => {
    const logger = createAppLogger({ LOG_LEVEL: 'warn' }, { terminal: false });
    expect(captureStdout(() => logger.log('quiet'))).toBe('');
    expect(captureStdout(() => logger.debug('quiet'))).toBe('');
  });
});
