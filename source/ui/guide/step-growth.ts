/** Step 3: who is growing, and virtual vs writable size. Pure. */
import {sanitize} from '../../domain/sanitize.js';
import {truncateWidth} from '../../domain/text-width.js';
import {fit} from '../model/fit.js';
import {bytes, growthPerMinute} from '../model/formatting.js';
import {containerName} from '../model/rows.js';
import {line, type GuideInput, type GuideLine, type GuideStep} from './guide-model.js';
import {focusContainer, keyOf, rankedByGrowth, topGrower} from './guide-pick.js';

export function growthStep(input: GuideInput): GuideStep {
	const ranked = rankedByGrowth(input.snapshot, input.growth);
	const grower = topGrower(input.snapshot, input.growth);
	const measured = ranked.some(r => r.growth !== null);
	const figures: GuideLine[] = [];
	if (!measured && input.snapshot) figures.push(line(`measuring: growth needs two samples (one every ${Math.round(input.intervalMs / 1000)} s)…`, 'dim'));
	else if (input.snapshot && !grower) figures.push(line('No container is growing right now.', 'good'));
	figures.push(line(`   ${fit('CONTAINER', 30)} ${fit('GROWTH/min', 11, 'right')} ${fit('WRITABLE', 10, 'right')}`, 'dim'));
	ranked.slice(0, 3).forEach((r, i) => {
		const mark = i === 0 && grower ? '▲' : ' ';
		figures.push(line(`${mark}${i + 1} ${fit(containerName(r.record), 30)} ${fit(growthPerMinute(r.growth), 11, 'right')} ${fit(bytes(r.writableBytes), 10, 'right')}`, i === 0 && grower ? 'bad' : 'plain'));
	});
	const example = input.focus !== undefined ? input.focus : focusContainer(input.snapshot, input.growth);
	const image = example && input.snapshot?.engines.find(e => e.runtime.id === example.engine)?.images.find(i => i.id === example.imageId);
	if (example && image) {
		const writable = example.writableBytes ?? 0;
		figures.push(line(`docker ps -s for ${truncateWidth(containerName(example), 28)}:`, 'heading'));
		figures.push(line(`  SIZE ${bytes(writable)} (virtual ${bytes(writable + image.virtualBytes)})`, 'figure'));
		figures.push(line(`  = writable ${bytes(writable)} + image ${truncateWidth(sanitize(example.image), 30)} ${bytes(image.virtualBytes)}`, 'plain'));
	}
	return {
		number: 3,
		title: 'Who is growing: virtual vs writable size',
		figures,
		explain: [
			'Growth is the slope of each writable layer over the last samples: a big but idle container is not what fills the disk next, the fastest grower is.',
			'docker ps -s prints two sizes. SIZE is the writable layer: the bytes this container wrote itself. "virtual" adds the image\'s read-only layers, which are stored once and shared by every container of that image. Never add up virtual sizes: the shared layers would be counted again for each container.',
		],
		handOver: {screen: 'overview', sort: 'growth', select: grower ? keyOf(grower) : null, label: 'overview by growth'},
		pending: input.snapshot === null || !measured,
	};
}
