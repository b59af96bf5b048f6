import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mapLimit} from '../../source/lib/map-limit.js';
import type {Report} from '../../source/report/report-model.js';
import {runCli} from '../helpers/cli.js';
import Docker from 'dockerode';
import {startDockerd, stopDockerd} from '../../source/adapters/lab/docker-lab.js';
import {labPaths} from '../../source/adapters/lab/lab-paths.js';
import {busybox, lab} from '../helpers/lab.js';
import {manyImagesArchive} from '../helpers/many-images.js';
import {dockerRecordingProxy, type DockerProxy} from '../helpers/recording-proxy.js';

// README's failure table (When things go wrong), row 14: a very large node. 1,000 containers and 5,000 images.
const containers = 1000;
const images = 5000;

describe('a very large node: 1,000 containers, 5,000 images', () => {
	// Its own dockerd, thrown away afterwards: thousands of objects would slow every later test file.
	const paths = labPaths(mkdtempSync(join(tmpdir(), 'ls-large-lab-')));
	const host = `unix://${paths.docker.socket}`;
	const docker = new Docker({socketPath: paths.docker.socket});
	let proxy: DockerProxy;
	let report: Report;

	beforeAll(async () => {
		await startDockerd(paths);
		const load = (tar: string) => execFileSync('/usr/bin/docker', ['load', '-q', '-i', tar], {env: {...process.env, DOCKER_HOST: host}, stdio: 'ignore'});
		load(join(lab().imagesDir, 'busybox.tar'));
		load(manyImagesArchive(images, 'ls-large/img'));
		await mapLimit(
			Array.from({length: containers}, (_, i) => i),
			16,
			i => docker.createContainer({name: `ls-large-${i}`, Image: busybox, Cmd: ['true'], HostConfig: {NetworkMode: 'none'}}),
		);
		proxy = await dockerRecordingProxy(paths.docker.socket, join(mkdtempSync(join(tmpdir(), 'ls-large-')), 'd.sock'));
		const r = await runCli(['report', '--json', '--runtime', 'docker'], {DOCKER_HOST: `unix://${proxy.socket}`}, {timeoutMs: 600_000});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		report = JSON.parse(r.stdout);
	}, 900_000);
	afterAll(async () => {
		await proxy?.close();
		await stopDockerd(paths);
		rmSync(paths.dir, {recursive: true, force: true});
	}, 600_000);

	it('lists and sizes every container and counts every image', () => {
		expect(report.containers.filter(c => c.name.startsWith('ls-large-'))).toHaveLength(containers);
		expect(report.containers.every(c => c.sizeSource === 'walk')).toBe(true);
		const {imagesInUse, unusedImages, danglingImages} = report.ledger;
		expect(imagesInUse.count + unusedImages.count + danglingImages.count).toBeGreaterThanOrEqual(images);
	});

	it('never asks the engine to size every container at once, and asks /system/df once', () => {
		const lists = proxy.requests.filter(r => /\/containers\/json/.test(r));
		expect(lists.length).toBeGreaterThan(0);
		for (const line of lists) expect(line).not.toMatch(/[?&]size=(1|true)/);
		expect(proxy.requests.filter(r => /\/containers\/[^/]+\/json\?.*size=(1|true)/.test(r))).toEqual([]);
		expect(proxy.requests.filter(r => /\/system\/df/.test(r))).toHaveLength(1);
		expect(proxy.requests.every(r => /^(GET|HEAD) /.test(r))).toBe(true);
	});
});
