/**
 * How many directories and cold files each layer re-checks in one sampler pass
 * (adapters/fs/layer-index.ts). A pass cannot lstat every directory and file of every layer:
 * one layer of 130,000 directories would cost 130,000 lstat each pass. Instead each layer
 * walks its files and its directories round robin, a quota a pass, sized so that every file is
 * re-checked within `sweepPasses` passes (a file growing in place changes no directory: only
 * its own re-stat finds it) and every directory within `dirSweepPasses`. File quotas are
 * proportional to a layer's size, so a file in a big layer waits no longer than one in a small
 * one; the directories of small layers (and of every layer where there are few in all) are all
 * checked every pass, so a new file there shows at once. Each total is capped, the cut taken
 * from the layers that want the most, so the cost of a pass is bounded whatever the number of
 * directories (past the cap the huge layers' sweeps take longer). Pure: no I/O, no clock.
 */

export interface SweepPolicy {
	/** Every file is re-checked within this many passes (Infinity: no sweep target, the minimums alone). */
	sweepPasses: number;
	/** Cold-file re-stats per pass, all layers together: at least (a faster sweep when there is little) … */
	minFiles: number;
	/** … and at most (bounded cost; past it the sweep takes longer). */
	maxFiles: number;
	/** A layer re-stats at least this many of its files a pass (or all of them). */
	layerFloorFiles: number;
	/** When the layers hold at most this many directories in all, every one is lstat'ed every pass. */
	allDirsUpTo: number;
	/** A layer's first this-many directories a pass: layers this small have all of theirs checked every pass. */
	layerFloorDirs: number;
	/** Directories are re-checked within this many passes (a new name in a quiet directory shows within them). */
	dirSweepPasses: number;
	/** Directory lstat's per pass, all layers together, at most. */
	maxDirs: number;
}

export interface LayerCounts {
	files: number;
	dirs: number;
}

export interface LayerQuota {
	files: number;
	dirs: number;
}

/** A sweep over the files within this long (at the default 5 s interval: 10 passes, about 52 s with the passes' own time), so growth in place shows within 60 s. */
export const SWEEP_MS = 50_000;
/** Directories: a longer sweep (a directory seen changing is re-checked every pass for a while anyway). */
export const DIR_SWEEP_MS = 100_000;
/**
 * Budgeted lstat's per second of sampling, at most (3–6 µs of CPU each on a 2-core machine):
 * 300,000 files within a sweep, then directories; past these the sweeps take longer.
 */
export const MAX_FILES_PER_SECOND = 6000;
export const MAX_DIRS_PER_SECOND = 1200;

/** Passes in one sweep at this interval between passes. */
export function sweepPassesFor(intervalMs: number, sweepMs = SWEEP_MS): number {
	return Math.max(1, Math.floor(sweepMs / Math.max(1, intervalMs)));
}

/** The sampler's policy at an interval (`minFiles`: the sample worker's fixed budget, a floor). */
export function sweepPolicy(intervalMs: number, minFiles = 4000, sweepMs = SWEEP_MS): SweepPolicy {
	const seconds = Math.max(0.001, intervalMs / 1000);
	return {
		sweepPasses: sweepPassesFor(intervalMs, sweepMs),
		minFiles,
		maxFiles: Math.max(minFiles, Math.ceil(MAX_FILES_PER_SECOND * seconds)),
		layerFloorFiles: 16,
		allDirsUpTo: 4096,
		layerFloorDirs: 64,
		dirSweepPasses: sweepPassesFor(intervalMs, DIR_SWEEP_MS),
		maxDirs: Math.ceil(MAX_DIRS_PER_SECOND * seconds),
	};
}

/** Without a sweep target: every directory each pass, `minFiles` cold files shared out (the behaviour before sweeps). */
export function fixedPolicy(minFiles: number): SweepPolicy {
	return {sweepPasses: Infinity, minFiles, maxFiles: Infinity, layerFloorFiles: 16, allDirsUpTo: Infinity, layerFloorDirs: Infinity, dirSweepPasses: Infinity, maxDirs: Infinity};
}

/**
 * The largest per-layer limit L with Σ min(want_i, L) ≤ total (max-min fair): a cut falls on the
 * layers that want the most, so small layers keep all they want.
 */
export function fairLimit(wants: readonly number[], total: number): number {
	const sorted = [...wants].sort((a, b) => a - b);
	let left = total;
	for (let i = 0; i < sorted.length; i++) {
		const others = sorted.length - i;
		if (sorted[i]! * others > left) return Math.max(1, Math.floor(left / others));
		left -= sorted[i]!;
	}
	return Infinity;
}

/**
 * Per-layer quotas out of counts: each layer's share of a sweep (at least its floor, at most its
 * size); the total raised to `min` in proportion to the layers' sizes (the same sweep length for
 * all), or cut to `max` from the layers that want the most (each keeps at least one, so each
 * still moves on).
 */
function share(counts: readonly number[], sweepPasses: number, floor: number, min: number, max: number): number[] {
	const base = counts.map(c => Math.min(c, Math.max(floor, Number.isFinite(sweepPasses) ? Math.ceil(c / sweepPasses) : 0)));
	const sum = base.reduce((t, b) => t + b, 0);
	if (sum === 0) return base;
	if (sum > max) {
		const limit = fairLimit(base, max);
		return base.map(b => Math.min(b, limit));
	}
	if (sum >= min) return base;
	const total = counts.reduce((t, c) => t + c, 0);
	if (min >= total) return [...counts];
	return counts.map((c, i) => Math.min(c, Math.max(base[i]!, Math.ceil((c * min) / total))));
}

/** Quotas for one pass over these layers. */
export function planPass(layers: readonly LayerCounts[], policy: SweepPolicy): LayerQuota[] {
	if (policy.minFiles === Infinity) return layers.map(l => ({files: l.files, dirs: l.dirs}));
	const files = share(
		layers.map(l => l.files),
		policy.sweepPasses,
		policy.layerFloorFiles,
		policy.minFiles,
		policy.maxFiles,
	);
	const totalDirs = layers.reduce((t, l) => t + l.dirs, 0);
	const dirs =
		totalDirs <= policy.allDirsUpTo
			? layers.map(l => l.dirs)
			: share(
					layers.map(l => l.dirs),
					policy.dirSweepPasses,
					policy.layerFloorDirs,
					0,
					policy.maxDirs,
				);
	return layers.map((_, i) => ({files: files[i]!, dirs: dirs[i]!}));
}

/** Passes a round robin of `quota` a pass needs to visit `count` items (Infinity when it never moves). */
export function passesToSweep(count: number, quota: number): number {
	if (count <= 0) return 0;
	return quota > 0 ? Math.ceil(count / quota) : Infinity;
}
