import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {DockerReader} from '../../source/adapters/docker/docker-reader.js';
import {prefetchImage, prefetchRuntime} from '../../source/adapters/docker/runtime-prefetch.js';

/**
 * /version and /info asked for before report's modules load (issue 18): a 200 answer is
 * used as the reader's own, anything else is asked again through the client.
 */
describe('the runtime prefetch', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ls-prefetch-'));
	const socketPath = join(dir, 'docker.sock');
	const asked: string[] = [];
	let failInfo = true;
	let server: Server;
	beforeAll(async () => {
		server = createServer((req, res) => {
			asked.push(req.url ?? '');
			if (req.url?.endsWith('/version')) {
				res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({Version: '20.10.24', ApiVersion: '1.41', Components: [{Name: 'Engine'}]}));
			} else if (req.url?.endsWith('/info') && failInfo) {
				failInfo = false;
				res.writeHead(500, {'Content-Type': 'application/json'}).end('{"message":"busy"}');
			} else if (req.url?.endsWith('/info')) {
				res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({ServerVersion: '20.10.24', Driver: 'overlay2', DriverStatus: [['Backing Filesystem', 'extfs']], DockerRootDir: '/var/lib/docker'}));
			} else if (req.url === '/containers/json?all=1') {
				res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify([{Id: 'c1', ImageID: 'sha256:abc', Names: ['/web'], State: 'running'}]));
			} else if (req.url === '/images/json') {
				res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify([{Id: 'sha256:abc', RepoTags: ['ls/img:1']}]));
			} else if (req.url === '/images/ls/img:1/json') {
				res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({Id: 'sha256:abc', RepoTags: ['ls/img:1']}));
			} else res.writeHead(404).end();
		});
		server.listen(socketPath);
		await once(server, 'listening');
	});
	afterAll(async () => {
		server.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it('gives the parsed 200 answers and null for the others; the reader asks again for those only', async () => {
		const prefetched = prefetchRuntime(socketPath, 5000);
		expect(await prefetched.version).toMatchObject({ApiVersion: '1.41'});
		expect(await prefetched.info).toBeNull();
		asked.length = 0;
		const reader = new DockerReader(new DockerClient({display: `unix://${socketPath}`, socketPath, local: true}, 5000));
		const runtime = await reader.runtime(prefetched);
		expect(asked).toEqual(['/info']);
		expect(runtime).toMatchObject({kind: 'docker', version: '20.10.24', apiVersion: '1.41', storageDriver: 'overlay2', backingFilesystem: 'extfs', rootDir: '/var/lib/docker'});
		prefetched.close();
	});

	it('answers null where nothing listens', async () => {
		const prefetched = prefetchRuntime(join(dir, 'none.sock'), 5000);
		expect(await Promise.all([prefetched.version, prefetched.info])).toEqual([null, null]);
	});

	it("asks for an image's inspect ahead: the parsed 200 answer, null for anything else, once the request is on the socket", async () => {
		const found = prefetchImage(socketPath, 'ls/img:1', 5000)!;
		await found.sent;
		expect(await found.inspect).toEqual({Id: 'sha256:abc', RepoTags: ['ls/img:1']});
		// The container and image lists, asked for at the same time (used by loadImage when they came).
		expect(await found.containers).toEqual([{Id: 'c1', ImageID: 'sha256:abc', Names: ['/web'], State: 'running'}]);
		expect(await found.images).toEqual([{Id: 'sha256:abc', RepoTags: ['ls/img:1']}]);
		const missing = prefetchImage(socketPath, 'nope:latest', 5000)!;
		expect(await missing.inspect).toBeNull();
		const nobody = prefetchImage(join(dir, 'none.sock'), 'ls/img:1', 5000)!;
		await nobody.sent;
		expect(await Promise.all([nobody.inspect, nobody.containers, nobody.images])).toEqual([null, null, null]);
		for (const p of [found, missing, nobody]) p.close();
	});

	it('leaves names that would not go into a request path as they are to the command', () => {
		for (const name of ['a b', 'x?y', 'x#y', '../../containers/json', '%2e%2e', '-flag', '', 'n'.repeat(300)]) expect(prefetchImage(socketPath, name, 5000)).toBeUndefined();
		for (const name of ['sha256:0123abcd', 'registry.local:5000/team/app@sha256:0123']) {
			const ahead = prefetchImage(socketPath, name, 5000);
			expect(ahead?.name).toBe(name);
			ahead?.close();
		}
	});
});
