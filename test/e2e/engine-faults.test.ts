import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDockerd, stopDockerd} from '../../source/adapters/lab/docker-lab.js';
import {labPaths} from '../../source/adapters/lab/lab-paths.js';
import {cliPath} from '../helpers/cli.js';
import {lab} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

// README's failure table (When things go wrong), rows 2 and 4, in a real terminal.
describe('engine faults in the console', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-fault-'));
	const paths = labPaths(dir);

	afterAll(async () => {
		await stopDockerd(paths);
		rmSync(dir, {recursive: true, force: true});
	});

	it('row 2: an engine that stops mid-session leaves the last data marked stale, and the console reconnects by itself', async () => {
		// Its own dockerd: stopping the suite's shared engine would break other tests.
		await startDockerd(paths);
		const term = tmuxSession('fault-stop');
		try {
			term.start({DOCKER_HOST: `unix://${paths.docker.socket}`}, `${process.execPath} ${cliPath} --interval 1 --timeout 2`);
			await term.until('the first frame with data', text => /refreshed \d+s ago/.test(text) && text.includes('Where the bytes live'), 60_000);
			await stopDockerd(paths);
			const stale = await term.until('the STALE mark in the header and the error line', text => text.split('\n')[0]!.includes('STALE') && /cannot reach Docker at unix:/.test(text), 60_000);
			expect(stale).toContain('Where the bytes live'); // the last data is still there
			await startDockerd(paths);
			await term.until('a fresh sample after the engine is back', text => /refreshed \d+s ago/.test(text) && !text.includes('STALE') && !text.includes('cannot reach Docker'), 60_000);
			term.send('q');
			await term.until('a clean exit', text => text.includes('exit=0'), 15_000);
		} finally {
			term.kill();
		}
	});

	it('row 1: engine down at start: one line naming the endpoint with the hint, exit 2, terminal restored', async () => {
		const term = tmuxSession('fault-down', {columns: 250, rows: 24}); // wide: the error line must not wrap
		try {
			term.start({DOCKER_HOST: `unix://${dir}/absent.sock`}, `${process.execPath} ${cliPath} --runtime docker`);
			const end = await term.until('the exit', text => text.includes('exit=2'), 30_000);
			expect(end.split('\n').filter(l => l.startsWith('layerscope:'))).toEqual([`layerscope: cannot reach Docker at unix://${dir}/absent.sock: no such socket (hint: is dockerd running? Set --host or DOCKER_HOST to its socket)`]);
		} finally {
			term.kill();
		}
	});

	describe('row 4: an engine that accepts but never answers', () => {
		let hung: Server;
		const socket = join(dir, 'hung.sock');
		beforeAll(async () => {
			hung = createServer(() => {});
			await new Promise<void>(resolve => hung.listen(socket, resolve));
		});
		afterAll(() => hung.close());

		it('keys keep working while it waits; then the one-line timeout error of row 1, exit 2', async () => {
			const term = tmuxSession('fault-hung', {columns: 250, rows: 24});
			try {
				term.start({DOCKER_HOST: `unix://${socket}`}, `${process.execPath} ${cliPath} --runtime docker --timeout 4`);
				await term.until('the connecting frame', text => text.includes('connecting'), 15_000);
				term.send('?');
				await term.until('the help overlay while the engine hangs', text => text.includes('this help'), 10_000);
				const end = await term.until('the exit after the timeout', text => text.includes('exit=2'), 30_000);
				const lines = end.split('\n').filter(l => l.startsWith('layerscope:'));
				expect(lines).toHaveLength(1);
				expect(lines[0]).toMatch(/^layerscope: cannot reach Docker at unix:\/\/.*hung\.sock: no answer to info within 4 s/);
			} finally {
				term.kill();
			}
		});

		it('q while it waits quits at once, cleanly, without the error of an engine the operator no longer waits for', async () => {
			const term = tmuxSession('fault-hung-quit', {columns: 250, rows: 24});
			try {
				// A long deadline: the exit must come from q, not from the timeout.
				term.start({DOCKER_HOST: `unix://${socket}`}, `${process.execPath} ${cliPath} --runtime docker --timeout 60`);
				await term.until('the connecting frame', text => text.includes('connecting'), 15_000);
				term.send('q');
				const end = await term.until('the exit', text => text.includes('exit='), 15_000);
				expect(end).toContain('exit=0');
				expect(end).not.toContain('layerscope:');
				expect(end).not.toContain('connecting');
			} finally {
				term.kill();
			}
		});
	});

	it('a named Podman that never answers does not hold back Docker, and is noted when it fails', async () => {
		// Accepts and holds; cut() then ends its connections, as an engine that gives up.
		const held = new Set<Socket>();
		let refusing = false;
		const slow = createServer(client => {
			if (refusing) client.destroy();
			else held.add(client);
		});
		const socket = join(dir, 'slow-podman.sock');
		await new Promise<void>(resolve => slow.listen(socket, resolve));
		const term = tmuxSession('fault-slow-podman');
		try {
			term.start({DOCKER_HOST: lab().dockerHost, CONTAINER_HOST: `unix://${socket}`}, `${process.execPath} ${cliPath} --interval 2 --timeout 120`);
			const first = await term.until("Docker's figures while Podman still holds its answer", text => /refreshed \d+s ago/.test(text) && text.includes('Where the bytes live'), 90_000);
			expect(first).not.toContain('Podman skipped');
			refusing = true;
			for (const client of held) client.destroy();
			await term.until('the note on Podman in the footer', text => text.includes('Podman skipped'), 30_000);
			term.send('q');
			await term.until('a clean exit', text => text.includes('exit=0'), 15_000);
		} finally {
			term.kill();
			slow.close();
		}
	});
});
