/**
 * The one place where untrusted text (container names, labels, image tags,
 * file names read as bytes) becomes display text. Control characters, escape
 * sequences, bidi overrides and invalid UTF-8 are shown escaped, never raw.
 */

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** Code points that must never reach a terminal raw. */
export function isUnsafeCodePoint(cp: number): boolean {
	return (
		cp < 0x20 ||
		(cp >= 0x7f && cp <= 0x9f) ||
		cp === 0x61c || // arabic letter mark
		(cp >= 0x200b && cp <= 0x200f) || // zero-width and LRM/RLM
		(cp >= 0x2028 && cp <= 0x202e) || // line/para separators, bidi embeddings and overrides
		(cp >= 0x2060 && cp <= 0x206f) || // word joiner, bidi isolates, invisible operators
		cp === 0xfeff ||
		(cp >= 0xfff9 && cp <= 0xfffb) ||
		(cp >= 0xd800 && cp <= 0xdfff) // lone surrogates
	);
}

const named: Record<number, string> = {0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x1b: '\\e'};

function escapeCodePoint(cp: number): string {
	if (named[cp]) return named[cp];
	if (cp <= 0xff) return `\\x${hex2(cp)}`;
	return `\\u{${cp.toString(16)}}`;
}

/** Display-safe form of an untrusted string. Backslashes are doubled so escapes stay unambiguous. */
export function sanitize(input: string | null | undefined): string {
	if (!input) return '';
	let out = '';
	for (let i = 0; i < input.length; i++) {
		const code = input.charCodeAt(i);
		// Keep well-formed surrogate pairs together.
		if (code >= 0xd800 && code <= 0xdbff && i + 1 < input.length) {
			const next = input.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				out += input[i] + input[i + 1];
				i++;
				continue;
			}
		}
		if (code === 0x5c) out += '\\\\';
		else if (isUnsafeCodePoint(code)) out += escapeCodePoint(code);
		else out += input[i];
	}
	return out;
}

/** Decodes bytes as UTF-8 where valid; each invalid byte becomes \xNN. Then sanitises. */
export function sanitizeBytes(bytes: Uint8Array): string {
	let out = '';
	let i = 0;
	while (i < bytes.length) {
		const b0 = bytes[i];
		const len = b0 < 0x80 ? 1 : b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
		let cp = len === 1 ? b0 : len === 2 ? b0 & 0x1f : len === 3 ? b0 & 0x0f : b0 & 0x07;
		let ok = len > 0 && i + len <= bytes.length;
		for (let k = 1; ok && k < len; k++) {
			const b = bytes[i + k];
			if ((b & 0xc0) !== 0x80) ok = false;
			else cp = (cp << 6) | (b & 0x3f);
		}
		if (ok && len === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
		if (ok && len === 4 && (cp < 0x10000 || cp > 0x10ffff)) ok = false;
		if (!ok) {
			out += `\\x${hex2(b0)}`;
			i++;
			continue;
		}
		out += cp === 0x5c ? '\\\\' : isUnsafeCodePoint(cp) ? escapeCodePoint(cp) : String.fromCodePoint(cp);
		i += len;
	}
	return out;
}

/** Sanitised label map, for display. */
export function sanitizeRecord(record: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(record).map(([k, v]) => [sanitize(k), sanitize(v)]));
}
