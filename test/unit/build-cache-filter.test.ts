import {describe, expect, it} from 'vitest';
import {describeBuildCacheFilter, formatDuration, parseBuildCacheInput, parseDuration, parseSize} from '../../source/domain/build-cache-filter.js';
import {roundQuantity, sizeEphemeral} from '../../source/domain/pod-ephemeral-advice.js';

const value = <T>(p: {ok: true; value: T} | {ok: false}) => (p.ok ? p.value : undefined);

describe('build-cache choices', () => {
	it('reads durations as docker until= ages (plus d and w)', () => {
		expect(value(parseDuration('24h'))).toBe(24 * 3600_000);
		expect(value(parseDuration('7d'))).toBe(7 * 86_400_000);
		expect(value(parseDuration('1h30m'))).toBe(90 * 60_000);
		expect(value(parseDuration('2w'))).toBe(14 * 86_400_000);
		for (const bad of ['', '24', 'h', '-1h', '0s', 'yesterday', '1 h']) expect(parseDuration(bad).ok, bad).toBe(false);
	});

	it('reads sizes as docker reads --keep-storage: binary multiples, bare number = bytes', () => {
		expect(value(parseSize('5GB'))).toBe(5 * 1024 ** 3);
		expect(value(parseSize('5g'))).toBe(5 * 1024 ** 3);
		expect(value(parseSize('5GiB'))).toBe(5 * 1024 ** 3);
		expect(value(parseSize('512MB'))).toBe(512 * 1024 ** 2);
		expect(value(parseSize('1.5gb'))).toBe(1.5 * 1024 ** 3);
		expect(value(parseSize('1048576'))).toBe(1048576);
		expect(value(parseSize('0'))).toBe(0);
		for (const bad of ['', 'GB', '5 apples', '-5GB', '5XB', '5i']) expect(parseSize(bad).ok, bad).toBe(false);
	});

	it('the console prompt: all, an age, or keep an amount; a size ends in b', () => {
		expect(value(parseBuildCacheInput(''))).toEqual({});
		expect(value(parseBuildCacheInput('all'))).toEqual({});
		expect(value(parseBuildCacheInput('24h'))).toEqual({olderThanMs: 86_400_000});
		expect(value(parseBuildCacheInput('older than 7d'))).toEqual({olderThanMs: 7 * 86_400_000});
		expect(value(parseBuildCacheInput('5m'))).toEqual({olderThanMs: 300_000});
		expect(value(parseBuildCacheInput('5MB'))).toEqual({keepBytes: 5 * 1024 ** 2});
		expect(value(parseBuildCacheInput('keep 5g'))).toEqual({keepBytes: 5 * 1024 ** 3});
		const bad = parseBuildCacheInput('yesterday');
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.hint).toContain('keep 5GB');
	});

	it('describes a choice', () => {
		expect(describeBuildCacheFilter({})).toBe('all unused');
		expect(describeBuildCacheFilter({olderThanMs: 90 * 60_000})).toBe('unused for more than 1h30m');
		expect(describeBuildCacheFilter({keepBytes: 5 * 1024 ** 3})).toBe('keep 5 GiB');
		expect(formatDuration(7 * 86_400_000)).toBe('7d');
	});
});

describe('ephemeral-storage sizing', () => {
	it('rounds to quantities a person writes, never below the usage', () => {
		expect(roundQuantity(1)).toEqual({bytes: 16 * 1024 ** 2, text: '16Mi'});
		expect(roundQuantity(17 * 1024 ** 2).text).toBe('32Mi');
		expect(roundQuantity(1024 ** 3).text).toBe('1Gi');
		expect(roundQuantity(1.2 * 1024 ** 3).text).toBe('1536Mi');
		for (const used of [1, 5e6, 3e8, 2.5e9, 4e10]) {
			const s = sizeEphemeral(used);
			expect(s.requestBytes).toBeGreaterThanOrEqual(used * 1.25);
			expect(s.limitBytes).toBeGreaterThanOrEqual(used * 2);
			expect(s.limitBytes).toBeGreaterThan(s.requestBytes);
		}
	});
});
