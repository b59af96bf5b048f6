import {classifyFilesystem, type EvictionThresholds} from '../domain/eviction.js';
import type {Report} from '../report/report-model.js';
import type {EngineSource} from './engines.js';
import {gatherAdvice, kubeletOf} from './gather-advice.js';
import type {SampledEngine} from './report-samples.js';

/** What the markdown audit report adds to the plain report: eviction headroom, classes of the top containers, advice. */
export async function markdownExtras(report: Report, sources: EngineSource[], sampled: SampledEngine[], thresholds: EvictionThresholds) {
	const pressure = report.filesystems.map(fs => ({fs, pressure: classifyFilesystem(fs, thresholds)}));
	const rates = new Map(report.containers.map(c => [c.id, c.growthBytesPerSec ?? 0]));
	const advice = await gatherAdvice(
		sampled.map(s => s.engine),
		sources,
		{growth: c => rates.get(c.id) ?? 0, kubelet: kubeletOf(thresholds)},
	);
	return {pressure, ...advice};
}
