#!/usr/bin/env node
// Where does layerscope's scan time go? Run after `node bench/scan.mjs --keep`
// (reuses its lab and containers). Prototypes only: nothing here is product code.
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {dist, requireBuild} from './lib/lab.mjs';
import {findSizes} from './lib/walk-find.mjs';
import {findScan, pipelinedScan} from './lib/pipelined-scan.mjs';
import {alternate, median, timeCommand} from './lib/stats.mjs';
import {cpuMeter} from './lib/cpu.mjs';

const {values: flags} = parseArgs({options: {dir: {type: 'string', default: '/tmp/ls-bench-scan'}, rounds: {type: 'string', default: '7'}, only: {type: 'string'}}});
requireBuild();
const {DockerClient} = await import(dist('source/adapters/docker/docker-client.js'));
const {DockerReader} = await import(dist('source/adapters/docker/docker-reader.js'));
const {resolveDockerEndpoint} = await import(dist('source/adapters/docker/endpoint.js'));
const {WalkPool} = await import(dist('source/adapters/fs/walk-pool.js'));
const host = `unix://${flags.dir}/docker/docker.sock`;
const log = line => process.stderr.write(`bench/scan-profile: ${line}\n`);
const reader = () => new DockerReader(new DockerClient(resolveDockerEndpoint(host), 60_000));

const containers = (await reader().containers()).filter(c => c.name.startsWith('ls-bench-'));
const roots = containers.map(c => c.upperDir);
log(`${roots.length} upperdirs`);

const walkAll = async size => {
	const pool = new WalkPool(size);
	const start = now();
	await Promise.all(roots.map(r => pool.sizeTree(r)));
	const s = now() - start;
	await pool.close();
	return s;
};
const spawnOnly = async size => {
	const pool = new WalkPool(size);
	const start = now();
	await Promise.all(Array.from({length: size}, () => pool.sizeTree('/var/empty-nonexistent')));
	const s = now() - start;
	await pool.close();
	return s;
};
const methods = [
	{
		name: 'scanDocker',
		run: async () => {
			const {scanDocker} = await import(dist('source/services/docker-scan.js'));
			const pool = new WalkPool();
			const t = now();
			let s;
			await scanDocker(reader(), {
				pool,
				skipDiskUsage: true,
				onProgress: p => {
					if (p.phase === 'images') s ??= now() - t;
				},
			});
			await pool.close();
			return s;
		},
	},
	{name: 'pipelined', run: async () => (await pipelinedScan(host)).seconds},
	{name: 'findScan', run: async () => (await findScan(host)).seconds},
	{name: 'prespawnOnly', run: async () => (await pipelinedScan(host, {pipeline: false})).seconds},
	{name: 'pipelined3', run: async () => (await pipelinedScan(host, {workers: 3})).seconds},
	{name: 'dockerPsS', run: async () => timeCommand('/usr/bin/docker', ['ps', '-a', '-s'], {...process.env, DOCKER_HOST: host}).seconds},
	{name: 'du', run: async () => timeCommand('du', ['-s', ...roots]).seconds},
	{
		name: 'runtime',
		run: async () => {
			const r = reader();
			const t = now();
			await r.runtime();
			return now() - t;
		},
	},
	{
		name: 'listOnly',
		run: async () => {
			const r = reader();
			const t = now();
			await r.client.call('list', (d, signal) => d.listContainers({all: true, abortSignal: signal}));
			return now() - t;
		},
	},
	{
		name: 'containers8',
		run: async () => {
			const r = reader();
			const t = now();
			await r.containers('/x');
			return now() - t;
		},
	},
	{
		name: 'containers16',
		run: async () => {
			const r = new DockerReader(new DockerClient(resolveDockerEndpoint(host), 60_000), 16);
			const t = now();
			await r.containers('/x');
			return now() - t;
		},
	},
	{name: 'spawn2', run: () => spawnOnly(2)},
	{name: 'walk1', run: () => walkAll(1)},
	{name: 'walk2', run: () => walkAll(2)},
	{name: 'walk3', run: () => walkAll(3)},
	{name: 'walk4', run: () => walkAll(4)},
	{
		name: 'find2',
		run: async () => {
			const t = now();
			await findSizes(roots, 2);
			return now() - t;
		},
	},
	{
		name: 'find1',
		run: async () => {
			const t = now();
			await findSizes(roots, 1);
			return now() - t;
		},
	},
].filter(m => !flags.only || flags.only.split(',').includes(m.name));

const dockerdPid = Number(readFileSync(`${flags.dir}/docker/dockerd.pid`, 'utf8').trim());
for (const m of methods) await m.run(); // warm
const {samples, cpu} = await alternate(methods, Number(flags.rounds), log, cpuMeter(dockerdPid));
for (const m of methods) {
	const c = cpu[m.name];
	const med = k => median(c.map(x => x[k])).toFixed(2);
	console.log(`${m.name.padEnd(14)} wall ${median(samples[m.name]).toFixed(3)} s  min ${Math.min(...samples[m.name]).toFixed(3)}  cpu self ${med('self')} children ${med('children')} dockerd ${med('engine')}`);
}
