/** Step 3: who is growing, and virtual vs writable size. Pure. */
import {sanitize} from '../../domain/sanitize.js';
import {truncateWidth} from '../../domain/text-width.js';
import {fit} from '../model/fit.js';
import {bytes, growthPerMinute} from '../model/formatting.js';
import {containerName} from '../model/rows.js';
import {line, type GuideInput, type GuideLine, type GuideStep} from './guide-model.js';
import {focusContainer, keyOf, rankedByGrowth, topGrower, wordsOf} from './guide-pick.js';

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
	const words = wordsOf(input.snapshot, example);
	const image = example && input.snapshot?.engines.find(e => e.runtime.id === example.engine)?.images.find(i => i.id === example.imageId);
	if (example && image) {
		const writable = example.writableBytes ?? 0;
		figures.push(line(`${words.sizeCommand} for ${truncateWidth(containerName(example), 28)}:`, 'heading'));
		figures.push(line(`  ${words.sizeLine(bytes(writable), bytes(writable + image.virtualBytes))}`, 'figure'));
		// CRI: the image is not in DISK; its size is what crictl images shows, stored once for all its containers.
		const plus =
			words.kind === 'cri'
				? `  image ${truncateWidth(sanitize(example.image), 30)} ${bytes(image.virtualBytes)}, stored once (crictl images)`
				: `  = writable ${bytes(writable)} + image ${truncateWidth(sanitize(example.image), 30)} ${bytes(image.virtualBytes)}`;
		figures.push(line(plus, 'plain'));
	}
	return {
		number: 3,
		title: words.kind === 'cri' ? 'Who is growing: writable size vs image size' : 'Who is growing: virtual vs writable size',
		figures,
		explain: ['Growth is the slope of each writable layer over the last samples: a big but idle container is not what fills the disk next, the fastest grower is.', words.sizeExplain],
		handOver: {screen: 'overview', sort: 'growth', select: grower ? keyOf(grower) : null, label: 'overview by growth'},
		pending: input.snapshot === null || !measured,
	};
}
