import {execFileSync} from 'node:child_process';
import {createReadStream, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {labDocker, startDockerd, stopDockerd} from '../../source/adapters/lab/docker-lab.js';
import {labPaths} from '../../source/adapters/lab/lab-paths.js';
import {cliPath} from '../helpers/cli.js';
import {busybox, lab} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

// Issue 18: the console follows Docker's event stream. Its own dockerd: the test stops it.
describe('engine events in the console', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-events-'));
	const paths = labPaths(dir);
	const host = `unix://${paths.docker.socket}`;
	const docker = (...args: string[]) => execFileSync('/usr/bin/docker', ['-H', host, ...args], {encoding: 'utf8'}).trim();

	beforeAll(async () => {
		await startDockerd(paths);
		const stream = (await labDocker(paths).loadImage(createReadStream(join(lab().imagesDir, 'busybox.tar')))) as NodeJS.ReadableStream;
		await new Promise((resolve, reject) => labDocker(paths).modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve(null))));
		docker('run', '-d', '--network', 'none', '--name', 'ev-first', busybox, 'sleep', '600');
	}, 120_000);

	afterAll(async () => {
		await stopDockerd(paths);
		rmSync(dir, {recursive: true, force: true});
	});

	it('a container started by `docker run` is listed at once, long before the next sample (--interval 60)', async () => {
		const term = tmuxSession('events-run');
		try {
			term.start({DOCKER_HOST: host}, `${process.execPath} ${cliPath} --runtime docker --interval 60`);
			await term.until('the first frame with data', text => text.includes('ev-first') && /refreshed \d+s ago/.test(text), 60_000);
			docker('run', '-d', '--network', 'none', '--name', 'ev-second', busybox, 'sleep', '600');
			// The next sample is 60 s away: only the create/start events can bring it within this timeout.
			const seen = await term.until('the new container in the list', text => /ev-second\s.*running/.test(text), 20_000);
			expect(seen).not.toContain('STALE');
			docker('rm', '-f', 'ev-second');
			await term.until('the removed container gone from the list', text => !text.includes('ev-second'), 20_000);
			term.send('q');
			await term.until('a clean exit', text => text.includes('exit=0'), 15_000);
		} finally {
			term.kill();
		}
	});

	it('an engine stopped under the console is marked STALE as its event stream breaks; it recovers when the engine is back', async () => {
		const term = tmuxSession('events-stop');
		try {
			term.start({DOCKER_HOST: host}, `${process.execPath} ${cliPath} --runtime docker --interval 2`);
			await term.until('the first frame with data', text => /refreshed \d+s ago/.test(text) && text.includes('ev-first'), 60_000);
			await stopDockerd(paths);
			// bench/engine-loss.mjs measures how soon; here only that it comes, with the last data still shown.
			const stale = await term.until('the STALE mark in the header', text => text.split('\n')[0]!.includes('STALE'), 30_000);
			expect(stale).toContain('ev-first');
			expect(stale.split('\n')[0]).not.toContain('refreshed');
			await startDockerd(paths);
			await term.until('a fresh sample after the engine is back', text => /refreshed \d+s ago/.test(text.split('\n')[0]!) && !text.includes('STALE'), 60_000);
			term.send('q');
			await term.until('a clean exit', text => text.includes('exit=0'), 15_000);
		} finally {
			term.kill();
		}
	});
});
