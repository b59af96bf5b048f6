import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

/**
 * containers/storage's own records on disk (the store Podman, Buildah and CRI-O share):
 *   <graphRoot>/overlay-containers/containers.json  [{id, names, image, layer}]
 *   <graphRoot>/overlay/<layer>/diff                 the container's upper dir
 * Used for "external" containers, which Podman's API lists but cannot inspect.
 */
export interface StorageContainer {
	id: string;
	names: string[];
	image: string;
	layer: string;
	created?: string;
}

export function storageContainers(graphRoot: string, driver = 'overlay'): StorageContainer[] {
	try {
		const list = JSON.parse(readFileSync(join(graphRoot, `${driver}-containers`, 'containers.json'), 'utf8')) as StorageContainer[];
		return Array.isArray(list) ? list.filter(c => typeof c?.id === 'string' && typeof c.layer === 'string') : [];
	} catch {
		return [];
	}
}

/** The upper dir of a storage container's layer on overlay (native or fuse-overlayfs: same layout), or null. */
export function storageUpperDir(graphRoot: string, driver: string, layer: string): string | null {
	if (driver !== 'overlay' || !/^[0-9a-f]{64}$/.test(layer)) return null;
	const dir = join(graphRoot, 'overlay', layer, 'diff');
	return existsSync(dir) ? dir : null;
}
