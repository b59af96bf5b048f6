const bars = '▁▂▃▄▅▆▇█';

/** The last `width` values as block characters, scaled between their min and max; padded on the left. */
export function sparkline(values: readonly number[], width: number): string {
	if (width <= 0) return '';
	const recent = values.slice(-width);
	if (recent.length === 0) return ' '.repeat(width);
	const min = Math.min(...recent);
	const max = Math.max(...recent);
	const line = recent.map(v => (max === min ? bars[0] : bars[Math.min(bars.length - 1, Math.floor(((v - min) / (max - min)) * bars.length))])).join('');
	return ' '.repeat(width - recent.length) + line;
}
