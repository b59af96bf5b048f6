import {mkdtempSync, rmSync} from 'node:fs';
import {connect, createServer, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {type Connected, connectEnginesProgressively} from '../../source/services/engines.js';
import {lab} from '../helpers/lab.js';

/**
 * A unix socket in front of an engine that holds every connection until release(): an engine
 * that is slow to answer, as Podman's /info on a busy node (13.8 s seen), without a clock.
 * cut() instead ends every connection, now and later: an engine that never answers.
 */
async function heldEngine(upstream: string, socket: string) {
	const clients = new Set<Socket>();
	const held: Array<() => void> = [];
	let released = false;
	let refused = false;
	const server = createServer(client => {
		if (refused) {
			client.destroy();
			return;
		}
		clients.add(client);
		client.pause();
		const forward = () => {
			const engine = connect(upstream);
			clients.add(engine);
			client.pipe(engine).pipe(client);
			client.resume();
			const end = () => {
				client.destroy();
				engine.destroy();
			};
			client.on('error', end).on('close', end);
			engine.on('error', end).on('close', end);
		};
		if (released) forward();
		else held.push(forward);
	});
	await new Promise<void>(resolve => server.listen(socket, resolve));
	return {
		host: `unix://${socket}`,
		release() {
			released = true;
			for (const forward of held.splice(0)) forward();
		},
		cut() {
			refused = true;
			for (const client of clients) client.destroy();
		},
		close: () =>
			new Promise<void>(resolve => {
				for (const client of clients) client.destroy();
				server.close(() => resolve());
			}),
	};
}

/** Whether `promise` has settled once the I/O and timers due now have run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
	let settled = false;
	void promise.then(
		() => (settled = true),
		() => (settled = true),
	);
	await new Promise(resolve => setImmediate(resolve));
	return settled;
}

describe('connectEnginesProgressively (the console does not wait for the slowest engine)', () => {
	const opened: Connected[] = [];
	const cleanups: Array<() => Promise<void>> = [];
	afterEach(async () => {
		for (const c of opened.splice(0)) for (const s of c.sources) s.close();
		for (const clean of cleanups.splice(0)) await clean();
	});

	async function slowPodman() {
		const dir = mkdtempSync(join(tmpdir(), 'ls-progressive-'));
		const engine = await heldEngine(lab().podmanHost.replace('unix://', ''), join(dir, 'podman.sock'));
		cleanups.push(async () => {
			await engine.close();
			rmSync(dir, {recursive: true, force: true});
		});
		return engine;
	}

	it('gives Docker and CRI first, and Podman when it answers', async () => {
		const podman = await slowPodman();
		const {first, late} = await connectEnginesProgressively({runtime: 'auto', host: lab().dockerHost, runtimeEndpoint: lab().criEndpoint, podmanHost: podman.host, timeout: 60}, 50);
		opened.push(first);
		// Docker first (CRI too, unless loading gRPC took longer than the grace); Podman is held.
		const kinds = first.sources.map(s => s.kind);
		expect(kinds).toContain('docker');
		expect(kinds).not.toContain('podman');
		expect(await settledYet(late)).toBe(false);
		podman.release();
		const rest = await late;
		opened.push(rest);
		expect([...kinds, ...rest.sources.map(s => s.kind)].sort()).toEqual(['cri', 'docker', 'podman']);
		expect(rest.notes).toEqual([]);
		// Engine ids stay unique across the two parts.
		const ids = [...first.sources, ...rest.sources].flatMap(s => (s.docker ? [s.docker.engineId] : []));
		expect(new Set(ids).size).toBe(ids.length);
		// The late engine reads like any other.
		expect((await rest.sources.find(s => s.kind === 'podman')!.docker!.runtime()).kind).toBe('podman');
	});

	it('notes a named engine that never answers, after the others are in use', async () => {
		const podman = await slowPodman();
		const {first, late} = await connectEnginesProgressively({runtime: 'auto', host: lab().dockerHost, runtimeEndpoint: lab().criEndpoint, podmanHost: podman.host, timeout: 60}, 50);
		opened.push(first);
		expect(first.sources.map(s => s.kind)).toContain('docker');
		expect(first.notes).toEqual([]);
		podman.cut();
		const rest = await late;
		opened.push(rest);
		expect([...first.sources, ...rest.sources].map(s => s.kind).sort()).toEqual(['cri', 'docker']);
		expect(rest.notes).toHaveLength(1);
		expect(rest.notes[0]).toMatch(/^Podman skipped: /);
	});

	it('waits for every engine when they all answer within the grace', async () => {
		const {first, late} = await connectEnginesProgressively({runtime: 'auto', host: lab().dockerHost, runtimeEndpoint: lab().criEndpoint, podmanHost: lab().podmanHost, timeout: 60}, 60_000);
		opened.push(first);
		expect(first.sources.map(s => s.kind).sort()).toEqual(['cri', 'docker', 'podman']);
		expect(await late).toEqual({sources: [], notes: []});
	});
});
