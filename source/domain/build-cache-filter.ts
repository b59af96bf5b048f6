/**
 * The build-cache prune choices an operator can make, parsed from flags
 * (`--build-cache-older-than 24h`, `--build-cache-keep 5GB`) or from the console's
 * one-line prompt ("24h", "keep 5GB", "all"). Pure: no I/O.
 *
 * Docker semantics, and how layerscope reads them:
 * - `docker builder prune --filter until=24h` removes unused records not used for 24h.
 *   Here: a record whose last use is known and earlier than now - 24h. A record without a
 *   last-used time is never treated as old (BuildKit would prune it; we do not guess).
 * - `docker builder prune --keep-storage 5GB` ("amount of disk space to keep for cache";
 *   renamed reserved-space in BuildKit ≥ 0.17 / API 1.52) is NOT free disk space to leave:
 *   it caps the build cache itself. BuildKit adds up every unshared record (in use or
 *   not), and if that exceeds the amount it removes unused records, least recently used
 *   first, until the total is at or below it. layerscope does the same with pure LRU
 *   order (BuildKit also weighs usage counts, which /system/df does not give us), and
 *   removes exactly the records it listed, by id.
 * - Sizes are read as Docker's CLI reads --keep-storage (go-units RAMInBytes): k, m, g,
 *   t, p with an optional "i" and "b", all binary (5GB = 5 GiB); a bare number is bytes.
 */
import prettyBytes from 'pretty-bytes';

export interface BuildCacheFilter {
	/** Only records last used before now - olderThanMs. */
	olderThanMs?: number;
	/** Remove least recently used unused records until at most this many (unshared) bytes remain. */
	keepBytes?: number;
}

export type Parsed<T> = {ok: true; value: T} | {ok: false; error: string; hint: string};

const units: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000};

/** "24h", "7d", "90m", "1h30m", "2w" → milliseconds. d and w are 24h and 7d. */
export function parseDuration(text: string): Parsed<number> {
	const value = text.trim().toLowerCase();
	const hint = 'use a number with s, m, h, d or w, e.g. 24h, 7d, 1h30m';
	if (!/^(\d+(\.\d+)?[smhdw])+$/.test(value)) return {ok: false, error: `"${text}" is not a duration`, hint};
	let ms = 0;
	for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) ms += Number(n) * units[unit!]!;
	if (ms <= 0) return {ok: false, error: `"${text}" is zero`, hint};
	return {ok: true, value: Math.round(ms)};
}

const powers: Record<string, number> = {'': 0, k: 1, m: 2, g: 3, t: 4, p: 5};

/** Docker's --keep-storage reading: "5GB", "5g", "512MiB", "1.5gb", "1048576" → bytes (binary multiples). */
export function parseSize(text: string): Parsed<number> {
	const match = /^(\d+(?:\.\d+)?) ?([kmgtp]?)(i?)(b?)$/i.exec(text.trim());
	const hint = 'use a number with KB, MB, GB or TB, binary as docker reads --keep-storage: 5GB, 512MB';
	if (!match) return {ok: false, error: `"${text}" is not an amount of storage`, hint};
	const [, n, unit, i] = match;
	if (i && !unit) return {ok: false, error: `"${text}" is not an amount of storage`, hint};
	return {ok: true, value: Math.floor(Number(n) * 1024 ** powers[unit!.toLowerCase()]!)};
}

/**
 * The console prompt: "all" (or nothing) for every unused record; "keep 5GB" / "5GB"
 * for a keep-storage amount (a size ends in b or B); "older 24h" / "24h" for an age.
 */
export function parseBuildCacheInput(text: string): Parsed<BuildCacheFilter> {
	const value = text.trim().replace(/\s+/g, ' ');
	if (value === '' || /^all( unused)?$/i.test(value)) return {ok: true, value: {}};
	const keep = /^keep (.+)$/i.exec(value);
	const older = /^older( than)? (.+)$/i.exec(value);
	const asSize = keep ? keep[1]! : !older && /b$/i.test(value) ? value : null;
	if (asSize !== null) {
		const size = parseSize(asSize);
		return size.ok ? {ok: true, value: {keepBytes: size.value}} : size;
	}
	const age = parseDuration(older ? older[2]! : value);
	if (!age.ok) return {ok: false, error: `"${text}" is not an age or an amount`, hint: 'try all, 24h, 7d or keep 5GB'};
	return {ok: true, value: {olderThanMs: age.value}};
}

/** "24h", "7d", "1h30m": the shortest exact spelling. */
export function formatDuration(ms: number): string {
	const parts: string[] = [];
	let rest = Math.round(ms / 1000);
	for (const [unit, size] of [
		['d', 86_400],
		['h', 3600],
		['m', 60],
		['s', 1],
	] as const) {
		if (rest >= size) {
			parts.push(`${Math.floor(rest / size)}${unit}`);
			rest %= size;
		}
	}
	return parts.join('') || '0s';
}

/** "all unused", "older than 24h", "keep 5.4 GB", or both. */
export function describeBuildCacheFilter(filter: BuildCacheFilter | undefined): string {
	const parts: string[] = [];
	if (filter?.olderThanMs !== undefined) parts.push(`unused for more than ${formatDuration(filter.olderThanMs)}`);
	if (filter?.keepBytes !== undefined) parts.push(`keep ${prettyBytes(filter.keepBytes, {binary: true, maximumFractionDigits: 1})}`);
	return parts.length > 0 ? parts.join(', ') : 'all unused';
}
