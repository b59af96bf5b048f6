import {request, createServer, type Server} from 'node:http';
import net from 'node:net';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {prefetchRuntime} from '../../source/adapters/docker/runtime-prefetch.js';

// A real HTTP server on a unix socket answers /_ping as dockerd does.
let dir: string;
let server: Server;
let socket: string;
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'ls-unix-agent-'));
	socket = join(dir, 'engine.sock');
	server = createServer((req, res) => (req.url === '/_ping' ? res.end('OK') : res.writeHead(200, {'Content-Type': 'application/json'}).end('{"ok":1}')));
	await new Promise<void>(resolve => server.listen(socket, resolve));
});
afterAll(async () => {
	await new Promise(resolve => server.close(resolve));
	rmSync(dir, {recursive: true, force: true});
});

describe('engine handles on a unix socket', () => {
	it('never compute a TLS server name (net.isIP, whose first call compiles the IPv6 pattern)', async () => {
		const isIP = vi.spyOn(net, 'isIP');
		try {
			// The check is sensitive: a plain request on the socket does call it.
			await new Promise<void>((resolve, reject) =>
				request({socketPath: socket, path: '/_ping'}, res => res.resume().on('end', resolve))
					.on('error', reject)
					.end(),
			);
			expect(isIP).toHaveBeenCalled();
			isIP.mockClear();
			const client = new DockerClient(resolveDockerEndpoint(`unix://${socket}`, {}));
			expect(String(await client.call('ping', docker => docker.ping()))).toBe('OK');
			expect(isIP).not.toHaveBeenCalled();
			// report's prefetch of /version and /info, before its modules load
			const prefetched = prefetchRuntime(socket, 5000);
			expect(await prefetched.version).toEqual({ok: 1});
			expect(await prefetched.info).toEqual({ok: 1});
			expect(isIP).not.toHaveBeenCalled();
		} finally {
			isIP.mockRestore();
		}
	});
});
