import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {lab} from '../helpers/lab.js';
import {parseListen} from '../../source/cli/run-exporter.js';

describe('layerscope exporter: bad input is one line with a hint, exit 2', () => {
	it('parses --listen: loopback by default, every interface only when asked', () => {
		expect(parseListen('127.0.0.1:9721')).toEqual({host: '127.0.0.1', port: 9721});
		expect(parseListen('[::1]:9721')).toEqual({host: '::1', port: 9721});
		expect(parseListen(':9721')).toEqual({host: '::', port: 9721});
		expect(parseListen('0.0.0.0:80')).toEqual({host: '0.0.0.0', port: 80});
		for (const bad of ['9721', 'host:', 'a:b', '1.2.3.4:70000', '[::1]9721']) expect(() => parseListen(bad), bad).toThrow(/not HOST:PORT/);
	});

	it.each([
		[['--listen', 'nonsense'], /--listen "nonsense": not HOST:PORT \(hint: e\.g\. --listen 127\.0\.0\.1:9721/],
		[['--interval', '0'], /--interval must be a number of seconds > 0 \(got 0\)/],
		[['--kubelet-config', '/nonexistent/kubelet.yaml'], /--kubelet-config \/nonexistent\/kubelet\.yaml: cannot read the file \(hint:/],
	])('%j', async (args, message) => {
		const env = {DOCKER_HOST: lab().dockerHost, CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint};
		const r = await runCli(['exporter', ...args], env, {timeoutMs: 30_000});
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(message);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stdout).toBe('');
	});

	it('a port already in use is one line too', async () => {
		const {createServer} = await import('node:net');
		const server = createServer();
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		const r = await runCli(['exporter', '--listen', `127.0.0.1:${port}`], {DOCKER_HOST: lab().dockerHost, CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint}, {timeoutMs: 60_000});
		server.close();
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/--listen 127\.0\.0\.1:\d+: .*EADDRINUSE.* \(hint: choose a free port/);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
	});
});
