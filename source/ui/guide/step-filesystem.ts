/** Step 1: the node filesystem and its eviction thresholds. Pure. */
import {describeThreshold, imageGcOf} from '../../domain/eviction.js';
import {reclaimOrderSentence} from '../../domain/image-gc.js';
import {count, duration, percent} from '../../domain/format.js';
import {sanitize} from '../../domain/sanitize.js';
import {filesystemGroups} from '../model/node-model.js';
import {bytes, growthPerMinute} from '../model/formatting.js';
import {line, type GuideInput, type GuideLine, type GuideStep} from './guide-model.js';

const tone = {ok: 'good', warn: 'warn', critical: 'bad'} as const;

export function filesystemStep(input: GuideInput): GuideStep {
	const groups = filesystemGroups(input.snapshot, input.growth, input.thresholds, input.logGrowth);
	const figures: GuideLine[] = [];
	for (const group of groups) {
		const {fs, pressure} = group;
		const engines = group.engines.map(e => sanitize(e.runtime.name)).join(' + ');
		if (!fs || !pressure) {
			figures.push(line(`${engines}: filesystem not readable here (remote engine or not root)`, 'dim'));
			continue;
		}
		figures.push(line(`${sanitize(fs.path)}  (${engines})`, 'heading'));
		figures.push(line(`  used ${bytes(fs.usedBytes)} of ${bytes(fs.sizeBytes)} (${percent(fs.usedBytes, fs.sizeBytes)}), ${bytes(fs.availableBytes)} available`, tone[pressure.space]));
		const limit = pressure.signal === 'imagefs.available' ? input.thresholds.imagefsAvailable : input.thresholds.nodefsAvailable;
		const headroom = Math.max(0, fs.availableBytes - pressure.thresholdBytes);
		figures.push(line(`  eviction when available < ${bytes(pressure.thresholdBytes)} (${pressure.signal} ${describeThreshold(limit)}): ${bytes(headroom)} of headroom`, tone[pressure.space]));
		figures.push(
			line(
				`  inodes ${count(fs.inodesTotal - fs.inodesFree)} used of ${count(fs.inodesTotal)}; eviction below ${count(Math.round(pressure.inodesThreshold))} free (nodefs.inodesFree ${describeThreshold(input.thresholds.nodefsInodesFree)})`,
				tone[pressure.inodes],
			),
		);
		const eta = group.eta === null ? 'nothing is growing' : group.eta === 0 ? 'past the threshold now' : `threshold reached in about ${duration(group.eta)}`;
		const logs = group.logGrowth > 0 ? ` (${growthPerMinute(group.logGrowth)}/min of it in log files)` : '';
		figures.push(line(`  growth ${growthPerMinute(group.growth)}/min${logs}: ${eta}`, group.eta !== null && group.eta < 3600 ? 'bad' : 'plain'));
		if (group.reclaim) {
			const gc = imageGcOf(input.thresholds);
			const at = group.reclaim.imageGcAtBytes === null ? '' : ` (available < ${bytes(group.reclaim.imageGcAtBytes)})`;
			figures.push(line(`  kubelet image GC at ${gc.highPercent}% used${at}, down to ${gc.lowPercent}%`, 'plain'));
			figures.push(line(`  ${reclaimOrderSentence(group.reclaim)}`, group.reclaim.first === 'image-gc' ? 'figure' : 'warn'));
		}
	}
	if (groups.length === 0) figures.push(line('reading the engine…', 'dim'));
	const source =
		input.thresholds.source === 'kubelet-defaults'
			? "the kubelet's defaults (no kubelet config found)"
			: `${input.thresholds.origin === 'kubelet-process' ? 'the running kubelet' : 'the kubelet config'} (${sanitize(input.thresholds.source)})`;
	const gc = imageGcOf(input.thresholds);
	const imageGc = groups.some(g => g.reclaim)
		? [
				`The kubelet also deletes unused images itself: when the image filesystem reaches imageGCHighThresholdPercent (${gc.highPercent}% used) it removes the least recently used ones down to imageGCLowThresholdPercent (${gc.lowPercent}%), never the pause image or pinned ones. Removing unused images by hand first is optional and races it; it cannot save a node whose growth is in writable layers, logs or emptyDirs.`,
			]
		: [];
	const dataRoot = "Images, writable layers, logs and volumes all live on the filesystem of the engine's data root. df counts everything on it; the engine only knows its own part.";
	const eviction = `Kubernetes does not wait for a full disk: below a free-space threshold the kubelet starts evicting pods. The thresholds here come from ${source}. With one disk for images and containers, the stricter of nodefs and imagefs applies.`;
	return {
		number: 1,
		title: 'The disk and its eviction thresholds',
		figures,
		// On a kubelet node the kubelet's two mechanisms come first: what the figures above are about.
		explain: imageGc.length ? [eviction, ...imageGc, dataRoot] : [dataRoot, eviction],
		handOver: {screen: 'overview', label: 'overview (disk bar)'},
		pending: input.snapshot === null,
	};
}
