/** Step 2: where the bytes live (the ledger) and what each category means. Pure. */
import {percent} from '../../domain/format.js';
import type {LedgerCategory} from '../../domain/ledger.js';
import {ledgerLabels} from '../../domain/ledger-labels.js';
import {filesystemGroups} from '../model/node-model.js';
import {fit} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import {line, type GuideInput, type GuideLine, type GuideStep} from './guide-model.js';

/** One short meaning per category, written for a newcomer. */
export const ledgerMeanings: Record<LedgerCategory, string> = {
	liveLayers: 'files running containers wrote',
	stoppedContainers: 'layers kept by exited containers',
	containerLogs: 'stdout/stderr captured by the engine',
	imagesInUse: 'read-only layers containers use',
	unusedImages: 'tagged images no container uses',
	danglingImages: 'untagged leftovers of rebuilds',
	buildCache: 'intermediate build results',
	volumes: 'data outside any layer; kept on rm',
	deletedOpen: 'deleted files a process still holds',
};

export function ledgerStep(input: GuideInput): GuideStep {
	const groups = filesystemGroups(input.snapshot, input.growth, input.thresholds, input.logGrowth);
	const figures: GuideLine[] = [];
	if (groups.length > 0) figures.push(line(`${fit('', 21)}${fit('bytes', 9, 'right')}${fit('reclaim', 9, 'right')}  what it is`, 'dim'));
	for (const group of groups) {
		const used = group.fs?.usedBytes ?? 0;
		if (groups.length > 1) figures.push(line(group.engines.map(e => e.runtime.name).join(' + '), 'heading'));
		for (const l of group.lines) {
			const reclaim = l.reclaimable ? bytes(l.reclaimable) : '';
			figures.push(line(`${fit(ledgerLabels[l.category], 21)}${fit(bytes(l.bytes), 9, 'right')}${fit(reclaim, 9, 'right')}  ${ledgerMeanings[l.category]}`, l.reclaimable ? 'figure' : 'plain'));
		}
		if (group.other !== null) {
			figures.push(line(`${fit('Other files on the fs', 21)}${fit(bytes(group.other), 9, 'right')}${fit('', 9)}  ${percent(group.other, used)} of used, not the engine's`, group.other > used / 2 ? 'warn' : 'dim'));
		}
	}
	if (groups.length === 0) figures.push(line('reading the engine…', 'dim'));
	return {
		number: 2,
		title: 'Where the bytes live',
		figures,
		explain: [
			'Each layer is counted once, even when several images share it. "Reclaimable" is what a cleanup could free today without touching anything in use; writable layers of running containers and logs only shrink when the app changes.',
			'"Other files" is what the filesystem holds that no engine accounts for: the OS, other services, node logs. Deleted files still held open have their own row (d lists them).',
		],
		handOver: {screen: 'overview', label: 'overview (ledger)'},
		pending: input.snapshot === null,
	};
}
