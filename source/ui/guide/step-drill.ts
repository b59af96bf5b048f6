/** Step 4: drilling into the top grower; A/C/D marks, copy-ups and whiteouts on real paths. Pure. */
import type {DrillTree} from '../../domain/drill-model.js';
import {truncateWidth} from '../../domain/text-width.js';
import {fit} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import {containerName} from '../model/rows.js';
import {line, type GuideInput, type GuideLine, type GuideStep, type Mechanism, type MetadataMechanism} from './guide-model.js';
import {keyOf} from './guide-pick.js';

const markText = {A: 'added (not in image)', C: 'changed (in image)', D: 'deleted (whiteout)'} as const;

export interface PathStep {
	path: string;
	mark: 'A' | 'C' | 'D' | null;
	bytes: number;
	isDir: boolean;
	cls: string;
}

/** The chain of largest entries from the layer root down to a file: where the bytes are. */
export function heaviestChain(tree: DrillTree, depth = 6): PathStep[] {
	const chain: PathStep[] = [];
	let dir = tree.dirs.get(tree.rootKey);
	while (dir && chain.length < depth) {
		const next = [...dir.entries].sort((a, b) => b.apparentBytes - a.apparentBytes)[0];
		if (!next) break;
		const path = (dir.display === '/' ? '' : dir.display) + '/' + next.display;
		chain.push({path, mark: next.mark, bytes: next.apparentBytes, isDir: next.type === 'dir', cls: next.class});
		dir = next.dirKey ? tree.dirs.get(next.dirKey) : undefined;
	}
	return chain;
}

function pathLine(mark: string, path: string, size: string, note: string, width = 34): GuideLine {
	return line(`  ${mark} ${fit(truncateWidth(path, width), width)} ${fit(size, 9, 'right')}  ${note}`, mark === 'A' ? 'figure' : mark === 'D' ? 'warn' : 'plain');
}

function mechanismLines(kind: 'copy-up' | 'whiteout', found: Mechanism | null, searched: number): GuideLine[] {
	if (!found) {
		const looks = kind === 'copy-up' ? 'C /srv/model/weights.bin 25 MB (lower 25 MB)' : 'D /opt/big.tar 0 B (image still holds 12 MB)';
		return [line(`No ${kind} on this node (${searched} container(s) searched). It would look like:`, 'dim'), line(`  ${looks}`, 'dim')];
	}
	const {record, change} = found;
	const who = truncateWidth(containerName(record), 30);
	if (kind === 'copy-up') {
		return [line(`Copy-up in ${who}:`, 'heading'), pathLine('C', change.path, bytes(change.bytes), `lower file ${bytes(change.lowerBytes ?? 0)}`)];
	}
	return [line(`Whiteout in ${who}:`, 'heading'), pathLine('D', change.path, bytes(change.bytes), `image still holds ${bytes(change.lowerBytes ?? 0)}`)];
}

/** A metadata-only copy-up, when a drilled container holds one: files, bytes and the likely cause in one line. */
function metadataLines(found: MetadataMechanism | null | undefined): GuideLine[] {
	if (!found) return [];
	const m = found.summary;
	return [line(`Copied up for metadata alone in ${truncateWidth(containerName(found.record), 30)}:`, 'heading'), line(`${m.files.toLocaleString('en-US')} files, ${bytes(m.bytes)}: ${m.cause}`, 'warn', 2)];
}

export function drillStep(input: GuideInput): GuideStep {
	const figures: GuideLine[] = [];
	let handOver: GuideStep['handOver'] = null;
	const {drills} = input;
	if (drills.status === 'loading') figures.push(line('walking writable layers…', 'dim'));
	else if (drills.status === 'error' || drills.status === 'unavailable') figures.push(line(drills.status === 'error' ? `cannot drill: ${drills.error}` : drills.reason, 'warn'));
	else {
		const {focus, copyUp, whiteout, metadataCopyUp, searched} = drills.value;
		if (focus) {
			const {A, C, D} = focus.tree.totals.marks;
			figures.push(line(`${truncateWidth(containerName(focus.record), 34)}: ${A} added, ${C} changed, ${D} deleted`, 'heading'));
			for (const step of heaviestChain(focus.tree)) {
				const note = step.mark ? markText[step.mark] : 'unchanged';
				figures.push(pathLine(step.mark ?? ' ', step.path, bytes(step.bytes), step.isDir ? note : `${note}; ${step.cls}`));
			}
			handOver = {screen: 'detail', select: keyOf(focus.record), label: `details of ${truncateWidth(containerName(focus.record), 20)}`};
		} else figures.push(line('No container with a writable layer to drill into.', 'dim'));
		figures.push(...mechanismLines('copy-up', copyUp, searched), ...metadataLines(metadataCopyUp), ...mechanismLines('whiteout', whiteout, searched));
	}
	const metadata = drills.status === 'done' && drills.value.metadataCopyUp;
	return {
		number: 4,
		title: 'Inside a writable layer: A/C/D, copy-up, whiteout',
		figures,
		explain: [
			"A container sees one merged tree: the image's read-only lower layers with its own writable upper layer on top. A marks a path that exists only in the upper layer, C one that is also in the image (for a directory: its contents changed), D one deleted from the image.",
			'Copy-up: a lower file cannot be changed in place, so the first write copies the whole file up; appending one line to a big image file stores the whole file again. Whiteout: deleting an image file only adds a marker that hides it; the image keeps the bytes, nothing is freed.',
			...(metadata ? ['A chown, chmod or touch of an image file copies it up too, content unchanged: a recursive chown at start stores the whole tree again in every container. Set ownership in the Dockerfile (COPY --chown) instead.'] : []),
		],
		handOver,
		pending: drills.status === 'loading',
	};
}
