import {mkdtempSync, readFileSync, readdirSync, rmSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {CriClient} from '../../source/adapters/cri/cri-client.js';
import {containerdSocket, importImage, startContainerd, stopContainerd} from '../../source/adapters/lab/containerd-lab.js';
import {BUSYBOX_IMAGE, PAUSE_IMAGE, buildBusyboxImage} from './cri-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'layerscope-cri-lab-'));
afterAll(async () => {
	await stopContainerd(dir);
	rmSync(dir, {recursive: true, force: true});
}, 120_000);

/** Processes whose command line mentions our lab dir (containerd, its shims, their containers' argv won't). */
function processesUsing(path: string): number[] {
	return readdirSync('/proc')
		.filter(name => /^\d+$/.test(name))
		.filter(pid => {
			try {
				return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path);
			} catch {
				return false;
			}
		})
		.map(Number);
}

describe('private containerd lab', () => {
	it('starts, is reused while alive, and stops without leaving processes or mounts behind', async () => {
		const first = await startContainerd(dir);
		expect(first.socket).toBe(containerdSocket(dir));
		expect((await startContainerd(dir)).pid).toBe(first.pid);
		expect(readFileSync(join(dir, 'containerd/config.toml'), 'utf8')).toContain('restrict_oom_score_adj = true');

		importImage(dir, buildBusyboxImage(join(dir, 'images'), PAUSE_IMAGE, {Entrypoint: ['/bin/sleep', 'infinity']}));
		importImage(dir, buildBusyboxImage(join(dir, 'images'), BUSYBOX_IMAGE, {Cmd: ['/bin/sh']}));
		expect(() => importImage(dir, join(dir, 'missing.tar'))).toThrow(/^ctr images import .*missing\.tar failed: /);

		// Leave a running pod behind on purpose: stop must clean it up.
		const client = CriClient.connect(first.socket, {timeoutMs: 30_000});
		const sandboxConfig = {metadata: {name: 'left', namespace: 'lab', uid: 'left-uid'}, linux: {securityContext: {namespaceOptions: {network: 'NODE'}}}};
		const sandbox = await client.runPodSandbox(sandboxConfig);
		const id = await client.createContainer(sandbox, {metadata: {name: 'c'}, image: {image: BUSYBOX_IMAGE}, command: ['/bin/sleep', '3600']}, sandboxConfig);
		await client.startContainer(id);
		client.close();
		expect(processesUsing(join(dir, 'containerd')).length).toBeGreaterThanOrEqual(2); // containerd + shim

		await stopContainerd(dir);
		expect(processesUsing(join(dir, 'containerd'))).toEqual([]);
		expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(join(dir, 'containerd'));
		expect(existsSync(join(dir, 'containerd/containerd.pid'))).toBe(false);
		await stopContainerd(dir); // idempotent
	});

	it('fails with one line and the log tail when containerd cannot start', async () => {
		const bad = mkdtempSync(join(tmpdir(), 'layerscope-cri-lab-bad-'));
		try {
			const error = await startContainerd(bad, {binary: '/bin/false', timeoutMs: 5000}).catch((e: Error) => e);
			expect(error).toBeInstanceOf(Error);
			expect((error as Error).message).toMatch(/^private containerd in .* exited: /);
			expect((error as Error).message).not.toContain('\n');
		} finally {
			rmSync(bad, {recursive: true, force: true});
		}
	});
});
