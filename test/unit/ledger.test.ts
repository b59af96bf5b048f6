import {describe, expect, it} from 'vitest';
import {buildLedger, imageLedger, otherBytes} from '../../source/domain/ledger.js';
import type {ContainerRecord, EngineSnapshot, ImageRecord} from '../../source/domain/types.js';

const container = (over: Partial<ContainerRecord>): ContainerRecord => ({
	engine: 'docker',
	id: 'c',
	name: 'c',
	image: 'img',
	imageId: 'sha256:a',
	state: 'running',
	labels: {},
	writableBytes: 0,
	writableAllocatedBytes: 0,
	writableInodes: 0,
	sizeSource: 'walk',
	logPath: null,
	logBytes: 0,
	upperDir: null,
	lowerDirs: [],
	...over,
});
const image = (id: string, tags: string[], layers: Array<[string, number]>): ImageRecord => ({
	engine: 'docker',
	id,
	tags,
	digests: [],
	virtualBytes: layers.reduce((t, [, b]) => t + b, 0),
	layers: layers.map(([chainId, bytes]) => ({chainId, bytes})),
});
const engine = (over: Partial<EngineSnapshot>): EngineSnapshot => ({
	runtime: {id: 'docker', kind: 'docker', name: 'docker', endpoint: 'x', version: '1', storageDriver: 'overlay2', backingFilesystem: 'extfs'},
	filesystem: null,
	containers: [],
	images: [],
	usage: {buildCache: null, volumes: null, layersSize: null},
	sizedByEngine: false,
	warnings: [],
	...over,
});

describe('image ledger', () => {
	const base: Array<[string, number]> = [['L0', 1000]];
	const images = [
		image('sha256:a', ['app:1'], [...base, ['A1', 300]]),
		image('sha256:b', ['tool:2'], [...base, ['B1', 50], ['B2', 70]]),
		image('sha256:c', [], [...base, ['B1', 50], ['C1', 9]]),
		image('sha256:d', ['<none>:<none>'], [['D0', 5]]),
	];
	it('counts a shared layer once, in the most-used class', () => {
		const result = imageLedger(images, [container({imageId: 'sha256:a'})]);
		expect(result.inUse).toEqual({bytes: 1300, count: 1, reclaimableBytes: 0});
		expect(result.unused).toEqual({bytes: 120, count: 1, reclaimableBytes: 120});
		expect(result.dangling).toEqual({bytes: 14, count: 2, reclaimableBytes: 14});
		const total = result.inUse.bytes + result.unused.bytes + result.dangling.bytes;
		expect(total).toBe(1000 + 300 + 50 + 70 + 9 + 5);
	});
	it('a stopped container keeps its image in use', () => {
		const result = imageLedger(images, [container({imageId: 'sha256:c', state: 'exited'})]);
		expect(result.inUse).toEqual({bytes: 1059, count: 1, reclaimableBytes: 0});
		expect(result.dangling).toEqual({bytes: 5, count: 1, reclaimableBytes: 5});
	});
	it('an image without layer data counts its virtual size as one layer', () => {
		const result = imageLedger([{...image('sha256:e', ['x:1'], []), virtualBytes: 77}], []);
		expect(result.unused).toEqual({bytes: 77, count: 1, reclaimableBytes: 77});
	});
});

describe('node ledger', () => {
	const snapshot = engine({
		containers: [
			container({id: '1', state: 'running', writableBytes: 10, logBytes: 3, logPath: '/l1'}),
			container({id: '2', state: 'paused', writableBytes: 20}),
			container({id: '3', state: 'exited', writableBytes: 40, logBytes: 5, logPath: '/l3'}),
			container({id: '4', state: 'created', writableBytes: null, sizeSource: 'pending'}),
		],
		usage: {
			buildCache: [
				{id: 'a', type: 'regular', description: '', bytes: 100, inUse: false, shared: false},
				{id: 'b', type: 'regular', description: '', bytes: 30, inUse: true, shared: false},
				{id: 'c', type: 'regular', description: '', bytes: 999, inUse: false, shared: true},
			],
			volumes: [
				{engine: 'docker', name: 'named', driver: 'local', mountpoint: '', anonymous: false, bytes: 500, refCount: 0},
				{engine: 'docker', name: 'b'.repeat(64), driver: 'local', mountpoint: '', anonymous: true, bytes: 7, refCount: 1},
				{engine: 'docker', name: 'nfs', driver: 'nfs', mountpoint: '', anonymous: false, bytes: -1, refCount: -1},
			],
			layersSize: 0,
		},
	});
	const ledger = buildLedger(snapshot);
	it('splits live (running, paused) from stopped (exited, created) layers', () => {
		expect(ledger.liveLayers).toEqual({bytes: 30, count: 2});
		expect(ledger.stoppedContainers).toEqual({bytes: 40, count: 2});
		expect(ledger.containerLogs).toEqual({bytes: 8, count: 2});
	});
	it('build cache: shared records belong to images; in-use records are not reclaimable', () => {
		expect(ledger.buildCache).toEqual({bytes: 130, count: 3, reclaimableBytes: 100});
	});
	it('volumes: unknown sizes count 0; unreferenced volumes are reclaimable', () => {
		expect(ledger.volumes).toEqual({bytes: 507, count: 3, reclaimableBytes: 500});
	});
	it('build cache and volumes stay null until the engine answers', () => {
		const pending = buildLedger(engine({}));
		expect(pending.buildCache).toBeNull();
		expect(pending.volumes).toBeNull();
	});
	it('other files = used minus everything accounted for, never negative', () => {
		expect(otherBytes(ledger, 10_000)).toBe(10_000 - (30 + 40 + 8 + 130 + 507));
		expect(otherBytes(ledger, 5)).toBe(0);
	});
});
