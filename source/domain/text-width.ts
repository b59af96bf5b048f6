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
