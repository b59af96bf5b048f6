/** The report's `kubelet` section: image GC thresholds and, per filesystem, whether image GC or eviction comes first. Pure. */
import {classifyFilesystem, imageGcOf, type EvictionThresholds} from '../domain/eviction.js';
import {reclaimOrder, reclaimOrderSentence} from '../domain/image-gc.js';
import type {Report, ReportKubelet} from './report-model.js';

/** Present where a kubelet was found or a CRI engine answered; null on a node with neither. */
export function reportKubelet(report: Report, thresholds: EvictionThresholds): ReportKubelet | null {
	const present = Boolean(thresholds.kubelet);
	if (!present && !report.runtimes.some(r => r.runtime.kind === 'cri')) return null;
	const gc = imageGcOf(thresholds);
	const reclaim = report.filesystems.map(fs => {
		// The containers of every engine on this filesystem (engines sharing one are counted once).
		const engines = new Set(report.runtimes.filter(r => r.filesystem && (r.filesystem.device ?? r.filesystem.path) === (fs.device ?? fs.path)).map(r => r.runtime.id));
		const growth = report.containers.filter(c => engines.has(c.engine)).reduce((t, c) => t + Math.max(0, c.growthBytesPerSec ?? 0), 0);
		const order = reclaimOrder(fs, classifyFilesystem(fs, thresholds).thresholdBytes, gc, growth);
		return {
			path: fs.path,
			first: order.first,
			imageGcAtAvailableBytes: order.imageGcAtBytes,
			evictionAtAvailableBytes: order.evictionAtBytes,
			growthBytesPerSec: growth,
			imageGcEtaSeconds: order.imageGcEta,
			evictionEtaSeconds: order.evictionEta,
			sentence: reclaimOrderSentence(order),
		};
	});
	return {present, source: thresholds.source, imageGc: gc, reclaimOrder: reclaim};
}
