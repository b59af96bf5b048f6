import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerChanges} from '../../source/adapters/docker/docker-changes.js';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {walkTreeWithWorkers} from '../../source/adapters/fs/tree-walk.js';
import type {DrillTree} from '../../source/domain/drill-model.js';
import {metadataCopyUpAdvice} from '../../source/domain/metadata-copy-up-advice.js';
import type {ContainerRecord} from '../../source/domain/types.js';
import {containerClasses} from '../../source/services/container-classes.js';
import {drillContainer, toDrillTree} from '../../source/services/drill.js';
import {runCli} from '../helpers/cli.js';
import {busybox, lab, labDocker, runContainer, stoppedContainerRecord} from '../helpers/lab.js';

const image = 'ls-test/copyup-tree:1';
const dirs = 40;
const perDir = 100;
/** File f of every directory holds ((f % 7) + 1) * 1000 random bytes; /data/big.bin 2 MiB. */
const sizeOf = (f: number) => ((f % 7) + 1) * 1000;
let dirBytes = 0;
for (let f = 1; f <= perDir; f++) dirBytes += sizeOf(f);
const bigBytes = 2 * 1024 * 1024;
const treeFiles = dirs * perDir + 1;
const treeBytes = dirs * dirBytes + bigBytes;
const touchAll = "find /data -type f | xargs touch -d '2020-01-02 03:04:05'";

const record = stoppedContainerRecord;

describe('metadata-only copy-ups (chown -R, chmod -R, touch) against the private dockerd', () => {
	const docker = labDocker();
	const records = new Map<string, ContainerRecord>();
	const trees = new Map<string, DrillTree>();
	let changes: DockerChanges;

	// Every tar the walker starts is logged by a shim first on PATH; content comparison starts none.
	const shimDir = mkdtempSync(join(tmpdir(), 'ls-copyup-tar-'));
	const tarLog = join(shimDir, 'calls');
	const tarCalls = () => (existsSync(tarLog) ? readFileSync(tarLog, 'utf8').split('\n').filter(Boolean) : []);
	const savedPath = process.env.PATH;
	let chownTars: string[] = [];

	const drill = async (name: string, script: string) => {
		const id = await runContainer(docker, name, script, {wait: true, image});
		const rec = await record(id);
		records.set(name, rec);
		const tree = await drillContainer(rec, {listAdded: true});
		trees.set(name, tree);
		return tree;
	};

	beforeAll(async () => {
		writeFileSync(join(shimDir, 'tar'), `#!/bin/sh\necho "$0" >> ${tarLog}\nexec /usr/bin/tar "$@"\n`, {mode: 0o755});
		process.env.PATH = `${shimDir}:${savedPath}`;
		changes = new DockerChanges(new DockerClient(resolveDockerEndpoint(lab().dockerHost)));
		// The image: a tree of 4,001 files made in a container and committed (no registry, no build).
		const maker = await runContainer(
			docker,
			'ls-cu-maker',
			`mkdir -p /data && cd /data && for d in $(seq 1 ${dirs}); do mkdir d$d; for f in $(seq 1 ${perDir}); do head -c $(( (f % 7 + 1) * 1000 )) /dev/urandom > d$d/f$f; done; done && head -c ${bigBytes} /dev/urandom > /data/big.bin`,
			{wait: true, image: busybox},
		);
		const [repo, tag] = image.split(':');
		await docker.getContainer(maker).commit({repo, tag});
		await docker.getContainer(maker).remove({force: true});
		const before = tarCalls().length;
		await drill('ls-cu-chown', 'chown -R 1000:1000 /data');
		chownTars = tarCalls().slice(before);
		await drill('ls-cu-chmod', 'chmod -R go-r /data');
		await drill('ls-cu-touch', touchAll);
		// Every file touched, and two rewritten in place with new bytes of the same size: those two are ordinary copy-ups.
		await drill('ls-cu-rewrite', `${touchAll} && dd if=/dev/urandom of=/data/d1/f1 bs=${sizeOf(1)} count=1 conv=notrunc 2>/dev/null && dd if=/dev/urandom of=/data/big.bin bs=4096 count=512 conv=notrunc 2>/dev/null`);
	}, 240_000);

	afterAll(async () => {
		process.env.PATH = savedPath;
		// Leave the shared lab as found: other tests list its containers in an 80×24 table.
		for (const name of records.keys())
			await docker
				.getContainer(name)
				.remove({force: true})
				.catch(() => {});
		await docker
			.getImage(image)
			.remove({force: true})
			.catch(() => {});
	}, 120_000);

	it('classes every file of a chown -R as metadata-copy-up, with bytes and counts as built, per directory too', () => {
		const tree = trees.get('ls-cu-chown')!;
		const m = tree.metadataCopyUp!;
		expect(m).toMatchObject({files: treeFiles, bytes: treeBytes, owner: treeFiles, mode: 0, time: 0, differs: 0, unchecked: 0, topOwner: {owner: '1000:1000', files: treeFiles}});
		expect(m.confirmed + m.inferred).toBe(treeFiles);
		expect(m.confirmed).toBeGreaterThan(0);
		expect(m.cause).toBe(`ownership (to 1000:1000) changed on ${treeFiles.toLocaleString('en-US')} files under /data`);
		expect(tree.classes).toEqual([{class: 'metadata-copy-up', bytes: treeBytes, lowerBytes: treeBytes}]);
		expect(tree.dirs.get('/data/d7')!.metadataCopyUp).toEqual({files: perDir, bytes: dirBytes});
		expect(tree.dirs.get('/data')!.metadataCopyUp).toEqual({files: treeFiles, bytes: treeBytes});
		const f = tree.changes.find(c => c.path === '/data/d7/f3')!;
		expect(f).toMatchObject({kind: 'C', class: 'metadata-copy-up', bytes: sizeOf(3), metadataChange: ['owner']});
	});

	it('reads opaque xattrs with one tar for the walk and compares contents without any process', () => {
		expect(chownTars).toEqual([join(shimDir, 'tar')]);
	});

	it('names a chmod -R as a mode change and a touch as a time change, every touched file confirmed by content', () => {
		const chmod = trees.get('ls-cu-chmod')!.metadataCopyUp!;
		expect(chmod).toMatchObject({files: treeFiles, bytes: treeBytes, owner: 0, mode: treeFiles, time: 0});
		expect(chmod.cause).toBe(`mode changed on ${treeFiles.toLocaleString('en-US')} files under /data`);
		const touch = trees.get('ls-cu-touch')!.metadataCopyUp!;
		expect(touch).toMatchObject({files: treeFiles, bytes: treeBytes, confirmed: treeFiles, inferred: 0, owner: 0, mode: 0, time: treeFiles});
		expect(touch.cause).toMatch(/^modification time changed on 4,001 files under \/data$/);
	});

	it('never calls a file whose content was rewritten (same size) metadata-only', () => {
		const tree = trees.get('ls-cu-rewrite')!;
		expect(tree.metadataCopyUp).toMatchObject({files: treeFiles - 2, bytes: treeBytes - sizeOf(1) - bigBytes, differs: 2, time: treeFiles - 2});
		expect(tree.changes.find(c => c.path === '/data/big.bin')).toMatchObject({kind: 'C', class: 'copy-up', bytes: bigBytes, lowerBytes: bigBytes, contentSame: false, metadataChange: ['time']});
		expect(tree.changes.find(c => c.path === '/data/d1/f1')).toMatchObject({kind: 'C', class: 'other', bytes: sizeOf(1), contentSame: false});
		expect(tree.changes.find(c => c.path === '/data/d1/f2')).toMatchObject({class: 'metadata-copy-up', contentSame: true});
		const cls = Object.fromEntries(tree.classes.map(c => [c.class, c.bytes]));
		expect(cls).toEqual({'metadata-copy-up': treeBytes - sizeOf(1) - bigBytes, 'copy-up': bigBytes, other: sizeOf(1)});
	});

	it('matches docker diff for every container', async () => {
		for (const [name, tree] of trees) {
			const engine = await changes.changes(tree.containerId);
			expect(new Set(tree.changes.map(c => `${c.kind} ${c.path}`)), name).toEqual(new Set(engine.map(c => `${c.kind} ${c.path}`)));
		}
	});

	it('bounds the comparison by its budget: unchanged mtimes are inferred, new ones left unchecked in their class', async () => {
		const none = await drillContainer(records.get('ls-cu-chown')!, {listAdded: true, contentBudgetBytes: 0});
		expect(none.metadataCopyUp).toMatchObject({files: treeFiles, confirmed: 0, inferred: treeFiles, comparedBytes: 0});
		const all = await drillContainer(records.get('ls-cu-chown')!, {listAdded: true, contentBudgetBytes: 1 << 30});
		expect(all.metadataCopyUp).toMatchObject({files: treeFiles, confirmed: treeFiles, inferred: 0});
		const small = await drillContainer(records.get('ls-cu-touch')!, {listAdded: true, contentBudgetBytes: 1 << 20});
		const m = small.metadataCopyUp!;
		expect(m.unchecked).toBeGreaterThan(0);
		expect(m.files).toBe(m.confirmed);
		expect(m.files + m.unchecked).toBe(treeFiles);
		expect(m.comparedBytes).toBeLessThanOrEqual(1 << 20);
		expect(small.warnings.join('\n')).toContain('not compared (budget)');
		const cls = Object.fromEntries(small.classes.map(c => [c.class, c.bytes]));
		expect(cls['metadata-copy-up']! + cls.other!).toBe(treeBytes - bigBytes);
		expect(cls['copy-up']).toBe(bigBytes);
	});

	it('gives the same figures with the worker-thread walker', async () => {
		const rec = records.get('ls-cu-chown')!;
		const tree = toDrillTree(rec.id, await walkTreeWithWorkers(rec.upperDir!, {lowerDirs: rec.lowerDirs, listAdded: true}));
		const find = trees.get('ls-cu-chown')!;
		expect(tree.metadataCopyUp).toMatchObject({files: treeFiles, bytes: treeBytes, owner: treeFiles, cause: find.metadataCopyUp!.cause});
		expect(tree.classes).toEqual(find.classes);
		expect(tree.dirs.get('/data/d7')!.metadataCopyUp).toEqual({files: perDir, bytes: dirBytes});
	});

	it('advises the Dockerfile fix per what changed, with bytes per container and over all containers of the image', () => {
		const classesOf = (name: string) => containerClasses(trees.get(name)!);
		const chown = metadataCopyUpAdvice([records.get('ls-cu-chown')!], [classesOf('ls-cu-chown')], 1 << 20);
		expect(chown).toHaveLength(1);
		expect(chown[0]!.change).toMatch(/^set ownership at build time \(COPY --chown=1000:1000, or chown in the same RUN that creates the files\), or run as the owning user \(USER 1000\)/);
		expect(chown[0]!.change).toContain('never chown/chmod -R');
		expect(chown[0]!.change).not.toContain('--chmod');
		expect(chown[0]!.reason).toContain(`ownership (to 1000:1000) changed on 4,001 files under /data: 4,001 files`);
		expect(metadataCopyUpAdvice([records.get('ls-cu-chmod')!], [classesOf('ls-cu-chmod')], 1 << 20)[0]!.change).toMatch(/^set modes at build time \(COPY --chmod/);
		expect(metadataCopyUpAdvice([records.get('ls-cu-touch')!], [classesOf('ls-cu-touch')], 1 << 20)[0]!.change).toMatch(/^do not touch image files at start/);
		// All four containers share the image: one finding, each container's bytes counted, the total over them.
		const names = ['ls-cu-chown', 'ls-cu-chmod', 'ls-cu-touch', 'ls-cu-rewrite'];
		const all = metadataCopyUpAdvice(
			names.map(n => records.get(n)!),
			names.map(classesOf),
			1 << 20,
		);
		expect(all).toHaveLength(1);
		const total = 3 * treeBytes + (treeBytes - sizeOf(1) - bigBytes);
		expect(all[0]).toMatchObject({bytes: total, metadataCopyUp: {containers: 4, measured: 4, perContainerBytes: treeBytes, totalBytes: total, changed: ['owner', 'mode', 'time']}});
	});

	it('reports them in report --json --container and in the text report', async () => {
		const env = {DOCKER_HOST: lab().dockerHost};
		const json = await runCli(['report', '--json', '--runtime', 'docker', '--container', 'ls-cu-chown'], env);
		expect(json.code, json.stderr).toBe(0);
		const c = JSON.parse(json.stdout).containers[0];
		expect(c.metadataCopyUp).toMatchObject({files: treeFiles, bytes: treeBytes, under: '/data', cause: `ownership (to 1000:1000) changed on 4,001 files under /data`});
		expect(c.classes[0]).toMatchObject({class: 'metadata-copy-up', bytes: treeBytes});
		const text = await runCli(['report', '--runtime', 'docker', '--container', 'ls-cu-chown'], env);
		expect(text.stdout).toContain('Copied up for metadata alone: 4,001 files, ');
	});
});
