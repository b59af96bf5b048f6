import {afterEach, describe, expect, it, vi} from 'vitest';
import {walkSetup} from '../../source/adapters/fs/walk-finish.js';

// The walk reports progress at most every progressMs (200 ms by default), on a clock set by the test.
describe('walk progress', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('is reported at most every progressMs, on the clock rather than per entry', () => {
		vi.useFakeTimers({toFake: ['Date'], now: 1_000_000});
		const reports: number[] = [];
		const {assembly, progress} = walkSetup('/layer', {onProgress: p => reports.push(p.entries)});
		assembly.met(4096);
		progress();
		expect(reports).toEqual([]);
		vi.setSystemTime(1_000_199);
		assembly.met(4096);
		progress();
		expect(reports).toEqual([]);
		vi.setSystemTime(1_000_200);
		progress();
		expect(reports).toEqual([8192]);
		assembly.met(4096);
		progress();
		expect(reports).toEqual([8192]);
		vi.setSystemTime(1_000_400);
		progress();
		expect(reports).toEqual([8192, 12_288]);
	});

	it('is reported at every call with progressMs 0', () => {
		vi.useFakeTimers({toFake: ['Date'], now: 1_000_000});
		const reports: number[] = [];
		const {assembly, progress} = walkSetup('/layer', {progressMs: 0, onProgress: p => reports.push(p.entries)});
		for (let i = 0; i < 3; i++) {
			assembly.met(10);
			progress();
		}
		expect(reports).toEqual([10, 20, 30]);
	});
});
