import {statSync} from 'node:fs';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Report} from '../../source/report/report-model.js';
import {runCli} from '../helpers/cli.js';
import {buildImage} from '../helpers/docker-build.js';
import {busybox, lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';

const within1Percent = (actual: number, expected: number) => Math.abs(actual - expected) <= 0.01 * Math.max(actual, expected);

describe('report against the private dockerd', () => {
	const docker = labDocker();
	let report: Report;
	let df: any;
	let sized: any[];

	beforeAll(async () => {
		const {dockerHost} = lab();
		await runContainer(docker, 'ls-grow10', 'dd if=/dev/zero of=/data bs=1M count=10 2>/dev/null; sleep 3600');
		await runContainer(docker, 'ls-stopped', 'dd if=/dev/zero of=/data bs=1M count=2 2>/dev/null', {wait: true});
		await runContainer(docker, 'ls-chatty', 'i=0; while [ $i -lt 3000 ]; do echo "line $i of chatty output"; i=$((i+1)); done; sleep 3600');
		// A rebuilt tag leaves the old image dangling; BuildKit leaves build cache.
		buildImage(dockerHost, 'ls-test/app:1', `FROM ${busybox}\nRUN dd if=/dev/urandom of=/blob bs=1k count=512\nRUN echo one > /version\n`);
		buildImage(dockerHost, 'ls-test/app:1', `FROM ${busybox}\nRUN dd if=/dev/urandom of=/blob bs=1k count=512\nRUN echo two > /version\n`);
		await docker.createVolume({Name: 'ls-orphan-data'});
		await runContainer(docker, 'ls-volume-writer', 'dd if=/dev/zero of=/v/data bs=1M count=3 2>/dev/null', {wait: true, binds: ['ls-orphan-data:/v']});
		await docker.getContainer('ls-volume-writer').remove();
		await waitFor('grow10 to finish writing', async () => {
			const info: any = await docker.getContainer('ls-grow10').inspect({size: true} as never);
			return info.SizeRw >= 10 * 1024 * 1024;
		});
		await waitFor('chatty to finish logging', async () => {
			const info = await docker.getContainer('ls-chatty').inspect();
			return statSync(info.LogPath).size > 3000 * 20;
		});

		const result = await runCli(['report', '--json'], {DOCKER_HOST: dockerHost});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		report = JSON.parse(result.stdout);
		df = await docker.df();
		sized = await docker.listContainers({all: true, size: true});
	});

	it('names the engine, its storage driver and backing filesystem', () => {
		expect(report.runtime.kind).toBe('docker');
		expect(report.runtime.endpoint).toBe(lab().dockerHost);
		expect(report.runtime.storageDriver).toBe('overlay2');
		expect(report.runtime.backingFilesystem).not.toBe('unknown');
		expect(report.runtime.version).toMatch(/^\d+\.\d+/);
	});

	it('sizes every writable layer within 1% of docker ps -s', () => {
		expect(report.containers.length).toBe(sized.length);
		for (const c of sized) {
			const mine = report.containers.find(r => r.id === c.Id)!;
			expect(mine, c.Names[0]).toBeDefined();
			expect(mine.sizeSource).toBe('walk');
			expect(within1Percent(mine.writableBytes!, c.SizeRw ?? 0), `${c.Names[0]}: ${mine.writableBytes} vs ${c.SizeRw}`).toBe(true);
		}
		const grow = report.containers.find(c => c.name === 'ls-grow10')!;
		expect(grow.writableAllocatedBytes).toBeGreaterThanOrEqual(grow.writableBytes!);
		const sorted = report.containers.map(c => c.writableBytes ?? -1);
		expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
	});

	it('splits live and stopped writable layers as /system/df does', () => {
		const sum = (pred: (c: any) => boolean) => df.Containers.filter(pred).reduce((t: number, c: any) => t + (c.SizeRw ?? 0), 0);
		const running = (c: any) => c.State === 'running';
		expect(report.ledger.liveLayers.count).toBe(df.Containers.filter(running).length);
		expect(report.ledger.stoppedContainers.count).toBe(df.Containers.filter((c: any) => !running(c)).length);
		expect(within1Percent(report.ledger.liveLayers.bytes, sum(running))).toBe(true);
		expect(
			within1Percent(
				report.ledger.stoppedContainers.bytes,
				sum(c => !running(c)),
			),
		).toBe(true);
		expect(report.ledger.stoppedContainers.bytes).toBeGreaterThan(0);
	});

	it('counts image layers once across in-use, unused and dangling images', () => {
		const {imagesInUse, unusedImages, danglingImages} = report.ledger;
		expect(imagesInUse.bytes + unusedImages.bytes + danglingImages.bytes).toBe(df.LayersSize);
		const tagged = (i: any) => (i.RepoTags ?? []).some((t: string) => t !== '<none>:<none>');
		expect(imagesInUse.count).toBe(df.Images.filter((i: any) => i.Containers > 0).length);
		expect(danglingImages.count).toBe(df.Images.filter((i: any) => i.Containers === 0 && !tagged(i)).length);
		expect(unusedImages.count).toBe(df.Images.filter((i: any) => i.Containers === 0 && tagged(i)).length);
		expect(danglingImages.count).toBeGreaterThan(0);
		// Each class holds at least its images' unique bytes and at most their virtual sizes.
		const classes: Array<[any, (i: any) => boolean]> = [
			[imagesInUse, i => i.Containers > 0],
			[unusedImages, i => i.Containers === 0 && tagged(i)],
			[danglingImages, i => i.Containers === 0 && !tagged(i)],
		];
		for (const [entry, pred] of classes) {
			const images = df.Images.filter(pred);
			expect(entry.bytes).toBeGreaterThanOrEqual(images.reduce((t: number, i: any) => t + i.Size - i.SharedSize, 0));
			expect(entry.bytes).toBeLessThanOrEqual(images.reduce((t: number, i: any) => t + i.Size, 0));
		}
	});

	it('reports build cache and volumes exactly as /system/df', () => {
		const cache = df.BuildCache;
		const cacheBytes = cache.filter((r: any) => !r.Shared).reduce((t: number, r: any) => t + r.Size, 0);
		const inUse = cache.filter((r: any) => !r.Shared && r.InUse).reduce((t: number, r: any) => t + r.Size, 0);
		expect(cache.length).toBeGreaterThan(0);
		expect(report.ledger.buildCache).toEqual({bytes: cacheBytes, count: cache.length, reclaimableBytes: cacheBytes - inUse});
		const volumes = df.Volumes;
		const size = (v: any) => Math.max(0, v.UsageData?.Size ?? 0);
		expect(report.ledger.volumes).toEqual({
			bytes: volumes.reduce((t: number, v: any) => t + size(v), 0),
			count: volumes.length,
			reclaimableBytes: volumes.filter((v: any) => v.UsageData?.RefCount === 0).reduce((t: number, v: any) => t + size(v), 0),
		});
		const orphan = volumes.find((v: any) => v.Name === 'ls-orphan-data');
		expect(orphan.UsageData.Size).toBeGreaterThan(0);
		expect(report.ledger.volumes!.reclaimableBytes).toBeGreaterThanOrEqual(orphan.UsageData.Size);
	});

	it('sizes container logs from the log files on the host', async () => {
		let expected = 0;
		for (const c of report.containers) {
			const info = await docker.getContainer(c.id).inspect();
			const size = info.LogPath ? (statSync(info.LogPath, {throwIfNoEntry: false})?.size ?? 0) : 0;
			expect(c.logBytes, c.name).toBeGreaterThanOrEqual(size * 0.99);
			expected += size;
		}
		const chatty = report.containers.find(c => c.name === 'ls-chatty')!;
		expect(chatty.logBytes).toBeGreaterThan(3000 * 20);
		expect(within1Percent(report.ledger.containerLogs.bytes, expected)).toBe(true);
	});

	it('reads the filesystem holding the Docker root with statfs', () => {
		const fs = report.filesystem!;
		expect(fs.path).toBe(report.runtime.rootDir);
		expect(fs.sizeBytes).toBeGreaterThan(fs.availableBytes);
		expect(fs.usedBytes).toBeGreaterThan(0);
		expect(fs.inodesTotal).toBeGreaterThan(fs.inodesFree);
	});

	it('renders a text report that fits 80 columns', async () => {
		const result = await runCli(['report'], {DOCKER_HOST: lab().dockerHost});
		expect(result.code).toBe(0);
		for (const line of result.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
		expect(result.stdout).toContain('Build cache');
		expect(result.stdout).toContain('ls-grow10');
	});
});
