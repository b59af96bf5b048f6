/**
 * Redesign advice for pods on CRI: size `ephemeral-storage` requests and limits from
 * what the pod really uses on the node (writable layers + container logs + disk-backed
 * emptyDir volumes: what the kubelet's eviction manager adds up for the pod).
 *
 * What layerscope cannot see: the CRI carries no pod spec and the kubelet enforces
 * ephemeral-storage itself (it never passes it to the runtime), and nothing under
 * /var/lib/kubelet/pods/<uid> records it either. Only static pods have their spec on
 * the node (the kubelet's staticPodPath), and the kubelet's /pods API needs
 * credentials layerscope does not use. So the advice says it cannot tell whether a
 * limit is already set, and how to check.
 */
import {bytes as fmt} from './format.js';
import type {PodRef} from './types.js';

/** One pod's local ephemeral storage, as adapters/cri/pod-ephemeral.ts measures it. */
export interface PodStorage {
	pod: PodRef;
	containerIds: string[];
	/** Sum of known writable-layer sizes (allocated bytes). */
	writableBytes: number;
	/** Containers whose writable layer size is not known (stopped, or stats pending). */
	unsizedContainers: number;
	/** Container logs including rotated files. */
	logBytes: number;
	/** Allocated bytes under <kubeletRoot>/pods/<uid>/volumes/kubernetes.io~empty-dir (disk-backed only). */
	emptyDirBytes: number;
	totalBytes: number;
}

export interface EphemeralSizing {
	requestBytes: number;
	limitBytes: number;
	/** Kubernetes quantities, e.g. "16Mi", "2Gi". */
	request: string;
	limit: string;
}

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;

/** Rounds up to a quantity a person would write: multiples of 16Mi below 1Gi, of 512Mi above. */
export function roundQuantity(bytes: number): {bytes: number; text: string} {
	const step = bytes < Gi ? 16 * Mi : 512 * Mi;
	const rounded = Math.max(step, Math.ceil(bytes / step) * step);
	return {bytes: rounded, text: rounded % Gi === 0 ? `${rounded / Gi}Gi` : `${rounded / Mi}Mi`};
}

/**
 * Request: today's usage plus a quarter (the scheduler reserves it). Limit: twice
 * today's usage, and always above the request, so normal growth fits and a runaway
 * writer is evicted long before it fills the node.
 */
export function sizeEphemeral(usedBytes: number): EphemeralSizing {
	const request = roundQuantity(usedBytes * 1.25);
	const limit = roundQuantity(Math.max(usedBytes * 2, request.bytes * 1.5));
	return {requestBytes: request.bytes, limitBytes: limit.bytes, request: request.text, limit: limit.text};
}

export interface PodEphemeralFinding {
	subject: string;
	bytes: number;
	title: string;
	reason: string;
	change: string;
	ephemeral: Omit<PodStorage, 'pod' | 'containerIds'> & {containers: number} & EphemeralSizing;
}

/** One finding per pod whose ephemeral usage reaches minBytes, largest first. */
export function podEphemeralFindings(pods: readonly PodStorage[], minBytes: number): PodEphemeralFinding[] {
	return pods
		.filter(p => p.totalBytes >= minBytes && p.containerIds.length > 0)
		.sort((a, b) => b.totalBytes - a.totalBytes)
		.map(p => {
			const sizing = sizeEphemeral(p.totalBytes);
			const name = `${p.pod.namespace}/${p.pod.name}`;
			const parts = [`writable ${fmt(p.writableBytes)}`, `logs ${fmt(p.logBytes)}`, `emptyDir ${fmt(p.emptyDirBytes)}`];
			const unsized = p.unsizedContainers > 0 ? `; ${p.unsizedContainers} container(s) not sized` : '';
			const split = p.containerIds.length > 1 ? ` (pod total: split it over its ${p.containerIds.length} containers)` : '';
			const emptyDir = p.emptyDirBytes >= minBytes ? ', and an emptyDir sizeLimit' : '';
			return {
				subject: name,
				bytes: p.totalBytes,
				title: 'Pod ephemeral storage: set requests and limits',
				reason: `pod uses ${fmt(p.totalBytes)} of node disk (${parts.join(', ')}${unsized}); CRI does not expose the pod spec: an existing limit cannot be seen here`,
				change:
					`set requests.ephemeral-storage: ${sizing.request}, limits.ephemeral-storage: ${sizing.limit}${split}${emptyDir}; ` +
					`over its limit the kubelet evicts this pod alone, before the node reaches nodefs pressure. ` +
					`Check: kubectl get pod -n ${p.pod.namespace} ${p.pod.name} -o yaml`,
				ephemeral: {
					writableBytes: p.writableBytes,
					unsizedContainers: p.unsizedContainers,
					logBytes: p.logBytes,
					emptyDirBytes: p.emptyDirBytes,
					totalBytes: p.totalBytes,
					containers: p.containerIds.length,
					...sizing,
				},
			};
		});
}
