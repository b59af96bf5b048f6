// Prototype of a pipelined "time to a complete sized container list", built from the
// product's own DockerClient and WalkPool (dist/), to measure a proposed change to
// services/docker-scan.ts + DockerReader.containers():
//  1. start the walk workers at the start of the scan (worker start-up overlaps the API calls);
//  2. run /info + /version beside the container list instead of before it;
//  3. hand each container to the walk pool as soon as its inspect returns, instead of
//     waiting for all 100 inspects.
import {dist} from './lab.mjs';
import {findSizes} from './walk-find.mjs';

const {DockerClient} = await import(dist('source/adapters/docker/docker-client.js'));
const {DockerReader} = await import(dist('source/adapters/docker/docker-reader.js'));
const {resolveDockerEndpoint} = await import(dist('source/adapters/docker/endpoint.js'));
const {WalkPool} = await import(dist('source/adapters/fs/walk-pool.js'));
const {mapLimit} = await import(dist('source/lib/map-limit.js'));

/** Same API calls, then GNU find processes (lib/walk-find.mjs) instead of the worker walk. */
export async function findScan(host, {procs = 2, inspectConcurrency = 8} = {}) {
	const reader = new DockerReader(new DockerClient(resolveDockerEndpoint(host), 60_000), inspectConcurrency);
	const start = process.hrtime.bigint();
	const runtime = reader.runtime();
	const list = await reader.client.call('list containers', (d, abortSignal) => d.listContainers({all: true, abortSignal}));
	const uppers = await mapLimit(list, inspectConcurrency, async summary => {
		const detail = await reader.client.call('inspect', (d, abortSignal) => d.getContainer(summary.Id).inspect({abortSignal})).catch(() => null);
		return detail?.GraphDriver?.Data?.UpperDir;
	});
	await runtime;
	const sizes = await findSizes(uppers.filter(Boolean), procs);
	return {seconds: Number(process.hrtime.bigint() - start) / 1e9, sized: sizes.size};
}

export async function pipelinedScan(host, {workers = 2, inspectConcurrency = 8, prespawn = true, pipeline = true} = {}) {
	const reader = new DockerReader(new DockerClient(resolveDockerEndpoint(host), 60_000), inspectConcurrency);
	const pool = new WalkPool(workers);
	const start = process.hrtime.bigint();
	// A walk of a missing path fails fast; it only makes the pool start its workers now.
	const warm = prespawn ? Promise.all(Array.from({length: workers}, () => pool.sizeTree('/nonexistent-warmup'))) : null;
	const runtime = reader.runtime();
	const list = await reader.client.call('list containers', (d, abortSignal) => d.listContainers({all: true, abortSignal}));
	const walks = [];
	await mapLimit(list, inspectConcurrency, async summary => {
		const detail = await reader.client.call('inspect', (d, abortSignal) => d.getContainer(summary.Id).inspect({abortSignal})).catch(() => null);
		const upper = detail?.GraphDriver?.Data?.UpperDir;
		if (upper) walks.push(pipeline ? pool.sizeTree(upper) : () => pool.sizeTree(upper));
	});
	await runtime;
	const sizes = pipeline ? await Promise.all(walks) : await Promise.all(walks.map(w => w()));
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	await warm;
	await pool.close();
	return {seconds, sized: sizes.length};
}
