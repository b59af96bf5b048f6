import {describe, expect, it} from 'vitest';
import {sanitize, sanitizeBytes} from '../../source/domain/sanitize.js';
import {fitWidth, stringWidth, truncateWidth} from '../../source/domain/text-width.js';

// Any byte a terminal would act on: C0, DEL, C1, and bidi/zero-width format characters.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u;

describe('sanitize', () => {
	it('escapes ANSI and OSC sequences so none reach the terminal', () => {
		const title = '\u001b]0;pwned\u0007name\u001b[31mred\u001b[0m';
		expect(sanitize(title)).toBe('\\e]0;pwned\\x07name\\e[31mred\\e[0m');
	});
	it('escapes newlines, tabs, C1 controls and bidi overrides', () => {
		expect(sanitize('a\nb\tc\u009bd\u202eevil\u2066')).toBe('a\\nb\\tc\\x9bd\\u{202e}evil\\u{2066}');
	});
	it('keeps printable unicode and doubles backslashes', () => {
		expect(sanitize('café/日本\\x')).toBe('café/日本\\\\x');
	});
	it('decodes valid UTF-8 bytes and escapes invalid ones', () => {
		expect(sanitizeBytes(Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xe2, 0x28, 0x1b]))).toBe('a\\xffé\\xe2(\\e');
		expect(sanitizeBytes(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80'); // encoded surrogate
	});
	it('fuzz: 10,000 random strings and byte strings never yield an unsafe code point', () => {
		let seed = 42;
		const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
		const pool = [0x1b, 0x07, 0x0a, 0x0d, 0x9b, 0x9d, 0x202e, 0x2066, 0x200f, 0xfeff, 0xd800, 0xdc00, 0x41, 0x5b, 0x5c, 0xe9, 0x65e5];
		for (let i = 0; i < 10_000; i++) {
			const len = Math.floor(rand() * 24);
			let text = '';
			const bytes: number[] = [];
			for (let k = 0; k < len; k++) {
				text += String.fromCharCode(rand() < 0.5 ? pool[Math.floor(rand() * pool.length)]! : Math.floor(rand() * 0x10000));
				bytes.push(Math.floor(rand() * 256));
			}
			expect(unsafe.test(sanitize(text))).toBe(false);
			expect(unsafe.test(sanitizeBytes(Buffer.from(bytes)))).toBe(false);
		}
	});
});

describe('display width', () => {
	it('truncates by columns, not string length', () => {
		expect(truncateWidth('日本語のコンテナ名', 7)).toBe('日本語…');
		expect(stringWidth(truncateWidth('日本語のコンテナ名', 7))).toBeLessThanOrEqual(7);
		expect(fitWidth('ab', 4, 'right')).toBe('  ab');
		expect(fitWidth('abcdef', 4)).toBe('abc…');
	});
});
