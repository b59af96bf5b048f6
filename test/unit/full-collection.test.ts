import {getHeapStatistics} from 'node:v8';
import {expect, it} from 'vitest';
import {fullCollection} from '../../source/adapters/full-collection.js';

it('collects the garbage of this thread at once, without --expose-gc on the command line', () => {
	const collect = fullCollection();
	collect();
	const floor = getHeapStatistics().used_heap_size;
	let garbage: Array<{i: number; text: string}> | null = [];
	for (let i = 0; i < 300_000; i++) garbage.push({i, text: `entry ${i}`});
	const filled = getHeapStatistics().used_heap_size;
	expect(filled - floor).toBeGreaterThan(10 * 2 ** 20);
	garbage = null;
	collect();
	expect(getHeapStatistics().used_heap_size - floor).toBeLessThan(2 * 2 ** 20);
});
