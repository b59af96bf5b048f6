import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync, existsSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Server, ServerCredentials, loadPackageDefinition} from '@grpc/grpc-js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CriClient} from '../../source/adapters/cri/cri-client.js';
import {CriError} from '../../source/adapters/cri/cri-error.js';
import {loadCriPackageDefinition} from '../../source/adapters/cri/cri-proto.js';
import {resolveCriEndpoint} from '../../source/adapters/cri/cri-resolve.js';

let dir: string;
const servers: Array<{close(): void}> = [];

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'layerscope-cri-err-'));
});
afterAll(() => {
	for (const server of servers) server.close();
	rmSync(dir, {recursive: true, force: true});
});

/** Run `action`, expect a CriError, and check it is one line naming the endpoint. */
async function expectCriError(action: () => Promise<unknown> | unknown, endpoint: string): Promise<CriError> {
	let caught: unknown;
	try {
		await action();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(CriError);
	const error = caught as CriError;
	expect(error.message).toContain(endpoint);
	expect(error.message).not.toMatch(/[\r\n]/);
	expect(error.hint.length).toBeGreaterThan(0);
	return error;
}

/** A grpc server on a unix socket; with `version`, it answers runtime.v1 Version like a CRI runtime. */
async function grpcServer(name: string, version?: string): Promise<string> {
	const path = join(dir, name);
	const server = new Server();
	if (version) {
		const v1 = (loadPackageDefinition(loadCriPackageDefinition()) as any).runtime.v1;
		server.addService(v1.RuntimeService.service, {
			Version: (_: unknown, done: (e: null, r: object) => void) => done(null, {version: '0.1.0', runtimeName: version, runtimeVersion: '9.9', runtimeApiVersion: 'v1'}),
		});
	}
	await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${path}`, ServerCredentials.createInsecure(), e => (e ? reject(e) : resolve())));
	servers.push({close: () => server.forceShutdown()});
	return `unix://${path}`;
}

/** A socket file nobody listens on: its owner was SIGKILLed before it could unlink it. */
async function staleSocket(name: string): Promise<string> {
	const path = join(dir, name);
	const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`]);
	await new Promise(resolve => child.stdout.once('data', resolve));
	child.kill('SIGKILL');
	await new Promise(resolve => child.once('exit', resolve));
	expect(existsSync(path)).toBe(true);
	return `unix://${path}`;
}

describe('wrong CRI endpoints fail with one line, within the deadline', () => {
	it('missing socket', async () => {
		const endpoint = `unix://${join(dir, 'nope.sock')}`;
		const error = await expectCriError(() => CriClient.connect(join(dir, 'nope.sock')), endpoint);
		expect(error.code).toBe('NO_SOCKET');
	});

	it('a regular file instead of a socket', async () => {
		writeFileSync(join(dir, 'file.sock'), '');
		const error = await expectCriError(() => CriClient.connect(`unix://${join(dir, 'file.sock')}`), join(dir, 'file.sock'));
		expect(error.code).toBe('NOT_SOCKET');
	});

	it('a stale socket nobody listens on', async () => {
		const endpoint = await staleSocket('stale.sock');
		const client = CriClient.connect(endpoint, {timeoutMs: 2000});
		const started = Date.now();
		const error = await expectCriError(() => client.version(), endpoint);
		client.close();
		expect(error.code).toBe('UNAVAILABLE');
		expect(Date.now() - started).toBeLessThan(2000 + 500);
	});

	it('a socket that accepts but never answers hits the deadline', async () => {
		const path = join(dir, 'silent.sock');
		const server = net.createServer(() => undefined);
		await new Promise<void>(resolve => server.listen(path, resolve));
		servers.push({close: () => server.close()});
		const client = CriClient.connect(path, {timeoutMs: 1000});
		const started = Date.now();
		const error = await expectCriError(() => client.version(), `unix://${path}`);
		const elapsed = Date.now() - started;
		client.close();
		console.log(`silent socket: ${error.code} after ${elapsed} ms: ${error.message}`);
		expect(error.code).toBe('DEADLINE_EXCEEDED');
		expect(elapsed).toBeLessThan(1000 + 500);
	});

	it('a gRPC server without CRI v1 is UNIMPLEMENTED, with a version hint', async () => {
		const endpoint = await grpcServer('old.sock');
		const client = CriClient.connect(endpoint, {timeoutMs: 2000});
		const error = await expectCriError(() => client.version(), endpoint);
		client.close();
		expect(error.code).toBe('UNIMPLEMENTED');
		expect(error.hint).toMatch(/containerd >= 1\.6/);
	});
});

describe('resolveCriEndpoint', () => {
	it('prefers the flag, then CONTAINER_RUNTIME_ENDPOINT, without probing', async () => {
		const env = {CONTAINER_RUNTIME_ENDPOINT: '/run/env.sock'};
		expect(await resolveCriEndpoint('/run/flag.sock', env)).toBe('unix:///run/flag.sock');
		expect(await resolveCriEndpoint(undefined, env)).toBe('unix:///run/env.sock');
		expect(await resolveCriEndpoint('', {CONTAINER_RUNTIME_ENDPOINT: 'unix:///run/x.sock'})).toBe('unix:///run/x.sock');
	});

	it('otherwise takes the first default that answers Version', async () => {
		const stale = await staleSocket('stale2.sock');
		const good = await grpcServer('good.sock', 'fake-runtime');
		const other = await grpcServer('other.sock', 'other-runtime');
		const candidates = [join(dir, 'missing.sock'), stale, `unix:${join(dir, 'good.sock')}`, other];
		expect(await resolveCriEndpoint(undefined, {}, {candidates})).toBe(good);
	});

	it('fails with one line listing what it tried when nothing answers', async () => {
		const candidates = [join(dir, 'missing.sock'), await grpcServer('none.sock')];
		const error = await expectCriError(() => resolveCriEndpoint(undefined, {}, {candidates, probeTimeoutMs: 1000}), 'missing.sock');
		expect(error.code).toBe('NO_ENDPOINT');
		expect(error.message).toContain('none.sock: unimplemented');
	});
});
