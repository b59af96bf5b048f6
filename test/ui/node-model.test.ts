import {describe, expect, it} from 'vitest';
import {defaultThresholds} from '../../source/domain/eviction.js';
import {timeToThreshold} from '../../source/domain/growth.js';
import {filesystemGroups} from '../../source/ui/model/node-model.js';
import {containers, fixture} from './fixture-feed.js';

/** The node line's growth and eviction estimate, on the snapshot recorded from the private dockerd. */
describe('node growth counts log files with writable layers', () => {
	const growth = new Map(fixture.growth);
	const key = `docker/${containers()[0]!.id}`;

	it("adds the containers' log growth to their layer growth, and the estimate follows", () => {
		const [without] = filesystemGroups(fixture.snapshot, growth, defaultThresholds);
		const logRate = 50_000;
		const [withLogs] = filesystemGroups(fixture.snapshot, growth, defaultThresholds, new Map([[key, logRate]]));
		expect(withLogs!.logGrowth).toBe(logRate);
		expect(withLogs!.growth).toBeCloseTo(without!.growth + logRate, 6);
		const fs = withLogs!.fs!;
		expect(withLogs!.eta).toBe(timeToThreshold(fs.availableBytes, withLogs!.pressure!.thresholdBytes, withLogs!.growth));
	});

	it('ignores shrinking logs (a rotation) and logs of containers on other filesystems', () => {
		const [base] = filesystemGroups(fixture.snapshot, growth, defaultThresholds);
		const [rotated] = filesystemGroups(
			fixture.snapshot,
			growth,
			defaultThresholds,
			new Map([
				[key, -1e6],
				['docker/elsewhere', 1e6],
			]),
		);
		expect(rotated!.logGrowth).toBe(0);
		expect(rotated!.growth).toBe(base!.growth);
	});
});
