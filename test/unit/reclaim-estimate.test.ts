import {describe, expect, it} from 'vitest';
import {buildCacheHold} from '../../source/domain/build-cache-layers.js';
import {allUnusedImagesTitle, cleanupPlans} from '../../source/domain/cleanup-candidates.js';
import {buildLedger} from '../../source/domain/ledger.js';
import {makePlan, type PlanItem} from '../../source/domain/prune-plan.js';
import {jointBytes, reclaimAgreement, reclaimWarning} from '../../source/domain/reclaim-estimate.js';
import type {BuildCacheRecord, ContainerRecord, EngineSnapshot, ImageRecord} from '../../source/domain/types.js';
import {chosenPlan, draftOf, toggleItem} from '../../source/ui/model/plan-selection.js';

const MiB = 1024 ** 2;
const image = (id: string, tags: string[], layers: Array<[string, number]>, over: Partial<ImageRecord> = {}): ImageRecord => ({
	engine: 'docker',
	id,
	tags,
	digests: [],
	virtualBytes: layers.reduce((t, [, b]) => t + b, 0),
	layers: layers.map(([chainId, bytes]) => ({chainId, bytes})),
	...over,
});
const container = (imageId: string): ContainerRecord => ({
	engine: 'docker',
	id: `c-${imageId}`,
	name: 'c',
	image: 'img',
	imageId,
	state: 'exited',
	labels: {},
	writableBytes: 10,
	writableAllocatedBytes: 0,
	writableInodes: 0,
	sizeSource: 'walk',
	logPath: null,
	logBytes: 0,
	upperDir: null,
	lowerDirs: [],
});
const engine = (images: ImageRecord[], containers: ContainerRecord[] = []): EngineSnapshot => ({
	runtime: {id: 'docker', kind: 'docker', name: 'docker', endpoint: 'x', version: '1', storageDriver: 'overlay2', backingFilesystem: 'extfs'},
	filesystem: null,
	containers,
	images,
	usage: {buildCache: null, volumes: null, layersSize: null},
	sizedByEngine: false,
	warnings: [],
});

describe('joint estimate: set arithmetic on layers', () => {
	const a = {
		bytes: 0,
		layers: [
			{chainId: 'S', bytes: 8 * MiB},
			{chainId: 'A', bytes: 3},
		],
	};
	const b = {
		bytes: 0,
		layers: [
			{chainId: 'S', bytes: 8 * MiB},
			{chainId: 'B', bytes: 3},
		],
	};
	it('a layer shared only among the chosen items counts once', () => {
		expect(jointBytes([a, b])).toBe(8 * MiB + 6);
	});
	it('a layer something left behind holds does not count', () => {
		expect(jointBytes([a], [], [b])).toBe(3);
		expect(jointBytes([a, b], ['S'])).toBe(6);
	});
	it('items without layers free their own bytes', () => {
		expect(jointBytes([{bytes: 40}, a], [], [b])).toBe(43);
	});
});

describe("the plans an engine offers (the issue's case: an unused and a dangling image share an 8 MiB layer)", () => {
	const images = [
		image('sha256:base', ['base:1'], [['L0', 1000]]),
		image(
			'sha256:used',
			['app:1'],
			[
				['L0', 1000],
				['U1', 50],
			],
		),
		image(
			'sha256:unused',
			['tool:2'],
			[
				['L0', 1000],
				['S', 8 * MiB],
				['T2', 3],
			],
		),
		image(
			'sha256:dangling',
			[],
			[
				['L0', 1000],
				['S', 8 * MiB],
				['T1', 3],
			],
		),
		image(
			'sha256:pinned',
			['keep:1'],
			[
				['P', 70],
				['Q', 5],
			],
			{pinned: true},
		),
		image(
			'sha256:near-pinned',
			['near:1'],
			[
				['P', 70],
				['R', 9],
			],
		),
	];
	const snapshot = engine(images, [container('sha256:used'), container('sha256:base')]);
	const plans = cleanupPlans(snapshot);
	const plan = (title: string) => plans.find(p => p.title === title)!;

	it('each single-class plan leaves the other class holding the shared layer', () => {
		expect(plan('Remove unused images').totalBytes).toBe(3 + 9);
		expect(plan('Remove dangling images').totalBytes).toBe(3);
	});
	it("the joint plan frees the shared layer, and equals the ledger's unused + dangling reclaimable", () => {
		const joint = plan(allUnusedImagesTitle);
		expect(joint.items.map(i => i.id).sort()).toEqual(['sha256:dangling', 'sha256:near-pinned', 'sha256:unused']);
		expect(joint.totalBytes).toBe(8 * MiB + 3 + 3 + 9);
		const ledger = buildLedger(snapshot);
		expect(ledger.unusedImages.reclaimableBytes! + ledger.danglingImages.reclaimableBytes!).toBe(joint.totalBytes);
		// The pinned image's own layer Q is unused but never reclaimable, nor is P which it shares.
		expect(ledger.unusedImages.bytes - ledger.unusedImages.reclaimableBytes!).toBe(70 + 5);
	});
	it('toggling recomputes the estimate for what stays selected', () => {
		const joint = plan(allUnusedImagesTitle);
		const index = joint.items.findIndex(i => i.id === 'sha256:dangling');
		let draft = draftOf(joint);
		expect(chosenPlan(draft).totalBytes).toBe(joint.totalBytes);
		draft = toggleItem(draft, index);
		expect(chosenPlan(draft).totalBytes).toBe(3 + 9); // the dangling image, left behind, keeps S
		expect(chosenPlan(draft).items.map(i => i.id)).not.toContain('sha256:dangling');
		draft = toggleItem(draft, index);
		expect(chosenPlan(draft).totalBytes).toBe(joint.totalBytes);
	});
	it('a plan of other kinds still adds its items up', () => {
		const items: PlanItem[] = [1, 2].map(n => ({kind: 'container', engine: 'docker', id: `c${n}`, name: `c${n}`, bytes: n * 10, chosen: false}));
		expect(makePlan('containers', items).totalBytes).toBe(30);
	});
});

describe('measured against estimated', () => {
	it('agrees within 10%, with a 1 MiB floor for filesystem metadata', () => {
		expect(reclaimAgreement(100 * MiB, 95 * MiB).agree).toBe(true);
		expect(reclaimAgreement(100 * MiB, 80 * MiB).agree).toBe(false);
		expect(reclaimAgreement(3, 8192).agree).toBe(true);
	});
	it('names the likely cause', () => {
		expect(reclaimWarning({estimatedBytes: 8 * MiB, measuredBytes: 16384, kinds: ['image'], caveat: '2 build-cache record(s) share layers with images'})).toMatch(/likely 2 build-cache record\(s\) share layers/);
		expect(reclaimWarning({estimatedBytes: 8 * MiB, measuredBytes: 0, kinds: ['container']})).toMatch(/deleted but open/);
		expect(reclaimWarning({estimatedBytes: 8 * MiB, measuredBytes: 40 * MiB, kinds: ['volume']})).toMatch(/freed space on this filesystem meanwhile/);
		expect(reclaimWarning({estimatedBytes: 8 * MiB, measuredBytes: 8 * MiB, kinds: ['image']})).toBeNull();
		expect(reclaimWarning({estimatedBytes: 8 * MiB, measuredBytes: null, kinds: ['image']})).toBeNull();
	});
});

describe('layers build-cache records keep', () => {
	const record = (id: string, chainId: string | null | undefined, shared = true): BuildCacheRecord => ({id, type: 'regular', description: '', bytes: 1, inUse: false, shared, ...(chainId === undefined ? {} : {chainId})});
	// base ← big ← v1 (unused), base ← big ← v2 (dangling); the build cache keeps big (and so base).
	const images = [
		image(
			'sha256:u',
			['tool:1'],
			[
				['base', MiB],
				['big', 8 * MiB],
				['v1', 2],
			],
		),
		image(
			'sha256:d',
			[],
			[
				['base', MiB],
				['big', 8 * MiB],
				['v2', 2],
			],
		),
	];

	it('a record keeps its layer and every layer below it', () => {
		expect([...buildCacheHold(images, [record('r1', 'big'), record('r2', null)]).held].sort()).toEqual(['base', 'big']);
		expect(buildCacheHold(images, [record('r1', undefined)]).unknownShared).toBe(1);
		expect(buildCacheHold(images, [record('r1', undefined, false)]).unknownShared).toBe(0);
	});

	it('the joint plan leaves them out, says so, and the ledger agrees', () => {
		const e = {...engine(images), usage: {buildCache: [record('r1', 'big')], volumes: null, layersSize: null}};
		const plan = cleanupPlans(e).find(p => p.title === allUnusedImagesTitle)!;
		expect(plan.totalBytes).toBe(4);
		expect(plan.caveat).toBeUndefined();
		expect(plan.note).toBe('not counted: 9.0 MiB in 2 layer(s) only these images and build-cache records hold: they stay on disk until the build cache is pruned too');
		const ledger = buildLedger(e);
		expect(ledger.unusedImages.reclaimableBytes! + ledger.danglingImages.reclaimableBytes!).toBe(4);
		// Toggling keeps the build cache's layers out.
		expect(chosenPlan(toggleItem(draftOf(plan), 1)).totalBytes).toBe(2);
	});

	it('records whose layer is not known here leave the estimate as it was, with a caveat', () => {
		const e = {...engine(images), usage: {buildCache: [record('r1', undefined)], volumes: null, layersSize: null}};
		const plan = cleanupPlans(e).find(p => p.title === allUnusedImagesTitle)!;
		expect(plan.totalBytes).toBe(MiB + 8 * MiB + 4);
		expect(plan.caveat).toMatch(/^1 build-cache record\(s\) share layers with images .*not known here which/);
	});
});
