import {describe, expect, it} from 'vitest';
import {COLD_FINDS, WARM_FINDS, findProcesses} from '../../source/adapters/fs/walk-find.js';

describe('findProcesses (how many finds share a walk, from the timed root listing)', () => {
	it('keeps one find per core on a warm cache', () => {
		expect(findProcesses(60, 0.4)).toBe(WARM_FINDS); // ≈ 7 µs per name
		expect(findProcesses(53, 2.1)).toBe(WARM_FINDS); // 40 µs: warm, a fresh process on a busy machine
		expect(findProcesses(5000, 30)).toBe(WARM_FINDS);
	});

	it('puts more requests in flight when the listing waited on the disk', () => {
		expect(findProcesses(53, 95)).toBe(COLD_FINDS); // 1.8 ms per name, measured with the page cache dropped
		expect(COLD_FINDS).toBeGreaterThan(WARM_FINDS);
	});

	it('does not judge from a handful of names', () => {
		expect(findProcesses(3, 30)).toBe(WARM_FINDS);
		expect(findProcesses(0, 0)).toBe(WARM_FINDS);
	});
});
