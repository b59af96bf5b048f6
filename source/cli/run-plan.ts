import {WalkPool} from '../adapters/fs/walk-pool.js';
import {parseDuration, parseSize, type BuildCacheFilter} from '../domain/build-cache-filter.js';
import {bytes, compactAge} from '../domain/format.js';
import {OperatorError} from '../domain/operator-error.js';
import {sanitize} from '../domain/sanitize.js';
import {wrap} from '../domain/text-width.js';
import {connectEngines, type EngineFlags} from '../services/engines.js';
import {gatherAdvice, kubeletOf} from '../services/gather-advice.js';
import {resolveKubeletEviction} from '../adapters/kubelet-config.js';

export interface PlanFlags extends EngineFlags {
	json: boolean;
	dfTimeout: number;
	/** `--build-cache-older-than 24h`: only cache records unused for longer (docker's until=24h). */
	buildCacheOlderThan?: string;
	/** `--build-cache-keep 5GB`: prune least recently used records until the cache is at most this (docker's --keep-storage). */
	buildCacheKeep?: string;
	/** `--kubelet-config PATH`: the kubelet's config (image GC thresholds), else the running kubelet's, else /var/lib/kubelet/config.yaml. */
	kubeletConfig?: string;
}

/** The build-cache flags; throws an OperatorError (one line and a hint, exit 2) for a value that does not parse. */
export function buildCacheFlags(flags: Pick<PlanFlags, 'buildCacheOlderThan' | 'buildCacheKeep'>): BuildCacheFilter {
	const filter: BuildCacheFilter = {};
	if (flags.buildCacheOlderThan !== undefined) {
		const age = parseDuration(String(flags.buildCacheOlderThan));
		if (!age.ok) throw new OperatorError(`--build-cache-older-than: ${age.error}`, {hint: age.hint, code: 'BAD_FLAG'});
		filter.olderThanMs = age.value;
	}
	if (flags.buildCacheKeep !== undefined) {
		const size = parseSize(String(flags.buildCacheKeep));
		if (!size.ok) throw new OperatorError(`--build-cache-keep: ${size.error}`, {hint: size.hint, code: 'BAD_FLAG'});
		filter.keepBytes = size.value;
	}
	return filter;
}

const lastUsed = (at: number | undefined, now: number) => (at === undefined ? 'last used unknown' : `last used ${new Date(at).toISOString().replace(/\.\d+Z$/, 'Z')} (${compactAge(now - at)} ago)`);

/** `layerscope plan`: suggestions and exact cleanup plans. Changes nothing: no mutation service is built here. */
export async function runPlan(flags: PlanFlags): Promise<number> {
	const parsed = {filter: buildCacheFlags(flags)};
	const filtered = parsed.filter.olderThanMs !== undefined || parsed.filter.keepBytes !== undefined;
	const eviction = resolveKubeletEviction({configPath: flags.kubeletConfig});
	const {sources} = await connectEngines(flags);
	const pool = new WalkPool();
	try {
		// Deleted-but-open files (issue 14): their truncation plans are listed with the others.
		const {withDeletedOpen} = await import('../services/deleted-open.js');
		const engines = await withDeletedOpen(await Promise.all(sources.map(source => source.scan({pool, diskUsageTimeoutMs: flags.dfTimeout * 1000}))));
		const now = Date.now();
		const {suggestions} = await gatherAdvice(engines, sources, {buildCache: parsed.filter, now, kubelet: kubeletOf(eviction.thresholds)});
		if (flags.json) {
			process.stdout.write(JSON.stringify({schemaVersion: 1, generatedAt: new Date(now).toISOString(), buildCacheFilter: parsed.filter, suggestions}, null, 2) + '\n');
			return 0;
		}
		for (const s of suggestions) {
			const head = `${s.kind === 'cleanup' ? 'CLEANUP ' : 'REDESIGN'} ${bytes(s.bytes).padStart(9)}  ${sanitize(s.title)}${s.subject ? ` (${sanitize(s.subject)})` : ''}`;
			process.stdout.write(wrap(head, 80, '                     ').join('\n') + '\n');
			for (const line of wrap(sanitize(s.reason), 71, '')) process.stdout.write(`         ${line}\n`);
			if (s.change) for (const line of wrap(`→ ${sanitize(s.change)}`, 71, '  ')) process.stdout.write(`         ${line}\n`);
			for (const item of s.plan?.items ?? []) {
				// Build cache: the exact record id, then its last use (so the cutoff can be checked by eye) and what it is.
				const lines =
					item.kind === 'build-cache'
						? [`- build-cache ${sanitize(item.id)} ${bytes(item.bytes)}`, ...wrap(`${lastUsed(item.lastUsedAt, now)}  ${sanitize(item.name)}`, 67, '    ').map(l => `  ${l}`)]
						: wrap(`- ${item.kind} ${sanitize(item.name)} ${bytes(item.bytes)}`, 69, '    ');
				for (const part of lines) process.stdout.write(`           ${part}\n`);
			}
		}
		const docker = engines.some(e => e.usage.buildCache);
		if (filtered && docker && !suggestions.some(s => s.plan?.items.some(i => i.kind === 'build-cache'))) {
			process.stdout.write('No build cache record matches the build-cache options: nothing to prune there.\n');
		}
		if (suggestions.length === 0) process.stdout.write('Nothing to suggest: no reclaimable items and no redesign findings.\n');
		return 0;
	} finally {
		for (const source of sources) source.close();
		await pool.close();
	}
}
