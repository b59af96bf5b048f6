import {describe, expect, it} from 'vitest';
import {compareBy, GrowthTracker, growthRate, nextSort, rank, timeToThreshold, totalGrowth, type Sample} from '../../source/domain/growth.js';
import type {ContainerRecord} from '../../source/domain/types.js';

const series = (rate: number, n: number, every = 5000, start = 1_000_000): Sample[] => Array.from({length: n}, (_, i) => ({at: start + i * every, bytes: 10_000 + (rate * (i * every)) / 1000}));

describe('growthRate', () => {
	it('is null with fewer than two samples', () => {
		expect(growthRate([])).toBeNull();
		expect(growthRate(series(100, 1))).toBeNull();
	});

	it('recovers a steady rate exactly', () => {
		expect(growthRate(series(1_048_576, 6))).toBeCloseTo(1_048_576, 6);
		expect(growthRate(series(0, 6))).toBe(0);
		expect(growthRate(series(-2048, 4))).toBeCloseTo(-2048, 6);
	});

	it('is not moved by one noisy sample', () => {
		const steady = series(1000, 8);
		const noisy = steady.map((s, i) => (i === 4 ? {...s, bytes: s.bytes + 50_000_000} : s));
		expect(growthRate(noisy)).toBeCloseTo(1000, 0);
		// one spike does not lift an idle container above a slowly growing one
		const idle = series(0, 8).map((s, i) => (i === 6 ? {...s, bytes: s.bytes + 10_000_000} : s));
		expect(growthRate(idle)!).toBeLessThan(growthRate(series(10, 8))!);
	});

	it('uses only the last window of samples', () => {
		const early = series(5000, 10);
		const late = series(0, 12, 5000, early[9]!.at + 5000).map(s => ({...s, bytes: early[9]!.bytes}));
		expect(growthRate([...early, ...late], 12)).toBe(0);
	});

	it('ignores samples with the same timestamp', () => {
		expect(
			growthRate([
				{at: 1, bytes: 1},
				{at: 1, bytes: 5},
			]),
		).toBeNull();
	});
});

const record = (id: string, writableBytes: number | null, extra: Partial<ContainerRecord> = {}): ContainerRecord => ({
	engine: 'docker',
	id,
	name: id,
	image: 'img',
	imageId: 'sha256:x',
	state: 'running',
	labels: {},
	writableBytes,
	writableAllocatedBytes: null,
	writableInodes: null,
	sizeSource: 'walk',
	logPath: null,
	logBytes: 0,
	upperDir: null,
	lowerDirs: [],
	...extra,
});

describe('GrowthTracker', () => {
	it('keeps a bounded history and forgets vanished containers', () => {
		const tracker = new GrowthTracker(12, 5);
		for (let i = 0; i < 8; i++) tracker.record(i * 1000, [record('a', i * 100), record('b', 50)]);
		expect(tracker.samples('docker/a')).toHaveLength(5);
		expect(tracker.rate('docker/a')).toBeCloseTo(100);
		expect(tracker.rate('docker/b')).toBe(0);
		tracker.record(9000, [record('a', 900)]);
		expect(tracker.samples('docker/b')).toHaveLength(0);
		expect(tracker.rates().has('docker/b')).toBe(false);
	});

	it('skips unsized containers and out-of-order samples', () => {
		const tracker = new GrowthTracker();
		tracker.record(1000, [record('a', null)]);
		expect(tracker.samples('docker/a')).toHaveLength(0);
		tracker.record(2000, [record('a', 10)]);
		tracker.record(1500, [record('a', 99)]);
		expect(tracker.samples('docker/a')).toEqual([{at: 2000, bytes: 10}]);
	});

	it('follows a shrinking container', () => {
		const tracker = new GrowthTracker();
		tracker.record(0, [record('a', 10_000)]);
		tracker.record(5000, [record('a', 5000)]);
		expect(tracker.rate('docker/a')).toBe(-1000);
	});
});

describe('ranking', () => {
	const rows = [
		{name: 'big-idle', writableBytes: 9e9, logBytes: 1, growth: 0},
		{name: 'grower', writableBytes: 1e6, logBytes: 5, growth: 1e6},
		{name: 'unknown', writableBytes: 5e9, logBytes: 9, growth: null},
		{name: 'also-idle', writableBytes: 1e3, logBytes: 0, growth: 0},
	];

	it('ranks by growth, then by size', () => {
		expect(rank(rows, 'growth').map(r => r.name)).toEqual(['grower', 'big-idle', 'also-idle', 'unknown']);
	});

	it('sorts by writable, logs and name', () => {
		expect(rank(rows, 'writable').map(r => r.name)).toEqual(['big-idle', 'unknown', 'grower', 'also-idle']);
		expect(rank(rows, 'logs').map(r => r.name)).toEqual(['unknown', 'grower', 'big-idle', 'also-idle']);
		expect(rank(rows, 'name').map(r => r.name)).toEqual(['also-idle', 'big-idle', 'grower', 'unknown']);
		expect([...rows].sort(compareBy('growth'))[0]!.name).toBe('grower');
	});

	it('cycles sort keys', () => {
		expect(nextSort('growth')).toBe('writable');
		expect(nextSort('writable')).toBe('logs');
		expect(nextSort('logs')).toBe('name');
		expect(nextSort('name')).toBe('growth');
	});
});

describe('time to threshold', () => {
	it('divides the headroom by the growth', () => {
		expect(timeToThreshold(1100, 100, 10)).toBe(100);
	});
	it('is 0 when already past and null without growth', () => {
		expect(timeToThreshold(50, 100, 10)).toBe(0);
		expect(timeToThreshold(1000, 100, 0)).toBeNull();
		expect(timeToThreshold(1000, 100, -5)).toBeNull();
	});
	it('sums only positive growth', () => {
		expect(totalGrowth([10, -5, null, 2])).toBe(12);
	});
});
