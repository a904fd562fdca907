import { describe, expect, test } from 'vitest';
import { maskJson, maskPersonalData } from '../../src/cli/mask.js';
import { createOutput, formatAge, printable } from '../../src/cli/output.js';

/** The pure pieces the CLI prints through: terminal-only styling and progress, ages, masking. */
function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream, written };
}

describe('output', () => {
  test('colours and progress lines only on a terminal without NO_COLOR', () => {
    const tty = fakeStream(true);
    const out = createOutput(tty.stream, {});
    out.status('fail', 'dub: refused');
    out.progress('1/3 sent');
    out.progress('3/3 sent');
    out.endProgress();
    expect(tty.written[0]).toContain('\x1b[31m');
    expect(tty.written.slice(1)).toEqual(['\r\x1b[2K1/3 sent', '\r\x1b[2K3/3 sent', '\n']);

    const piped = fakeStream(false);
    const plain = createOutput(piped.stream, {});
    plain.status('fail', 'dub: refused');
    plain.progress('1/3 sent');
    plain.endProgress();
    expect(piped.written).toEqual(['fail  dub: refused\n']);

    const noColor = fakeStream(true);
    createOutput(noColor.stream, { NO_COLOR: '1' }).status('ok', 'config');
    expect(noColor.written).toEqual(['ok    config\n']);
  });

  test('printable shows control characters, newlines and bidi overrides as \\u escapes, and leaves other text alone', () => {
    expect(printable('a\x1b[2Jb\x07c\nd\u202ee\x9bf')).toBe('a\\u001b[2Jb\\u0007c\\u000ad\\u202ee\\u009bf');
    expect(printable('Zoë · 49.99 €\ttab')).toBe('Zoë · 49.99 €\\u0009tab');
  });

  test('lines keep our own colours on a terminal and drop every other control character', () => {
    const tty = fakeStream(true);
    const out = createOutput(tty.stream, {});
    out.line(`${out.style('red', 'PAUSED')} \x1b]0;title\x07x\u202ey`);
    expect(tty.written[0]).toBe(`\x1b[31mPAUSED\x1b[39m ]0;titlexy\n`);
    const piped = fakeStream(false);
    createOutput(piped.stream, {}).line('a\x1b[31mb\tc\nd');
    expect(piped.written).toEqual(['ab\tc\nd\n']);
  });

  test('ages keep their two largest units', () => {
    expect(formatAge(0)).toBe('0s');
    expect(formatAge(42_000)).toBe('42s');
    expect(formatAge((3 * 3600 + 5) * 1000)).toBe('3h');
    expect(formatAge((2 * 86_400 + 4 * 3600 + 59) * 1000)).toBe('2d 4h');
  });
});

describe('masking', () => {
  test('names, emails, phones and avatars are masked; event names and ids stay readable', () => {
    const masked = maskPersonalData({
      kind: 'lead',
      body: {
        eventName: 'Sign up',
        customerName: 'Ada Lovelace',
        customerEmail: 'ada@example.com',
        customerAvatar: 'https://x/a.png',
        customerExternalId: 'user_1',
      },
      customer: { first_name: 'Jane', phone: '+1 555 0100', note: 'reach me at jane@example.org' },
      line_items: [{ name: 'Blue mug', quantity: 2 }],
    });
    expect(masked).toEqual({
      kind: 'lead',
      body: { eventName: 'Sign up', customerName: 'A***', customerEmail: 'a***@example.com', customerAvatar: 'h***', customerExternalId: 'user_1' },
      customer: { first_name: 'J***', phone: '+***', note: 'reach me at j***@example.org' },
      line_items: [{ name: 'B***', quantity: 2 }],
    });
  });

  test('text that is not JSON is still redacted', () => {
    expect(maskJson('failed for ada@example.com')).toBe('failed for a***@example.com');
    expect(maskJson(null)).toBeNull();
  });
});
