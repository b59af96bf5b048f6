import {bytes as formatBytes} from '../../domain/format.js';
import type {Level} from '../../domain/eviction.js';

const cache = new Map<number | null | undefined, string>();

/** domain/format bytes(), memoised: Intl number formatting is the costliest part of a frame. */
export function bytes(value: number | null | undefined): string {
	let text = cache.get(value);
	if (text === undefined) {
		if (cache.size > 20_000) cache.clear();
		text = formatBytes(value);
		cache.set(value, text);
	}
	return text;
}

export const levelColor: Record<Level, string> = {ok: 'green', warn: 'yellow', critical: 'red'};

/** Growth per minute: "+1.2 MB", "0 B", "-3 kB", or "—" while unknown. */
export function growthPerMinute(bytesPerSec: number | null): string {
	if (bytesPerSec === null) return '—';
	const perMin = bytesPerSec * 60;
	if (Math.abs(perMin) < 1) return '0 B';
	return (perMin > 0 ? '+' : '-') + bytes(Math.abs(perMin));
}

export function bar(fraction: number, width: number): string {
	const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
	return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** "3s ago", "2m ago". */
export function ago(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	if (s < 90) return `${s}s ago`;
	if (s < 5400) return `${Math.round(s / 60)}m ago`;
	return `${(s / 3600).toFixed(1)}h ago`;
}
