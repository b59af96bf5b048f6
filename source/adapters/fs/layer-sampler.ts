/** One sample thread's layers (layer-index.ts) and log files, one pass at a time. */
import {fixedPolicy, planPass, type LayerQuota} from '../../domain/sample-budget.js';
import {Layer} from './layer-index.js';
import {logFileBytes} from './log-files.js';
import type {TreeSize} from './size-tree.js';

export interface SampleTarget {
	id: string;
	/** Writable layer directory on this host, or null when it is not readable here. */
	root: string | null;
	logPath: string | null;
}

export interface LayerSample {
	logBytes: number;
	indexed: boolean;
	apparentBytes?: number;
	allocatedBytes?: number;
	inodes?: number;
	errors?: number;
	/** Names of non-directories and directories in the layer's index (to plan the next pass). */
	files?: number;
	dirs?: number;
}

export interface SampleResult {
	sizes: Record<string, LayerSample>;
	/** lstat calls made in this pass, for the benchmark and --debug. */
	stats: number;
	reads: number;
}

/** The layers one sample thread keeps, by writable layer root. */
export class LayerSampler {
	private readonly layers = new Map<string, Layer>();

	/** Full index of one layer (the first scan and `r`), with size-tree.ts's TreeSize fields. */
	index(root: string): TreeSize {
		const layer = new Layer(root);
		const counter = {stats: 0, reads: 0};
		layer.index(counter);
		this.layers.set(root, layer);
		return {
			apparentBytes: layer.apparentBytes,
			allocatedBytes: layer.allocatedBytes,
			files: layer.files,
			dirs: layer.dirs.size,
			inodes: layer.inodes,
			errors: layer.errors,
			errorSamples: [],
			otherFs: 0,
			unwalked: 0,
		};
	}

	/**
	 * One pass. Layers whose root is not listed are forgotten. Unindexed layers are indexed while
	 * the index budget (in stats) lasts; the rest wait for the next pass.
	 */
	sample(msg: {containers: SampleTarget[]; budget: number; indexBudget: number; quotas?: Record<string, LayerQuota>}): SampleResult {
		const counter = {stats: 0, reads: 0};
		const present = new Set(msg.containers.map(c => c.root).filter(Boolean));
		for (const root of this.layers.keys()) if (!present.has(root)) this.layers.delete(root);
		// Quotas of the layers indexed before this pass: as planned by the client over all threads,
		// or here (every directory, this thread's part of the cold-file budget; domain/sample-budget.ts).
		const ticking = [...new Set(msg.containers.map(c => (c.root ? this.layers.get(c.root) : undefined)).filter((l): l is Layer => l?.indexed === true))];
		const local = planPass(
			ticking.map(l => ({files: l.files, dirs: l.dirs.size})),
			fixedPolicy(msg.budget),
		);
		const quotaOf = new Map(ticking.map((l, i) => [l, msg.quotas?.[l.root] ?? (msg.quotas ? {files: local[i]!.files, dirs: Infinity} : local[i]!)]));
		const out: Record<string, LayerSample> = {};
		for (const c of msg.containers) {
			const result: LayerSample = {logBytes: logFileBytes(c.logPath), indexed: false};
			out[c.id] = result;
			if (!c.root) continue;
			let layer = this.layers.get(c.root);
			if (!layer) this.layers.set(c.root, (layer = new Layer(c.root)));
			const quota = quotaOf.get(layer);
			if (quota) {
				quotaOf.delete(layer); // one tick a pass, even when two containers name the same root
				layer.tick(counter, quota.files, quota.dirs);
			} else if (!layer.indexed) {
				if (counter.stats > msg.indexBudget) continue;
				layer.index(counter);
			}
			if (!layer.indexed) continue;
			Object.assign(result, {
				indexed: true,
				apparentBytes: layer.apparentBytes,
				allocatedBytes: layer.allocatedBytes,
				inodes: layer.inodes,
				errors: layer.errors,
				files: layer.files,
				dirs: layer.dirs.size,
			});
		}
		return {sizes: out, stats: counter.stats, reads: counter.reads};
	}
}
