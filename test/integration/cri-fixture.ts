/**
 * CRI test fixture. Uses LAYERSCOPE_TEST_CRI_ENDPOINT when set (e.g. the shared lab's
 * containerd); otherwise starts a private containerd in a temp dir. Makes sure the two
 * test images exist, importing LAYERSCOPE_TEST_IMAGE_DIR/{busybox,pause}.tar or tars it
 * builds itself from /bin/busybox (no Docker needed).
 */
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CriClient} from '../../source/adapters/cri/cri-client.js';
import {criSocketPath, normalizeCriEndpoint} from '../../source/adapters/cri/cri-endpoint.js';
import {importImage, startContainerd, stopContainerd} from '../../source/adapters/lab/containerd-lab.js';

export const BUSYBOX_IMAGE = 'layerscope.local/busybox:latest';
export const PAUSE_IMAGE = 'layerscope.local/pause:latest';

export interface CriFixture {
	endpoint: string;
	/** True when this fixture started the containerd (and stop() will stop it). */
	owned: boolean;
	stop(): Promise<void>;
}

export async function startCriFixture(env: NodeJS.ProcessEnv = process.env): Promise<CriFixture> {
	const external = env.LAYERSCOPE_TEST_CRI_ENDPOINT;
	const dir = external ? null : mkdtempSync(join(tmpdir(), 'layerscope-cri-test-'));
	const stop = async () => {
		if (!dir) return;
		await stopContainerd(dir);
		rmSync(dir, {recursive: true, force: true});
	};
	try {
		const endpoint = normalizeCriEndpoint(external ?? (await startContainerd(dir!)).socket);
		await ensureImages(endpoint, dir, env.LAYERSCOPE_TEST_IMAGE_DIR);
		return {endpoint, owned: dir !== null, stop};
	} catch (error) {
		await stop();
		throw error;
	}
}

async function ensureImages(endpoint: string, dir: string | null, imageDir: string | undefined): Promise<void> {
	const client = CriClient.connect(endpoint, {timeoutMs: 20_000});
	try {
		const missing: Array<'busybox' | 'pause'> = [];
		for (const [name, ref] of [
			['busybox', BUSYBOX_IMAGE],
			['pause', PAUSE_IMAGE],
		] as const) {
			if (!(await client.imageStatus(ref))) missing.push(name);
		}
		if (missing.length > 0) {
			const scratch = dir ?? mkdtempSync(join(tmpdir(), 'layerscope-cri-img-'));
			const tars = imageTars(imageDir, scratch);
			for (const name of missing) {
				if (dir) importImage(dir, tars[name]);
				else importTar(criSocketPath(endpoint)!, tars[name]);
			}
			if (!dir) rmSync(scratch, {recursive: true, force: true});
		}
	} finally {
		client.close();
	}
}

function importTar(socket: string, tar: string): void {
	// An external endpoint: import with ctr directly (works when it is a containerd).
	execFileSync('ctr', ['-a', socket, '-n', 'k8s.io', 'images', 'import', tar], {stdio: 'pipe', timeout: 120_000});
}

function imageTars(imageDir: string | undefined, workDir: string): {busybox: string; pause: string} {
	if (imageDir && existsSync(join(imageDir, 'busybox.tar')) && existsSync(join(imageDir, 'pause.tar'))) {
		return {busybox: join(imageDir, 'busybox.tar'), pause: join(imageDir, 'pause.tar')};
	}
	return {
		busybox: buildBusyboxImage(join(workDir, 'images'), BUSYBOX_IMAGE, {Cmd: ['/bin/sh']}),
		pause: buildBusyboxImage(join(workDir, 'images'), PAUSE_IMAGE, {Entrypoint: ['/bin/sleep', 'infinity']}),
	};
}

/** A one-layer docker-archive tar (what `docker save` writes) holding static busybox and its applets. */
export function buildBusyboxImage(outDir: string, tag: string, config: Record<string, unknown>): string {
	const work = mkdtempSync(join(tmpdir(), 'layerscope-img-'));
	try {
		const rootfs = join(work, 'rootfs');
		for (const sub of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev']) mkdirSync(join(rootfs, sub), {recursive: true});
		copyFileSync('/bin/busybox', join(rootfs, 'bin/busybox'));
		const applets = execFileSync('/bin/busybox', ['--list'], {encoding: 'utf8'})
			.split('\n')
			.filter(a => a && a !== 'busybox');
		for (const applet of applets) symlinkSync('busybox', join(rootfs, 'bin', applet));
		const archive = join(work, 'archive');
		mkdirSync(join(archive, 'layer'), {recursive: true});
		execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-cf', join(archive, 'layer/layer.tar'), '.']);
		const diffId = `sha256:${sha256(readFileSync(join(archive, 'layer/layer.tar')))}`;
		const arch = process.arch === 'x64' ? 'amd64' : process.arch;
		const imageConfig = JSON.stringify({
			architecture: arch,
			os: 'linux',
			created: '2024-01-01T00:00:00Z',
			config: {Env: ['PATH=/bin'], ...config},
			rootfs: {type: 'layers', diff_ids: [diffId]},
		});
		const configName = `${sha256(Buffer.from(imageConfig))}.json`;
		writeFileSync(join(archive, configName), imageConfig);
		writeFileSync(join(archive, 'manifest.json'), JSON.stringify([{Config: configName, RepoTags: [tag], Layers: ['layer/layer.tar']}]));
		mkdirSync(outDir, {recursive: true});
		const out = join(outDir, `${tag.replace(/[^\w.-]+/g, '_')}.tar`);
		execFileSync('tar', ['-C', archive, '-cf', out, 'manifest.json', configName, 'layer/layer.tar']);
		return out;
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}
