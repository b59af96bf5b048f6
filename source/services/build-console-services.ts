import {resolve} from 'node:path';
import {GrowthTracker} from '../domain/growth.js';
import type {ContainerRecord} from '../domain/types.js';
import {AuditLog, defaultAuditPath} from './audit-log.js';
import type {ConsoleServices} from './console-services.js';
import {criMutationTarget} from './cri-target.js';
import {dockerMutationTarget} from './docker-target.js';
import {DockerChanges} from '../adapters/docker/docker-changes.js';
import {drillContainer} from './drill.js';
import {hostEngine} from '../domain/deleted-open.js';
import {canScanProc} from './deleted-open.js';
import {procMutationTarget} from './proc-target.js';
import type {EngineSource} from './engines.js';
import {gatherAdvice, kubeletOf} from './gather-advice.js';
import type {EvictionThresholds} from '../domain/eviction.js';
import {createMutationService, type EngineMutationTarget} from './mutations.js';
import type {ReadOnlyMode} from './read-only.js';
import {otherFilesBreakdown} from './other-files.js';
import {cachedDirSizer, podEphemeral} from '../adapters/cri/pod-ephemeral.js';

/**
 * The composition root for the console's actions. In read-only mode the mutation
 * service is not built at all (and no audit log is opened): the screens receive null.
 */
export function buildConsoleServices(
	sources: EngineSource[],
	options: {readOnly: ReadOnlyMode; auditLog?: string; rootDirs?: Map<string, string | undefined>; otherRoot?: string; kubeletRoot?: string; thresholds?: EvictionThresholds},
): ConsoleServices {
	const mutations = createMutationService({readOnly: options.readOnly.on}, () => {
		const targets = new Map<string, EngineMutationTarget>();
		for (const source of sources) {
			// Docker and Podman (its compatible API removes by id just as Docker's does), keyed by engine id.
			if (source.docker) targets.set(source.docker.engineId, dockerMutationTarget(source.docker, options.rootDirs?.get(source.docker.engineId)));
			if (source.cri) targets.set(source.cri.id, criMutationTarget(source as Parameters<typeof criMutationTarget>[0]));
		}
		// Truncating deleted files held open (root only: other processes' fds).
		if (canScanProc()) targets.set(hostEngine, procMutationTarget());
		return {targets, audit: new AuditLog(options.auditLog ? resolve(options.auditLog) : defaultAuditPath())};
	});
	const emptyDirSizer = cachedDirSizer();
	return {
		readOnly: options.readOnly,
		mutations,
		drill: (container, {signal, onProgress}) => {
			const docker = (sources.find(s => s.docker?.engineId === container.engine) ?? sources.find(s => s.docker))?.docker;
			const local = docker ? docker.client.endpoint.local : true;
			return drillContainer(container, {signal, onProgress, local, engine: docker ? new DockerChanges(docker.client) : undefined});
		},
		advice: async (snapshot, adviceOptions) => {
			const rates = adviceOptions?.growth;
			const growth = rates ? (c: ContainerRecord) => rates.get(GrowthTracker.key(c)) ?? 0 : undefined;
			return gatherAdvice(snapshot.engines, sources, {signal: adviceOptions?.signal, growth, kubeletRoot: options.kubeletRoot, kubelet: kubeletOf(options.thresholds)});
		},
		// emptyDirs are walked at most every 30 s: the pod rows ask at every sample.
		podStorage: snapshot =>
			snapshot.engines.flatMap(engine => ('cri' in engine ? [{engine: engine.runtime.id, pods: podEphemeral(engine as Parameters<typeof podEphemeral>[0], {kubeletRoot: options.kubeletRoot, sizeDir: emptyDirSizer})}] : [])),
		otherFiles: (snapshot, {signal, onProgress}) => otherFilesBreakdown(snapshot.engines, {root: options.otherRoot, kubeletRoot: options.kubeletRoot, signal, onProgress}),
		image: async (image, {signal}) => {
			const {imageError, loadImage} = await import('./image-explorer.js');
			const docker = sources.find(s => s.docker)?.docker;
			if (!docker) throw imageError('the image explorer reads Docker images; no Docker engine is connected', 'CRI exposes no layer contents');
			return loadImage(docker.client, image, {signal});
		},
	};
}
