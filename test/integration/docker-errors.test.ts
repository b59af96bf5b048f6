import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, runCli} from '../helpers/cli.js';
import {lab} from '../helpers/lab.js';

const oneLine = (text: string) => text.trim().split('\n');

describe('engine errors become one line with a hint, exit 2', () => {
	let dir: string;
	let hung: Server;
	const hungSocket = () => join(dir, 'hung.sock');

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'ls-err-'));
		// Accepts connections and never answers: a wedged engine.
		hung = createServer(() => {});
		await new Promise<void>(resolve => hung.listen(hungSocket(), resolve));
	});
	afterAll(() => {
		hung.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it('missing socket', async () => {
		const r = await runCli(['report', '--host', `unix://${dir}/absent.sock`]);
		expect(r.code).toBe(2);
		expect(oneLine(r.stderr)).toEqual([`layerscope: cannot reach Docker at unix://${dir}/absent.sock: no such socket (hint: is dockerd running? Set --host or DOCKER_HOST to its socket)`]);
	});

	it('permission denied names root or the docker group', async () => {
		// The lab socket is root:root 0660; run the CLI as nobody.
		const r = await runCli(['report'], {DOCKER_HOST: lab().dockerHost}, {command: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cliPath]});
		expect(r.code).toBe(2);
		expect(oneLine(r.stderr)).toEqual([`layerscope: cannot reach Docker at ${lab().dockerHost}: permission denied (hint: run as root or join the docker group)`]);
	});

	it('connection refused', async () => {
		const stale = join(dir, 'stale.sock');
		// A listener killed with SIGKILL leaves its socket file behind, with nobody listening.
		const script = `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`;
		try {
			execFileSync(process.execPath, ['-e', script], {stdio: 'ignore'});
		} catch {
			// killed, as intended
		}
		execFileSync('test', ['-S', stale]);
		const r = await runCli(['report', '--host', `unix://${stale}`]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/^layerscope: cannot reach Docker at unix:\/\/.*stale\.sock: connection refused \(hint: .*\)\n$/);
	});

	it('an engine that accepts but never answers times out', async () => {
		const r = await runCli(['report', '--host', `unix://${hungSocket()}`, '--timeout', '1']);
		expect(r.code).toBe(2);
		expect(oneLine(r.stderr)).toHaveLength(1);
		expect(r.stderr).toContain(`cannot reach Docker at unix://${hungSocket()}: no answer to info within 1 s`);
		expect(r.ms).toBeLessThan(10_000);
	});

	it('an API version the engine refuses', async () => {
		const r = await runCli(['report'], {DOCKER_HOST: lab().dockerHost, DOCKER_API_VERSION: '1.99'});
		expect(r.code).toBe(2);
		expect(oneLine(r.stderr)).toHaveLength(1);
		expect(r.stderr).toMatch(/rejected the API version: .*\(hint: set DOCKER_API_VERSION/);
	});

	it('a malformed host', async () => {
		const r = await runCli(['report', '--host', 'ftp://nowhere']);
		expect(r.code).toBe(2);
		expect(oneLine(r.stderr)).toEqual(['layerscope: unsupported Docker host "ftp://nowhere" (hint: use unix:///path/to/docker.sock or tcp://host:port)']);
	});
});
