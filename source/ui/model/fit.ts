import {fitWidth, truncateWidth} from '../../domain/text-width.js';

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
