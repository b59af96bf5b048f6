import type {WalkPool} from '../adapters/fs/walk-pool.js';
import {growthRate, type Sample} from '../domain/growth.js';
import type {EngineSnapshot} from '../domain/types.js';
import type {EngineSource} from './engines.js';

export interface SampledEngine {
	engine: EngineSnapshot;
	growthBytesPerSec: Map<string, number>;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * N samples S seconds apart from one engine. Docker uses the console's incremental
 * sampler; CRI re-reads the engine's own stats (it already measures usage).
 */
export async function sampleEngine(source: EngineSource, options: {samples: number; intervalSeconds: number; pool: WalkPool; dfTimeoutMs: number; whileSizing?: () => void}): Promise<SampledEngine> {
	if (options.samples <= 1) return {engine: await source.scan({pool: options.pool, diskUsageTimeoutMs: options.dfTimeoutMs, whileSizing: options.whileSizing}), growthBytesPerSec: new Map()};
	if (source.docker) {
		const {sampleGrowth} = await import('./sampler.js');
		return sampleGrowth(source.docker, {samples: options.samples, intervalSeconds: options.intervalSeconds, pool: options.pool, dfTimeoutMs: options.dfTimeoutMs});
	}
	const history = new Map<string, Sample[]>();
	let engine!: EngineSnapshot;
	for (let i = 0; i < options.samples; i++) {
		if (i > 0) await sleep(options.intervalSeconds * 1000);
		engine = await source.scan({pool: options.pool, diskUsageTimeoutMs: options.dfTimeoutMs});
		const at = Date.now();
		for (const c of engine.containers) {
			if (c.writableBytes === null) continue;
			history.set(c.id, [...(history.get(c.id) ?? []), {at, bytes: c.writableBytes}]);
		}
	}
	const growthBytesPerSec = new Map<string, number>();
	for (const [id, samples] of history) {
		const rate = growthRate(samples, samples.length);
		if (rate !== null && engine.containers.some(c => c.id === id)) growthBytesPerSec.set(id, rate);
	}
	return {engine, growthBytesPerSec};
}
