import {mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, appendFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';

import {Layer} from '../../source/adapters/fs/layer-index.js';
import {fairLimit, fixedPolicy, passesToSweep, planPass, sweepPassesFor, sweepPolicy, type LayerCounts} from '../../source/domain/sample-budget.js';
import {sizeTree} from '../../source/adapters/fs/size-tree.js';
import {SampleWorker} from '../../source/services/sample-worker-client.js';

const small = (n: number): LayerCounts[] => Array.from({length: n}, () => ({files: 2000, dirs: 21}));
const sum = (xs: number[]) => xs.reduce((t, x) => t + x, 0);

/** The sampler's per-pass quotas (issue 18, huge layers): pure, no I/O, no clock. */
describe('sample budget (quotas of one pass)', () => {
	const policy = sweepPolicy(5000); // the console's default interval

	it('sweeps files within 50 s at the default interval, and directories within 100 s', () => {
		expect(sweepPassesFor(5000)).toBe(10);
		expect(sweepPassesFor(2000)).toBe(25);
		expect(sweepPassesFor(120_000)).toBe(1);
		expect(policy.sweepPasses).toBe(10);
		expect(policy.dirSweepPasses).toBe(20);
	});

	it("takes the exporter's slower sweep (5 min at 15 s) at a fraction of the console's re-stats per pass", () => {
		const layers = small(100);
		const exporter = sweepPolicy(15_000, undefined, 300_000);
		expect(exporter.sweepPasses).toBe(20);
		const cost = (p: typeof policy) => sum(planPass(layers, p).map(q => q.files));
		expect(cost(exporter)).toBeLessThan(cost(sweepPolicy(15_000)) / 4);
		for (const [i, layer] of layers.entries()) expect(passesToSweep(layer.files, planPass(layers, exporter)[i]!.files)).toBeLessThanOrEqual(20);
	});

	it('re-checks every file of 100 × 2,000 files within one sweep, whatever the size of each layer', () => {
		const layers = [...small(100), {files: 50_000, dirs: 100}, {files: 3, dirs: 1}];
		const plan = planPass(layers, policy);
		for (const [i, layer] of layers.entries()) expect(passesToSweep(layer.files, plan[i]!.files)).toBeLessThanOrEqual(policy.sweepPasses);
		expect(sum(plan.map(q => q.files))).toBeLessThanOrEqual(policy.maxFiles + layers.length);
	});

	it('lstats every directory each pass where there are few', () => {
		const plan = planPass(small(100), policy);
		expect(plan.map(q => q.dirs)).toEqual(small(100).map(l => l.dirs));
	});

	it('bounds the directories of a pass whatever their number: a huge layer is swept round robin, small layers keep all theirs', () => {
		for (const huge of [130_000, 1_000_000, 10_000_000]) {
			const layers = [...small(100), {files: 0, dirs: huge}];
			const plan = planPass(layers, policy);
			expect(sum(plan.map(q => q.dirs))).toBeLessThanOrEqual(policy.maxDirs);
			for (let i = 0; i < 100; i++) expect(plan[i]!.dirs).toBe(21);
			expect(plan[100]!.dirs).toBe(policy.maxDirs - 2100);
		}
		// Under the cap, the huge layer's sweep takes the directory sweep's passes.
		const roomy = {...policy, maxDirs: 1e9};
		const plan = planPass([...small(100), {files: 0, dirs: 130_000}], roomy);
		expect(passesToSweep(130_000, plan[100]!.dirs)).toBe(roomy.dirSweepPasses);
	});

	it('caps the files of a pass, cutting from the biggest layers first', () => {
		const layers = [...small(10), {files: 5_000_000, dirs: 10}];
		const plan = planPass(layers, policy);
		expect(sum(plan.map(q => q.files))).toBeLessThanOrEqual(policy.maxFiles);
		for (let i = 0; i < 10; i++) expect(plan[i]!.files).toBe(200); // their own sweep: 2,000 in 10 passes
		expect(plan[10]!.files).toBe(policy.maxFiles - 2000);
	});

	it('raises a small total to the floor, every layer in proportion to its size', () => {
		const layers = [
			{files: 1000, dirs: 5},
			{files: 9000, dirs: 5},
		];
		const plan = planPass(layers, policy); // wants 100 + 900, floor 4,000
		expect(plan.map(q => q.files)).toEqual([400, 3600]);
		expect(planPass([{files: 300, dirs: 1}], policy)).toEqual([{files: 300, dirs: 1}]); // fewer than the floor: all
	});

	it('keeps every layer moving when the cap is smaller than the number of layers', () => {
		const plan = planPass(
			Array.from({length: 50}, () => ({files: 10, dirs: 10})),
			{...policy, maxFiles: 10, minFiles: 0, allDirsUpTo: 0, maxDirs: 10},
		);
		for (const q of plan) expect(q.files).toBeGreaterThanOrEqual(1);
		for (const q of plan) expect(q.dirs).toBeGreaterThanOrEqual(1);
	});

	it('fair limit: the largest per-layer limit within the total', () => {
		expect(fairLimit([10, 10, 1000], 1020)).toBe(Infinity);
		expect(fairLimit([10, 10, 1000], 520)).toBe(500);
		expect(fairLimit([300, 300, 300], 600)).toBe(200);
		expect(fairLimit([], 5)).toBe(Infinity);
	});

	it('without a policy every directory and the fixed budget of files (the behaviour before sweeps); Infinity means everything', () => {
		expect(planPass([{files: 5000, dirs: 200_000}], fixedPolicy(16))).toEqual([{files: 16, dirs: 200_000}]);
		expect(planPass([{files: 5000, dirs: 200_000}], {...policy, minFiles: Infinity})).toEqual([{files: 5000, dirs: 200_000}]);
		expect(passesToSweep(0, 0)).toBe(0);
		expect(passesToSweep(10, 0)).toBe(Infinity);
	});
});

/** The index's round robin over directories: with a directory budget, every directory is still visited, and changes found. */
describe('layer index (directory budget)', () => {
	const root = mkdtempSync(join(tmpdir(), 'ls-dir-budget-'));
	afterAll(() => rmSync(root, {recursive: true, force: true}));
	const hourAgo = new Date(Date.now() - 3_600_000);
	for (let d = 0; d < 100; d++) {
		mkdirSync(join(root, `d${d}`));
		writeFileSync(join(root, `d${d}/f`), 'x');
		utimesSync(join(root, `d${d}/f`), hourAgo, hourAgo);
	}
	const same = (layer: Layer) => {
		const w = sizeTree(root);
		return layer.apparentBytes === w.apparentBytes && layer.allocatedBytes === w.allocatedBytes && layer.inodes === w.inodes;
	};

	it('lstats at most the budget (plus hot directories) a pass, and finds a new file in a quiet directory within one sweep', () => {
		const layer = new Layer(root);
		layer.index({stats: 0, reads: 0});
		expect(layer.dirs.size).toBe(101);
		const budget = 10;
		const sweep = Math.ceil(layer.dirs.size / budget);
		writeFileSync(join(root, 'd57/new'), 'y'.repeat(5000));
		let found = Infinity;
		for (let pass = 1; pass <= sweep + 1; pass++) {
			const counter = {stats: 0, reads: 0};
			layer.tick(counter, 0, budget);
			expect(counter.stats).toBeLessThanOrEqual(budget + layer.hotDirs.size + 1 /* the new file */);
			if (same(layer)) {
				found = pass;
				break;
			}
		}
		expect(found).toBeLessThanOrEqual(sweep);
		expect(layer.hotDirs.size).toBe(1); // d57, re-checked every pass for a while
	});

	it('visits every directory once a sweep, directories added and removed meanwhile included', () => {
		const layer = new Layer(root);
		layer.index({stats: 0, reads: 0});
		mkdirSync(join(root, 'd3/sub'));
		rmSync(join(root, 'd9'), {recursive: true});
		const budget = 7;
		for (let pass = 0; pass < Math.ceil(layer.dirs.size / budget) + 2; pass++) layer.tick({stats: 0, reads: 0}, 0, budget);
		expect(same(layer)).toBe(true);
		expect(layer.dirs.size).toBe(101);
	});

	it('finds growth in place of a cold file within files/budget passes, with a directory budget too', () => {
		const layer = new Layer(root);
		layer.index({stats: 0, reads: 0});
		appendFileSync(join(root, 'd42/f'), Buffer.alloc(9000));
		let found = Infinity;
		for (let pass = 1; pass <= Math.ceil(layer.files / 10) + 1; pass++) {
			layer.tick({stats: 0, reads: 0}, 10, 5);
			if (same(layer)) {
				found = pass;
				break;
			}
		}
		expect(found).toBeLessThanOrEqual(Math.ceil(layer.files / 10));
	});
});

/** The client plans every thread's layers at once, from the counts of the first walk and of each pass. */
describe('sample worker client (planned quotas)', () => {
	const root = mkdtempSync(join(tmpdir(), 'ls-plan-'));
	afterAll(() => rmSync(root, {recursive: true, force: true}));

	it('bounds the lstat of a pass over a layer of many directories, and still follows its changes', async () => {
		for (let d = 0; d < 300; d++) mkdirSync(join(root, `d${d}`));
		const worker = new SampleWorker(0, Infinity, 1);
		try {
			expect((await worker.sizeTree(root)).dirs).toBe(301);
			const policy = {...sweepPolicy(5000), allDirsUpTo: 0, layerFloorDirs: 0, maxDirs: 50};
			const target = [{id: 'c', root, logPath: null}];
			writeFileSync(join(root, 'd150/new'), 'n'.repeat(3000));
			let seen = false;
			for (let pass = 0; pass < Math.ceil(301 / 50) + 1 && !seen; pass++) {
				const result = await worker.sample(target, {policy});
				expect(result.stats).toBeLessThanOrEqual(50 + 2); // the budget, a hot directory and the new file
				seen = result.sizes.c!.apparentBytes === 3000;
			}
			expect(seen).toBe(true);
		} finally {
			await worker.close();
		}
	});
});
