import {realpathSync} from 'node:fs';
import type {ContainerRecord, RuntimeInfo} from '../../domain/types.js';
import {rootDirFromImageFs, storageDriverFromImageFs} from './cri-map.js';
import {mountForPath, type MountInfo} from './mountinfo.js';

/**
 * The rootfs mount of a running container. containerd mounts it at
 * <state>/io.containerd.runtime.v2.task/<namespace>/<id>/rootfs; matching on the
 * "/<id>/rootfs" tail avoids having to know the state directory.
 */
export function findMountFor(mounts: MountInfo[], containerId: string): MountInfo | undefined {
	if (!containerId) return undefined;
	const tail = `/${containerId}/rootfs`;
	for (let i = mounts.length - 1; i >= 0; i--) {
		if (mounts[i].mountPoint.endsWith(tail)) return mounts[i];
	}
	return undefined;
}

type Storage = Pick<RuntimeInfo, 'storageDriver' | 'backingFilesystem' | 'rootDir'>;

export function runtimeStorage(imageFsPath: string | null, mounts: MountInfo[], containers: ContainerRecord[]): Storage {
	let storageDriver = imageFsPath ? storageDriverFromImageFs(imageFsPath) : null;
	if (!storageDriver) {
		const overlay = containers.some(c => c.state === 'running' && findMountFor(mounts, c.id)?.fsType === 'overlay');
		storageDriver = overlay ? 'overlayfs' : 'unknown';
	}
	const backing = imageFsPath ? mountForPath(mounts, realpathOr(imageFsPath))?.fsType : undefined;
	const storage: Storage = {storageDriver, backingFilesystem: backing ?? 'unknown'};
	const rootDir = imageFsPath ? rootDirFromImageFs(imageFsPath) : undefined;
	if (rootDir) storage.rootDir = rootDir;
	return storage;
}

/** mountinfo lists resolved paths; the runtime may report one through a symlink. */
function realpathOr(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}
