/** One-line explanations for the drill-down screen: what a selected entry is and what leaving it costs. Pure. */
import {explainClass} from '../../domain/classify.js';
import {percent} from '../../domain/format.js';
import {bytes} from './formatting.js';
import type {DrillRow, SizeMode} from './drill-rows.js';
import type {EngineKind} from '../../domain/types.js';

/** What the entry costs where it is: bytes in the writable layer, plus lower bytes it keeps or duplicates. */
export function costText(row: DrillRow, mode: SizeMode, approximate = false): string {
	const here = `costs ${bytes(row.size)} ${mode} in the writable layer`;
	if (row.mark === 'D') {
		const lower = row.lowerBytes !== undefined ? bytes(row.lowerBytes) : approximate ? 'unknown (approximate)' : 'unknown';
		return `deleted: costs the ${lower} the lower layers still hold on disk`;
	}
	if (row.mark === 'C' && row.type === 'file' && row.lowerBytes !== undefined) return `${here} + the ${bytes(row.lowerBytes)} lower original`;
	return here;
}

/** The one-line explanation of the entry's class (with the copy-up and whiteout specifics). */
export function explainRow(row: DrillRow, approximate = false, kind?: EngineKind): string {
	if (row.unreadable) return 'unreadable directory: its contents could not be listed (permission denied); sizes below are missing';
	if (row.type === 'rest') return 'small files not listed one by one; their bytes are counted here';
	if (row.mark === 'C' && row.type === 'file' && row.class === 'metadata-copy-up') {
		return `metadata-only copy-up: same content as the image's file (${bytes(row.apparentBytes)}), copied up for its owner, mode or times alone`;
	}
	if (row.mark === 'C' && row.type === 'file' && row.lowerBytes !== undefined) {
		return `copy-up: the whole lower file (${bytes(row.lowerBytes)}) was copied into the writable layer`;
	}
	if (row.mark === 'D') {
		const lower = row.lowerBytes !== undefined ? bytes(row.lowerBytes) : approximate ? 'an unknown amount (approximate)' : 'an unknown amount';
		return `whiteout: deleted from the image, but the lower layers still hold ${lower} on disk`;
	}
	const text = `${row.class}: ${explainClass(row.class, kind)}`;
	const meta = row.metadataCopyUp ? `; ${row.metadataCopyUp.files.toLocaleString('en-US')} files (${bytes(row.metadataCopyUp.bytes)}) below copied up for metadata alone` : '';
	if (row.classShare !== undefined && row.classShare < 0.995) return `${text} (${percent(row.classShare, 1)} of its bytes)${meta}`;
	return text + meta;
}
