import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ImageReport} from '../../source/services/image-explorer.js';
import {runCli} from '../helpers/cli.js';
import {diveReference} from '../helpers/dive-reference.js';
import {buildImage} from '../helpers/docker-build.js';
import {busybox, lab, labDocker} from '../helpers/lab.js';

const MiB = 1024 * 1024;
const envText = 'API_TOKEN=not-a-real-secret-but-shaped-like-one\nDB_PASSWORD=hunter2\n';

const images = {
	deleted: {tag: 'ls-img/deleted:1', invisible: 8 * MiB, dockerfile: [`FROM ${busybox}`, 'RUN head -c 8388608 /dev/urandom > /big.bin', 'RUN rm /big.bin', '']},
	overwritten: {
		tag: 'ls-img/overwritten:1',
		invisible: MiB,
		dockerfile: [`FROM ${busybox}`, 'RUN mkdir /data && head -c 1048576 /dev/urandom > /data/blob.bin', 'RUN head -c 524288 /dev/urandom > /data/blob.bin', ''],
	},
	secret: {tag: 'ls-img/secret:1', invisible: envText.length, dockerfile: [`FROM ${busybox}`, 'COPY .env /app/.env', 'RUN echo built > /app/ok && rm /app/.env', '']},
	multistage: {
		tag: 'ls-img/multistage:1',
		invisible: 0,
		dockerfile: [`FROM ${busybox} AS build`, 'RUN head -c 4194304 /dev/urandom > /scratch.bin && head -c 1000 /scratch.bin > /result.bin && rm /scratch.bin', `FROM ${busybox}`, 'COPY --from=build /result.bin /opt/result.bin', ''],
	},
} as const;

type Name = keyof typeof images;

describe('layerscope image on real BuildKit builds', () => {
	const reports = new Map<string, ImageReport>();
	const env = () => ({DOCKER_HOST: lab().dockerHost});

	beforeAll(async () => {
		for (const image of Object.values(images)) buildImage(lab().dockerHost, image.tag, image.dockerfile.join('\n'), {'.env': envText});
		for (const [name, image] of Object.entries(images)) {
			for (const source of ['store', 'export']) {
				const result = await runCli(['image', image.tag, '--json', '--source', source], env());
				expect(result.stderr).toBe('');
				expect(result.code).toBe(0);
				reports.set(`${name}/${source}`, JSON.parse(result.stdout));
			}
		}
	});

	describe.each(Object.keys(images) as Name[])('%s', name => {
		it("matches dive's figures re-computed from docker save, from the store and from the export stream", () => {
			const ref = diveReference(lab().dockerHost, images[name].tag);
			for (const source of ['store', 'export']) {
				const r = reports.get(`${name}/${source}`)!;
				expect(r.source).toBe(source);
				expect(r.layers.map(l => l.bytes)).toEqual(ref.layerSizes);
				expect(r.efficiency).toBeCloseTo(ref.efficiency, 12);
				expect(r.wastedBytes).toBe(ref.wastedBytes);
				expect(r.userWastedPercent).toBeCloseTo(ref.userWastedPercent, 12);
				const refRows = [...ref.inefficient].filter(([, [, cum]]) => cum > 0).map(([path, [count, cum]]) => ({path, count, cum}));
				expect(r.inefficiencies.map(x => ({path: x.path, count: x.count, cum: x.cumulativeBytes})).sort((a, b) => a.path.localeCompare(b.path))).toEqual(refRows.sort((a, b) => a.path.localeCompare(b.path)));
			}
		});

		it('counts the invisible bytes known by construction', () => {
			for (const source of ['store', 'export']) expect(reports.get(`${name}/${source}`)!.invisibleBytes).toBe(images[name].invisible);
		});
	});

	it('reports the add-then-delete layer as removed, its path as wasted and invisible, and the Dockerfile change', () => {
		const r = reports.get('deleted/store')!;
		expect(r.layers).toHaveLength(3);
		expect(r.layers[1]!.addedBytes).toBe(8 * MiB);
		expect(r.layers[2]!.removedBytes).toBe(8 * MiB);
		expect(r.wastedBytes).toBe(8 * MiB);
		expect(r.inefficiencies[0]).toEqual({path: '/big.bin', count: 2, cumulativeBytes: 8 * MiB, invisibleBytes: 8 * MiB});
		const finding = r.findings.find(f => f.kind === 'deleted-in-later-layer')!;
		expect(finding.bytes).toBe(8 * MiB);
		expect(finding.change).toMatch(/same RUN|multi-stage/);
	});

	it('reports an overwrite as modified bytes, with dive counting both copies as wasted', () => {
		const r = reports.get('overwritten/store')!;
		expect(r.layers[2]!.modifiedBytes).toBe(MiB / 2);
		expect(r.wastedBytes).toBe(MiB + MiB / 2);
		const row = r.inefficiencies.find(x => x.path === '/data/blob.bin')!;
		expect(row).toEqual({path: '/data/blob.bin', count: 2, cumulativeBytes: MiB + MiB / 2, invisibleBytes: MiB});
		expect(r.findings.find(f => f.kind === 'overwritten-in-later-layer')?.bytes).toBe(MiB);
	});

	it('names the .env deleted later as a shipped secret', () => {
		const r = reports.get('secret/store')!;
		const secret = r.findings.find(f => f.kind === 'sensitive-file-shipped')!;
		expect(secret.paths).toEqual(['/app/.env']);
		expect(secret.bytes).toBe(envText.length);
		expect(secret.change).toMatch(/secret mount|\.dockerignore/);
	});

	it('finds nothing to waste in the multi-stage build, and shares its base layer', () => {
		const r = reports.get('multistage/store')!;
		expect(r.efficiency).toBe(1);
		expect(r.wastedBytes).toBe(0);
		expect(r.findings.filter(f => f.kind !== 'copy-before-install')).toEqual([]);
		expect(r.sharedLayers.some(s => s.image === busybox && s.layers === 1 && s.bytes === r.layers[0]!.bytes)).toBe(true);
	});

	it('lists the containers that use the image', async () => {
		const docker = labDocker();
		await docker
			.getContainer('ls-img-user')
			.remove({force: true})
			.catch(() => {});
		const c = await docker.createContainer({name: 'ls-img-user', Image: images.deleted.tag, Cmd: ['true'], HostConfig: {NetworkMode: 'none'}});
		try {
			const result = await runCli(['image', images.deleted.tag, '--json'], env());
			expect(JSON.parse(result.stdout).usedBy).toEqual([{id: c.id, name: 'ls-img-user', state: 'created'}]);
		} finally {
			await c.remove({force: true});
		}
	});

	describe('--ci', () => {
		let dir: string;
		beforeAll(() => {
			dir = mkdtempSync(join(tmpdir(), 'ls-dive-ci-'));
		});
		afterAll(() => rmSync(dir, {recursive: true, force: true}));
		const ci = (args: string[], cwd?: string) => runCli(['image', ...args, '--ci'], env(), cwd ? {command: ['/bin/sh', '-c', `cd '${cwd}' && exec "$0" "$@"`, process.execPath, join(process.cwd(), 'dist/cli.js')]} : {});

		it("passes the efficient image on dive's defaults and fails the wasteful one, one line per rule", async () => {
			const good = await ci([images.multistage.tag], dir);
			expect(good.code).toBe(0);
			expect(good.stdout).toMatch(/^PASS {2}lowestEfficiency: efficiency 1\.0000/m);
			expect(good.stdout).toMatch(/^PASS {2}highestUserWastedPercent/m);
			expect(good.stdout).toMatch(/^SKIP {2}highestWastedBytes: disabled/m);
			const bad = await ci([images.deleted.tag], dir);
			expect(bad.code).toBe(1);
			expect(bad.stdout).toMatch(/^FAIL {2}lowestEfficiency: efficiency 0\.\d+ < 0\.9/m);
			expect(bad.stdout).toMatch(/^FAIL {2}highestUserWastedPercent: user wasted 1\.0000 > 0\.1/m);
		});

		it("takes flags with dive's units and our highestInvisibleBytes", async () => {
			const pass = await ci([images.deleted.tag, '--lowest-efficiency', '0.1', '--highest-user-wasted-percent', 'disabled', '--highest-wasted-bytes', '8MiB'], dir);
			expect(pass.stdout).toMatch(/^PASS {2}highestWastedBytes: wasted 8388608 bytes <= 8388608 \(8MiB\)/m);
			expect(pass.code).toBe(0);
			const fail = await ci([images.deleted.tag, '--lowest-efficiency', '0.1', '--highest-user-wasted-percent', 'off', '--highest-wasted-bytes', '8MB'], dir);
			expect(fail.code).toBe(1);
			expect(fail.stdout).toMatch(/^FAIL {2}highestWastedBytes: wasted 8388608 bytes > 8000000 \(8MB\)/m);
			const invisible = await ci([images.overwritten.tag, '--lowest-efficiency', '0', '--highest-user-wasted-percent', '1', '--highest-invisible-bytes', '1000000'], dir);
			expect(invisible.code).toBe(1);
			expect(invisible.stdout).toMatch(/^FAIL {2}highestInvisibleBytes: invisible 1048576 bytes > 1000000/m);
		});

		it("reads ./.dive-ci in dive's format, and --ci-config FILE", async () => {
			writeFileSync(join(dir, '.dive-ci'), 'rules:\n  lowestEfficiency: 0.1\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: disabled\n');
			const pass = await ci([images.deleted.tag], dir);
			expect(pass.stdout).toMatch(/^PASS {2}highestWastedBytes: wasted 8388608 bytes <= 20000000 \(20MB\)/m);
			expect(pass.code).toBe(0);
			const file = join(dir, 'strict.yaml');
			writeFileSync(file, 'rules:\n  lowest-efficiency: 0.95\n  highestInvisibleBytes: 64\n');
			const fail = await ci([images.secret.tag, '--ci-config', file]);
			expect(fail.code).toBe(1);
			expect(fail.stdout).toMatch(/^FAIL {2}highestInvisibleBytes: invisible 68 bytes > 64 \(64\)/m);
			rmSync(join(dir, '.dive-ci'));
		});

		it('exits 2 with one line and a hint on bad input', async () => {
			for (const args of [
				['ls-img/none:1'],
				['bad name\x1b[31m!'],
				[images.deleted.tag, '--lowest-efficiency', '90'],
				[images.deleted.tag, '--highest-wasted-bytes', 'lots'],
				[images.deleted.tag, '--ci-config', join(dir, 'missing.yaml')],
			]) {
				const result = await ci(args, dir);
				expect(result.code, args.join(' ')).toBe(2);
				expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
				expect(result.stderr).toMatch(/hint: /);
				expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
				expect(result.stderr).not.toContain('\x1b');
			}
		});
	});
});
