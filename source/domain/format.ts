import prettyBytes from 'pretty-bytes';

/** Bytes for humans; "—" for unknown. */
export function bytes(value: number | null | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '—';
	return prettyBytes(value, {maximumFractionDigits: 1});
}

export function percent(part: number, whole: number): string {
	if (!whole) return '—';
	const p = (100 * part) / whole;
	return p > 0 && p < 1 ? '<1%' : `${Math.round(p)}%`;
}

/** "45s", "12m", "5h", "3d": a compact, whole-unit age (a build-cache record's last use). */
export function compactAge(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : s < 172_800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86_400)}d`;
}

/** Compact counts: 950, 12.3k, 4.1M. */
export function count(value: number | null | undefined): string {
	if (value === null || value === undefined) return '—';
	if (value < 10_000) return String(value);
	if (value < 1_000_000) return `${(value / 1000).toFixed(1)}k`;
	return `${(value / 1_000_000).toFixed(1)}M`;
}

export function duration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) return '—';
	if (seconds < 90) return `${Math.round(seconds)}s`;
	if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
	if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)}h`;
	return `${Math.round(seconds / 86_400)}d`;
}
