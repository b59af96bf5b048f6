import {DockerMutator} from '../adapters/docker/docker-mutator.js';
import type {DockerReader} from '../adapters/docker/docker-reader.js';
import {PodmanReader} from '../adapters/podman/podman-reader.js';
import {tryFilesystemStats} from '../adapters/fs/statfs.js';
import type {PrunePlan} from '../domain/prune-plan.js';
import type {EngineSnapshot} from '../domain/types.js';
import type {EngineMutationTarget, Remover} from './mutations.js';

/** A fresh, unsized view for re-validation: containers and images always; disk usage only when the plan needs it. */
export async function refreshDocker(reader: DockerReader, plan: PrunePlan): Promise<EngineSnapshot> {
	const runtime = await reader.runtime();
	const needsUsage = plan.items.some(item => item.kind === 'volume' || item.kind === 'build-cache');
	const [containers, images, usage] = await Promise.all([
		reader.containers(runtime.rootDir, runtime.storageDriver),
		plan.items.some(item => item.kind === 'image') ? reader.images(runtime) : Promise.resolve([]),
		needsUsage ? reader.diskUsage() : Promise.resolve({buildCache: null, volumes: null, layersSize: null}),
	]);
	return {runtime, filesystem: null, containers, images, usage, sizedByEngine: false, warnings: []};
}

/**
 * Podman removes containers, images and volumes by id through its Docker-compatible API,
 * as Docker does. It has no BuildKit cache: its build-cache records are external
 * (Buildah) containers, which layerscope shows but never removes.
 */
function podmanRemover(docker: DockerMutator): Remover {
	return {
		async remove(item) {
			if (item.kind === 'build-cache') throw new Error('external (Buildah) containers are not removed by layerscope: use buildah rm');
			await docker.remove(item);
		},
	};
}

/** Only services/mutations.ts's factory should call this: it is what holds the remover. */
export function dockerMutationTarget(reader: DockerReader, rootDir: string | undefined): EngineMutationTarget {
	return {
		endpoint: reader.client.endpoint.display,
		remover: reader instanceof PodmanReader ? podmanRemover(new DockerMutator(reader.client)) : new DockerMutator(reader.client),
		refresh: plan => refreshDocker(reader, plan),
		filesystem: () => (reader.client.endpoint.local ? tryFilesystemStats(rootDir) : null),
	};
}
