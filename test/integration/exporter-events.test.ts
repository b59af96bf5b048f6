import {execFileSync} from 'node:child_process';
import {createReadStream, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {labDocker, startDockerd, stopDockerd} from '../../source/adapters/lab/docker-lab.js';
import {labPaths} from '../../source/adapters/lab/lab-paths.js';
import {sample, startExporter, type RunningExporter} from '../helpers/exporter.js';
import {busybox, lab, waitFor} from '../helpers/lab.js';

// Issue 13: the exporter follows Docker's event stream as the console does. Its own dockerd: the test stops it.
describe('layerscope exporter follows the engine’s events (--interval 60)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-exp-events-'));
	const paths = labPaths(dir);
	const host = `unix://${paths.docker.socket}`;
	const docker = (...args: string[]) => execFileSync('/usr/bin/docker', ['-H', host, ...args], {encoding: 'utf8'}).trim();
	let exporter: RunningExporter;
	const health = async () => {
		const response = await fetch(`${exporter.url}/healthz`);
		return {status: response.status, body: (await response.json()) as {engines: Array<{up: boolean; error: string | null}>}};
	};

	beforeAll(async () => {
		await startDockerd(paths);
		const stream = (await labDocker(paths).loadImage(createReadStream(join(lab().imagesDir, 'busybox.tar')))) as NodeJS.ReadableStream;
		await new Promise((resolve, reject) => labDocker(paths).modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve(null))));
		docker('run', '-d', '--network', 'none', '--name', 'xe-stays', busybox, 'sleep', '600');
		docker('run', '-d', '--network', 'none', '--name', 'xe-gone', busybox, 'sleep', '600');
		// The next sample is 60 s away: only the event stream can explain a change seen sooner.
		exporter = await startExporter(['--runtime', 'docker', '--interval', '60'], {DOCKER_HOST: host});
		await waitFor('both containers in /metrics', async () => {
			const text = await exporter.metrics();
			return text.includes('container="xe-stays"') && text.includes('container="xe-gone"');
		});
	}, 120_000);

	afterAll(async () => {
		expect(await exporter?.stop()).toBe(0);
		await stopDockerd(paths);
		rmSync(dir, {recursive: true, force: true});
	});

	it("drops a destroyed container's series on its destroy event, long before the next sample", async () => {
		docker('rm', '-f', 'xe-gone');
		await waitFor('the removed container to leave /metrics', async () => !(await exporter.metrics()).includes('container="xe-gone"'), 20_000);
		expect(await exporter.metrics()).toContain('container="xe-stays"');
	});

	it('shows the engine down as its event stream breaks, and up again once it is back', async () => {
		expect((await health()).status).toBe(200);
		await stopDockerd(paths);
		const down = await waitFor('/healthz to report the engine down', async () => ((await health()).status === 503 ? health() : undefined), 20_000);
		expect(down.body.engines[0]!.up).toBe(false);
		expect(down.body.engines[0]!.error).toBeTruthy();
		expect(sample(await exporter.metrics(), 'layerscope_engine_up')).toBe(0);
		await startDockerd(paths);
		await waitFor('/healthz to report the engine up again', async () => (await health()).status === 200, 60_000);
		expect(sample(await exporter.metrics(), 'layerscope_engine_up')).toBe(1);
	});
});
