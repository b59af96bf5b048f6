import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {dockerRecordingProxy, grpcRecordingProxy, readOnlyCriMethod, type DockerProxy, type GrpcProxy} from '../helpers/recording-proxy.js';
import {lab, labDocker, runContainer} from '../helpers/lab.js';

describe('report and plan never send a mutating request (recording proxies)', () => {
	let docker: DockerProxy;
	let cri: GrpcProxy;
	let env: Record<string, string>;

	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'ls-proxy-'));
		docker = await dockerRecordingProxy(lab().dockerHost.replace('unix://', ''), join(dir, 'docker.sock'));
		cri = await grpcRecordingProxy(lab().criEndpoint.replace('unix://', ''), join(dir, 'cri.sock'));
		env = {DOCKER_HOST: `unix://${docker.socket}`, CONTAINER_RUNTIME_ENDPOINT: `unix://${cri.socket}`};
		await runContainer(labDocker(), 'ls-ro-stopped', 'true', {wait: true});
	});
	afterAll(async () => {
		await docker?.close();
		await cri?.close();
	});

	it('report, report --json and plan --json, in auto mode, with --read-only', async () => {
		for (const args of [['report'], ['report', '--json'], ['plan', '--json'], ['plan']]) {
			const r = await runCli([...args, '--read-only'], env);
			expect(r.stderr, args.join(' ')).toBe('');
			expect(r.code).toBe(0);
		}
		expect(docker.requests.length).toBeGreaterThan(5);
		expect(docker.requests.filter(line => !/^(GET|HEAD) /.test(line))).toEqual([]);
		expect(cri.methods.length).toBeGreaterThan(3);
		expect(cri.methods.filter(m => !readOnlyCriMethod.test(m))).toEqual([]);
	});
});
