import type {ContainerState, ImageRecord, PodRef} from '../../domain/types.js';
import {imageMatchesRef} from './image-ref.js';
import type {CriContainerState, Image, PodSandbox} from './cri-types.js';

export function mapContainerState(state: CriContainerState | string): ContainerState {
	switch (state) {
		case 'CONTAINER_RUNNING':
			return 'running';
		case 'CONTAINER_EXITED':
			return 'exited';
		case 'CONTAINER_CREATED':
			return 'created';
		default:
			return 'unknown';
	}
}

/** CRI timestamps are int64 nanoseconds; layerscope uses epoch milliseconds. 0 → undefined. */
export function nanosToMillis(nanos: number): number | undefined {
	return nanos > 0 ? Math.floor(nanos / 1e6) : undefined;
}

export function podRefOf(sandbox: PodSandbox | undefined): PodRef | undefined {
	const meta = sandbox?.metadata;
	return meta ? {name: meta.name, namespace: meta.namespace, uid: meta.uid} : undefined;
}

export function mapImage(engine: string, image: Image): ImageRecord {
	return {
		engine,
		id: image.id,
		tags: image.repoTags,
		digests: image.repoDigests,
		virtualBytes: image.size,
		// CRI does not expose layers: one pseudo-layer standing for the whole image.
		layers: [{chainId: image.id, bytes: image.size}],
		pinned: image.pinned,
	};
}

/** The image id that one of `refs` (id, tag, digest reference) names, else the first non-empty ref. */
export function resolveImageId(images: ImageRecord[], refs: string[]): string {
	for (const ref of refs) {
		if (!ref) continue;
		const found = images.find(image => imageMatchesRef(image, ref));
		if (found) return found.id;
	}
	return refs.find(Boolean) ?? '';
}

/** Sandbox image from containerd's verbose Status info ("config" JSON: sandboxImage). */
export function sandboxImageFromStatusInfo(info: Record<string, string>): string | null {
	return stringField(info.config, 'sandboxImage');
}

/** Sandbox image from containerd's verbose PodSandboxStatus info ("info" JSON: image). */
export function sandboxImageFromSandboxInfo(info: Record<string, string>): string | null {
	return stringField(info.info, 'image');
}

function stringField(json: string | undefined, key: string): string | null {
	if (!json) return null;
	try {
		const value = (JSON.parse(json) as Record<string, unknown>)[key];
		return typeof value === 'string' && value !== '' ? value : null;
	} catch {
		return null;
	}
}

/** "overlayfs" from containerd's ".../io.containerd.snapshotter.v1.overlayfs", "overlay" from CRI-O's ".../overlay-images". */
export function storageDriverFromImageFs(mountpoint: string): string | null {
	const containerd = /io\.containerd\.snapshotter\.v1\.([^/]+)/.exec(mountpoint);
	if (containerd) return containerd[1];
	const crio = /\/([^/]+)-images\/?$/.exec(mountpoint);
	return crio ? crio[1] : null;
}

/** containerd's root dir: the part of the image fs path before the snapshotter directory. */
export function rootDirFromImageFs(mountpoint: string): string | undefined {
	const index = mountpoint.indexOf('/io.containerd.snapshotter.v1.');
	return index > 0 ? mountpoint.slice(0, index) : undefined;
}
