import type {BuildCacheFilter} from './build-cache-filter.js';
import {allUnusedImagesTitle, cleanupPlans} from './cleanup-candidates.js';
import {deletedOpenAdvice} from './deleted-open-advice.js';
import {wordsFor, type EngineWords} from './engine-words.js';
import {bytes as fmt} from './format.js';
import type {ImageFinding} from './image-findings.js';
import {imageGcEnabled, type ImageGcThresholds} from './image-gc.js';
import {metadataCopyUpAdvice, type ContainerMetadataCopyUp, type MetadataCopyUpFinding} from './metadata-copy-up-advice.js';
import {podEphemeralFindings, type PodEphemeralFinding, type PodStorage} from './pod-ephemeral-advice.js';
import type {PlanItem, PrunePlan} from './prune-plan.js';
import type {EngineSnapshot} from './types.js';

/** Bytes per class in one container's writable layer, with the biggest path of each class. */
export interface ContainerClasses {
	containerId: string;
	classes: Array<{class: string; bytes: number; topPath?: string; lowerBytes?: number}>;
	/** Files copied up for metadata alone, when any: counts, what changed, the likely cause. */
	metadataCopyUp?: ContainerMetadataCopyUp;
}

export interface Suggestion {
	kind: 'cleanup' | 'redesign';
	engine: string;
	title: string;
	bytes: number;
	/** One line grounded in what was observed. */
	reason: string;
	/** cleanup: exactly what would be removed. */
	plan?: PrunePlan;
	/** redesign: the concrete change. */
	change?: string;
	/** What the suggestion is about (container or image name), raw. */
	subject?: string;
	items?: PlanItem[];
	/** Security findings rank above any size. */
	security?: boolean;
	/** Pod ephemeral-storage advice: what was measured and the suggested request/limit. */
	ephemeral?: PodEphemeralFinding['ephemeral'];
	/** Unused images on a kubelet's CRI engine: the kubelet collects them itself at these thresholds, so removing them by hand is optional. */
	kubeletImageGc?: ImageGcThresholds & {optional: true};
	/** Metadata-only copy-ups: bytes per container and over all containers of the image. */
	metadataCopyUp?: MetadataCopyUpFinding['metadataCopyUp'];
}

export interface AdviceInput {
	engines: EngineSnapshot[];
	classes?: ContainerClasses[];
	imageFindings?: Array<{engine: string; image: string; findings: ImageFinding[]}>;
	/** Below this many bytes a redesign is not worth the operator's attention. */
	minBytes?: number;
	/** Build-cache prune choice (all unused when absent) and the time ages are measured from. */
	buildCache?: BuildCacheFilter;
	now?: number;
	/** CRI pods' ephemeral storage, per engine (runtime id). */
	pods?: Array<{engine: string; pods: PodStorage[]}>;
	/** A kubelet runs on this node (or its config exists), with its image GC thresholds. */
	kubelet?: {imageGc: ImageGcThresholds} | null;
}

const imagePlanTitles = new Set(['Remove dangling images', 'Remove unused images', allUnusedImagesTitle]);

/** The kubelet's image GC covers the CRI engine's unused images (never the sandbox or pinned ones, which no plan holds). */
function kubeletGcNote(gc: ImageGcThresholds): string {
	return imageGcEnabled(gc)
		? `; the kubelet deletes unused images itself when disk usage reaches ${gc.highPercent}% (imageGCHighThresholdPercent), down to ${gc.lowPercent}%: removing them by hand is optional, and races the kubelet`
		: "; the kubelet's image GC is off here (imageGCHighThresholdPercent 100): unused images stay until removed by hand";
}

/** Every change names the engine's own tools and settings (domain/engine-words.ts). */
function classAdvice(words: EngineWords, cls: ContainerClasses['classes'][number]): Pick<Suggestion, 'title' | 'reason' | 'change'> | null {
	const where = cls.topPath ? ` (largest: ${cls.topPath})` : '';
	const size = fmt(cls.bytes);
	switch (cls.class) {
		case 'logs':
			return {
				title: 'Logs written inside the container',
				reason: `${size} of log files in the writable layer${where}; they grow until the disk fills and vanish with the container`,
				change: words.logsInLayer,
			};
		case 'database':
			return {
				title: 'Database files in the writable layer',
				reason: `${size} of database files${where} live in the writable layer: slow copy-on-write I/O, lost on removal`,
				change: words.dataMount,
			};
		case 'package-cache':
		case 'temp':
			return {
				title: cls.class === 'package-cache' ? 'Package caches kept in the container' : 'Temporary files in the writable layer',
				reason: `${size} of ${cls.class} files${where} accumulate in the writable layer`,
				change: words.scratchMount,
			};
		case 'copy-up':
			return {
				title: 'Large image file copied up',
				reason: `modifying ${cls.topPath ?? 'a large image file'} copied the whole ${fmt(cls.lowerBytes ?? cls.bytes)} file into the writable layer`,
				change: words.copyUpFix,
			};
		case 'crash-dump':
			return {
				title: 'Crash dumps in the container',
				reason: `${size} of core dumps${where}`,
				change: 'set a core_pattern or ulimit -c 0 for the container, and collect dumps on a volume if you need them',
			};
		default:
			return null;
	}
}

/** Ranked cleanup and redesign suggestions for every engine. */
export function advise(input: AdviceInput): Suggestion[] {
	const minBytes = input.minBytes ?? 1024 * 1024;
	const out: Suggestion[] = [];
	for (const engine of input.engines) {
		const words = wordsFor(engine.runtime.kind);
		for (const plan of cleanupPlans(engine, {now: input.now, buildCache: input.buildCache})) {
			const gc = input.kubelet && engine.runtime.kind === 'cri' && imagePlanTitles.has(plan.title) ? input.kubelet.imageGc : null;
			const reason = `${plan.items.length} item(s), ${fmt(plan.totalBytes)} estimated${gc ? kubeletGcNote(gc) : ''}`;
			out.push({kind: 'cleanup', engine: engine.runtime.id, title: plan.title, bytes: plan.totalBytes, reason, plan, items: plan.items, ...(gc && imageGcEnabled(gc) ? {kubeletImageGc: {...gc, optional: true as const}} : {})});
		}
		// Podman: Buildah's working containers are never pruned here; say what they hold and who removes them.
		const external = (engine.usage.buildCache ?? []).filter(r => r.external);
		const externalBytes = external.reduce((t, r) => t + r.bytes, 0);
		if (external.length > 0 && externalBytes >= minBytes) {
			out.push({
				kind: 'redesign',
				engine: engine.runtime.id,
				bytes: externalBytes,
				title: 'External (Buildah) containers in Podman storage',
				reason: `${external.length} container(s) made by Buildah or another tool hold ${fmt(externalBytes)}; layerscope never removes them`,
				change: 'check `buildah containers` (as the same user), then `buildah rm NAME` for the ones no build still needs',
			});
		}
		for (const container of engine.containers) {
			if (container.logBytes >= 10 * minBytes) {
				out.push({
					kind: 'redesign',
					engine: engine.runtime.id,
					subject: container.name,
					bytes: container.logBytes,
					title: 'Container log file is large',
					reason: `${container.name} has ${fmt(container.logBytes)} of container log files (${words.logWhere})`,
					change: words.logRotation,
				});
			}
			const classes = input.classes?.find(c => c.containerId === container.id)?.classes ?? [];
			for (const cls of classes) {
				if (cls.bytes < minBytes) continue;
				const advice = classAdvice(words, cls);
				if (advice) out.push({kind: 'redesign', engine: engine.runtime.id, subject: container.name, bytes: cls.bytes, ...advice});
			}
		}
		for (const finding of metadataCopyUpAdvice(engine.containers, input.classes ?? [], minBytes)) out.push({kind: 'redesign', engine: engine.runtime.id, ...finding});
	}
	// Deleted-but-open files: the holder is the fix (restart or reopen); truncation is the cleanup plan.
	for (const s of deletedOpenAdvice(input.engines, minBytes)) {
		out.push({kind: 'cleanup', engine: s.plan.items[0]!.engine, title: s.title, subject: s.subject, bytes: s.bytes, reason: s.reason, change: s.change, plan: s.plan, items: s.plan.items});
	}
	for (const {engine, pods} of input.pods ?? []) {
		for (const {ephemeral, ...finding} of podEphemeralFindings(pods, minBytes)) out.push({kind: 'redesign', engine, ...finding, ephemeral});
	}
	for (const {engine, image, findings} of input.imageFindings ?? []) {
		for (const finding of findings) {
			out.push({kind: 'redesign', engine, subject: image, bytes: finding.bytes, title: `Image build: ${finding.kind.replace(/-/g, ' ')}`, reason: finding.reason, change: finding.change, security: finding.kind === 'sensitive-file-shipped'});
		}
	}
	return out.sort((a, b) => Number(Boolean(b.security)) - Number(Boolean(a.security)) || b.bytes - a.bytes);
}
