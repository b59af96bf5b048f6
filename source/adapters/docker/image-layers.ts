import {execFileSync} from 'node:child_process';
import {lstatSync} from 'node:fs';
import type {HistoryStep, LayerWhiteout} from '../../domain/image-findings.js';
import type {DockerClient} from './docker-client.js';

const text = (b: Buffer) => b.toString('utf8');

/** History oldest first, with the layer each step made (steps of size 0 may be metadata only). */
export async function imageHistory(client: DockerClient, id: string): Promise<HistoryStep[]> {
	const entries: Array<{CreatedBy: string; Size: number}> = await client.call<any>('image history', (d: any) => d.getImage(id).history());
	const oldestFirst = [...entries].reverse();
	let layer = 0;
	return oldestFirst.map(entry => ({createdBy: entry.CreatedBy ?? '', bytes: entry.Size ?? 0, layer: entry.Size > 0 ? layer++ : null}));
}

/** Layer diff directories bottom first, when the image is on overlay2 and readable here. */
export async function imageLayerDirs(client: DockerClient, id: string): Promise<string[] | null> {
	const detail: any = await client.call('inspect image', (d: any, abortSignal) => d.getImage(id).inspect({abortSignal}));
	return layerDirsOf(detail);
}

/** The same, from an image's inspect answer already in hand. */
export function layerDirsOf(detail: any): string[] | null {
	const data = detail?.GraphDriver?.Data ?? {};
	if (detail?.GraphDriver?.Name !== 'overlay2' || !data.UpperDir) return null;
	const lower: string[] = data.LowerDir ? String(data.LowerDir).split(':').reverse() : [];
	return [...lower, data.UpperDir];
}

function sizeOf(path: string): number {
	const st = lstatSync(path, {throwIfNoEntry: false});
	if (!st) return 0;
	if (!st.isDirectory()) return st.size;
	try {
		return Number(execFileSync('du', ['-s', '-x', '-b', path], {encoding: 'utf8'}).split('\t')[0]);
	} catch {
		return 0;
	}
}

/**
 * Whiteouts (0/0 character devices) in each image layer, and the bytes the hidden
 * path still holds in the layers below. Uses find(1) for the walk: a C walker, names as bytes.
 */
export function layerWhiteouts(layers: readonly string[]): LayerWhiteout[] {
	const found: LayerWhiteout[] = [];
	layers.forEach((dir, index) => {
		if (index === 0) return;
		let out: Buffer;
		try {
			out = execFileSync('find', [dir, '-xdev', '-type', 'c', '-printf', '%P\\0'], {maxBuffer: 256 * 1024 * 1024});
		} catch {
			return;
		}
		for (let start = 0; start < out.length; ) {
			const end = out.indexOf(0, start);
			const rel = text(out.subarray(start, end));
			start = end + 1;
			const st = lstatSync(`${dir}/${rel}`, {throwIfNoEntry: false});
			if (st?.rdev !== 0) continue;
			let hiddenBytes = 0;
			let addedIn = -1;
			for (let below = index - 1; below >= 0; below--) {
				const bytes = lstatSync(`${layers[below]}/${rel}`, {throwIfNoEntry: false}) ? sizeOf(`${layers[below]}/${rel}`) : -1;
				if (bytes >= 0) {
					hiddenBytes += bytes;
					addedIn = below;
				}
			}
			if (addedIn >= 0) found.push({layer: index, path: '/' + rel, hiddenBytes, addedIn});
		}
	});
	return found;
}
