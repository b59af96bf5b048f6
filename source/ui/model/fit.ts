import {fitWidth, stringWidth, truncateWidth} from '../../domain/text-width.js';

const printableAscii = /^[\x20-\x7e]*$/;

/**
 * fitWidth with a fast path for printable ASCII (one column per character), which
 * is nearly every cell; other text goes through the display-width version.
 * Input must already be sanitised.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (!printableAscii.test(text)) return fitWidth(text, width, align);
	if (width <= 0) return '';
	const cut = text.length <= width ? text : text.slice(0, width - 1) + '…';
	const pad = ' '.repeat(width - (text.length <= width ? cut.length : width));
	return align === 'left' ? cut + pad : pad + cut;
}

export function truncate(text: string, width: number): string {
	if (!printableAscii.test(text)) return truncateWidth(text, width);
	if (width <= 0) return '';
	return text.length <= width ? text : text.slice(0, width - 1) + '…';
}

/**
 * Cut from the middle to `width` columns: both ends stay (a pod's namespace at the start,
 * its replica suffix at the end), the end getting the odd column. Input must be sanitised.
 */
export function middle(text: string, width: number): string {
	if (width <= 0) return '';
	if (stringWidth(text) <= width) return text;
	if (width === 1) return '…';
	const chars = [...text];
	const take = (from: string[], columns: number) => {
		const out: string[] = [];
		let used = 0;
		for (const ch of from) {
			const w = stringWidth(ch);
			if (used + w > columns) break;
			out.push(ch);
			used += w;
		}
		return out;
	};
	const headColumns = Math.floor((width - 1) / 2);
	const head = take(chars, headColumns);
	const tail = take([...chars].reverse(), width - 1 - stringWidth(head.join(''))).reverse();
	return head.join('') + '…' + tail.join('');
}
