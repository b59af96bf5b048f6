// Seeds the private engine with N running containers, each holding dirs × files small
// files in its writable layer, and waits until every one has finished writing.
import {existsSync} from 'node:fs';
import Docker from 'dockerode';

const image = 'layerscope.local/busybox:latest';
const label = 'layerscope.bench';

const script = (dirs, files) => `i=0; while [ $i -lt ${dirs} ]; do mkdir -p /data/d$i; j=0; while [ $j -lt ${files} ]; do echo $i.$j > /data/d$i/f$j; j=$((j+1)); done; i=$((i+1)); done; touch /data/.done; exec sleep 100000`;

async function mapLimit(items, limit, fn) {
	let next = 0;
	const results = [];
	await Promise.all(
		Array.from({length: Math.min(limit, items.length)}, async () => {
			while (next < items.length) {
				const i = next++;
				results[i] = await fn(items[i], i);
			}
		}),
	);
	return results;
}

/** Returns [{id, name, upperDir}] for the seeded containers (reuses matching ones from an earlier --keep run). */
export async function seed(socketPath, {containers, dirs, files, concurrency = 4, log}) {
	const docker = new Docker({socketPath});
	const tag = `scan-${containers}x${dirs}x${files}`;
	const existing = await docker.listContainers({all: true, filters: {label: [`${label}=${tag}`]}});
	const have = new Set(existing.map(c => c.Names[0].slice(1)));
	const names = Array.from({length: containers}, (_, i) => `ls-bench-${String(i).padStart(3, '0')}`);
	const missing = names.filter(n => !have.has(n));
	if (missing.length < names.length) log(`reusing ${names.length - missing.length} seeded container(s)`);
	let created = 0;
	await mapLimit(missing, concurrency, async name => {
		await docker
			.getContainer(name)
			.remove({force: true})
			.catch(() => {});
		const container = await docker.createContainer({
			name,
			Image: image,
			Cmd: ['sh', '-c', script(dirs, files)],
			Labels: {[label]: tag},
			HostConfig: {NetworkMode: 'none'},
		});
		await container.start();
		if (++created % 20 === 0) log(`started ${created}/${missing.length} containers`);
	});
	const seeded = await mapLimit(names, 8, async name => {
		const detail = await docker.getContainer(name).inspect();
		if (!detail.State.Running) await docker.getContainer(name).start();
		return {id: detail.Id, name, upperDir: detail.GraphDriver.Data.UpperDir};
	});
	const until = Date.now() + 15 * 60_000;
	for (;;) {
		const pending = seeded.filter(c => !existsSync(`${c.upperDir}/data/.done`));
		if (pending.length === 0) break;
		if (Date.now() > until) throw new Error(`${pending.length} container(s) never finished writing`);
		await new Promise(resolve => setTimeout(resolve, 500));
	}
	return seeded;
}

/** Removes every container this bench seeded (lab down alone leaves their shims running). */
export async function unseed(socketPath) {
	const docker = new Docker({socketPath});
	const list = await docker.listContainers({all: true, filters: {label: [label]}});
	await mapLimit(list, 8, c =>
		docker
			.getContainer(c.Id)
			.remove({force: true})
			.catch(() => {}),
	);
	return list.length;
}
