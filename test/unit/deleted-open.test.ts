import {describe, expect, it} from 'vitest';
import {deletedOpenAdvice} from '../../source/domain/deleted-open-advice.js';
import {attachDeletedOpen, heldByContainer, type ScannedOpenFile} from '../../source/domain/deleted-open.js';
import {buildLedger, otherBytes} from '../../source/domain/ledger.js';
import {revalidate} from '../../source/domain/prune-plan.js';
import type {ContainerRecord, EngineSnapshot} from '../../source/domain/types.js';

const id = (c: string) => c.repeat(64);
const container = (engine: string, cid: string, name: string, pod?: ContainerRecord['pod']): ContainerRecord => ({
	engine,
	id: cid,
	name,
	image: 'i',
	imageId: 'sha256:i',
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
	...(pod ? {pod} : {}),
});
const engine = (rid: string, device: number | undefined, containers: ContainerRecord[]): EngineSnapshot => ({
	runtime: {id: rid, kind: rid === 'docker' ? 'docker' : 'cri', name: rid, endpoint: '', version: '', storageDriver: 'overlay2', backingFilesystem: 'extfs'},
	filesystem: device === undefined ? null : {path: '/var/lib', sizeBytes: 100e9, usedBytes: 50e9, availableBytes: 50e9, inodesTotal: 1, inodesFree: 1, device},
	containers,
	images: [],
	usage: {buildCache: null, volumes: null, layersSize: null},
	sizedByEngine: false,
	warnings: [],
});
const file = (pid: number, device: number, inode: number, cgroup: string, allocated = 1 << 20): ScannedOpenFile => ({
	pid,
	startTime: 1000 + pid,
	fd: 3,
	command: 'app',
	path: `/var/log/${pid}.log`,
	device,
	statDevice: device,
	inode,
	bytes: allocated,
	allocatedBytes: allocated,
	holders: [{pid, fd: 3}],
	cgroup,
});

describe('deleted-open attribution and ledger', () => {
	const docker = engine('docker', 7, [container('docker', id('a'), 'web')]);
	const cri = engine('containerd', 7, [container('containerd', id('b'), 'api', {name: 'api-1', namespace: 'prod', uid: 'u'})]);
	const scanned = [
		file(10, 7, 1, `0::/system.slice/docker-${id('a')}.scope`),
		file(11, 7, 2, `0::/kubepods.slice/kubepods-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/cri-containerd-${id('b')}.scope`, 3 << 20),
		file(12, 7, 3, '0::/system.slice/rsyslog.service'),
		file(13, 99, 4, '0::/'),
	];
	const [d, c] = attachDeletedOpen([docker, cri], scanned);

	it('lists each file once, under the first engine on its filesystem, and drops other filesystems', () => {
		expect(d!.deletedOpen!.map(f => f.pid)).toEqual([11, 10, 12]);
		expect(c!.deletedOpen).toEqual([]);
	});

	it('attributes to containers of any engine (pod too) or to the host process and its unit', () => {
		const by = Object.fromEntries(d!.deletedOpen!.map(f => [f.pid, f.holder]));
		expect(by[10]).toMatchObject({container: {engine: 'docker', name: 'web'}, unit: null});
		expect(by[11]).toMatchObject({container: {engine: 'containerd', name: 'api', pod: {name: 'api-1', namespace: 'prod'}}});
		expect(by[12]).toMatchObject({container: null, unit: 'rsyslog.service'});
		expect(heldByContainer([d!, c!]).get(`containerd/${id('b')}`)).toBe(3 << 20);
	});

	it('is a ledger category that the "other files" remainder subtracts', () => {
		const ledger = buildLedger(d!);
		expect(ledger.deletedOpen).toEqual({bytes: 5 << 20, count: 3, reclaimableBytes: 5 << 20});
		expect(otherBytes(ledger, 50e9)).toBe(50e9 - (5 << 20));
		expect(buildLedger(docker).deletedOpen).toBeNull();
	});

	it('plans truncation per holder; re-validation wants the same process, fd and inode', () => {
		const plans = deletedOpenAdvice([d!], 1);
		expect(plans.map(p => p.subject)).toEqual(['prod/api-1/api', 'web', 'pid 12 (app, rsyslog.service)']);
		const item = plans[0]!.plan.items[0]!;
		expect(item).toMatchObject({kind: 'open-file', engine: 'host', id: '11:3', bytes: 3 << 20});
		const now = (files: ScannedOpenFile[]) => attachDeletedOpen([engine('host', 7, [])], files)[0]!;
		const same = scanned[1]!;
		expect(revalidate(item, now([same]))).toEqual({ok: true});
		expect(revalidate(item, now([]))).toMatchObject({ok: false, reason: expect.stringMatching(/exited|closed/)});
		expect(revalidate(item, now([{...same, startTime: 5}]))).toMatchObject({ok: false, reason: expect.stringMatching(/restarted/)});
		expect(revalidate(item, now([{...same, inode: 99}]))).toMatchObject({ok: false});
		expect(revalidate(item, now([{...same, holders: [{pid: 11, fd: 4}]}]))).toMatchObject({ok: false, reason: 'fd 3 no longer points to that file'});
	});
});
