import stringWidth from 'string-width';

/** Truncates already-sanitised text to a display width (not string length), adding an ellipsis. */
export function truncateWidth(text: string, width: number): string {
	if (width <= 0) return '';
	if (stringWidth(text) <= width) return text;
	let out = '';
	let used = 0;
	for (const ch of text) {
		const w = stringWidth(ch);
		if (used + w > width - 1) break;
		out += ch;
		used += w;
	}
	return out + '…';
}

/** Pads (or truncates) to exactly `width` display columns. */
export function fitWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = truncateWidth(text, width);
	const pad = ' '.repeat(Math.max(0, width - stringWidth(cut)));
	return align === 'left' ? cut + pad : pad + cut;
}

export {stringWidth};

/** Word-wraps sanitised text to `width` columns; continuation lines get `indent`. */
export function wrap(text: string, width = 80, indent = '  '): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line && stringWidth(line) + 1 + stringWidth(word) > width) {
			lines.push(line);
			line = indent + word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	return lines.flatMap(l => (stringWidth(l) > width ? splitWidth(l, width) : [l]));
}

function splitWidth(text: string, width: number): string[] {
	const parts: string[] = [];
	let part = '';
	for (const ch of text) {
		if (stringWidth(part + ch) > width) {
			parts.push(part);
			part = '';
		}
		part += ch;
	}
	if (part) parts.push(part);
	return parts;
}
