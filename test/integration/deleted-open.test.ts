import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, statSync, statfsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {scanDeletedOpen} from '../../source/adapters/proc/deleted-open-scan.js';
import {deletedOpenAdvice} from '../../source/domain/deleted-open-advice.js';
import {attachDeletedOpen} from '../../source/domain/deleted-open.js';
import type {EngineSnapshot} from '../../source/domain/types.js';
import {buildConsoleServices} from '../../source/services/build-console-services.js';
import type {ReportDeletedOpenFile} from '../../source/report/report-model.js';
import {runCli} from '../helpers/cli.js';
import {startPod, type TestPod} from '../helpers/cri-pod.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';

const MiB = 1024 * 1024;
/** Opens a 20 MiB file, deletes it, keeps it open, and prints "held" once it is so. */
const holdScript = (path: string) => `exec 3>${path}; dd if=/dev/zero bs=1M count=20 >&3 2>/dev/null; rm ${path}; echo held; exec sleep 3600`;

const heldPath = (name: string) => async () => scanDeletedOpen({devices: null}).files.find(f => f.path.endsWith(name));

/** Only the filesystem matters to attribution of host files; containers are matched by the report. */
function hostEngine(dir: string): EngineSnapshot {
	const s = statfsSync(dir);
	return {
		runtime: {id: 'test', kind: 'docker', name: 'test', endpoint: '', version: '', storageDriver: '', backingFilesystem: ''},
		filesystem: {path: dir, sizeBytes: s.blocks * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize, availableBytes: s.bavail * s.bsize, inodesTotal: s.files, inodesFree: s.ffree, device: statSync(dir).dev},
		containers: [],
		images: [],
		usage: {buildCache: null, volumes: null, layersSize: null},
		sizedByEngine: false,
		warnings: [],
	};
}

describe('deleted-but-open files (real containers, a CRI pod and a host process)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-deleted-open-'));
	const env = () => ({DOCKER_HOST: lab().dockerHost, CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint, XDG_STATE_HOME: dir});
	let pod: TestPod;
	let host: ChildProcess;

	beforeAll(async () => {
		await runContainer(labDocker(), 'do-docker-holder', holdScript('/var/do-held-docker.bin'));
		pod = await startPod(lab().criEndpoint, 'do-pod-holder', holdScript('/var/do-held-pod.bin'));
		host = spawn('sh', ['-c', holdScript(join(dir, 'do-held-host.bin'))], {stdio: 'ignore'});
		await waitFor('the docker container to hold its file', heldPath('do-held-docker.bin'));
		await waitFor('the pod to hold its file', heldPath('do-held-pod.bin'));
		await waitFor('the host process to hold its file', heldPath('do-held-host.bin'));
	});

	afterAll(async () => {
		host?.kill('SIGKILL');
		await labDocker()
			.getContainer('do-docker-holder')
			.remove({force: true})
			.catch(() => {});
		await pod?.remove();
	});

	it('report --json attributes each file to its container (name, engine, pod) or to the host process', async () => {
		const result = await runCli(['report', '--json'], env());
		expect(result.code, result.stderr).toBe(0);
		const report = JSON.parse(result.stdout);
		const files: ReportDeletedOpenFile[] = report.deletedOpenFiles;
		const byPath = (name: string) => files.find(f => f.path.endsWith(name))!;
		expect(byPath('/var/do-held-docker.bin')).toMatchObject({container: 'do-docker-holder', engine: 'docker', pod: null, namespace: null, command: 'sleep', bytes: 20 * MiB});
		expect(byPath('/var/do-held-docker.bin').allocatedBytes).toBeGreaterThanOrEqual(20 * MiB);
		const criEngine = report.runtimes.find((r: {runtime: {kind: string}}) => r.runtime.kind === 'cri').runtime.id;
		expect(byPath('/var/do-held-pod.bin')).toMatchObject({container: 'do-pod-holder', engine: criEngine, pod: pod.pod.name, namespace: pod.pod.namespace, bytes: 20 * MiB});
		expect(byPath('do-held-host.bin')).toMatchObject({container: null, engine: null, pid: host.pid, command: 'sleep', bytes: 20 * MiB});
		expect(report.ledger.deletedOpen.count).toBeGreaterThanOrEqual(3);
		expect(report.ledger.deletedOpen.bytes).toBeGreaterThanOrEqual(60 * MiB);
		// The "other files" remainder no longer counts them.
		const text = await runCli(['report'], env());
		expect(text.stdout).toMatch(/Deleted, still open/);
		expect(text.stdout).toMatch(/do-docker-holder \(docker\)/);
	});

	it('finds the same files when half the readlink pass runs on a worker thread', async () => {
		const {scanDeletedOpenParallel} = await import('../../source/adapters/proc/parallel-scan.js');
		const key = (f: {pid: number; fd: number; inode: number}) => `${f.pid}:${f.fd}:${f.inode}`;
		const ours = (f: {path: string}) => /do-held-(docker|pod|host)\.bin$/.test(f.path);
		const sync = scanDeletedOpen({devices: null}).files.filter(ours).map(key).sort();
		const parallel = (await scanDeletedOpenParallel({devices: null, parallelFrom: 0})).files.filter(ours).map(key).sort();
		expect(sync).toHaveLength(3);
		expect(parallel).toEqual(sync);
	});

	it('truncating through the mutation service frees the bytes (statfs) and writes the audit log', async () => {
		const engines = attachDeletedOpen([hostEngine(dir)], scanDeletedOpen({devices: new Set([statSync(dir).dev])}).files);
		const suggestion = deletedOpenAdvice(engines, 0).find(s => s.plan.items.some(i => i.openFile?.pid === host.pid))!;
		const plan = {...suggestion.plan, items: suggestion.plan.items.filter(i => i.openFile?.pid === host.pid)};
		const services = buildConsoleServices([], {readOnly: {on: false, source: null}, auditLog: join(dir, 'audit.jsonl')});
		const result = await services.mutations!.execute(plan);
		expect(result.outcomes.map(o => o.outcome)).toEqual(['removed']);
		// statfs right before and after the truncation (the service measures it around each item)
		expect(result.measuredBytes).toBeGreaterThan(15 * MiB);
		expect(statSync(`/proc/${host.pid}/fd/3`)).toMatchObject({size: 0, blocks: 0});
		const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8')
			.trim()
			.split('\n')
			.map(l => JSON.parse(l));
		expect(audit.at(-1)).toMatchObject({engine: 'host', item: {kind: 'open-file', id: `${host.pid}:3`}, outcome: 'removed'});
	});

	it('truncates a container\u2019s held file through its overlay, by the same path', async () => {
		const engines = attachDeletedOpen([hostEngine(lab().dir)], scanDeletedOpen({devices: new Set([statSync(lab().dir).dev])}).files);
		const item = deletedOpenAdvice(engines, 0)
			.flatMap(s => s.plan.items)
			.find(i => i.name.startsWith('/var/do-held-pod.bin'))!;
		const services = buildConsoleServices([], {readOnly: {on: false, source: null}, auditLog: join(dir, 'audit.jsonl')});
		const result = await services.mutations!.execute({title: 't', items: [item], totalBytes: item.bytes});
		expect(result.outcomes[0]).toMatchObject({outcome: 'removed'});
		expect(result.measuredBytes).toBeGreaterThan(15 * MiB);
		expect(await heldPath('do-held-pod.bin')()).toMatchObject({bytes: 0});
	});

	it('is refused in read-only mode: no mutation service exists', () => {
		const services = buildConsoleServices([], {readOnly: {on: true, source: '--read-only'}, auditLog: join(dir, 'never.jsonl')});
		expect(services.mutations).toBeNull();
	});

	it('skips the file when its holder restarted since the plan', async () => {
		const engines = attachDeletedOpen([hostEngine(lab().dir)], scanDeletedOpen({devices: new Set([statSync(lab().dir).dev])}).files);
		const item = deletedOpenAdvice(engines, 0)
			.flatMap(s => s.plan.items)
			.find(i => i.name.startsWith('/var/do-held-docker.bin'))!;
		const container = labDocker().getContainer('do-docker-holder');
		await container.restart({t: 0});
		const again = await waitFor('the restarted container to hold a new file', async () => {
			const found = await heldPath('do-held-docker.bin')();
			return found && found.pid !== item.openFile!.pid ? found : undefined;
		});
		const services = buildConsoleServices([], {readOnly: {on: false, source: null}, auditLog: join(dir, 'audit.jsonl')});
		const result = await services.mutations!.execute({title: 't', items: [item], totalBytes: item.bytes});
		expect(result.outcomes[0]).toMatchObject({outcome: 'skipped'});
		expect(result.outcomes[0]!.reason).toMatch(/exited|restarted/);
		expect((await heldPath('do-held-docker.bin')())!.bytes).toBe(again.bytes);
	});
});

describe('a container growing a deleted file', () => {
	it('grows in the console feed although its writable layer does not', async () => {
		const {DockerClient} = await import('../../source/adapters/docker/docker-client.js');
		const {DockerReader} = await import('../../source/adapters/docker/docker-reader.js');
		const {resolveDockerEndpoint} = await import('../../source/adapters/docker/endpoint.js');
		const {DockerSampler} = await import('../../source/services/sampler.js');
		const {DeletedOpenFeed} = await import('../../source/services/deleted-open-feed.js');
		const id = await runContainer(labDocker(), 'do-deleted-grower', 'exec 3>/var/grow.log; rm /var/grow.log; while true; do dd if=/dev/zero bs=64k count=8 >&3 2>/dev/null; sleep 0.2; done');
		const sampler = new DockerSampler(new DockerReader(new DockerClient(resolveDockerEndpoint(lab().dockerHost), 30_000)), {intervalMs: 300});
		const feed = new DeletedOpenFeed(sampler, {intervalMs: 300});
		try {
			feed.start();
			sampler.start();
			const key = `docker/${id}`;
			const growth = await waitFor('held bytes to show as growth', async () => {
				const rate = feed.getState().growth.get(key);
				return rate !== null && rate !== undefined && rate > 100_000 ? rate : undefined;
			});
			expect(growth).toBeGreaterThan(100_000);
			const c = feed.getState().snapshot!.engines[0]!.containers.find(x => x.id === id)!;
			expect(c.writableBytes ?? 0).toBeLessThan(64 * 1024);
			const held = feed
				.getState()
				.snapshot!.engines.flatMap(e => e.deletedOpen ?? [])
				.find(f => f.holder.container?.id === id);
			expect(held?.path).toBe('/var/grow.log');
		} finally {
			await feed.stop();
			await sampler.stop();
			await labDocker()
				.getContainer('do-deleted-grower')
				.remove({force: true})
				.catch(() => {});
		}
	});
});
